/* SPDX-License-Identifier: MIT */
#include "programme-client.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "backride-dbus.h"
#include "bus-util.h"
#include "history-client.h"
#include "macro.h"
#include "output.h"

/* A key of a dict and where it goes: 's' string (size), 'u' uint32, 'x' int64, 'b' int. */
struct field {
	const char *key;
	char type;
	size_t offset, size;
};

static int read_field(sd_bus_message *m, const char *key, const struct field *f, size_t n,
		      void *base)
{
	const char *contents = NULL, *str;
	int r;

	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		char *p = (char *) base + f[i].offset;

		if (strcmp(key, f[i].key) != 0 || !contents || contents[0] != f[i].type ||
		    contents[1])
			continue;
		if (f[i].type != 's')
			return sd_bus_message_read(m, "v", contents, p);
		r = sd_bus_message_read(m, "v", "s", &str);
		if (r >= 0)
			(void) snprintf(p, f[i].size, "%s", str);
		return r;
	}
	return sd_bus_message_skip(m, "v");
}

/* clang-format off */
#define S(k) { #k, 's', offsetof(struct programme_state, k), sizeof(((struct programme_state *) 0)->k) }
#define U(k) { #k, 'u', offsetof(struct programme_state, k), 0 }
static const struct field state_fields[] = {
	S(kind), S(phase), S(reason), S(reason_text), S(next_day), S(last_flare_day),
	{ "started_at", 'x', offsetof(struct programme_state, started_at), 0 },
	{ "rest_today", 'b', offsetof(struct programme_state, rest_today), 0 },
	U(weeks), U(week), U(weekly_minutes), U(sessions_per_week), U(baseline_sessions),
	U(baseline_done), U(baseline_avg_s), U(start_s), U(goal_s), U(session_s),
	U(done_this_week), U(remaining_this_week), U(active_this_week_s), U(flares),
	U(rebuild_to_s), U(flare_pct),
};
#undef S
#undef U
#define S(k) { #k, 's', offsetof(struct programme_week_view, k), sizeof(((struct programme_week_view *) 0)->k) }
#define U(k) { #k, 'u', offsetof(struct programme_week_view, k), 0 }
#define B(k) { #k, 'b', offsetof(struct programme_week_view, k), 0 }
static const struct field week_fields[] = {
	U(week), S(start), U(session_s), U(sessions), U(active_s), U(bad_mornings),
	B(held), B(lowered), B(flare), B(ahead),
};
#undef S
#undef U
#undef B
/* clang-format on */

static int state_field(sd_bus_message *m, const char *key, void *userdata)
{
	return read_field(m, key, state_fields, ARRAY_SIZE(state_fields), userdata);
}

static int week_field(sd_bus_message *m, const char *key, void *userdata)
{
	return read_field(m, key, week_fields, ARRAY_SIZE(week_fields), userdata);
}

int programme_state_read(sd_bus_message *m, struct programme_state *ret)
{
	return bus_dict_foreach(m, state_field, ret);
}

int programme_weeks_read(sd_bus_message *m, struct programme_state *ret)
{
	struct programme_week_view w;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "a{sv}");
	while (r >= 0) {
		w = (struct programme_week_view) { 0 };
		r = bus_dict_foreach(m, week_field, &w);
		if (r >= 0 && ret->n_weeks < PROGRAMME_WEEKS_SHOWN)
			ret->w[ret->n_weeks++] = w;
	}
	return r == -ENXIO ? sd_bus_message_exit_container(m) : r;
}

/* flare_notes: a(xs) as [{"ts":..,"note":".."},...]. */
static int json_flares(FILE *f, sd_bus_message *m)
{
	const char *note;
	int64_t ts;
	int n = 0, r;

	r = sd_bus_message_enter_container(m, 'v', "a(xs)");
	if (r >= 0)
		r = sd_bus_message_enter_container(m, 'a', "(xs)");
	fputc('[', f);
	while (r >= 0 && (r = sd_bus_message_read(m, "(xs)", &ts, &note)) > 0) {
		fprintf(f, "%s{\"ts\":%lld,\"note\":", n++ ? "," : "", (long long) ts);
		json_string(f, note);
		fputc('}', f);
	}
	fputc(']', f);
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	return r;
}

static int json_entry(sd_bus_message *m, const char *key, void *userdata)
{
	FILE *f = userdata;
	const char *contents = NULL, *s;
	union {
		uint32_t u;
		int32_t i;
		int64_t x;
		uint64_t t;
		int b;
		double d;
	} v;
	int r;

	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
	if (ftell(f) > 0)
		fputc(',', f);
	json_string(f, key);
	fputc(':', f);
	if (contents && strcmp(contents, "a(xs)") == 0)
		return json_flares(f, m);
	if (!contents || strlen(contents) != 1 || !strchr("suixtbd", contents[0])) {
		fputs("null", f);
		return sd_bus_message_skip(m, "v");
	}
	if (contents[0] == 's') {
		r = sd_bus_message_read(m, "v", "s", &s);
		if (r >= 0)
			json_string(f, s);
		return r;
	}
	r = sd_bus_message_read(m, "v", contents, &v);
	if (r < 0)
		return r;
	switch (contents[0]) {
	case 'u':
		return fprintf(f, "%u", v.u), 0;
	case 'i':
		return fprintf(f, "%d", v.i), 0;
	case 'x':
		return fprintf(f, "%lld", (long long) v.x), 0;
	case 't':
		return fprintf(f, "%llu", (unsigned long long) v.t), 0;
	case 'b':
		return fputs(v.b ? "true" : "false", f), 0;
	default:
		return fprintf(f, "%g", v.d), 0;
	}
}

