/* SPDX-License-Identifier: MIT */
/* backride status: the daemon's version and state, and the session live. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backride-dbus.h"
#include "cli.h"
#include "macro.h"
#include "output.h"
#include "session.h"

static int get_string_property(struct cli *cli, const char *prop, char **ret)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	r = sd_bus_get_property_string(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_MANAGER_IFACE,
				       prop, &e, ret);
	r = r < 0 ? cli_call_failed(cli, "read the daemon's state", &e, r) : 0;
	sd_bus_error_free(&e);
	return r;
}

/* Return: 1 to go on, 0 after help, -CLI_EXIT_USAGE. */
static int parse(struct cli *cli, int argc, char **argv, int *follow)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
						  { "json", no_argument, NULL, 'j' },
						  { "follow", no_argument, NULL, 'f' },
						  {} };
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "hf", longopts, NULL)) >= 0) {
		if (c == 'h') {
			cli_verb_help(&verb_status);
			return 0;
		} else if (c == 'j')
			cli->json = 1;
		else if (c == 'f')
			*follow = 1;
		else {
			fprintf(stderr, "Try 'backride status --help'.\n");
			return -CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "backride: unexpected argument '%s'\n", argv[optind]);
		return -CLI_EXIT_USAGE;
	}
	return 1;
}

static int run_status(struct cli *cli, int argc, char **argv)
{
	_cleanup_free_ char *version = NULL, *state = NULL;
	struct cli_session s;
	int r, follow = 0, has_session;

	r = parse(cli, argc, argv, &follow);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	if (follow)
		return cli_session_follow(cli, -2);
	r = get_string_property(cli, "Version", &version);
	if (r > 0)
		return r;
	r = get_string_property(cli, "State", &state);
	if (r > 0)
		return r;
	r = cli_session_get(cli, &s);
	if (r > 1)
		return r;
	has_session = r == 0;
	if (cli->json) {
		fputs("{\"version\":", stdout);
		json_string(stdout, version);
		fputs(",\"state\":", stdout);
		json_string(stdout, state);
		if (has_session) {
			fputs(",\"session\":", stdout);
			cli_session_json(stdout, &s);
			fputs("}\n", stdout);
		} else
			fputs("}\n", stdout);
	} else {
		printf("backrided %s\n", version);
		printf("State: %s\n", state);
		if (has_session)
			cli_session_print(stdout, &s);
	}
	return CLI_EXIT_OK;
}

const struct verb verb_status = {
	.name = "status",
	.summary = "Show the daemon's version and state",
	.usage = "[--follow] [--json]\n\n"
		 "Shows the version of the running daemon and what it is doing:\n"
		 "idle, scanning, connecting, ready or session, and the running (or last)\n"
		 "session.\n"
		 "  -f, --follow  a live view of the session until it ends: phase, progress,\n"
		 "                targets against actuals, heart rate, time left; plain lines\n"
		 "                when stdout is not a terminal; with --json one object per\n"
		 "                update. On a terminal it takes keys: 0-9 pain (1 then 0\n"
		 "                is 10), - easier, space/p/Enter pause or resume, s twice\n"
		 "                stop, c start a treadmill's belt, q leave the view\n",
	.run = run_status,
};
