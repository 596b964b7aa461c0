/* SPDX-License-Identifier: MIT */
/* backride resume: go on after a pause, or confirm a waiting treadmill belt and show its
 * countdown. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "backride-dbus.h"
#include "cli.h"
#include "macro.h"
#include "output.h"
#include "session.h"

#define COUNTDOWN_MAX 32
#define POLL_MS	      200
#define WAIT_POLLS    (60 * 1000 / POLL_MS) /* the belt starts within seconds; give up after 60 s */

struct countdown {
	int32_t values[COUNTDOWN_MAX]; /* the session's countdown events, oldest first */
	unsigned n;
};

/* Read the countdown events the daemon recorded for session @id. Return: 0 or -errno. */
static int countdown_read(struct cli *cli, int64_t id, struct countdown *c)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	const char *type, *detail;
	int64_t ts;
	int32_t t, v;
	int r;

	c->n = 0;
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_HISTORY_IFACE,
			       "GetSession", NULL, &reply, "t", (uint64_t) id);
	if (r >= 0)
		r = sd_bus_message_skip(reply, "a{sv}");
	if (r >= 0)
		r = sd_bus_message_enter_container(reply, 'a', "(xisis)");
	while (r >= 0 &&
	       (r = sd_bus_message_read(reply, "(xisis)", &ts, &t, &type, &v, &detail)) > 0)
		if (strcmp(type, "countdown") == 0 && c->n < COUNTDOWN_MAX)
			c->values[c->n++] = v;
	return r;
}

/* Print the countdown values after the first @from not printed yet. */
static void countdown_print(struct cli *cli, const struct countdown *c, unsigned from,
			    unsigned *shown)
{
	for (; from + *shown < c->n; (*shown)++)
		if (cli->json)
			printf("%s%d", *shown ? "," : "", c->values[from + *shown]);
		else
			printf("%s%d...", *shown ? " " : "The belt starts in ",
			       c->values[from + *shown]);
	fflush(stdout);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };

	(void) nanosleep(&ts, NULL);
}

/* Follow the session from ConfirmBelt until the belt moves, printing the countdown the daemon
 * runs. Return: 0 with *ret the session then, or an exit code. */
static int countdown_follow(struct cli *cli, unsigned before, struct cli_session *ret)
{
	struct countdown c;
	unsigned shown = 0, polls = 0;
	bool counting = false;
	int r;

	for (;; polls++) {
		r = cli_session_get(cli, ret);
		if (r != 0)
			return r > 1 ? r : CLI_EXIT_FAILURE;
		counting = counting || strcmp(ret->phase, "countdown") == 0;
		if (countdown_read(cli, ret->id, &c) >= 0)
			countdown_print(cli, &c, before, &shown);
		if (strcmp(ret->phase, "waiting") != 0 && strcmp(ret->phase, "countdown") != 0)
			break;
		/* Back to waiting after the countdown began: it was paused, the belt stays. */
		if (strcmp(ret->phase, "waiting") == 0 && (counting || shown > 0))
			break;
		if (polls >= WAIT_POLLS)
			break;
		sleep_ms(POLL_MS);
	}
	if (countdown_read(cli, ret->id, &c) >= 0) /* the last seconds, if they went by quickly */
		countdown_print(cli, &c, before, &shown);
	if (!cli->json && shown)
		putchar('\n');
	return 0;
}

/* The belt waits for its first confirmation: give it, then show the countdown. */
static int confirm_belt(struct cli *cli, const struct cli_session *waiting)
{
	struct countdown c = {};
	struct cli_session s;
	int r;

	(void) countdown_read(cli, waiting->id, &c);
	r = cli_session_call(cli, "ConfirmBelt", "start the belt", NULL);
	if (r > 0)
		return r;
	if (cli->json)
		printf("{\"paused\":false,\"belt_confirmed\":true,\"countdown\":[");
	else
		printf("Belt confirmed. Keep your feet on the side rails until it moves.\n");
	fflush(stdout);
	r = countdown_follow(cli, c.n, &s);
	if (r > 0)
		return r;
	if (cli->json) {
		fputs("],\"phase\":", stdout);
		json_string(stdout, s.phase);
		fputs("}\n", stdout);
	} else if (cli_session_done(&s))
		printf("The session ended before the belt started.\n");
	else if (strcmp(s.phase, "waiting") == 0)
		printf("The belt did not start; it waits for 'backride resume' again.\n");
	else if (strcmp(s.phase, "countdown") == 0)
		printf("The belt has not started yet; 'backride status' shows why.\n");
	else
		printf("The belt is moving: step on and walk gently.\n");
	return CLI_EXIT_OK;
}

static int run_resume(struct cli *cli, int argc, char **argv)
{
	struct cli_session s;
	int r;

	r = cli_verb_common_args(cli, &verb_resume, argc, argv);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = cli_session_get(cli, &s);
	if (r > 1)
		return r;
	if (r == 0 && strcmp(s.kind, "treadmill") == 0 && strcmp(s.phase, "waiting") == 0)
		return confirm_belt(cli, &s);
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
	.summary = "Resume a paused session, or start a waiting treadmill belt",
	.usage = "[--json]\n\n"
		 "Goes on after 'backride pause', after a treadmill that reads mph was\n"
		 "checked, or after the belt stopped; starts at 70 % of the level and ramps\n"
		 "back up gently.\n"
		 "A treadmill's belt never starts by itself: when it waits for its\n"
		 "confirmation, resume is that confirmation. Stand on the side rails with\n"
		 "the safety key clipped on first; resume shows the countdown the daemon\n"
		 "runs (3 s by default, [session] countdown_s) until the belt moves.\n",
	.run = run_resume,
};
