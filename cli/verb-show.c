/* SPDX-License-Identifier: MIT */
/* backride show: one session's summary, charts of target against actual and heart rate, with
 * pain reports and pauses marked, and its events. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"
#include "cli.h"
#include "history-client.h"
#include "macro.h"
#include "output.h"
#include "sample.h"

#define CHART_HEIGHT 6

struct series {
	size_t n;
	double *actual, *target, *hr;
	char *marks;
};

static void series_done(struct series *s)
{
	free(s->actual);
	free(s->target);
	free(s->hr);
	free(s->marks);
}

static double value(int32_t v, double scale)
{
	return v == BR_NONE ? NAN : v / scale;
}

/* Read GetSamples' a(uyiiiiiiiiiii) into per-second arrays (seconds without a sample: NAN). */
static int series_read(sd_bus_message *m, bool bike, size_t n, struct series *s)
{
	int32_t v[11];
	uint32_t t;
	uint8_t phase;
	int r;

	s->n = n;
	s->actual = malloc(n * sizeof(double));
	s->target = malloc(n * sizeof(double));
	s->hr = malloc(n * sizeof(double));
	s->marks = calloc(n, 1);
	if (!s->actual || !s->target || !s->hr || !s->marks)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		s->actual[i] = s->target[i] = s->hr[i] = NAN;
	r = sd_bus_message_enter_container(m, 'a', "(uyiiiiiiiiiii)");
	while (r >= 0 && (r = sd_bus_message_read(m, "(uyiiiiiiiiiii)", &t, &phase, &v[0], &v[1],
						  &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
						  &v[9], &v[10])) > 0) {
		if (t >= n)
			continue;
		/* power, cadence, speed, distance, hr, incline, resistance, targets... */
		s->actual[t] = bike ? value(v[0], 1) : value(v[2], 100);
		s->target[t] = bike ? value(v[7], 1) : value(v[8], 100);
		s->hr[t] = v[4] > 0 ? v[4] : NAN;
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static void print_summary(const struct summary *s)
{
	char a[32], b[32];

	printf("Session %llu: %s, %s profile, on %s\n", (unsigned long long) s->id, s->kind,
	       s->profile, s->machine[0] ? s->machine : "an unnamed machine");
	printf("Started     %s", format_time(s->start, a, sizeof(a)));
	if (s->end != BR_NONE)
		printf(", ended %s (%s)", format_time(s->end, b, sizeof(b)), s->end_reason);
	if (s->guided[0])
		printf("\nGuided      the rider set the machine from the advice (%s)", s->guided);
	printf("\nTime        %s", format_duration(s->duration_s, a, sizeof(a)));
	if (s->planned_s != BR_NONE)
		printf(" of %s planned", format_duration(s->planned_s, a, sizeof(a)));
	printf(", %s active\n", format_duration(s->active_s, a, sizeof(a)));
	if (s->distance_m != BR_NONE)
		printf("Distance    %.2f km", s->distance_m / 1000.0);
	if (!isnan(s->avg_speed_kmh))
		printf(", average %.1f km/h", s->avg_speed_kmh);
	printf("\n");
	if (s->avg_power_w != BR_NONE)
		printf("Power       average %lld W, maximum %lld W, %.0f kJ\n",
		       (long long) s->avg_power_w, (long long) s->max_power_w,
		       s->energy_j == BR_NONE ? 0.0 : s->energy_j / 1000.0);
	if (s->avg_hr_bpm != BR_NONE)
		printf("Heart rate  average %lld, maximum %lld bpm\n", (long long) s->avg_hr_bpm,
		       (long long) s->max_hr_bpm);
	printf("Pain        before %s", s->pain_before == BR_NONE ? "-" : "");
	if (s->pain_before != BR_NONE)
		printf("%lld", (long long) s->pain_before);
	if (s->pain_max != BR_NONE)
		printf(", maximum %lld", (long long) s->pain_max);
	if (s->pain_after != BR_NONE)
		printf(", after %lld", (long long) s->pain_after);
	printf(" (0-10)\n");
}

static const char *lookup(const char *const (*table)[2], size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i][0], key) == 0)
			return table[i][1];
	return key;
}

static const char *phase_text(const char *name)
{
	static const char *const names[][2] = {
		{ "waiting", "waiting for the belt confirmation" },
		{ "warmup", "warm-up" },
		{ "cooldown", "cool-down" },
		{ "stopping", "stopping: the machine to rest" },
	};

	return lookup(names, ARRAY_SIZE(names), name);
}

