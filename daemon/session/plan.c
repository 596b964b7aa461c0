/* SPDX-License-Identifier: MIT */
#include "plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "macro.h"

#define WEEK_S (7 * 24 * 3600)

void plan_params_default(enum session_kind kind, struct plan_params *ret)
{
	*ret = (struct plan_params) {
		.kind = kind,
		.warmup_s = 300,
		.steady_s = 900,
		.cooldown_s = 300,
		.stretches = true,
		.start_pct = 60,
		.power_w = 45,
		.resistance_pct = 20,
		.speed_ckmh = 350,
		.incline_dpct = 0,
	};
}

static int bound_i32(int32_t *v, int32_t lo, int32_t hi)
{
	int32_t x = CLAMP(*v, lo, hi);

	if (x == *v)
		return 0;
	*v = x;
	return 1;
}

int plan_params_bound(struct plan_params *p)
{
	int n = 0;

	if ((unsigned) p->kind >= _SESSION_KIND_MAX) {
		p->kind = SESSION_KIND_BIKE;
		n++;
	}
	n += session_bound_u32(&p->warmup_s, 60, 900);
	n += session_bound_u32(&p->steady_s, 60, 3600);
	n += session_bound_u32(&p->cooldown_s, 60, 900);
	n += session_bound_u32(&p->start_pct, 20, 100);
	n += bound_i32(&p->power_w, 10, ENVELOPE_HARD_MAX_POWER_W);
	n += bound_i32(&p->resistance_pct, 1, ENVELOPE_HARD_MAX_RESISTANCE_PCT);
	n += bound_i32(&p->speed_ckmh, 100, ENVELOPE_HARD_MAX_SPEED_CKMH);
	n += bound_i32(&p->incline_dpct, 0, ENVELOPE_HARD_MAX_INCLINE_DPCT);
	return n;
}

void plan_config_default(enum session_kind kind, struct plan_config *ret)
{
	*ret = (struct plan_config) {
		.max_steady_s = 1800,
		.duration_step_s = 90,
		.intensity_step_pct = 5,
		.weekly_pct = 10,
	};
	plan_params_default(kind, &ret->first);
}

int plan_config_bound(struct plan_config *c)
{
	int n = plan_params_bound(&c->first);

	n += session_bound_u32(&c->max_steady_s, 60, 3600);
	n += session_bound_u32(&c->duration_step_s, 60, 120);
	n += session_bound_u32(&c->intensity_step_pct, 1, 5);
	n += session_bound_u32(&c->weekly_pct, 1, 10);
	return n;
}

const char *plan_reason_code_to_string(enum plan_reason_code code)
{
	static const char *const names[_PLAN_REASON_MAX] = {
		[PLAN_REASON_FIRST] = "first",
		[PLAN_REASON_DURATION] = "duration",
		[PLAN_REASON_INTENSITY] = "intensity",
		[PLAN_REASON_AT_MAX] = "at-max",
		[PLAN_REASON_WEEKLY_LIMIT] = "weekly-limit",
		[PLAN_REASON_HOLD_PAIN] = "hold-pain",
		[PLAN_REASON_REDUCE_PAIN] = "reduce-pain",
		[PLAN_REASON_HOLD_CHECKIN] = "hold-checkin",
		[PLAN_REASON_REDUCE_CHECKIN] = "reduce-checkin",
		[PLAN_REASON_HOLD_INCOMPLETE] = "hold-incomplete",
		[PLAN_REASON_PROGRAMME] = "programme",
	};

	if ((unsigned) code >= _PLAN_REASON_MAX)
		return "unknown";
	return names[code];
}

/* The progressing targets of a kind, as pointers into a plan, with their caps. */
struct target_ref {
	int32_t *value;
	int32_t first;
	int32_t cap;
	int32_t ref; /* the plan a week ago */
};

