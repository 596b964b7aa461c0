/* SPDX-License-Identifier: MIT */
/* A programme: the baseline, the weekly steps, pain, flare-ups and rest, replayed from history. */
#include "programme.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "macro.h"

#define MAX_SESSION_S 3600u /* a programme session is at most an hour */

const char *programme_phase_to_string(enum programme_phase p)
{
	static const char *const names[_PROGRAMME_PHASE_MAX] = {
		[PROGRAMME_PHASE_BASELINE] = "baseline",
		[PROGRAMME_PHASE_STEPS] = "steps",
		[PROGRAMME_PHASE_REBUILD] = "rebuild",
		[PROGRAMME_PHASE_DONE] = "done",
	};

	if ((unsigned) p >= _PROGRAMME_PHASE_MAX)
		return "unknown";
	return names[p];
}

const char *programme_reason_to_string(enum programme_reason r)
{
	static const char *const names[_PROGRAMME_REASON_MAX] = {
		[PROGRAMME_REASON_BASELINE] = "baseline",
		[PROGRAMME_REASON_START] = "start",
		[PROGRAMME_REASON_STEP] = "step",
		[PROGRAMME_REASON_AT_GOAL] = "at-goal",
		[PROGRAMME_REASON_HOLD] = "hold",
		[PROGRAMME_REASON_LOWER] = "lower",
		[PROGRAMME_REASON_FLARE_USER] = "flare",
		[PROGRAMME_REASON_FLARE_MORNINGS] = "flare-mornings",
		[PROGRAMME_REASON_REBUILD] = "rebuild",
		[PROGRAMME_REASON_DONE] = "done",
	};

	if ((unsigned) r >= _PROGRAMME_REASON_MAX)
		return "unknown";
	return names[r];
}

/* The state while history is replayed. */
struct replay {
	struct programme_config c;
	struct programme_status *st;
	uint32_t min_s;
	uint32_t d;	  /* the current session length */
	uint32_t bad_row; /* bad mornings in a row */
	bool held;	  /* a bad morning this week: the next step waits */
	int32_t step_day; /* the first day of week 1 */
	uint32_t week;	  /* the week being replayed */
};

static void say(struct replay *rp, enum programme_reason reason, const char *fmt, ...)
	_printf_(3, 4);

static void say(struct replay *rp, enum programme_reason reason, const char *fmt, ...)
{
	va_list ap;

	rp->st->reason = reason;
	va_start(ap, fmt);
	(void) vsnprintf(rp->st->why, sizeof(rp->st->why), fmt, ap);
	va_end(ap);
}

static uint32_t tens(uint32_t s)
{
	return s - s % 10;
}

/* One step up: never more than step_pct % (rounded down to 10 s), never past the goal. */
static uint32_t step_up(const struct replay *rp, uint32_t d)
{
	uint32_t next = tens((uint32_t) ((uint64_t) d * (100 + rp->c.step_pct) / 100));

	return MIN(MAX(next, d), rp->st->goal_s);
}

static uint32_t step_down(const struct replay *rp, uint32_t d)
{
	return MAX(rp->min_s, tens((uint32_t) ((uint64_t) d * 100 / (100 + rp->c.step_pct))));
}

static uint32_t week_of(const struct replay *rp, int32_t day)
{
	return day < rp->step_day ? 0 : (uint32_t) ((day - rp->step_day) / 7) + 1;
}

static struct programme_week *week(struct replay *rp, uint32_t w)
{
	return &rp->st->weeks[MIN(w, (uint32_t) PROGRAMME_WEEKS_MAX - 1)];
}

static void flare(struct replay *rp, enum programme_reason why, int32_t day)
{
	uint32_t before = rp->d;

	rp->d = MAX(rp->min_s, tens((uint32_t) ((uint64_t) before * rp->c.flare_pct / 100)));
	rp->st->rebuild_to_s = before;
	rp->st->phase = PROGRAMME_PHASE_REBUILD;
	rp->st->flares++;
	rp->st->last_flare_day = day;
	rp->held = false;
	rp->bad_row = 0;
	week(rp, rp->week)->flags |= PROGRAMME_WEEK_FLARE;
	say(rp, why,
	    "%s: sessions drop to %u %% (%u:%02u -> %u:%02u min) and rebuild by the weekly "
	    "steps.",
	    why == PROGRAMME_REASON_FLARE_USER ? "A flare-up was reported"
					       : "Two or more bad mornings in a row are a flare-up",
	    rp->c.flare_pct, before / 60, before % 60, rp->d / 60, rp->d % 60);
}

