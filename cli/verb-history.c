/* SPDX-License-Identifier: MIT */
/* backride history: a table of recorded sessions, newest first. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "history-client.h"
#include "macro.h"

struct history_args {
	int64_t since;
	const char *kind;
	unsigned limit;
	unsigned offset;
};

static int parse_uint(const char *opt, const char *s, unsigned max, unsigned *ret)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || *s == '-' || v == 0 || v > max)
		return verb_usage_error(&verb_history, "%s wants a number from 1 to %u, not '%s'",
					opt, max, s);
	*ret = (unsigned) v;
	return 0;
}

static int parse_args(struct cli *cli, int argc, char **argv, struct history_args *a)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
						  { "json", no_argument, NULL, 'j' },
						  { "since", required_argument, NULL, 's' },
						  { "limit", required_argument, NULL, 'n' },
						  { "offset", required_argument, NULL, 'o' },
						  { "kind", required_argument, NULL, 'k' },
						  {} };
	int c;

	optind = 0; /* 0, not 1: reinitialise GNU getopt so that options may follow the ID */
	while ((c = getopt_long(argc, argv, "hn:", longopts, NULL)) >= 0) {
		switch (c) {
		case 'h':
			cli_verb_help(&verb_history);
			return 0;
		case 'j':
			cli->json = 1;
			break;
		case 's':
			if (parse_local_date(optarg, &a->since) < 0)
				return verb_usage_error(&verb_history,
							"--since wants a date like 2026-01-31, "
							"not '%s'",
							optarg);
			break;
		case 'n':
			if (parse_uint("--limit", optarg, 1000, &a->limit) < 0)
				return -CLI_EXIT_USAGE;
			break;
		case 'o':
			if (parse_uint("--offset", optarg, UINT32_MAX, &a->offset) < 0)
				return -CLI_EXIT_USAGE;
			break;
		case 'k':
			a->kind = optarg;
			break;
		default:
			fprintf(stderr, "Try 'backride history --help'.\n");
			return -CLI_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return verb_usage_error(&verb_history, "unexpected argument '%s'", argv[optind]);
	return 1;
}

static int append_filter(sd_bus_message *m, const struct history_args *a)
{
	int r;

	r = sd_bus_message_open_container(m, 'a', "{sv}");
	if (r >= 0 && a->since)
		r = sd_bus_message_append(m, "{sv}", "since", "x", a->since);
	if (r >= 0 && a->kind)
		r = sd_bus_message_append(m, "{sv}", "kind", "s", a->kind);
	if (r >= 0 && a->limit)
		r = sd_bus_message_append(m, "{sv}", "limit", "u", a->limit);
	if (r >= 0 && a->offset)
		r = sd_bus_message_append(m, "{sv}", "offset", "u", a->offset);
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	return r;
}

static void print_pain(const struct summary *s)
{
	const int64_t p[] = { s->pain_before, s->pain_max, s->pain_after };
	char buf[16] = "";
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(p); i++) {
		if (p[i] == BR_NONE)
			n += (size_t) snprintf(buf + n, sizeof(buf) - n, "%s-", i ? "/" : "");
		else
			n += (size_t) snprintf(buf + n, sizeof(buf) - n, "%s%lld", i ? "/" : "",
					       (long long) p[i]);
	}
	printf("%-9s", buf);
}

static void print_row(const struct summary *s)
{
	char when[32], dur[16];

	printf("%6llu  %-16s  %-9s  %7s", (unsigned long long) s->id,
	       format_time(s->start, when, sizeof(when)), s->kind,
	       format_duration(s->duration_s, dur, sizeof(dur)));
	if (s->distance_m != BR_NONE)
		printf("  %5.2f", s->distance_m / 1000.0);
	else
		printf("  %5s", "-");
	if (s->avg_power_w != BR_NONE)
		printf("  %4lld", (long long) s->avg_power_w);
	else
		printf("  %4s", "-");
	if (s->avg_hr_bpm != BR_NONE)
		printf("  %3lld  ", (long long) s->avg_hr_bpm);
	else
		printf("  %3s  ", "-");
	print_pain(s);
	printf("  %s%s\n", s->end_reason, s->guided[0] ? ", guided" : "");
}

static int print_sessions(struct cli *cli, sd_bus_message *reply)
{
	struct summary s;
	unsigned n = 0;
	int r;

	r = sd_bus_message_enter_container(reply, 'a', "a{sv}");
	if (r < 0)
		return r;
	if (cli->json)
		fputs("[", stdout);
	while ((r = summary_read(reply, &s)) >= 0) {
		if (cli->json) {
			fputs(n ? ",\n" : "\n", stdout);
			summary_json(stdout, &s);
		} else {
			if (n == 0 && !cli->no_legend)
				printf("%6s  %-16s  %-9s  %7s  %5s  %4s  %3s  %-9s  %s\n", "ID",
				       "STARTED", "KIND", "TIME", "KM", "W", "HR", "PAIN", "END");
			print_row(&s);
		}
		n++;
	}
	if (cli->json)
		fputs(n ? "\n]\n" : "]\n", stdout);
	else if (n == 0 && !cli->no_legend)
		printf("No sessions recorded.\n");
	return r == -ENXIO ? sd_bus_message_exit_container(reply) : r;
}

static int run_history(struct cli *cli, int argc, char **argv)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
	struct history_args a = {};
	int r;

	r = parse_args(cli, argc, argv, &a);
	if (r <= 0)
		return -r;
	r = history_new_call(cli, "ListSessions", &m);
	if (r > 0)
		return r;
	if (append_filter(m, &a) < 0)
		return CLI_EXIT_FAILURE;
	r = history_call(cli, m, "list the sessions", &reply);
	if (r > 0)
		return r;
	r = print_sessions(cli, reply);
	if (r < 0) {
		fprintf(stderr, "backride: bad reply from the daemon: %s\n", strerror(-r));
		return CLI_EXIT_FAILURE;
	}
	return CLI_EXIT_OK;
}

const struct verb verb_history = {
	.name = "history",
	.summary = "List recorded sessions",
	.usage = "[--since DATE] [--kind bike|treadmill] [--limit N] [--offset N] [--json]\n\n"
		 "Lists recorded sessions, newest first: when, what, how long, how far,\n"
		 "average watts and heart rate, pain before/maximum/after (0-10) and why\n"
		 "the session ended. Times are local.\n\n"
		 "      --since DATE  sessions started on or after DATE (YYYY-MM-DD, local)\n"
		 "      --kind KIND   only bike or treadmill sessions\n"
		 "  -n, --limit N     at most N sessions (1-1000, default 50)\n"
		 "      --offset N    skip the N newest, for paging\n",
	.run = run_history,
};