/* Entries go through a memory stream, so that commas fall between them. */
int dict_json(FILE *out, sd_bus_message *m)
{
	_cleanup_free_ char *buf = NULL;
	size_t size = 0;
	FILE *f;
	int r;

	f = open_memstream(&buf, &size);
	if (!f)
		return -ENOMEM;
	r = bus_dict_foreach(m, json_entry, f);
	if (fclose(f) != 0 && r >= 0)
		r = -ENOMEM;
	if (r >= 0)
		fprintf(out, "{%s}", buf ? buf : "");
	return r < 0 ? r : 0;
}

int programme_get(struct cli *cli, struct programme_state *ret, sd_bus_message **ret_reply)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_HISTORY_IFACE,
			       "Programme", &e, &reply, "");
	if (r < 0 && sd_bus_error_has_name(&e, BR_ERROR_NOT_FOUND))
		return 1;
	if (r < 0)
		return cli_call_failed(cli, "read the programme", &e, r);
	*ret = (struct programme_state) { 0 };
	r = programme_state_read(reply, ret);
	if (r >= 0)
		r = programme_weeks_read(reply, ret);
	if (r < 0) {
		fprintf(stderr, "backride: bad reply from the daemon: %s\n", strerror(-r));
		return CLI_EXIT_FAILURE;
	}
	if (ret_reply) {
		(void) sd_bus_message_rewind(reply, true);
		*ret_reply = TAKE_PTR(reply);
	}
	return 0;
}

static const char *mmss(uint32_t s, char buf[16])
{
	return format_duration((int64_t) s, buf, 16);
}

void programme_print_weeks(const struct programme_state *s)
{
	char a[16];

	printf("WEEK  STARTS      SESSION  DONE  MINUTES  GOAL  NOTES\n");
	for (size_t i = 0; i < s->n_weeks; i++) {
		const struct programme_week_view *w = &s->w[i];
		char notes[64] = "";

		(void) snprintf(notes, sizeof(notes), "%s%s%s%s%s%s",
				w->week == 0 ? "baseline " : "",
				w->bad_mornings ? "bad morning " : "", w->held ? "step held " : "",
				w->lowered ? "lowered " : "", w->flare ? "flare-up " : "",
				w->week == s->week && w->week ? "<- this week" : "");
		while (*notes && notes[strlen(notes) - 1] == ' ')
			notes[strlen(notes) - 1] = '\0';
		if (w->ahead)
			printf("%4u  %-10s  %7s     -        -  %4u  %s\n", w->week, w->start,
			       mmss(w->session_s, a), s->weekly_minutes, notes);
		else
			printf("%4u  %-10s  %7s  %4u  %7u  %4u  %s\n", w->week, w->start,
			       w->week == 0 ? "free" : mmss(w->session_s, a), w->sessions,
			       (w->active_s + 30) / 60, w->week == 0 ? 0 : s->weekly_minutes,
			       notes);
	}
}

void programme_print_progress(const struct programme_state *s, bool utf8)
{
	const char *full = utf8 ? "\u2588" : "#", *empty = utf8 ? "\u00b7" : ".";
	const unsigned width = 30;

	printf("Programme (%s, week %u of %u): minutes per week against the goal of %u\n", s->phase,
	       s->week, s->weeks, s->weekly_minutes);
	for (size_t i = 0; i < s->n_weeks; i++) {
		const struct programme_week_view *w = &s->w[i];
		unsigned min = (w->active_s + 30) / 60;
		unsigned fill = s->weekly_minutes ? MIN(min * width / s->weekly_minutes, width) : 0;

		if (w->ahead)
			break;
		printf(w->week ? "week %2u " : "baseline", w->week);
		printf(" %s ", w->start);
		for (unsigned c = 0; c < width; c++)
			fputs(c < fill ? full : empty, stdout);
		if (w->week)
			printf(" %3u/%u min", min, s->weekly_minutes);
		else
			printf(" %3u min", min);
		printf(", %u sessions%s%s%s\n", w->sessions, w->bad_mornings ? ", bad morning" : "",
		       w->flare ? ", flare-up" : "", w->held ? ", step held" : "");
	}
	printf("%s\n", s->reason_text);
}

void programme_print_state(const struct programme_state *s)
{
	char a[16], b[16];

	printf("Programme: %s, %u min a week in %u sessions, %u weeks of steps", s->kind,
	       s->weekly_minutes, s->sessions_per_week, s->weeks);
	if (s->baseline_sessions)
		printf(" after a baseline of %u sessions.\n", s->baseline_sessions);
	else
		printf(", no baseline.\n");
	if (!strcmp(s->phase, "baseline"))
		printf("Phase: baseline, %u of %u done.\n", s->baseline_done, s->baseline_sessions);
	else
		printf("Phase: %s, week %u of %u.\n", s->phase, s->week, s->weeks);
	if (s->baseline_avg_s)
		printf("Baseline: average %s min; the steps began at %s min.\n",
		       mmss(s->baseline_avg_s, a), mmss(s->start_s, b));
	printf("Next session: %s min%s, %s.\n", mmss(s->session_s, a),
	       !strcmp(s->phase, "baseline") ? " at most (as long as is comfortable)" : "",
	       s->rest_today ? "after a rest" : "due today");
	if (s->rest_today)
		printf("Rest today; the next session is due on %s.\n", s->next_day);
	printf("Why: %s\n", s->reason_text);
	printf("This week: %u done (%s min), %u to go.\n", s->done_this_week,
	       mmss(s->active_this_week_s, a), s->remaining_this_week);
	if (s->flares)
		printf("Flare-ups: %u, the last on %s.\n", s->flares, s->last_flare_day);
}