/* Pain after a step session: hold, lower, or a flare-up. */
static void judge(struct replay *rp, const struct programme_session *s)
{
	int32_t delta = s->checkin_pain != BR_NONE && s->pain_before != BR_NONE
				? s->checkin_pain - s->pain_before
				: BR_NONE;
	bool bad = s->end == SESSION_END_PAIN ||
		   (delta != BR_NONE && delta >= (int32_t) rp->c.bad_points);
	uint32_t before = rp->d;

	if (!bad) {
		if (s->checkin_pain != BR_NONE)
			rp->bad_row = 0;
		return;
	}
	rp->held = true;
	rp->bad_row++;
	week(rp, rp->week)->bad_mornings++;
	if (rp->bad_row >= rp->c.flare_mornings) {
		flare(rp, PROGRAMME_REASON_FLARE_MORNINGS, s->day);
		return;
	}
	if (delta != BR_NONE && delta >= (int32_t) rp->c.lower_points) {
		rp->d = step_down(rp, rp->d);
		week(rp, rp->week)->flags |= PROGRAMME_WEEK_LOWERED;
		say(rp, PROGRAMME_REASON_LOWER,
		    "The morning after the last session pain was %d/10, %d above %d/10 before it: "
		    "one step down (%u:%02u -> %u:%02u min).",
		    s->checkin_pain, delta, s->pain_before, before / 60, before % 60, rp->d / 60,
		    rp->d % 60);
		return;
	}
	if (delta != BR_NONE)
		say(rp, PROGRAMME_REASON_HOLD,
		    "The morning after the last session pain was %d/10, above %d/10 before it: "
		    "the next weekly step waits (%u:%02u min).",
		    s->checkin_pain, s->pain_before, rp->d / 60, rp->d % 60);
	else
		say(rp, PROGRAMME_REASON_HOLD,
		    "The last session ended for pain: the next weekly step waits (%u:%02u min).",
		    rp->d / 60, rp->d % 60);
}

/* A new week of steps begins. */
static void new_week(struct replay *rp)
{
	uint32_t before = rp->d;
	bool rebuild = rp->st->phase == PROGRAMME_PHASE_REBUILD;

	rp->week++;
	if (rp->week == 1) {
		if (rp->st->baseline_avg_s)
			say(rp, PROGRAMME_REASON_START,
			    "Week 1: %u %% of the baseline's average (%u:%02u min): %u:%02u min a "
			    "session.",
			    rp->c.start_pct, rp->st->baseline_avg_s / 60,
			    rp->st->baseline_avg_s % 60, rp->d / 60, rp->d % 60);
		else
			say(rp, PROGRAMME_REASON_START,
			    "Week 1: no baseline, the configured start: %u:%02u min a session.",
			    rp->d / 60, rp->d % 60);
	} else if (rp->held) {
		say(rp, PROGRAMME_REASON_HOLD,
		    "Week %u: a bad morning last week holds the step: %u:%02u min again.", rp->week,
		    rp->d / 60, rp->d % 60);
	} else if (rp->d >= rp->st->goal_s) {
		say(rp, PROGRAMME_REASON_AT_GOAL, "Week %u: at the goal, %u:%02u min a session.",
		    rp->week, rp->d / 60, rp->d % 60);
	} else {
		rp->d = step_up(rp, rp->d);
		say(rp, rebuild ? PROGRAMME_REASON_REBUILD : PROGRAMME_REASON_STEP,
		    "Week %u: %s %u %% step, %u:%02u -> %u:%02u min a session (pre-set, "
		    "not day-to-day pain).",
		    rp->week, rebuild ? "rebuilding after the flare-up, a" : "the weekly",
		    rp->c.step_pct, before / 60, before % 60, rp->d / 60, rp->d % 60);
	}
	if (rebuild && rp->d >= rp->st->rebuild_to_s)
		rp->st->phase = PROGRAMME_PHASE_STEPS;
	*week(rp, rp->week) = (struct programme_week) {
		.start_day = rp->step_day + 7 * (int32_t) (rp->week - 1),
		.session_s = rp->d,
		.flags = rp->held && rp->week > 1 ? PROGRAMME_WEEK_HELD : 0,
	};
	rp->held = false;
}

