/* SPDX-License-Identifier: MIT */
/* backride progress: minutes per week as bars, and the pain trend. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus-util.h"
#include "chart.h"
#include "cli.h"
#include "history-client.h"
#include "macro.h"
#include "output.h"
#include "programme-client.h"

#define WEEKS_DEFAULT 8
#define WEEKS_MAX     520

struct week {
	int64_t start;
	double sessions, minutes, duration_s, active_s;
	double pain_before, pain_max, pain_after;
};

static int parse_args(struct cli *cli, int argc, char **argv, unsigned *weeks)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
						  { "json", no_argument, NULL, 'j' },
						  { "weeks", required_argument, NULL, 'w' },
						  {} };
	char *end;
	int c;

	optind = 0; /* 0, not 1: reinitialise GNU getopt so that options may follow the ID */
	while ((c = getopt_long(argc, argv, "hw:", longopts, NULL)) >= 0) {
		switch (c) {
		case 'h':
			cli_verb_help(&verb_progress);
			return 0;
		case 'j':
			cli->json = 1;
			break;
		case 'w':
			*weeks = (unsigned) strtoul(optarg, &end, 10);
			if (!*optarg || *end || *optarg == '-' || *weeks == 0 || *weeks > WEEKS_MAX)
				return verb_usage_error(&verb_progress,
							"--weeks wants a number from 1 to %d, "
							"not '%s'",
							WEEKS_MAX, optarg);
			break;
		default:
			fprintf(stderr, "Try 'backride progress --help'.\n");
			return -CLI_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return verb_usage_error(&verb_progress, "unexpected argument '%s'", argv[optind]);
	return 1;
}

/* Read a numeric variant (x, t, u, i or d) as a double. */
static int read_number(sd_bus_message *m, double *ret)
{
	const char *contents = NULL;
	union {
		int64_t x;
		uint64_t t;
		uint32_t u;
		int32_t i;
		double d;
	} v;
	int r;

	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
	if (!contents || strlen(contents) != 1 || !strchr("xtuid", contents[0]))
		return sd_bus_message_skip(m, "v");
	r = sd_bus_message_read(m, "v", contents, &v);
	if (r < 0)
		return r;
	*ret = contents[0] == 'x'   ? (double) v.x
	       : contents[0] == 't' ? (double) v.t
	       : contents[0] == 'u' ? v.u
	       : contents[0] == 'i' ? v.i
				    : v.d;
	return 0;
}

struct week_read {
	struct week *w;
	double start;
};

static int week_field(sd_bus_message *m, const char *key, void *userdata)
{
	struct week_read *wr = userdata;
	struct week *w = wr->w;
	double dummy;
	double *p = strcmp(key, "start") == 0	      ? &wr->start
		    : strcmp(key, "sessions") == 0    ? &w->sessions
		    : strcmp(key, "minutes") == 0     ? &w->minutes
		    : strcmp(key, "duration_s") == 0  ? &w->duration_s
		    : strcmp(key, "active_s") == 0    ? &w->active_s
		    : strcmp(key, "pain_before") == 0 ? &w->pain_before
		    : strcmp(key, "pain_max") == 0    ? &w->pain_max
		    : strcmp(key, "pain_after") == 0  ? &w->pain_after
						      : &dummy;

	return read_number(m, p);
}

static int read_week(sd_bus_message *m, struct week *w)
{
	struct week_read wr = { .w = w };
	int r;

	*w = (struct week) { .pain_before = NAN, .pain_max = NAN, .pain_after = NAN };
	r = bus_dict_foreach(m, week_field, &wr);
	w->start = (int64_t) wr.start;
	return r;
}

static void week_json(const struct week *w)
{
	printf("{\"start\":%lld,\"sessions\":%.0f,\"minutes\":%.0f,\"duration_s\":%.0f,"
	       "\"active_s\":%.0f",
	       (long long) w->start, w->sessions, w->minutes, w->duration_s, w->active_s);
	if (!isnan(w->pain_before))
		printf(",\"pain_before\":%.1f", w->pain_before);
	if (!isnan(w->pain_max))
		printf(",\"pain_max\":%.1f", w->pain_max);
	if (!isnan(w->pain_after))
		printf(",\"pain_after\":%.1f", w->pain_after);
	printf("}");
}

static int read_weeks(sd_bus_message *m, struct week **ret, size_t *n)
{
	struct week w, *p;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "a{sv}");
	while (r >= 0 && (r = read_week(m, &w)) >= 0) {
		p = reallocarray(*ret, *n + 1, sizeof(w));
		if (!p)
			return -ENOMEM;
		*ret = p;
		p[(*n)++] = w;
	}
	return r == -ENXIO ? sd_bus_message_exit_container(m) : r;
}

