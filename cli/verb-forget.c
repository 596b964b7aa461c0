/* SPDX-License-Identifier: MIT */
/* backride forget ADDRESS: forget a machine (its sessions stay). */
#include <stdio.h>

#include "backride-dbus.h"
#include "cli.h"
#include "machine.h"
#include "output.h"
#include "progress.h"

static int run_forget(struct cli *cli, int argc, char **argv)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	const char *address;
	int r;

	r = cli_verb_args(cli, &verb_forget, argc, argv, CLI_MISSING_ADDRESS, &address);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_MANAGER_IFACE, "Forget",
			       &e, NULL, "s", address);
	if (r < 0) {
		r = cli_call_failed(cli, "forget the machine", &e, r);
		sd_bus_error_free(&e);
		return r;
	}
	if (cli->json) {
		fputs("{\"address\":", stdout);
		json_string(stdout, address);
		fputs(",\"forgotten\":true}\n", stdout);
	} else
		printf("Forgot %s. Its sessions are kept.\n", address);
	return CLI_EXIT_OK;
}

const struct verb verb_forget = {
	.name = "forget",
	.summary = "Forget a machine or heart-rate strap",
	.usage = "ADDRESS [--json]\n\n"
		 "Removes the machine from backride and from BlueZ (the pairing is dropped).\n"
		 "Recorded sessions are kept.\n",
	.run = run_forget,
};