static int check_order(const struct programme_input *in)
{
	for (size_t i = 1; i < in->n_sessions; i++)
		if (in->sessions[i].day < in->sessions[i - 1].day)
			return -EINVAL;
	for (size_t i = 1; i < in->n_flares; i++)
		if (in->flare_days[i] < in->flare_days[i - 1])
			return -EINVAL;
	return 0;
}

/* The baseline: Return: the index of the first step session, or n_sessions in the baseline. */
static size_t baseline(struct replay *rp, const struct programme_input *in)
{
	struct programme_status *st = rp->st;
	uint64_t sum = 0;
	size_t i = 0;

	st->weeks[0] =
		(struct programme_week) { .start_day = in->start_day, .session_s = st->goal_s };
	for (; i < in->n_sessions && st->baseline_done < rp->c.baseline_sessions; i++) {
		st->baseline_done++;
		st->weeks[0].sessions++;
		st->weeks[0].active_s += in->sessions[i].active_s;
		sum += in->sessions[i].active_s;
		rp->step_day = in->sessions[i].day + 1;
	}
	if (st->baseline_done < rp->c.baseline_sessions) {
		say(rp, PROGRAMME_REASON_BASELINE,
		    "Baseline session %u of %u: go as long as is comfortable at the gentle "
		    "intensity, up to %u min, and stop on pain.",
		    st->baseline_done + 1, rp->c.baseline_sessions, st->goal_s / 60);
		return in->n_sessions;
	}
	if (rp->c.baseline_sessions) {
		st->baseline_avg_s = (uint32_t) (sum / rp->c.baseline_sessions);
		rp->d = tens((uint32_t) ((uint64_t) st->baseline_avg_s * rp->c.start_pct / 100));
	} else {
		rp->step_day = in->start_day;
		rp->d = rp->c.start_minutes * 60;
	}
	rp->d = CLAMP(rp->d, rp->min_s, st->goal_s);
	st->start_s = rp->d;
	st->phase = PROGRAMME_PHASE_STEPS;
	return i;
}

static void replay_steps(struct replay *rp, const struct programme_input *in, size_t i)
{
	uint32_t today = week_of(rp, in->today);
	size_t f = 0;

	/* Flare-ups said before the steps began are part of the baseline: nothing to drop. */
	while (f < in->n_flares && in->flare_days[f] < rp->step_day)
		f++;
	for (uint32_t w = 1; w <= MAX(today, 1u); w++) {
		int32_t end = rp->step_day + 7 * (int32_t) w;

		if (w <= rp->c.weeks || rp->week == 0)
			new_week(rp);
		for (;;) {
			bool s_next = i < in->n_sessions && in->sessions[i].day < end;
			bool f_next = f < in->n_flares && in->flare_days[f] < end;

			if (s_next && (!f_next || in->sessions[i].day <= in->flare_days[f])) {
				week(rp, rp->week)->sessions++;
				week(rp, rp->week)->active_s += in->sessions[i].active_s;
				judge(rp, &in->sessions[i++]);
			} else if (f_next) {
				flare(rp, PROGRAMME_REASON_FLARE_USER, in->flare_days[f++]);
			} else {
				break;
			}
		}
	}
	if (today > rp->c.weeks) {
		rp->st->phase = PROGRAMME_PHASE_DONE;
		say(rp, PROGRAMME_REASON_DONE,
		    "The programme's %u weeks are over: sessions stay at %u:%02u min.", rp->c.weeks,
		    rp->d / 60, rp->d % 60);
	}
}

