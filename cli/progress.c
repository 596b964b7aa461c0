/* SPDX-License-Identifier: MIT */
#include "progress.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backride-dbus.h"
#include "macro.h"
#include "output.h"

void progress_init(struct progress *p)
{
	*p = (struct progress) { .tty = output_escapes(STDERR_FILENO) };
}

void progress_show(struct progress *p, const char *text)
{
	static const char spin[] = "|/-\\";

	if (!p->tty)
		return;
	fprintf(stderr, "\r\033[K%s %c", text, spin[p->tick++ % 4]);
	fflush(stderr);
	p->shown = true;
}

void progress_clear(struct progress *p)
{
	if (!p->shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->shown = false;
}

struct slow_call {
	bool done;
	sd_bus_error error;
	int r;
};

static int on_reply(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct slow_call *c = userdata;

	c->done = true;
	if (sd_bus_message_is_method_error(reply, NULL)) {
		c->r = -sd_bus_message_get_errno(reply);
		if (c->r == 0)
			c->r = -EIO;
		(void) sd_bus_error_copy(&c->error, sd_bus_message_get_error(reply));
	}
	return 0;
}

int cli_call_slow(struct cli *cli, const char *method, const char *doing, const char *what,
		  uint64_t timeout_usec, const char *types, ...)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
	_cleanup_(sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
	struct slow_call c = { .error = SD_BUS_ERROR_NULL };
	struct progress p;
	char text[128];
	va_list ap;
	int r;

	progress_init(&p);
	(void) snprintf(text, sizeof(text), "%s...", doing);
	r = sd_bus_message_new_method_call(cli->bus, &m, BR_BUS_NAME, BR_MANAGER_PATH,
					   BR_MANAGER_IFACE, method);
	if (r >= 0) {
		va_start(ap, types);
		r = sd_bus_message_appendv(m, types, ap);
		va_end(ap);
	}
	if (r >= 0)
		r = sd_bus_call_async(cli->bus, &slot, m, on_reply, &c, timeout_usec);
	while (r >= 0 && !c.done) {
		r = sd_bus_process(cli->bus, NULL);
		if (r > 0 || c.done)
			continue;
		if (r >= 0) {
			progress_show(&p, text);
			r = sd_bus_wait(cli->bus, 200 * USEC_PER_MSEC);
		}
	}
	progress_clear(&p);
	if (r >= 0)
		r = c.r;
	r = r < 0 ? cli_call_failed(cli, what, &c.error, r) : CLI_EXIT_OK;
	sd_bus_error_free(&c.error);
	return r;
}
