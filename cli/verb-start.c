/* SPDX-License-Identifier: MIT */
/* backride start --gentle: start a session and show it live. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backride-dbus.h"
#include "cli.h"
#include "macro.h"
#include "session.h"
#include "voice.h"

struct start_args {
	const char *kind;
	const char *machine;
	unsigned minutes;
	int pain, pain_after;
	int stretches; /* -1: the plan's */
	int yes, detach, guided;
	int speak; /* -1: as [voice] speak says */
};

enum {
	OPT_GENTLE = 0x100,
	OPT_BIKE,
	OPT_TREADMILL,
	OPT_MINUTES,
	OPT_MACHINE,
	OPT_PAIN,
	OPT_PAIN_AFTER,
	OPT_NO_STRETCH,
	OPT_YES,
	OPT_DETACH,
	OPT_GUIDED,
	OPT_SPEAK,
	OPT_NO_SPEAK
};

static int parse(struct cli *cli, int argc, char **argv, struct start_args *a)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "gentle", no_argument, NULL, OPT_GENTLE },
		{ "bike", no_argument, NULL, OPT_BIKE },
		{ "treadmill", no_argument, NULL, OPT_TREADMILL },
		{ "minutes", required_argument, NULL, OPT_MINUTES },
		{ "machine", required_argument, NULL, OPT_MACHINE },
		{ "pain", required_argument, NULL, OPT_PAIN },
		{ "pain-after", required_argument, NULL, OPT_PAIN_AFTER },
		{ "no-stretch", no_argument, NULL, OPT_NO_STRETCH },
		{ "yes", no_argument, NULL, OPT_YES },
		{ "detach", no_argument, NULL, OPT_DETACH },
		{ "guided", no_argument, NULL, OPT_GUIDED },
		{ "speak", no_argument, NULL, OPT_SPEAK },
		{ "no-speak", no_argument, NULL, OPT_NO_SPEAK },
		{}
	};
	char *end;
	int c;

	*a = (struct start_args) { .pain = -1, .pain_after = -1, .stretches = -1, .speak = -1 };
	optind = 0;
	while ((c = getopt_long(argc, argv, "hy", longopts, NULL)) >= 0) {
		switch (c) {
		case 'h':
			cli_verb_help(&verb_start);
			return 0;
		case 'j':
			cli->json = 1;
			break;
		case OPT_GENTLE:
			break; /* the one profile there is */
		case OPT_BIKE:
			a->kind = "bike";
			break;
		case OPT_TREADMILL:
			a->kind = "treadmill";
			break;
		case OPT_MINUTES:
			a->minutes = (unsigned) strtoul(optarg, &end, 10);
			if (*end || a->minutes < 3 || a->minutes > 90) {
				fprintf(stderr, "backride: --minutes takes 3 to 90.\n");
				return -CLI_EXIT_USAGE;
			}
			break;
		case OPT_MACHINE:
			a->machine = optarg;
			break;
		case OPT_PAIN:
		case OPT_PAIN_AFTER:
			*(c == OPT_PAIN ? &a->pain : &a->pain_after) = cli_parse_pain(optarg);
			if (cli_parse_pain(optarg) < 0) {
				fprintf(stderr, "backride: pain is 0 (none) to 10 (worst).\n");
				return -CLI_EXIT_USAGE;
			}
			break;
		case OPT_NO_STRETCH:
			a->stretches = 0;
			break;
		case 'y':
		case OPT_YES:
			a->yes = 1;
			break;
		case OPT_DETACH:
			a->detach = 1;
			break;
		case OPT_GUIDED:
			a->guided = 1;
			break;
		case OPT_SPEAK:
		case OPT_NO_SPEAK:
			a->speak = c == OPT_SPEAK;
			break;
		default:
			fprintf(stderr, "Try 'backride start --help'.\n");
			return -CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "backride: unexpected argument '%s'\n", argv[optind]);
		return -CLI_EXIT_USAGE;
	}
	return 1;
}

static int start_session(struct cli *cli, const struct start_args *a)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	r = sd_bus_message_new_method_call(cli->bus, &m, BR_BUS_NAME, BR_MANAGER_PATH,
					   BR_MANAGER_IFACE, "StartSession");
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'a', "{sv}");
	if (r >= 0 && a->kind)
		r = sd_bus_message_append(m, "{sv}", "kind", "s", a->kind);
	if (r >= 0 && a->minutes)
		r = sd_bus_message_append(m, "{sv}", "minutes", "u", a->minutes);
	if (r >= 0 && a->machine)
		r = sd_bus_message_append(m, "{sv}", "machine", "s", a->machine);
	if (r >= 0 && a->pain >= 0)
		r = sd_bus_message_append(m, "{sv}", "pain_before", "i", a->pain);
	if (r >= 0 && a->stretches >= 0)
		r = sd_bus_message_append(m, "{sv}", "stretches", "b", a->stretches);
	if (r >= 0 && a->guided)
		r = sd_bus_message_append(m, "{sv}", "guided", "b", 1);
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	if (r >= 0)
		r = sd_bus_call(cli->bus, m, 90 * 1000000ULL, &e, &reply);
	return r < 0 ? cli_call_failed(cli, "start the session", &e, r) : 0;
}

static bool ask_yes(const char *question)
{
	char buf[16];

	if (isatty(STDIN_FILENO) != 1)
		return false;
	fputs(question, stderr);
	fflush(stderr);
	return fgets(buf, sizeof(buf), stdin) && (buf[0] == 'y' || buf[0] == 'Y');
}

