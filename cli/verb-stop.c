/* SPDX-License-Identifier: MIT */
/* backride stop [--pain N]: end the session; the machine goes to a safe state first. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "session.h"

#define WAIT_TENTHS 300 /* a belt ramps down within about 20 s */

static int parse(struct cli *cli, int argc, char **argv, int *pain)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
						  { "json", no_argument, NULL, 'j' },
						  { "pain", required_argument, NULL, 'p' },
						  {} };
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) >= 0) {
		switch (c) {
		case 'h':
			cli_verb_help(&verb_stop);
			return 0;
		case 'j':
			cli->json = 1;
			break;
		case 'p':
			*pain = cli_parse_pain(optarg);
			if (*pain < 0) {
				fprintf(stderr, "backride: pain is 0 (none) to 10 (worst).\n");
				return -CLI_EXIT_USAGE;
			}
			break;
		default:
			fprintf(stderr, "Try 'backride stop --help'.\n");
			return -CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "backride: unexpected argument '%s'\n", argv[optind]);
		return -CLI_EXIT_USAGE;
	}
	return 1;
}

static int run_stop(struct cli *cli, int argc, char **argv)
{
	struct timespec tenth = { 0, 100000000 };
	struct cli_session s;
	int pain = -1, r;

	r = parse(cli, argc, argv, &pain);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	if (pain < 0 && !cli->json)
		pain = cli_ask_pain("Pain now, after the session, 0-10; Enter to skip? ");
	r = cli_session_call(cli, "Stop", "stop the session", "i", (int32_t) pain);
	if (r > 0)
		return r;
	/* Wait until the machine is safe and the session closed, so history shows it. */
	for (int n = 0; n < WAIT_TENTHS; n++) {
		r = cli_session_get(cli, &s);
		if (r != 0)
			return r > 1 ? r : CLI_EXIT_FAILURE;
		if (cli_session_done(&s))
			break;
		(void) nanosleep(&tenth, NULL);
	}
	if (cli->json)
		cli_session_json(stdout, &s), fputc('\n', stdout);
	else
		printf("Session %lld stopped (%s); the machine is at rest.\n", (long long) s.id,
		       *s.end_reason ? s.end_reason : "stopping");
	return CLI_EXIT_OK;
}

const struct verb verb_stop = {
	.name = "stop",
	.summary = "End the session (the machine slows to a safe state first)",
	.usage = "[--pain N] [--json]\n\n"
		 "Ends the running session: a bike's target drops to its floor, a treadmill's\n"
		 "belt ramps down and stops, then the session is closed. Waits for that.\n"
		 "  --pain N   pain now, 0-10, recorded as pain after; asked on a terminal\n"
		 "             when not given, not recorded otherwise\n",
	.run = run_stop,
};