static size_t targets_of(struct plan_params *p, const struct plan_params *first,
			 const struct envelope_limits *caps, const struct plan_history *ref,
			 struct target_ref t[2])
{
	if (p->kind == SESSION_KIND_TREADMILL) {
		t[0] = (struct target_ref) { &p->speed_ckmh, first->speed_ckmh,
					     caps->ch[SESSION_CH_SPEED].cap, ref->speed_ckmh };
		return 1;
	}
	t[0] = (struct target_ref) { &p->power_w, first->power_w, caps->ch[SESSION_CH_POWER].cap,
				     ref->power_w };
	t[1] = (struct target_ref) { &p->resistance_pct, first->resistance_pct,
				     caps->ch[SESSION_CH_RESISTANCE].cap, ref->resistance_pct };
	return 2;
}

static void say(struct plan_reason *why, enum plan_reason_code code, const char *fmt, ...)
	_printf_(3, 4);

static void say(struct plan_reason *why, enum plan_reason_code code, const char *fmt, ...)
{
	va_list ap;

	why->code = code;
	va_start(ap, fmt);
	(void) vsnprintf(why->text, sizeof(why->text), fmt, ap);
	va_end(ap);
}

/* The plan the latest session ran, on top of this config's warm-up, cool-down and stretches. */
static void plan_from(const struct plan_params *first, const struct plan_history *last,
		      struct plan_params *p)
{
	*p = *first;
	p->steady_s = last->steady_s;
	if (last->power_w != BR_NONE)
		p->power_w = last->power_w;
	if (last->resistance_pct != BR_NONE)
		p->resistance_pct = last->resistance_pct;
	if (last->speed_ckmh != BR_NONE)
		p->speed_ckmh = last->speed_ckmh;
	if (last->incline_dpct != BR_NONE)
		p->incline_dpct = last->incline_dpct;
	(void) plan_params_bound(p);
}

static void reduce(struct plan_params *p, struct target_ref *t, size_t nt, uint32_t first_steady)
{
	p->steady_s = MAX(p->steady_s * 4 / 5, MAX(first_steady / 2, 60u));
	for (size_t i = 0; i < nt; i++)
		*t[i].value = MAX(*t[i].value * 9 / 10, MAX(t[i].first / 2, 1));
}

/* Duration first. Return: true if it grew. */
static bool grow_duration(struct plan_params *p, const struct plan_config *cfg,
			  const struct plan_history *ref, struct plan_reason *why)
{
	uint32_t limit =
		(uint32_t) ((uint64_t) MAX(ref->steady_s, 60u) * (100 + cfg->weekly_pct) / 100);
	uint32_t next = MIN(p->steady_s + cfg->duration_step_s, MIN(cfg->max_steady_s, limit));

	if (next < cfg->max_steady_s)
		next -= next % 30; /* whole half minutes read better */

	if (next < p->steady_s + 60 && !(next == cfg->max_steady_s && next > p->steady_s))
		return false;
	say(why, PLAN_REASON_DURATION,
	    "The last session went well: steady time %u:%02u -> %u:%02u min (duration comes first, "
	    "up to %u min).",
	    p->steady_s / 60, p->steady_s % 60, next / 60, next % 60, cfg->max_steady_s / 60);
	p->steady_s = next;
	return true;
}

/* Then intensity. Return: true if any target grew. */
static bool grow_intensity(struct target_ref *t, size_t nt, const struct plan_config *cfg,
			   unsigned *capped)
{
	bool grew = false;

	*capped = 0;
	for (size_t i = 0; i < nt; i++) {
		int64_t cur = *t[i].value;
		int64_t ref = t[i].ref != BR_NONE ? t[i].ref : cur;
		int64_t next = cur * (100 + cfg->intensity_step_pct) / 100;

		next = MIN(next, ref * (100 + cfg->weekly_pct) / 100);
		next = MIN(next, (int64_t) t[i].cap);
		if (cur >= t[i].cap)
			(*capped)++;
		if (next > cur) {
			*t[i].value = (int32_t) next;
			grew = true;
		}
	}
	return grew;
}

