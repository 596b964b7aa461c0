/* SPDX-License-Identifier: MIT */
/* backride ease: ask for less; the target eases one step (Session1.Ease). */
#include <stdio.h>

#include "cli.h"
#include "session.h"

static int run_ease(struct cli *cli, int argc, char **argv)
{
	int r;

	r = cli_verb_common_args(cli, &verb_ease, argc, argv);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = cli_session_call(cli, "Ease", "ease the target", NULL);
	if (r > 0)
		return r;
	if (cli->json)
		printf("{\"eased\":true}\n");
	else
		printf("Eased: the target drops one step and no longer ramps up.\n");
	return CLI_EXIT_OK;
}

const struct verb verb_ease = {
	.name = "ease",
	.summary = "Ask for less: the target eases one step",
	.usage = "[--json]\n\n"
		 "The target of the running session drops one step (to 85 % of its level,\n"
		 "as pain 4-5 does) and no longer ramps up. Repeat it to ease more. It\n"
		 "never asks for more. Refused while paused, and outside the warm-up to\n"
		 "the cool-down.\n",
	.run = run_ease,
};
