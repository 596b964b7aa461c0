/* SPDX-License-Identifier: MIT */
/* backride disconnect [ADDRESS]: give a machine back (control, then the link). */
#include <getopt.h>
#include <stdio.h>

#include "backride-dbus.h"
#include "cli.h"
#include "machine.h"
#include "output.h"

/* --help, --json and at most one ADDRESS. Return: 1 go on, 0 help shown, -exit code. */
static int parse(struct cli *cli, int argc, char **argv, const char **ret_address)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
						  { "json", no_argument, NULL, 'j' },
						  {} };
	int c;

	optind = 0; /* reinitialise GNU getopt so that options may follow the address */
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) >= 0) {
		switch (c) {
		case 'h':
			cli_verb_help(&verb_disconnect);
			return 0;
		case 'j':
			cli->json = 1;
			break;
		default:
			fprintf(stderr, "Try 'backride disconnect --help'.\n");
			return -CLI_EXIT_USAGE;
		}
	}
	*ret_address = optind < argc ? argv[optind++] : "";
	if (optind < argc) {
		fprintf(stderr,
			"backride disconnect: unexpected argument '%s'\n"
			"Try 'backride disconnect --help'.\n",
			argv[optind]);
		return -CLI_EXIT_USAGE;
	}
	return 1;
}

static int run_disconnect(struct cli *cli, int argc, char **argv)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	const char *address;
	int r;

	r = parse(cli, argc, argv, &address);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_MANAGER_IFACE,
			       "Disconnect", &e, NULL, "s", address);
	if (r < 0) {
		r = cli_call_failed(cli, "disconnect", &e, r);
		sd_bus_error_free(&e);
		return r;
	}
	if (cli->json) {
		fputs("{\"address\":", stdout);
		if (*address)
			json_string(stdout, address);
		else
			fputs("null", stdout);
		fputs(",\"disconnected\":true}\n", stdout);
	} else if (*address)
		printf("Disconnected %s; its console has control again.\n", address);
	else
		printf("Disconnected; the machine's console has control again.\n");
	return CLI_EXIT_OK;
}

const struct verb verb_disconnect = {
	.name = "disconnect",
	.summary = "Give a machine back: control, then the link",
	.usage = "[ADDRESS] [--json]\n\n"
		 "Gives control of the connected machine back (its console and other apps can\n"
		 "drive it again), then disconnects it and the heart-rate strap; backride stops\n"
		 "reconnecting. ADDRESS names the machine, or the strap to disconnect it alone;\n"
		 "without it, whatever is connected. Refused while a session uses the machine:\n"
		 "'backride stop' ends the session first. After a session the daemon disconnects\n"
		 "by itself after [machine] idle_disconnect_s (60 s).\n",
	.run = run_disconnect,
};