static const char *pause_text(const char *reason)
{
	static const char *const names[][2] = {
		{ "user", "by you" },
		{ "no-pedalling", "no pedalling" },
		{ "link", "the link is lost" },
		{ "speed-units", "the speed reads as mph" },
		{ "confirm", "the belt stopped: waiting for a confirmation" },
		{ "implausible-data", "the machine sends implausible data" },
	};

	return lookup(names, ARRAY_SIZE(names), reason);
}

/* The new target of a reduction, in the unit of the session's main target. */
static void target_text(char *buf, size_t n, const struct summary *s, int32_t v)
{
	if (strcmp(s->kind, "treadmill") == 0)
		(void) snprintf(buf, n, "%.2f km/h", v / 100.0);
	else if (s->target_power_w != BR_NONE)
		(void) snprintf(buf, n, "%d W", v);
	else
		(void) snprintf(buf, n, "resistance %.1f", v / 10.0);
}

/* An event as people read it: the daemon records numbers in wire units (JSON keeps them). */
static void event_text(char *buf, size_t n, const struct summary *s, const char *type, int32_t v,
		       const char *detail, int32_t last_pain)
{
	char target[32];
	size_t why = strcspn(detail, ":");

	if (strcmp(type, "phase") == 0)
		(void) snprintf(buf, n, "%s", phase_text(detail));
	else if (strcmp(type, "countdown") == 0 || strcmp(type, "stretch") == 0)
		(void) snprintf(buf, n, "%s%s%d s", detail, *detail ? ", " : "", v);
	else if (strcmp(type, "pain") == 0 && v != BR_NONE)
		(void) snprintf(buf, n, "%d/10", v);
	else if (strcmp(type, "reduce") == 0 && v != BR_NONE) {
		target_text(target, sizeof(target), s, v);
		if (strncmp(detail, "pain", why) == 0 && why == 4 && last_pain != BR_NONE)
			(void) snprintf(buf, n, "target %s (pain %d)", target, last_pain);
		else
			(void) snprintf(buf, n, "target %s (%.*s)", target, (int) why, detail);
	} else if (strcmp(type, "pause") == 0)
		(void) snprintf(buf, n, "%s", pause_text(detail));
	else if (strcmp(type, "link") == 0)
		(void) snprintf(buf, n, "%s", v == 1 ? "back" : "lost");
	else if (strcmp(type, "cadence-low") == 0 && v != BR_NONE)
		(void) snprintf(buf, n, "%d rpm, %s", v, detail);
	else if (strcmp(type, "speed-units") == 0 && v != BR_NONE)
		(void) snprintf(buf, n, "%.2f km/h measured, %s", v / 100.0, detail);
	else if (strcmp(type, "resume") == 0 || strcmp(type, "end") == 0 || *detail || v == BR_NONE)
		(void) snprintf(buf, n, "%s", detail);
	else
		(void) snprintf(buf, n, "%d", v);
}

/* Read the events; print them (text) or as JSON; set the marks. */
static int print_events(struct cli *cli, sd_bus_message *m, const struct summary *sum,
			struct series *s, FILE *out)
{
	int32_t last_pain = BR_NONE;
	char text[256];
	const char *type, *detail;
	int64_t ts_usec;
	int32_t t, v;
	unsigned n = 0;
	int64_t paused_at = -1;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "(xisis)");
	while (r >= 0 &&
	       (r = sd_bus_message_read(m, "(xisis)", &ts_usec, &t, &type, &v, &detail)) > 0) {
		char when[16];

		if (s && t >= 0 && (size_t) t < s->n && strcmp(type, "pain") == 0)
			s->marks[t] = CHART_MARK_PAIN;
		if (strcmp(type, "pause") == 0 && t >= 0)
			paused_at = t;
		if (s && strcmp(type, "resume") == 0 && paused_at >= 0) {
			for (int64_t i = paused_at; i < t && (size_t) i < s->n; i++)
				if (!s->marks[i])
					s->marks[i] = CHART_MARK_PAUSE;
			paused_at = -1;
		}
		if (cli->json) {
			fprintf(out, "%s{\"ts_usec\":%lld", n ? ",\n" : "\n", (long long) ts_usec);
			if (t != BR_NONE)
				fprintf(out, ",\"t\":%d", t);
			fprintf(out, ",\"type\":");
			json_string(out, type);
			if (v != BR_NONE)
				fprintf(out, ",\"value\":%d", v);
			if (*detail) {
				fprintf(out, ",\"detail\":");
				json_string(out, detail);
			}
			fprintf(out, "}");
		} else {
			if (n == 0)
				fprintf(out, "\nEvents\n");
			format_duration(t == BR_NONE ? 0 : t, when, sizeof(when));
			event_text(text, sizeof(text), sum, type, v, detail, last_pain);
			/* No trailing blanks: pad the type only when something follows. */
			fprintf(out, "  %7s  %-*s%s%s\n", when, *text ? 8 : 0, type,
				*text ? " " : "", text);
		}
		if (strcmp(type, "pain") == 0)
			last_pain = v;
		n++;
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static int get_samples(struct cli *cli, const struct summary *s, struct series *ret)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
	size_t n = s->duration_s > 0 && s->duration_s != BR_NONE ? (size_t) s->duration_s : 1;
	int r;

	r = history_new_call(cli, "GetSamples", &m);
	if (r > 0)
		return r;
	if (sd_bus_message_append(m, "tuu", s->id, 0, UINT32_MAX) < 0)
		return CLI_EXIT_FAILURE;
	r = history_call(cli, m, "read the samples", &reply);
	if (r > 0)
		return r;
	r = series_read(reply, strcmp(s->kind, "bike") == 0, MIN(n, (size_t) 65536), ret);
	if (r < 0) {
		fprintf(stderr, "backride: bad reply from the daemon: %s\n", strerror(-r));
		return CLI_EXIT_FAILURE;
	}
	return 0;
}

