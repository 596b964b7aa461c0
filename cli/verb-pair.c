/* SPDX-License-Identifier: MIT */
/* backride pair ADDRESS: pair, trust and remember a machine found by 'backride scan'. */
#include <stdio.h>

#include "backride-dbus.h"
#include "cli.h"
#include "machine.h"
#include "macro.h"
#include "progress.h"

#define PAIR_TIMEOUT_USEC (90 * USEC_PER_SEC)

static int run_pair(struct cli *cli, int argc, char **argv)
{
	struct cli_machine x;
	const char *address;
	char doing[64];
	int r;

	r = cli_verb_args(cli, &verb_pair, argc, argv, CLI_MISSING_ADDRESS, &address);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	(void) snprintf(doing, sizeof(doing), "Pairing with %s", address);
	r = cli_call_slow(cli, "Pair", doing, "pair", PAIR_TIMEOUT_USEC, "s", address);
	if (r != CLI_EXIT_OK)
		return r;
	r = cli_machine_get(cli, address, &x);
	if (r != CLI_EXIT_OK)
		return r;
	if (cli->json) {
		cli_machine_json(stdout, &x);
		putchar('\n');
	} else if (x.paired)
		printf("Paired with %s (%s, %s). 'backride machines' lists it.\n",
		       *x.name ? x.name : x.address, x.address, x.kind);
	else
		/* The daemon carries on unpaired with pair = auto (or never): not an error. A
		 * Keiser M3i only advertises: it cannot be paired at all. */
		printf("Remembered %s (%s, %s) unpaired: the machine refused pairing or cannot be "
		       "paired (or [bluez] pair = never); it works all the same. 'backride "
		       "machines' lists it.\n",
		       *x.name ? x.name : x.address, x.address, x.kind);
	return CLI_EXIT_OK;
}

const struct verb verb_pair = {
	.name = "pair",
	.summary = "Pair with a machine or heart-rate strap and remember it",
	.usage = "ADDRESS [--json]\n\n"
		 "Pairs with the machine at ADDRESS (from 'backride scan'), trusts it and\n"
		 "remembers it; backride then connects to it by itself. Machines that refuse\n"
		 "pairing are remembered unpaired and work all the same.\n",
	.run = run_pair,
};