/* The weeks ahead, as if each goes well. */
static void plan_ahead(struct replay *rp)
{
	uint32_t d = rp->d;

	for (uint32_t w = rp->week + 1; w <= rp->c.weeks; w++) {
		if (w > rp->week + 1 || !rp->held)
			d = step_up(rp, d);
		rp->st->weeks[w] = (struct programme_week) {
			.start_day = rp->step_day + 7 * (int32_t) (w - 1),
			.session_s = d,
		};
	}
	rp->st->n_weeks = rp->c.weeks + 1;
}

static bool session_on(const struct programme_input *in, int32_t day)
{
	for (size_t i = in->n_sessions; i-- > 0;)
		if (in->sessions[i].day == day)
			return true;
	return false;
}

/* The first day from today a session is due: one a day, the week's count, rest days. */
static void next_day(struct replay *rp, const struct programme_input *in)
{
	struct programme_status *st = rp->st;
	uint32_t cur = week_of(rp, in->today);

	st->done_this_week = week(rp, cur)->sessions;
	st->active_this_week_s = week(rp, cur)->active_s;
	st->remaining_this_week = cur == 0 ? rp->c.baseline_sessions - st->baseline_done
					   : rp->c.sessions_per_week - MIN(st->done_this_week,
									   rp->c.sessions_per_week);
	for (int32_t d = in->today; d < in->today + 15; d++) {
		uint32_t run = 0;
		bool full = week_of(rp, d) == cur && cur > 0 &&
			    st->done_this_week >= rp->c.sessions_per_week;

		while (run < rp->c.max_days_in_a_row && session_on(in, d - 1 - (int32_t) run))
			run++;
		if (!session_on(in, d) && !full && run < rp->c.max_days_in_a_row) {
			st->next_day = d;
			break;
		}
	}
	st->rest_today = st->next_day != in->today;
}

int programme_status(const struct programme_config *cfg, const struct programme_input *in,
		     struct programme_status *ret)
{
	struct replay rp = { .c = *cfg, .st = ret };
	size_t i;
	int r;

	r = check_order(in);
	if (r < 0)
		return r;
	(void) programme_config_bound(&rp.c);
	*ret = (struct programme_status) {
		.phase = PROGRAMME_PHASE_BASELINE,
		.last_flare_day = BR_NONE,
		.next_day = in->today,
	};
	rp.min_s = rp.c.min_minutes * 60;
	ret->goal_s = CLAMP(tens(rp.c.weekly_minutes * 60 / rp.c.sessions_per_week), rp.min_s,
			    MAX_SESSION_S);
	rp.step_day = INT32_MAX;
	i = baseline(&rp, in);
	if (ret->phase == PROGRAMME_PHASE_BASELINE) {
		ret->session_s = ret->goal_s;
		ret->n_weeks = 1;
	} else {
		replay_steps(&rp, in, i);
		plan_ahead(&rp);
		ret->week = rp.week;
		ret->session_s = rp.d;
	}
	next_day(&rp, in);
	return 0;
}

int programme_plan(const struct programme_status *st, const struct plan_params *targets,
		   const struct envelope_limits *caps, struct plan_params *ret)
{
	struct envelope_limits l = *caps;
	struct plan_params p = *targets;
	uint32_t total = CLAMP(st->session_s, 180u, MAX_SESSION_S), edge;

	(void) envelope_limits_bound(&l);
	(void) plan_params_bound(&p);
	/* Warm-up and cool-down: each a sixth of a short session, whole minutes, at least one. */
	edge = CLAMP(total / 6 / 60 * 60, 60u, MAX(p.warmup_s, 60u));
	p.warmup_s = edge;
	p.cooldown_s = MIN(edge, MAX(p.cooldown_s, 60u));
	p.steady_s = total - p.warmup_s - p.cooldown_s;
	(void) plan_params_bound(&p);
	p.power_w = MIN(p.power_w, l.ch[SESSION_CH_POWER].cap);
	p.resistance_pct = MIN(p.resistance_pct, l.ch[SESSION_CH_RESISTANCE].cap);
	p.speed_ckmh = MIN(p.speed_ckmh, l.ch[SESSION_CH_SPEED].cap);
	p.incline_dpct = MIN(p.incline_dpct, l.ch[SESSION_CH_INCLINE].cap);
	*ret = p;
	return 0;
}