static void print_charts(const struct summary *s, const struct series *x)
{
	struct chart_term t;
	bool bike = strcmp(s->kind, "bike") == 0;

	chart_term_detect(STDOUT_FILENO, &t);
	printf("\n");
	chart_timeline(
		stdout, &t,
		bike ? (t.utf8 ? "Power (W): █ actual, ─ target, ▓ both, P pain, · pause"
			       : "Power (W): # actual, - target, = both, P pain, . pause")
		     : (t.utf8 ? "Speed (km/h): █ actual, ─ target, ▓ both, P pain, · pause"
			       : "Speed (km/h): # actual, - target, = both, P pain, . pause"),
		x->actual, x->target, x->marks, x->n, CHART_HEIGHT, true);
	printf("\n");
	chart_timeline(stdout, &t, "Heart rate (bpm)", x->hr, NULL, x->marks, x->n, CHART_HEIGHT,
		       false);
}

static int run_show(struct cli *cli, int argc, char **argv)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
	struct series x = {};
	struct summary s;
	uint64_t id;
	int r;

	r = verb_args_id(cli, &verb_show, argc, argv, &id);
	if (r <= 0)
		return -r;
	r = history_new_call(cli, "GetSession", &m);
	if (r > 0)
		return r;
	if (sd_bus_message_append(m, "t", id) < 0)
		return CLI_EXIT_FAILURE;
	r = history_call(cli, m, "read the session", &reply);
	if (r > 0)
		return r;
	r = summary_read(reply, &s);
	if (r >= 0 && cli->json) {
		printf("{\"session\":");
		summary_json(stdout, &s);
		printf(",\"events\":[");
		r = print_events(cli, reply, &s, NULL, stdout);
		printf("\n]}\n");
	} else if (r >= 0) {
		print_summary(&s);
		r = get_samples(cli, &s, &x);
		if (r > 0) {
			series_done(&x);
			return r;
		}
		/* Events set the marks, so read them before drawing; print them after. */
		_cleanup_free_ char *events = NULL;
		size_t size = 0;
		FILE *mem = open_memstream(&events, &size);

		if (!mem)
			r = -ENOMEM;
		if (r >= 0) {
			r = print_events(cli, reply, &s, &x, mem);
			fclose(mem);
		}
		if (r >= 0) {
			print_charts(&s, &x);
			fputs(events, stdout);
		}
	}
	series_done(&x);
	if (r < 0) {
		fprintf(stderr, "backride: bad reply from the daemon: %s\n", strerror(-r));
		return CLI_EXIT_FAILURE;
	}
	return CLI_EXIT_OK;
}

const struct verb verb_show = {
	.name = "show",
	.summary = "Show a session with charts",
	.usage = "ID [--json]\n\n"
		 "Shows session ID: when, how long, how far, power, heart rate and pain,\n"
		 "a chart of target against actual power (bike) or speed (treadmill), a\n"
		 "heart rate chart, pain reports (P) and pauses marked under the time\n"
		 "axis, and the session's events. Charts use Unicode blocks on a UTF-8\n"
		 "terminal and ASCII otherwise, fit the terminal width ($COLUMNS when not a\n"
		 "terminal) and are coloured only on a terminal without $NO_COLOR.\n"
		 "--json prints the summary and the events.\n",
	.run = run_show,
};
