/* SPDX-License-Identifier: MIT */
/* Progress's next plan: the latest sessions from storage, through the session planner. */
#include "history.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "macro.h"
#include "plan.h"

#define PLAN_HISTORY_MAX 64 /* enough for the weekly limit: the planner looks back 7 days */

struct plan_load {
	struct storage *st;
	struct plan_history *h;
	size_t n;
};

static enum session_end end_from_string(const char *s)
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
		.end = end_from_string(x->end_reason),
		.checkin_delta = checkin_delta(l->st, x),
	};
	return 0;
}

static int append_plan(sd_bus_message *reply, const struct plan_params *p,
		       const struct plan_reason *why)
{
	int r;

	r = sd_bus_message_append(reply, "{sv}{sv}{sv}{sv}{sv}", "kind", "s",
				  session_kind_to_string(p->kind), "warmup_s", "u", p->warmup_s,
				  "steady_s", "u", p->steady_s, "cooldown_s", "u", p->cooldown_s,
				  "stretches", "b", (int) p->stretches);
	if (r >= 0 && p->kind == SESSION_KIND_BIKE)
		r = sd_bus_message_append(reply, "{sv}{sv}", "power_w", "u", (uint32_t) p->power_w,
					  "resistance_pct", "u", (uint32_t) p->resistance_pct);
	else if (r >= 0)
		r = sd_bus_message_append(reply, "{sv}{sv}", "speed_kmh", "d",
					  p->speed_ckmh / 100.0, "incline_pct", "d",
					  p->incline_dpct / 10.0);
	if (r >= 0)
		r = sd_bus_message_append(reply, "{sv}{sv}", "reason", "s",
					  plan_reason_code_to_string(why->code), "reason_text", "s",
					  why->text);
	return r;
}

static int latest_cb(const struct storage_session *x, void *userdata)
{
	*(enum storage_kind *) userdata = x->kind;
	return 1;
}

int history_append_next_plan(struct storage *st, sd_bus_message *reply)
{
	struct storage_session_filter f = { .kind = STORAGE_KIND_ANY,
					    .ended_only = true,
					    .limit = 1 };
	_cleanup_free_ struct plan_history *h = NULL;
	enum storage_kind kind = STORAGE_KIND_ANY;
	struct plan_load l = { .st = st };
	struct envelope_limits caps;
	struct plan_config cfg;
	struct plan_params p;
	struct plan_reason why;
	int n, r;

	r = sd_bus_message_open_container(reply, 'a', "{sv}");
	if (r < 0)
		return r;
	/* The plan for the kind of machine used last; none before the first session. */
	n = storage_sessions_list(st, &f, latest_cb, &kind);
	if (n < 0)
		return n;
	if (n > 0 && (kind == STORAGE_KIND_BIKE || kind == STORAGE_KIND_TREADMILL)) {
		h = calloc(PLAN_HISTORY_MAX, sizeof(*h));
		if (!h)
			return -ENOMEM;
		l.h = h;
		f.kind = kind;
		f.limit = PLAN_HISTORY_MAX;
		n = storage_sessions_list(st, &f, load_cb, &l);
		if (n < 0)
			return n;
		plan_config_default(kind == STORAGE_KIND_BIKE ? SESSION_KIND_BIKE
							      : SESSION_KIND_TREADMILL,
				    &cfg);
		envelope_limits_default(&caps);
		r = plan_next(&cfg, &caps, h, l.n, time(NULL), &p, &why);
		if (r >= 0)
			r = append_plan(reply, &p, &why);
		if (r < 0)
			return r;
	}
	return sd_bus_message_close_container(reply);
}
