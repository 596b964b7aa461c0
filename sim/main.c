/* SPDX-License-Identifier: MIT */
/* backride-sim: args, loop, teardown. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "ble.h"
#include "ctl.h"
#include "log.h"
#include "options.h"
#include "periph.h"
#include "sim.h"
#include "store.h"

static void on_signal(uv_signal_t *h, int signum)
{
	sim_quit(h->data, 0);
}

static int sim_setup(struct sim *s)
{
	const struct sim_options *o = s->opt;
	int r;

	r = store_open(o->state_dir, &s->store);
	if (r < 0)
		return log_error_errno(r, "Cannot open the state directory");
	for (size_t i = 0; i < o->n_devices; i++) {
		r = periph_new(s, &o->devices[i], &s->periphs[s->n_periphs]);
		if (r < 0)
			return log_error_errno(r, "Cannot create a device");
		s->n_periphs++;
		if (!o->ble)
			log_info("%s at %s", o->devices[i].name, o->devices[i].address);
	}
	/* Before ctl_new(): the device takes the adapter's address. */
	if (o->ble) {
		r = ble_new(s, &s->ble);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < o->n_faults; i++) {
		r = sim_apply_fault(s, o->faults[i].name, o->faults[i].value, NULL, true);
		if (r < 0)
			return log_error_errno(r, "Bad fault '%s'", o->faults[i].name);
	}
	r = ctl_new(s, &s->ctl);
	if (r < 0)
		return log_error_errno(r, "Cannot export the control interface");
	return o->ble ? 0 : sim_bluetoothd_start(s);
}

static void sim_teardown(struct sim *s)
{
	s->stopping = true;
	sim_bluetoothd_stop(s);
	ble_free(s->ble);
	s->ble = NULL;
	ctl_free(s->ctl);
	for (size_t i = 0; i < s->n_periphs; i++)
		periph_close(s->periphs[i]);
	store_free(s->store);
	uv_close((uv_handle_t *) &s->sigterm, NULL);
	uv_close((uv_handle_t *) &s->sigint, NULL);
	uv_close((uv_handle_t *) &s->restart_timer, NULL);
	(void) uv_run(s->loop, UV_RUN_DEFAULT);
}

int main(int argc, char **argv)
{
	struct sim_options opt;
	struct sim s = { 0 };
	int r;

	if (argc > 1 && strcmp(argv[1], "ctl") == 0)
		return ctl_cli_main(argc - 1, argv + 1);
	r = options_parse(argc, argv, &opt);
	if (r != 0)
		return r > 0 ? 0 : 2;
	log_set_ident("backride-sim");
	if (opt.verbose)
		log_set_max_level(LOG_DEBUG);
	(void) signal(SIGPIPE, SIG_IGN);
	s.loop = uv_default_loop();
	s.opt = &opt;
	s.start_ns = uv_hrtime();
	(void) uv_signal_init(s.loop, &s.sigterm);
	(void) uv_signal_init(s.loop, &s.sigint);
	(void) uv_timer_init(s.loop, &s.restart_timer);
	s.sigterm.data = s.sigint.data = s.restart_timer.data = &s;
	(void) uv_signal_start(&s.sigterm, on_signal, SIGTERM);
	(void) uv_signal_start(&s.sigint, on_signal, SIGINT);
	r = sim_setup(&s);
	if (r >= 0)
		(void) uv_run(s.loop, UV_RUN_DEFAULT);
	else
		s.exit_code = 1;
	sim_teardown(&s);
	r = uv_loop_close(s.loop);
	if (r < 0) {
		log_error("uv_loop_close: %s", uv_strerror(r));
		return 1;
	}
	return s.exit_code;
}
