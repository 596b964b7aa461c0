/* SPDX-License-Identifier: MIT */
/* backride resume: go on after a pause, or start a waiting treadmill belt. */
#include <stdio.h>

#include "cli.h"
#include "session.h"

static int run_resume(struct cli *cli, int argc, char **argv)
{
	int r;

	r = cli_verb_common_args(cli, &verb_resume, argc, argv);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = cli_session_call(cli, "Resume", "resume the session", NULL);
	if (r > 0)
		return r;
	if (cli->json)
		printf("{\"paused\":false}\n");
	else
		printf("Resumed at a lower level; it ramps back up gently.\n");
	return CLI_EXIT_OK;
}

const struct verb verb_resume = {
	.name = "resume",
	.summary = "Resume a paused session",
	.usage = "[--json]\n\n"
		 "Goes on after 'backride pause', after a treadmill that reads mph was\n"
		 "checked, or starts a belt that waits for a confirmation. Starts at 70 %\n"
		 "of the level and ramps back up gently.\n",
	.run = run_resume,
};