static void print_weeks(const struct week *w, size_t n)
{
	_cleanup_free_ int64_t *start = calloc(n, sizeof(int64_t));
	_cleanup_free_ double *minutes = calloc(n, sizeof(double));
	_cleanup_free_ double *pain = calloc(n, sizeof(double));
	struct chart_term t;
	double total = 0, sessions = 0;

	if (n > 0 && (!start || !minutes || !pain))
		return;
	for (size_t i = 0; i < n; i++) {
		start[i] = w[i].start;
		minutes[i] = w[i].minutes;
		pain[i] = w[i].pain_before;
		total += w[i].minutes;
		sessions += w[i].sessions;
	}
	chart_term_detect(STDOUT_FILENO, &t);
	printf("Minutes per week (week starting), average pain before sessions\n");
	chart_weeks(stdout, &t, start, minutes, pain, n);
	printf("%.0f sessions, %.0f minutes in %zu weeks.\n", sessions, total, n);
}

struct plan {
	char kind[16], reason_text[256];
	double warmup_s, steady_s, cooldown_s, power_w, speed_kmh, incline_pct;
};

/* Read one entry of the next plan; print it as JSON when asked. */
struct plan_read {
	struct cli *cli;
	unsigned n;
	struct plan *p;
};

static int plan_entry(sd_bus_message *m, const char *key, void *userdata)
{
	struct plan_read *pr = userdata;
	struct cli *cli = pr->cli;
	struct plan *p = pr->p;
	unsigned n = pr->n++;
	const char *contents = NULL, *str;
	double v = NAN;
	int b, r;

	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
	if (cli->json)
		printf("%s\"%s\":", n ? "," : "", key);
	if (contents && strcmp(contents, "s") == 0) {
		r = sd_bus_message_read(m, "v", "s", &str);
		if (r < 0)
			return r;
		if (cli->json)
			json_string(stdout, str);
		if (strcmp(key, "kind") == 0)
			snprintf(p->kind, sizeof(p->kind), "%s", str);
		else if (strcmp(key, "reason_text") == 0)
			snprintf(p->reason_text, sizeof(p->reason_text), "%s", str);
		return 0;
	}
	if (contents && strcmp(contents, "b") == 0) {
		r = sd_bus_message_read(m, "v", "b", &b);
		if (r >= 0 && cli->json)
			printf("%s", b ? "true" : "false");
		return r;
	}
	r = read_number(m, &v);
	if (r >= 0 && cli->json)
		printf(isnan(v) ? "null" : "%g", v);
	double *f = strcmp(key, "warmup_s") == 0      ? &p->warmup_s
		    : strcmp(key, "steady_s") == 0    ? &p->steady_s
		    : strcmp(key, "cooldown_s") == 0  ? &p->cooldown_s
		    : strcmp(key, "power_w") == 0     ? &p->power_w
		    : strcmp(key, "speed_kmh") == 0   ? &p->speed_kmh
		    : strcmp(key, "incline_pct") == 0 ? &p->incline_pct
						      : NULL;
	if (f)
		*f = v;
	return r;
}

