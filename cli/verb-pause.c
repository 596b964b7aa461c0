/* SPDX-License-Identifier: MIT */
/* backride pause: pause the session (bike to its floor, belt ramps down). */
#include <stdio.h>

#include "cli.h"
#include "session.h"

static int run_pause(struct cli *cli, int argc, char **argv)
{
	int r;

	r = cli_verb_common_args(cli, &verb_pause, argc, argv);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = cli_session_call(cli, "Pause", "pause the session", NULL);
	if (r > 0)
		return r;
	if (cli->json)
		printf("{\"paused\":true}\n");
	else
		printf("Paused. 'backride resume' goes on gently.\n");
	return CLI_EXIT_OK;
}

const struct verb verb_pause = {
	.name = "pause",
	.summary = "Pause the session",
	.usage = "[--json]\n\n"
		 "Pauses the running session: a bike's target drops to its floor, a\n"
		 "treadmill's belt ramps down to a stop. Session time stops too.\n",
	.run = run_pause,
};