static void progress(struct plan_params *p, const struct plan_config *cfg, struct target_ref *t,
		     size_t nt, const struct plan_history *ref, struct plan_reason *why)
{
	int32_t before[2] = { *t[0].value, nt > 1 ? *t[1].value : 0 };
	unsigned capped;

	if (p->steady_s < cfg->max_steady_s) {
		if (!grow_duration(p, cfg, ref, why))
			say(why, PLAN_REASON_WEEKLY_LIMIT,
			    "The last session went well, but the steady time already grew by %u %% "
			    "this week: holding at %u:%02u min.",
			    cfg->weekly_pct, p->steady_s / 60, p->steady_s % 60);
		return;
	}
	if (grow_intensity(t, nt, cfg, &capped) && p->kind == SESSION_KIND_TREADMILL)
		say(why, PLAN_REASON_INTENSITY,
		    "The last session went well at the full %u min: speed +%u %% at most "
		    "(%d.%02d -> %d.%02d km/h).",
		    p->steady_s / 60, cfg->intensity_step_pct, before[0] / 100, before[0] % 100,
		    *t[0].value / 100, *t[0].value % 100);
	else if (*t[0].value != before[0] || (nt > 1 && *t[1].value != before[1]))
		say(why, PLAN_REASON_INTENSITY,
		    "The last session went well at the full %u min: intensity +%u %% at most "
		    "(%d -> %d W, or resistance %d -> %d %%).",
		    p->steady_s / 60, cfg->intensity_step_pct, before[0], *t[0].value, before[1],
		    nt > 1 ? *t[1].value : 0);
	else if (capped == nt)
		say(why, PLAN_REASON_AT_MAX,
		    "The last session went well; the plan is at the configured maximum, so it "
		    "stays "
		    "the same.");
	else
		say(why, PLAN_REASON_WEEKLY_LIMIT,
		    "The last session went well, but intensity already grew by %u %% this week: "
		    "holding.",
		    cfg->weekly_pct);
}

/* The latest session, and the one a week before now (the oldest if all are more recent). */
static int find_sessions(enum session_kind kind, const struct plan_history *h, size_t n,
			 int64_t now, const struct plan_history **ret_last,
			 const struct plan_history **ret_ref)
{
	const struct plan_history *last = NULL, *ref = NULL, *oldest = NULL;

	for (size_t i = 0; i < n; i++) {
		if ((unsigned) h[i].kind >= _SESSION_KIND_MAX)
			return -EINVAL;
		if (h[i].kind != kind)
			continue;
		if (!last || h[i].started_at >= last->started_at)
			last = &h[i];
		if (!oldest || h[i].started_at < oldest->started_at)
			oldest = &h[i];
		if (h[i].started_at <= now - WEEK_S && (!ref || h[i].started_at >= ref->started_at))
			ref = &h[i];
	}
	*ret_last = last;
	*ret_ref = ref ? ref : oldest;
	return 0;
}

/* Pain and check-in rules. Return: true if they decided the plan. */
static bool judge_pain(const struct plan_history *last, struct plan_params *p, struct target_ref *t,
		       size_t nt, uint32_t first_steady, struct plan_reason *why)
{
	int32_t pain = last->pain_max, checkin = last->checkin_delta;

	if (last->end == SESSION_END_PAIN || (pain != BR_NONE && pain >= 7)) {
		reduce(p, t, nt, first_steady);
		say(why, PLAN_REASON_REDUCE_PAIN,
		    "The last session hurt (pain %d/10): shorter and easier this time.",
		    pain == BR_NONE ? 6 : pain);
	} else if (checkin != BR_NONE && checkin >= 3) {
		reduce(p, t, nt, first_steady);
		say(why, PLAN_REASON_REDUCE_CHECKIN,
		    "Check-in %d/10 on %s, %d points above %d/10 before the last session: shorter "
		    "and easier this time.",
		    last->checkin_pain, last->checkin_when, checkin, last->pain_before);
	} else if (pain != BR_NONE && pain >= 5) {
		say(why, PLAN_REASON_HOLD_PAIN,
		    "Pain reached %d/10 in the last session: same plan as last time.", pain);
	} else if (checkin != BR_NONE && checkin >= 1) {
		say(why, PLAN_REASON_HOLD_CHECKIN,
		    "Check-in %d/10 on %s, higher than %d/10 before the last session: holding at "
		    "the "
		    "last plan.",
		    last->checkin_pain, last->checkin_when, last->pain_before);
	} else {
		return false;
	}
	return true;
}