static void plan_print(const struct plan *p)
{
	char a[16], b[16], c[16];

	printf("Next plan (%s): %s warm-up, %s steady", p->kind,
	       format_duration((int64_t) p->warmup_s, a, sizeof(a)),
	       format_duration((int64_t) p->steady_s, b, sizeof(b)));
	if (!isnan(p->power_w))
		printf(" at %.0f W", p->power_w);
	if (!isnan(p->speed_kmh))
		printf(" at %.1f km/h", p->speed_kmh);
	if (!isnan(p->incline_pct) && p->incline_pct > 0)
		printf(", %.1f %% incline", p->incline_pct);
	printf(", %s cool-down.\n", format_duration((int64_t) p->cooldown_s, c, sizeof(c)));
	if (p->reason_text[0])
		printf("%s\n", p->reason_text);
}

/* The next plan is a{sv}: empty before the first session. */
static int print_plan(struct cli *cli, sd_bus_message *m)
{
	struct plan p = { .warmup_s = NAN,
			  .steady_s = NAN,
			  .cooldown_s = NAN,
			  .power_w = NAN,
			  .speed_kmh = NAN,
			  .incline_pct = NAN };
	int r;

	r = bus_dict_foreach(m, plan_entry, &(struct plan_read) { .cli = cli, .p = &p });
	if (r >= 0 && !cli->json && p.kind[0])
		plan_print(&p);
	return r;
}

/* When a programme runs: its weeks against the goal. Return: 0, or an exit code > 0. */
static int print_programme(struct cli *cli)
{
	_cleanup_free_ struct programme_state *s = calloc(1, sizeof(*s));
	struct chart_term t;
	int r;

	if (!s)
		return -ENOMEM;
	r = programme_get(cli, s, NULL);
	if (r == 1)
		return 0;
	if (r > 0)
		return -EIO;
	chart_term_detect(STDOUT_FILENO, &t);
	printf("\n");
	programme_print_progress(s, t.utf8);
	return 0;
}

/* ,"programme":{state} when a programme runs. Return: 0 or -errno. */
static int programme_json(struct cli *cli)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_free_ struct programme_state *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return -ENOMEM;
	r = programme_get(cli, s, &reply);
	if (r == 1)
		return 0;
	if (r > 0)
		return -EIO;
	printf(",\"programme\":");
	return dict_json(stdout, reply);
}

static int run_progress(struct cli *cli, int argc, char **argv)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
	_cleanup_free_ struct week *w = NULL;
	unsigned weeks = WEEKS_DEFAULT;
	size_t n = 0;
	int r;

	r = parse_args(cli, argc, argv, &weeks);
	if (r <= 0)
		return -r;
	r = history_new_call(cli, "Progress", &m);
	if (r > 0)
		return r;
	if (sd_bus_message_append(m, "u", weeks) < 0)
		return CLI_EXIT_FAILURE;
	r = history_call(cli, m, "read the progress", &reply);
	if (r > 0)
		return r;
	r = read_weeks(reply, &w, &n);
	if (r >= 0 && cli->json) {
		printf("{\"weeks\":[");
		for (size_t i = 0; i < n; i++) {
			printf(i ? ",\n" : "\n");
			week_json(&w[i]);
		}
		printf("\n],\"next_plan\":{");
		r = print_plan(cli, reply);
		printf("}");
		if (r >= 0)
			r = programme_json(cli);
		printf("}\n");
	} else if (r >= 0) {
		print_weeks(w, n);
		r = print_plan(cli, reply);
		if (r >= 0)
			r = print_programme(cli);
	}
	if (r < 0) {
		fprintf(stderr, "backride: bad reply from the daemon: %s\n", strerror(-r));
		return CLI_EXIT_FAILURE;
	}
	return CLI_EXIT_OK;
}

const struct verb verb_progress = {
	.name = "progress",
	.summary = "Show minutes per week and the pain trend",
	.usage = "[--weeks N] [--json]\n\n"
		 "Shows the last N weeks (default 8, at most 520), each week a bar of the\n"
		 "minutes exercised and the average pain reported before sessions, then a\n"
		 "pain trend line, oldest week first. Weeks start on Monday.\n",
	.run = run_progress,
};
