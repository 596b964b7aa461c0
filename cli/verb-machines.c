/* SPDX-License-Identifier: MIT */
/* backride machines: the machines and straps the daemon knows. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "backride-dbus.h"
#include "cli.h"
#include "machine.h"
#include "macro.h"

#define MACHINES_MAX 64

/* Read GetManagedObjects' a{oa{sa{sv}}}, keeping the Machine1 objects. */
static int read_objects(sd_bus_message *m, struct cli_machine *list, size_t *n)
{
	const char *path, *iface;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{oa{sa{sv}}}");
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "oa{sa{sv}}")) > 0) {
		r = sd_bus_message_read(m, "o", &path);
		if (r >= 0)
			r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}");
		while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
			r = sd_bus_message_read(m, "s", &iface);
			if (r >= 0 && strcmp(iface, BR_MACHINE_IFACE) == 0 && *n < MACHINES_MAX)
				r = cli_machine_read(m, &list[(*n)++]);
			else if (r >= 0)
				r = sd_bus_message_skip(m, "a{sv}");
			if (r >= 0)
				r = sd_bus_message_exit_container(m);
		}
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
	}
	return r;
}

/* Connected first, then remembered, then by address. */
static int compare(const void *a, const void *b)
{
	const struct cli_machine *x = a, *y = b;

	if (x->connected != y->connected)
		return y->connected - x->connected;
	if (x->remembered != y->remembered)
		return y->remembered - x->remembered;
	return strcmp(x->address, y->address);
}

static void print_table(const struct cli_machine *list, size_t n, bool legend)
{
	char when[32], missing[64];
	int w = 9; /* the KIND column: "treadmill", or "bike (cadence sensor)" when listed */

	for (size_t i = 0; i < n; i++)
		w = MAX(w, (int) strlen(cli_kind_label(list[i].kind, list[i].protocol)));
	if (n == 0 && legend)
		printf("No machines yet. Find one with 'backride scan', then 'backride pair "
		       "ADDRESS'.\n");
	else if (legend)
		printf("%-17s  %-*s  %-10s  %-6s  %-16s  %s\n", "ADDRESS", w, "KIND", "STATUS",
		       "PAIRED", "LAST SEEN", "NAME");
	for (size_t i = 0; i < n; i++) {
		time_t t = (time_t) list[i].last_seen;
		struct tm tm;

		if (t > 0 && localtime_r(&t, &tm))
			(void) strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		else
			(void) snprintf(when, sizeof(when), "never");
		printf("%-17s  %-*s  %-10s  %-6s  %-16s  %s\n", list[i].address, w,
		       cli_kind_label(list[i].kind, list[i].protocol), cli_machine_status(&list[i]),
		       list[i].paired ? "yes" : "no", when,
		       *list[i].name ? list[i].name : "(no name)");
		if (cli_machine_missing_ranges(&list[i], missing, sizeof(missing)) > 0)
			printf("%17s  does not say its %s range: driven within conservative "
			       "defaults, narrowed by what it refuses\n",
			       "", missing);
	}
}

static int run_machines(struct cli *cli, int argc, char **argv)
{
	static struct cli_machine list[MACHINES_MAX];
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	size_t n = 0;
	int r;

	r = cli_verb_common_args(cli, &verb_machines, argc, argv);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH,
			       "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", &e,
			       &reply, "");
	if (r >= 0)
		r = read_objects(reply, list, &n);
	sd_bus_message_unref(reply);
	if (r < 0) {
		r = cli_call_failed(cli, "list the machines", &e, r);
		sd_bus_error_free(&e);
		return r;
	}
	qsort(list, n, sizeof(list[0]), compare);
	if (cli->json) {
		putchar('[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				putchar(',');
			cli_machine_json(stdout, &list[i]);
		}
		puts("]");
	} else
		print_table(list, n, !cli->no_legend);
	return CLI_EXIT_OK;
}

const struct verb verb_machines = {
	.name = "machines",
	.summary = "List the machines and heart-rate straps backride knows",
	.usage = "[--json]\n\n"
		 "Lists remembered machines and those found by the last scans: address,\n"
		 "kind, status (connected, remembered or found), pairing, when last seen\n"
		 "and name. A machine that offers a target without saying its range gets\n"
		 "a second line naming it: backride drives it within conservative\n"
		 "defaults and narrows them by what the machine refuses. --json prints\n"
		 "one JSON array (missing_ranges: those targets).\n",
	.run = run_machines,
};
