/* SPDX-License-Identifier: MIT */
/* backride status: the daemon's version and state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backride-dbus.h"
#include "cli.h"
#include "macro.h"
#include "output.h"

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

static int run_status(struct cli *cli, int argc, char **argv)
{
	_cleanup_free_ char *version = NULL, *state = NULL;
	int r;

	r = cli_verb_common_args(cli, &verb_status, argc, argv);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = get_string_property(cli, "Version", &version);
	if (r > 0)
		return r;
	r = get_string_property(cli, "State", &state);
	if (r > 0)
		return r;
	if (cli->json) {
		fputs("{\"version\":", stdout);
		json_string(stdout, version);
		fputs(",\"state\":", stdout);
		json_string(stdout, state);
		fputs("}\n", stdout);
	} else {
		printf("backrided %s\n", version);
		printf("State: %s\n", state);
	}
	return CLI_EXIT_OK;
}

const struct verb verb_status = {
	.name = "status",
	.summary = "Show the daemon's version and state",
	.usage = "[--json]\n\n"
		 "Shows the version of the running daemon and what it is doing:\n"
		 "idle, scanning, connecting, ready or session.\n",
	.run = run_status,
};