/* What the check-in after the last session says, whatever decided the plan. */
static void judge_checkin(const struct plan_history *last, struct plan_reason *why)
{
	const int32_t delta = last->checkin_delta;

	why->checkin_pain = last->checkin_pain;
	why->checkin_at = last->checkin_at;
	why->checkin_until = last->checkin_until;
	why->last_ended_at = last->ended_at;
	if (last->checkin_pain == BR_NONE)
		(void) snprintf(
			why->checkin, sizeof(why->checkin),
			"No check-in since the last session (ended %s); one up to the end of "
			"the next day counts.",
			last->ended_when);
	else if (last->pain_before == BR_NONE)
		(void) snprintf(
			why->checkin, sizeof(why->checkin),
			"Check-in %d/10 on %s; no pain was recorded before the last session to "
			"compare it with.",
			last->checkin_pain, last->checkin_when);
	else
		(void) snprintf(why->checkin, sizeof(why->checkin),
				"Check-in %d/10 on %s, %s %d/10 before the last session: %s",
				last->checkin_pain, last->checkin_when,
				delta >= 1 ? "higher than" : "not higher than", last->pain_before,
				delta >= 3   ? "the next plan is shorter and easier."
				: delta >= 1 ? "it holds the next plan back."
					     : "it does not hold the next plan back.");
}

static bool incomplete(const struct plan_history *last)
{
	if (last->end != SESSION_END_COMPLETED)
		return true;
	return (uint64_t) last->active_s * 10 < (uint64_t) last->planned_s * 9;
}

static void cap_targets(struct target_ref *t, size_t nt)
{
	for (size_t i = 0; i < nt; i++)
		*t[i].value = MIN(*t[i].value, t[i].cap);
}

int plan_next(const struct plan_config *config, const struct envelope_limits *caps,
	      const struct plan_history *h, size_t n, int64_t now, struct plan_params *ret,
	      struct plan_reason *why)
{
	const struct plan_history *last, *ref;
	struct envelope_limits l = *caps;
	struct plan_config cfg = *config;
	struct target_ref t[2];
	struct plan_params p;
	size_t nt;
	int r;

	(void) plan_config_bound(&cfg);
	(void) envelope_limits_bound(&l);
	r = find_sessions(cfg.first.kind, h, n, now, &last, &ref);
	if (r < 0)
		return r;
	*why = (struct plan_reason) { .checkin_pain = BR_NONE };
	if (!last) {
		p = cfg.first;
		nt = targets_of(&p, &cfg.first, &l, &(struct plan_history) {}, t);
		cap_targets(t, nt);
		say(why, PLAN_REASON_FIRST,
		    "First %s session: a conservative start, %u min steady.",
		    session_kind_to_string(p.kind), p.steady_s / 60);
		*ret = p;
		return 0;
	}
	plan_from(&cfg.first, last, &p);
	nt = targets_of(&p, &cfg.first, &l, ref, t);
	cap_targets(t, nt);
	judge_checkin(last, why);
	if (!judge_pain(last, &p, t, nt, cfg.first.steady_s, why)) {
		if (incomplete(last))
			say(why, PLAN_REASON_HOLD_INCOMPLETE,
			    "The last session ended early (%s): same plan as last time.",
			    session_end_to_string(last->end));
		else
			progress(&p, &cfg, t, nt, ref, why);
	}
	(void) plan_params_bound(&p);
	*ret = p;
	return 0;
}
