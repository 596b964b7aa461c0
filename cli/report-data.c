/* SPDX-License-Identifier: MIT */
/* The report's data, over D-Bus only: weekly totals, sessions, check-ins and the programme. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backride-dbus.h"
#include "bus-util.h"
#include "macro.h"

static int week_field(sd_bus_message *m, const char *key, void *userdata)
{
	struct report_week *w = userdata;
	const char *contents = NULL;
	uint32_t u;
	int r;

	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
	if (strcmp(key, "start") == 0 && contents && strcmp(contents, "x") == 0)
		return sd_bus_message_read(m, "v", "x", &w->start);
	if ((strcmp(key, "minutes") == 0 || strcmp(key, "sessions") == 0) && contents &&
	    strcmp(contents, "u") == 0) {
		r = sd_bus_message_read(m, "v", "u", &u);
		*(strcmp(key, "minutes") == 0 ? &w->minutes : &w->sessions) = u;
		return r;
	}
	return sd_bus_message_skip(m, "v");
}

/* History1.Progress: the weeks, ending at the daemon's next Monday (its clock, not ours). */
static int fetch_weeks(struct cli *cli, unsigned weeks, struct report *ret)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
	int r;

	r = history_new_call(cli, "Progress", &m);
	if (r > 0)
		return r;
	if (sd_bus_message_append(m, "u", weeks) < 0)
		return CLI_EXIT_FAILURE;
	r = history_call(cli, m, "read the weekly totals", &reply);
	if (r > 0)
		return r;
	r = sd_bus_message_enter_container(reply, 'a', "a{sv}");
	while (r >= 0 && ret->n_weeks < REPORT_WEEKS_MAX) {
		struct report_week w = { 0 };

		r = bus_dict_foreach(reply, week_field, &w);
		if (r >= 0)
			ret->weeks[ret->n_weeks++] = w;
	}
	return r == -ENXIO || r >= 0 ? 0 : CLI_EXIT_FAILURE;
}

static int fetch_sessions(struct cli *cli, struct report *ret)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
	struct summary s;
	int r;

	r = history_new_call(cli, "ListSessions", &m);
	if (r > 0)
		return r;
	if (sd_bus_message_append(m, "a{sv}", 2, "since", "x", ret->weeks[0].start, "limit", "u",
				  (uint32_t) REPORT_SESSIONS_MAX) < 0)
		return CLI_EXIT_FAILURE;
	r = history_call(cli, m, "list the sessions", &reply);
	if (r > 0)
		return r;
	ret->sessions = calloc(REPORT_SESSIONS_MAX, sizeof(*ret->sessions));
	if (!ret->sessions)
		return CLI_EXIT_FAILURE;
	r = sd_bus_message_enter_container(reply, 'a', "a{sv}");
	while (r >= 0 && ret->n_sessions < REPORT_SESSIONS_MAX) {
		r = summary_read(reply, &s);
		if (r >= 0)
			ret->sessions[ret->n_sessions++] =
				(struct report_session) { .s = s, .checkin_pain = BR_NONE };
	}
	if (r < 0 && r != -ENXIO)
		return CLI_EXIT_FAILURE;
	/* Newest first from the daemon; oldest first here. */
	for (size_t i = 0; i < ret->n_sessions / 2; i++) {
		struct report_session t = ret->sessions[i];

		ret->sessions[i] = ret->sessions[ret->n_sessions - 1 - i];
		ret->sessions[ret->n_sessions - 1 - i] = t;
	}
	return 0;
}

/* The end of the day after @t's, local time: a session's check-in window (History1.xml). */
static int64_t end_of_next_day(int64_t t)
{
	time_t x = (time_t) t;
	struct tm tm;

	if (!localtime_r(&x, &tm))
		return t + 2 * 86400;
	tm.tm_mday += 2;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t) mktime(&tm);
}

static int fetch_checkins(struct cli *cli, struct report *ret)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
	time_t first = (time_t) ret->weeks[0].start;
	const char *day;
	char since[16];
	struct tm tm;
	int64_t ts;
	uint32_t pain;
	int r;

	if (!localtime_r(&first, &tm) || strftime(since, sizeof(since), "%Y-%m-%d", &tm) == 0)
		return CLI_EXIT_FAILURE;
	r = history_new_call(cli, "Checkins", &m);
	if (r > 0)
		return r;
	if (sd_bus_message_append(m, "s", since) < 0)
		return CLI_EXIT_FAILURE;
	r = history_call(cli, m, "read the check-ins", &reply);
	if (r > 0)
		return r;
	r = sd_bus_message_enter_container(reply, 'a', "(sxu)");
	while (r >= 0 && (r = sd_bus_message_read(reply, "(sxu)", &day, &ts, &pain)) > 0) {
		/* The latest check-in in a session's window is its next-morning one. */
		for (size_t i = 0; i < ret->n_sessions; i++) {
			const struct summary *s = &ret->sessions[i].s;

			if (ts > s->start && ts < end_of_next_day(s->end > 0 ? s->end : s->start))
				ret->sessions[i].checkin_pain = pain;
		}
	}
	return r < 0 ? CLI_EXIT_FAILURE : 0;
}

static int fetch_programme(struct cli *cli, struct report *ret)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	const char *contents, *key, *note;
	int64_t ts;
	int r;

	r = programme_get(cli, &ret->programme, &reply);
	if (r == 1)
		return 0;
	if (r > 0)
		return r;
	ret->has_programme = true;
	/* The flare-ups with their notes: flare_notes a(xs) in the state. */
	r = sd_bus_message_enter_container(reply, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
		r = sd_bus_message_read(reply, "s", &key);
		if (r >= 0)
			r = sd_bus_message_peek_type(reply, NULL, &contents);
		if (r >= 0 && strcmp(key, "flare_notes") == 0 && strcmp(contents, "a(xs)") == 0) {
			r = sd_bus_message_enter_container(reply, 'v', "a(xs)");
			if (r >= 0)
				r = sd_bus_message_enter_container(reply, 'a', "(xs)");
			while (r >= 0 && (r = sd_bus_message_read(reply, "(xs)", &ts, &note)) > 0)
				if (ret->n_flares < ARRAY_SIZE(ret->flares)) {
					ret->flares[ret->n_flares].ts = ts;
					(void) snprintf(ret->flares[ret->n_flares++].note,
							sizeof(ret->flares[0].note), "%s", note);
				}
			if (r >= 0)
				r = sd_bus_message_exit_container(reply);
			if (r >= 0)
				r = sd_bus_message_exit_container(reply);
		} else if (r >= 0) {
			r = sd_bus_message_skip(reply, "v");
		}
		if (r >= 0)
			r = sd_bus_message_exit_container(reply);
	}
	return r < 0 ? CLI_EXIT_FAILURE : 0;
}

int report_fetch(struct cli *cli, unsigned weeks, struct report *ret)
{
	int r;

	*ret = (struct report) { 0 };
	r = fetch_weeks(cli, weeks, ret);
	if (r == 0 && ret->n_weeks == 0)
		r = CLI_EXIT_FAILURE;
	if (r == 0)
		r = fetch_sessions(cli, ret);
	if (r == 0)
		r = fetch_checkins(cli, ret);
	if (r == 0)
		r = fetch_programme(cli, ret);
	if (r == CLI_EXIT_FAILURE)
		fprintf(stderr, "backride: bad reply from the daemon.\n");
	if (r == 0)
		ret->generated = ret->weeks[ret->n_weeks - 1].start + 7 * 86400;
	return r;
}

void report_done(struct report *r)
{
	free(r->sessions);
	r->sessions = NULL;
}