/* A treadmill's belt starts only after an explicit confirmation. Return: 0 or exit code. */
static int confirm_belt(struct cli *cli, const struct start_args *a)
{
	if (!a->yes && isatty(STDIN_FILENO) == 1) {
		if (!ask_yes("Stand with your feet on the side rails and clip the safety key on.\n"
			     "Start the belt (a 3 s countdown follows)? [y/N] ")) {
			(void) cli_session_call(cli, "Stop", "stop the session", "i", -1);
			fprintf(stderr, "backride: the belt was not started; session stopped.\n");
			return CLI_EXIT_FAILURE;
		}
	} else if (!a->yes) {
		if (!cli->json)
			printf("The belt waits for a confirmation: 'backride resume' starts it "
			       "after a countdown.\n");
		return 0;
	}
	return cli_session_call(cli, "ConfirmBelt", "start the belt", NULL);
}

static int run_start(struct cli *cli, int argc, char **argv)
{
	struct start_args a;
	struct cli_session s;
	int r;

	r = parse(cli, argc, argv, &a);
	if (r <= 0)
		return -r;
	if (a.speak == -1) {
		a.speak = cli_voice_configured();
		if (a.speak < 0)
			return CLI_EXIT_USAGE; /* a bad [voice] speak: nothing is started */
	}
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	/* The check-in after the last session, if it is due, is the pain now: it counts for this
	 * session's plan. */
	if (a.pain < 0 && !cli->json) {
		a.pain = cli_checkin_ask(cli);
		if (a.pain == -1)
			a.pain = cli_ask_pain("Pain now, 0 (none) to 10 (worst); Enter to skip? ");
		a.pain = a.pain < 0 ? -1 : a.pain;
	}
	r = start_session(cli, &a);
	if (r > 0)
		return r;
	r = cli_session_get(cli, &s);
	if (r != 0)
		return r > 1 ? r : CLI_EXIT_FAILURE;
	/* A guided belt is the rider's to start: backride neither asks nor starts it. */
	if (strcmp(s.kind, "treadmill") == 0 && !s.guided) {
		r = confirm_belt(cli, &a);
		if (r > 0)
			return r;
	}
	if (a.speak) {
		r = cli_voice_start(cli, a.detach);
		if (r > 0)
			return r;
	}
	if (a.detach) {
		if (cli->json)
			printf("{\"id\":%lld,\"path\":\"%s\"}\n", (long long) s.id,
			       BR_SESSION_PATH);
		else
			printf("Session %lld started (%s, %u min planned). 'backride status "
			       "--follow' shows it.\n",
			       (long long) s.id, s.kind, s.planned / 60);
		return CLI_EXIT_OK;
	}
	if (!cli->json)
		printf("Session %lld started (%s, %u min planned). 'backride pain N' any time; "
		       "Ctrl-C leaves it running.\n",
		       (long long) s.id, s.kind, s.planned / 60);
	return cli_session_follow(cli, a.pain_after);
}

const struct verb verb_start = {
	.name = "start",
	.summary = "Start a gentle session and show it live",
	.usage = "--gentle [--bike|--treadmill] [--minutes N] [--machine ADDR] [--pain N]\n"
		 "       [--pain-after N] [--no-stretch] [--yes] [--guided] [--detach] [--speak]\n"
		 "       [--no-speak] [--json]\n\n"
		 "Connects the paired (or --machine) machine, plans the session from your\n"
		 "history and config, and starts it: warm-up, steady, cool-down, stretches.\n"
		 "  --gentle        the gentle profile: a slow warm-up, a steady part held\n"
		 "                  below what you did last, a long cool-down (the only\n"
		 "                  profile there is, so it may be left out)\n"
		 "  --bike          expect a bike: refused if the machine is another kind\n"
		 "  --treadmill     expect a treadmill (its belt waits for a confirmation)\n"
		 "                  Without either, the machine's own kind is used.\n"
		 "  --machine ADDR  the machine at ADDR (as 'backride machines' lists it);\n"
		 "                  without it: [machine] address of the config, else the\n"
		 "                  machine connected now, else the one paired last\n"
		 "  --minutes N     the whole plan, 3 to 90 minutes\n"
		 "  --pain N        pain now, 0-10; asked on a terminal when not given (as\n"
		 "                  the check-in after the last session if none was made)\n"
		 "  --pain-after N  pain after, reported when the stretches begin; asked on\n"
		 "                  a terminal when not given\n"
		 "  --no-stretch    no stretches after the cool-down\n"
		 "  --yes           treadmill: start the belt without asking (the countdown\n"
		 "                  still runs); without it and without a terminal the belt\n"
		 "                  waits until 'backride resume' confirms it\n"
		 "  --guided        guided mode: backride sets nothing on the machine and never\n"
		 "                  starts it; it tells you what to do (\"pedal easy, about\n"
		 "                  45 W at 80 rpm\", \"slow the belt to 3.5 km/h\"). Machines\n"
		 "                  that cannot be driven are guided without it\n"
		 "  --detach        return once started instead of showing the live view\n"
		 "  --speak         the coach's voice (backride-speak): phases, stretches, pain\n"
		 "                  checks, every easing and why, the summary; [voice] speak\n"
		 "                  = yes in the config turns it on, --no-speak off\n"
		 "Without a terminal nothing is asked; the pains are then only recorded if\n"
		 "given as flags. The live view ends with the session; Ctrl-C leaves the\n"
		 "session running. On a terminal the live view takes keys: 0-9 pain (1 then\n"
		 "0 is 10), - easier, space/p/Enter pause or resume, s twice stop, c start\n"
		 "a treadmill's belt, q leave the view.\n",
	.run = run_start,
};
