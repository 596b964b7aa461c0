/* SPDX-License-Identifier: MIT */
#include "plan-history.h"

#include <string.h>
#include <time.h>

struct plan_load {
	struct storage *st;
	struct plan_history *h;
	size_t n, max;
};

enum session_end plan_history_end_from_string(const char *s)
{
	for (int e = SESSION_END_COMPLETED; e < _SESSION_END_MAX; e++)
		if (strcmp(session_end_to_string(e), s) == 0)
			return e;
	/* Reasons storage knows beyond the engine's: a lost link ends like an interruption. */
	return strcmp(s, "link-lost") == 0 ? SESSION_END_INTERRUPTED : SESSION_END_FAULT;
}

static void when(int64_t t, char buf[PLAN_WHEN_MAX])
{
	time_t x = (time_t) t;
	struct tm tm;

	if (!localtime_r(&x, &tm) || strftime(buf, PLAN_WHEN_MAX, "%Y-%m-%d %H:%M", &tm) == 0)
		buf[0] = '\0';
}

int64_t plan_history_checkin_until(int64_t t)
{
	time_t x = (time_t) t, end;
	struct tm tm;

	if (!localtime_r(&x, &tm))
		return t + 2 * 24 * 3600;
	tm.tm_mday += 2;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	end = mktime(&tm);
	return end == (time_t) -1 ? t + 2 * 24 * 3600 : (int64_t) end;
}

/* The latest check-in after the session, the same day or the next (plan.h). */
static void checkin_after(struct storage *st, const struct storage_session *x,
			  struct plan_history *h)
{
	struct storage_checkin c;

	h->checkin_pain = BR_NONE;
	h->checkin_delta = BR_NONE;
	h->checkin_until = plan_history_checkin_until(x->ended_at);
	when(x->ended_at, h->ended_when);
	/* From its start: during a session `backride pain` is a pain report, not a check-in, and
	 * a session's end is in session time, which runs ahead of the clock in simulations. */
	if (storage_checkin_between(st, x->started_at + 1, h->checkin_until, &c) < 0)
		return;
	h->checkin_pain = c.pain;
	h->checkin_at = c.ts;
	when(c.ts, h->checkin_when);
	if (x->pain_before != BR_NONE)
		h->checkin_delta = c.pain - x->pain_before;
}

static int load_cb(const struct storage_session *x, void *userdata)
{
	struct plan_load *l = userdata;
	uint32_t edges = x->warmup_s + x->cooldown_s;

	if (l->n >= l->max)
		return 1;
	l->h[l->n] = (struct plan_history) {
		.started_at = x->started_at,
		.ended_at = x->ended_at,
		.kind = x->kind == STORAGE_KIND_BIKE ? SESSION_KIND_BIKE : SESSION_KIND_TREADMILL,
		.steady_s = x->planned_s > edges ? x->planned_s - edges : 0,
		.planned_s = x->planned_s,
		.active_s = x->active_s,
		.power_w = x->target_power_w,
		.resistance_pct = BR_NONE, /* storage keeps the machine's units, not % */
		.speed_ckmh = x->target_speed_ckmh,
		.incline_dpct = x->target_incline_dpct,
		.pain_before = x->pain_before,
		.pain_max = x->pain_max,
		.pain_after = x->pain_after,
		.end = plan_history_end_from_string(x->end_reason),
	};
	checkin_after(l->st, x, &l->h[l->n++]);
	return 0;
}

int plan_history_load(struct storage *st, enum session_kind kind, struct plan_history *h,
		      size_t max)
{
	struct storage_session_filter f = {
		.kind = kind == SESSION_KIND_BIKE ? STORAGE_KIND_BIKE : STORAGE_KIND_TREADMILL,
		.ended_only = true,
		.limit = (unsigned) max,
	};
	struct plan_load l = { .st = st, .h = h, .max = max };
	int r;

	r = storage_sessions_list(st, &f, load_cb, &l);
	return r < 0 ? r : (int) l.n;
}
