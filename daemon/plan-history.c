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

/* Return: the next-day check-in minus pain before (worse is positive), or SESSION_NONE. */
static int32_t checkin_delta(struct storage *st, const struct storage_session *x)
{
	struct storage_checkin c;
	time_t next = (time_t) x->started_at + 24 * 3600;
	char day[STORAGE_DAY_MAX];
	struct tm tm;

	if (x->pain_before == STORAGE_NONE || !localtime_r(&next, &tm) ||
	    strftime(day, sizeof(day), "%Y-%m-%d", &tm) == 0)
		return SESSION_NONE;
	if (storage_checkin_get(st, day, &c) < 0)
		return SESSION_NONE;
	return c.pain - x->pain_before;
}

static int load_cb(const struct storage_session *x, void *userdata)
{
	struct plan_load *l = userdata;
	uint32_t edges = x->warmup_s + x->cooldown_s;

	if (l->n >= l->max)
		return 1;
	l->h[l->n++] = (struct plan_history){
		.started_at = x->started_at,
		.kind = x->kind == STORAGE_KIND_BIKE ? SESSION_KIND_BIKE : SESSION_KIND_TREADMILL,
		.steady_s = x->planned_s > edges ? x->planned_s - edges : 0,
		.planned_s = x->planned_s,
		.active_s = x->active_s,
		.power_w = x->target_power_w,
		.resistance_pct = SESSION_NONE, /* storage keeps the machine's units, not % */
		.speed_ckmh = x->target_speed_ckmh,
		.incline_dpct = x->target_incline_dpct,
		.pain_before = x->pain_before,
		.pain_max = x->pain_max,
		.pain_after = x->pain_after,
		.end = plan_history_end_from_string(x->end_reason),
		.checkin_delta = checkin_delta(l->st, x),
	};
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
