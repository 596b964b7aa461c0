/* SPDX-License-Identifier: MIT */
/* backride pain N: in a session a pain report, outside one the daily check-in. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backride-dbus.h"
#include "bus-util.h"
#include "cli.h"
#include "macro.h"
#include "session.h"

/* What NextPlan says about the check-in after the last session. */
struct checkin_effect {
	const char *text; /* "" before the first session */
	int64_t until, last_ended;
	int due;
};

static int effect_field(sd_bus_message *m, const char *key, void *userdata)
{
	struct checkin_effect *x = userdata;
	const char *contents;
	int r;

	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
	if (strcmp(key, "checkin_text") == 0 && strcmp(contents, "s") == 0)
		return sd_bus_message_read(m, "v", "s", &x->text);
	if (strcmp(key, "checkin_until") == 0 && strcmp(contents, "x") == 0)
		return sd_bus_message_read(m, "v", "x", &x->until);
	if (strcmp(key, "last_ended") == 0 && strcmp(contents, "x") == 0)
		return sd_bus_message_read(m, "v", "x", &x->last_ended);
	if (strcmp(key, "checkin_due") == 0 && strcmp(contents, "b") == 0)
		return sd_bus_message_read(m, "v", "b", &x->due);
	return sd_bus_message_skip(m, "v");
}

/* NextPlan's check-in fields into @x (its strings live as long as *@reply). */
static int effect_get(struct cli *cli, sd_bus_message **reply, struct checkin_effect *x)
{
	int r;

	*x = (struct checkin_effect) { .text = "" };
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_MANAGER_IFACE, "NextPlan",
			       NULL, reply, "s", "");
	return r < 0 ? r : bus_dict_foreach(*reply, effect_field, x);
}

static void local_time(int64_t t, char when[static 32])
{
	time_t x = (time_t) t;
	struct tm tm;

	when[0] = '\0';
	if (localtime_r(&x, &tm))
		(void) strftime(when, 32, "%Y-%m-%d %H:%M", &tm);
}

/* Say truthfully what the check-in just recorded does to the next plan. */
static void print_effect(struct cli *cli, int pain)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	struct checkin_effect x;
	char when[32];

	printf("Check-in recorded: pain %d.\n", pain);
	if (effect_get(cli, &reply, &x) < 0)
		return;
	if (!*x.text) {
		printf("No session yet to compare it with. After a session, a check-in that "
		       "evening "
		       "or the next day, higher than the pain before it, holds the next plan "
		       "back.\n");
		return;
	}
	/* The newest check-in, and in time: it is the one the plan looks at. */
	if (time(NULL) < x.until) {
		printf("%s\n", x.text);
		return;
	}
	local_time(x.last_ended, when);
	printf("The last session ended %s, more than a day ago: this check-in does not change the "
	       "next plan.\n",
	       when);
}

static int checkin(struct cli *cli, int pain)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_MANAGER_IFACE, "Checkin",
			       &e, NULL, "u", (uint32_t) pain);
	if (r < 0)
		return cli_call_failed(cli, "record the check-in", &e, r);
	if (cli->json)
		printf("{\"checkin\":%d}\n", pain);
	else
		print_effect(cli, pain);
	return CLI_EXIT_OK;
}

int cli_checkin_ask(struct cli *cli)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	struct checkin_effect x;
	char when[32], question[160];
	int pain;

	if (isatty(STDIN_FILENO) != 1 || cli->json || effect_get(cli, &reply, &x) < 0 || !x.due)
		return -1;
	local_time(x.last_ended, when);
	(void) snprintf(question, sizeof(question),
			"Check-in: the last session ended %s. How is your back now, 0 (none) "
			"to 10 (worst); Enter to skip? ",
			when);
	pain = cli_ask_pain(question);
	if (pain < 0)
		return -2;
	(void) checkin(cli, pain); /* a failure is said; the pain still counts for the session */
	return pain;
}

static const char *advice(int pain)
{
	if (pain >= 6)
		return "Cooling down now, then the session ends.";
	if (pain >= 4)
		return "The level is lowered and will not rise again this session.";
	return "Carry on.";
}

static int run_pain(struct cli *cli, int argc, char **argv)
{
	struct cli_session s;
	const char *arg;
	int pain, r;

	r = cli_verb_args(cli, &verb_pain, argc, argv, "missing the pain, 0 (none) to 10 (worst)",
			  &arg);
	if (r <= 0)
		return -r;
	pain = cli_parse_pain(arg);
	if (pain < 0) {
		fprintf(stderr, "backride: '%s' is not 0 (none) to 10 (worst).\n", arg);
		return CLI_EXIT_USAGE;
	}
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = cli_session_get(cli, &s);
	if (r > 1)
		return r;
	if (r == 1 || cli_session_done(&s))
		return checkin(cli, pain);
	r = cli_session_call(cli, "ReportPain", "report pain", "u", (uint32_t) pain);
	if (r > 0)
		return r;
	if (cli->json)
		printf("{\"session\":%lld,\"pain\":%d}\n", (long long) s.id, pain);
	else
		printf("Pain %d noted. %s\n", pain, advice(pain));
	return CLI_EXIT_OK;
}

const struct verb verb_pain = {
	.name = "pain",
	.summary = "Report pain 0-10 (in a session), or the daily check-in",
	.usage = "N [--json]\n\n"
		 "During a session: 0-3 carry on, 4-5 lower the level, 6 or more cool down\n"
		 "and end. Outside a session: the daily check-in. One after a session (that\n"
		 "evening or the next day) higher than the pain before it holds the next\n"
		 "plan back; the reply says what this one does.\n",
	.run = run_pain,
};
