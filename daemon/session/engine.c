/* SPDX-License-Identifier: MIT */
#include "engine.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"
#include "macro.h"

/* Off the machine, after cool-down. Cat-camel: 10 slow repetitions, about 5 s each. */
static const struct {
	const char *name;
	uint32_t seconds;
} stretches[] = {
	{ "knee-to-chest, left leg", 25 },
	{ "knee-to-chest, right leg", 25 },
	{ "child's pose", 30 },
	{ "cat-camel, 10 slow repetitions", 50 },
};

void session_rules_default(struct session_rules *ret)
{
	*ret = (struct session_rules) {
		.hr_max_bpm = 0,
		.cadence_floor_rpm = 50,
		.no_pedal_s = 10,
		.link_timeout_s = 300,
		.resume_pct = 70,
		.reramp_pct_min = 20,
		.countdown_s = 3,
	};
}

int session_rules_bound(struct session_rules *r)
{
	int n = 0;

	if (r->hr_max_bpm != 0)
		n += session_bound_u32(&r->hr_max_bpm, 80, 190);
	n += session_bound_u32(&r->cadence_floor_rpm, 20, 80);
	n += session_bound_u32(&r->no_pedal_s, 5, 60);
	n += session_bound_u32(&r->link_timeout_s, 30, 1800);
	n += session_bound_u32(&r->resume_pct, 30, 100);
	n += session_bound_u32(&r->reramp_pct_min, 5, 50);
	n += session_bound_u32(&r->countdown_s, 0, 10);
	return n;
}

uint32_t session_hr_cap_from_age(uint32_t age)
{
	if (age < 10 || age > 100)
		return 0;
	return CLAMP((220 - age) * 7 / 10, 90u, 170u);
}

/* ---- events and phases ------------------------------------------------------------------ */

void engine_event(struct session_engine *s, enum session_event_type type, int32_t value,
		  const char *text)
{
	struct session_event *e;

	if (s->n_queue >= SESSION_EVENTS_MAX) {
		s->lost++;
		return;
	}
	e = &s->queue[s->n_queue++];
	*e = (struct session_event) { .type = type, .value = value, .t_usec = s->active };
	(void) snprintf(e->text, sizeof(e->text), "%s", text ? text : "");
}

void engine_enter(struct session_engine *s, enum session_phase phase)
{
	s->phase = phase;
	s->phase_at = phase == SESSION_PHASE_COUNTDOWN ? s->now : s->active;
	engine_event(s, SESSION_EVENT_PHASE, phase, session_phase_to_string(phase));
	switch (phase) {
	case SESSION_PHASE_COUNTDOWN:
		s->countdown_left = s->rules.countdown_s;
		if (s->countdown_left > 0)
			engine_event(s, SESSION_EVENT_COUNTDOWN, (int32_t) s->countdown_left, NULL);
		break;
	case SESSION_PHASE_STRETCHES:
		s->stretch = 0;
		engine_event(s, SESSION_EVENT_STRETCH, (int32_t) stretches[0].seconds,
			     stretches[0].name);
		break;
	case SESSION_PHASE_DONE:
		engine_event(s, SESSION_EVENT_END, s->end, session_end_to_string(s->end));
		break;
	case SESSION_PHASE_WAITING:
	case SESSION_PHASE_WARMUP:
	case SESSION_PHASE_STEADY:
	case SESSION_PHASE_COOLDOWN:
	case SESSION_PHASE_STOPPING:
	case _SESSION_PHASE_MAX:
		break;
	}
}

bool engine_exercising(const struct session_engine *s)
{
	return s->phase >= SESSION_PHASE_WARMUP && s->phase <= SESSION_PHASE_COOLDOWN;
}

/* The plan's level now, with the pain/HR and cadence ceilings and any re-ramp. */
double engine_base_level(const struct session_engine *s)
{
	double x = (double) (s->active - s->phase_at), b = s->target;

	switch (s->phase) {
	case SESSION_PHASE_WARMUP:
		b = s->start + (s->target - s->start) * x / (double) SEC(s->plan.warmup_s);
		break;
	case SESSION_PHASE_COOLDOWN:
		b = s->cool_from +
		    (fmin(s->start, s->cool_from) - s->cool_from) * x / (double) s->cool_len;
		break;
	case SESSION_PHASE_STEADY:
	case SESSION_PHASE_WAITING:
	case SESSION_PHASE_COUNTDOWN:
	case SESSION_PHASE_STOPPING:
	case SESSION_PHASE_STRETCHES:
	case SESSION_PHASE_DONE:
	case _SESSION_PHASE_MAX:
		b = s->target;
		break;
	}
	b = fmin(b, fmin(s->ceiling, s->cadence_ceiling));
	b = fmin(b, engine_machine_ceiling(s, s->main) - s->origin);
	if (s->reramp)
		b = fmin(b, s->reramp_from + s->target * s->rules.reramp_pct_min / 100.0 *
						     (double) (s->active - s->reramp_at) /
						     (double) SEC(60));
	return fmax(b, 0);
}

void engine_pause(struct session_engine *s, enum session_pause bit)
{
	if (s->paused & bit)
		return;
	s->paused |= bit;
	engine_event(s, SESSION_EVENT_PAUSE, (int32_t) bit, session_pause_to_string(bit));
}

/* Clear pause bits; when none is left, resume at a reduced level and ramp back up. */
void engine_unpause(struct session_engine *s, uint32_t bits)
{
	uint32_t old = s->paused;

	s->paused &= ~bits;
	if (!old || s->paused)
		return;
	engine_event(s, SESSION_EVENT_RESUME, (int32_t) old, NULL);
	/* Of the level with any re-ramp still in progress: a resume never goes up. */
	s->reramp_from = engine_base_level(s) * s->rules.resume_pct / 100.0;
	s->reramp_at = s->active;
	s->reramp = true;
}

/* Straight to cool-down from the current level (pain >= 6). */
void engine_cooldown_now(struct session_engine *s)
{
	s->cool_from = engine_exercising(s) && !s->paused ? engine_base_level(s) : s->level;
	s->cool_len = SEC(s->plan.cooldown_s);
	engine_enter(s, SESSION_PHASE_COOLDOWN);
}

/* ---- time ---------------------------------------------------------------------------------- */

static uint64_t stretches_end(unsigned n)
{
	uint64_t t = 0;

	for (unsigned i = 0; i < n && i < ARRAY_SIZE(stretches); i++)
		t += SEC(stretches[i].seconds);
	return t;
}

static bool countdown_step(struct session_engine *s)
{
	uint64_t t = s->now - s->phase_at, n = SEC(s->rules.countdown_s);
	uint32_t left = t >= n ? 0 : s->rules.countdown_s - (uint32_t) (t / SEC(1));

	while (s->countdown_left > left) {
		s->countdown_left--;
		if (s->countdown_left > 0)
			engine_event(s, SESSION_EVENT_COUNTDOWN, (int32_t) s->countdown_left, NULL);
	}
	if (t < n)
		return false;
	engine_enter(s, SESSION_PHASE_WARMUP);
	return true;
}

/* Enter the next phase at the exact boundary, so results do not depend on the step size. */
static void enter_at(struct session_engine *s, enum session_phase phase, uint64_t at)
{
	engine_enter(s, phase);
	s->phase_at = at;
}

static bool steady_end(struct session_engine *s, uint64_t at)
{
	uint64_t active = s->active;

	s->active = at; /* the level at the boundary, not at the end of this step */
	s->cool_from = engine_base_level(s);
	s->active = active;
	s->cool_len = SEC(s->plan.cooldown_s);
	enter_at(s, SESSION_PHASE_COOLDOWN, at);
	return true;
}

static bool stretches_step(struct session_engine *s, uint64_t x)
{
	if (x < stretches_end(s->stretch + 1))
		return false;
	s->stretch++;
	if (s->stretch < ARRAY_SIZE(stretches)) {
		engine_event(s, SESSION_EVENT_STRETCH, (int32_t) stretches[s->stretch].seconds,
			     stretches[s->stretch].name);
		return true;
	}
	s->active = s->phase_at + stretches_end(ARRAY_SIZE(stretches));
	engine_enter(s, SESSION_PHASE_DONE);
	return true;
}

/* Return: true if the phase changed (call again). */
static bool phase_step(struct session_engine *s)
{
	uint64_t x = s->active - s->phase_at;

	switch (s->phase) {
	case SESSION_PHASE_COUNTDOWN:
		return countdown_step(s);
	case SESSION_PHASE_WARMUP:
		if (x < SEC(s->plan.warmup_s))
			return false;
		enter_at(s, SESSION_PHASE_STEADY, s->phase_at + SEC(s->plan.warmup_s));
		return true;
	case SESSION_PHASE_STEADY:
		if (x < SEC(s->plan.steady_s))
			return false;
		return steady_end(s, s->phase_at + SEC(s->plan.steady_s));
	case SESSION_PHASE_COOLDOWN:
		if (x < s->cool_len)
			return false;
		s->active = s->phase_at + s->cool_len; /* stopping is not session time */
		if (s->end == SESSION_END_NONE)
			s->end = SESSION_END_COMPLETED;
		engine_enter(s, SESSION_PHASE_STOPPING);
		return true;
	case SESSION_PHASE_STRETCHES:
		return stretches_step(s, x);
	case SESSION_PHASE_WAITING:
	case SESSION_PHASE_STOPPING:
	case SESSION_PHASE_DONE:
	case _SESSION_PHASE_MAX:
		break;
	}
	return false;
}

static bool counts_time(const struct session_engine *s)
{
	return !s->paused && (engine_exercising(s) || s->phase == SESSION_PHASE_STRETCHES);
}

/* ---- targets -------------------------------------------------------------------------------- */

static double request_for(struct session_engine *s, enum session_channel c)
{
	bool go = engine_exercising(s) && !s->paused;

	if (c == SESSION_CH_INCLINE) {
		if (!go || s->target <= 0)
			return envelope_floor(&s->env, c);
		return fmin(s->incline * fmin(1, s->level / s->target),
			    engine_machine_ceiling(s, c));
	}
	if (!go)
		return envelope_floor(&s->env, c);
	s->level = engine_base_level(s);
	if (c == SESSION_CH_RESISTANCE)
		return s->origin + fmax(0, s->level + s->trim);
	return s->origin + s->level;
}

/* Safe: the main target at its floor (belt stopped). The incline keeps coming down during
 * the stretches; a stopped belt on a slope is no hazard, and waiting for it would make a
 * SIGTERM take minutes. */
static bool at_floor(const struct session_engine *s)
{
	return s->sent[s->main] == envelope_floor(&s->env, s->main);
}

static void targets_step(struct session_engine *s)
{
	/* Main first: incline follows the main level. */
	static const enum session_channel order[] = { SESSION_CH_POWER, SESSION_CH_RESISTANCE,
						      SESSION_CH_SPEED, SESSION_CH_INCLINE };

	for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
		enum session_channel c = order[i];
		int32_t v;

		if (!(s->channels & (1u << c)))
			continue;
		v = envelope_apply(&s->env, c, s->now, request_for(s, c));
		if (v != s->sent[c] || (s->force & (1u << c))) {
			s->changed |= 1u << c;
			s->accepted &= ~(1u << c); /* until the machine says yes to it */
		}
		s->sent[c] = v;
	}
	s->force = 0;
	if (s->phase == SESSION_PHASE_STOPPING && at_floor(s))
		engine_enter(s, s->end == SESSION_END_COMPLETED && s->plan.stretches
					? SESSION_PHASE_STRETCHES
					: SESSION_PHASE_DONE);
}

static bool run_wanted(const struct session_engine *s)
{
	if (s->guided & (1u << s->main))
		return false; /* the rider starts and stops the machine */
	/* Stopped at the machine: it stays so until the user resumes. */
	if (s->paused & SESSION_PAUSE_MACHINE)
		return false;
	if (s->machine.kind == SESSION_KIND_BIKE)
		return s->phase >= SESSION_PHASE_WARMUP && s->phase <= SESSION_PHASE_STOPPING &&
		       s->link_up;
	return s->sent[SESSION_CH_SPEED] > 0 || (engine_exercising(s) && !s->paused);
}

static uint64_t remaining(const struct session_engine *s)
{
	uint64_t w = SEC(s->plan.warmup_s), st = SEC(s->plan.steady_s), c = SEC(s->plan.cooldown_s);
	uint64_t x = s->active - s->phase_at;

	switch (s->phase) {
	case SESSION_PHASE_WAITING:
	case SESSION_PHASE_COUNTDOWN:
		return w + st + c;
	case SESSION_PHASE_WARMUP:
		return (x < w ? w - x : 0) + st + c;
	case SESSION_PHASE_STEADY:
		return (x < st ? st - x : 0) + c;
	case SESSION_PHASE_COOLDOWN:
		return x < s->cool_len ? s->cool_len - x : 0;
	case SESSION_PHASE_STOPPING:
	case SESSION_PHASE_STRETCHES:
	case SESSION_PHASE_DONE:
	case _SESSION_PHASE_MAX:
		break;
	}
	return 0;
}

static void fill_output(struct session_engine *s, struct session_output *out)
{
	bool run = run_wanted(s);

	*out = (struct session_output) {
		.phase = s->phase,
		.paused = s->paused,
		.end = s->end,
		.done = s->phase == SESSION_PHASE_DONE,
		.run = run,
		.run_changed = run != s->run_sent,
		.elapsed_usec = s->active,
		.remaining_usec = remaining(s),
		.channels = s->channels,
		.changed = s->changed,
		.rebased = s->rebased,
		.guided = s->guided,
		.retry = s->retry & ~s->guided,
		.n_events = s->n_queue,
		.events_lost = s->lost,
	};
	s->run_sent = run;
	memcpy(out->target, s->sent, sizeof(out->target));
	/* Guided channels are the rider's: nothing is written for them. */
	out->changed &= ~s->guided;
	(void) snprintf(out->advice, sizeof(out->advice), "%s",
			s->guided & (1u << s->main) ? s->advice : "");
	memcpy(out->events, s->queue, s->n_queue * sizeof(s->queue[0]));
	s->n_queue = 0;
	s->lost = 0;
	s->changed = 0;
	s->rebased = 0;
	s->retry = 0;
}

int session_advance(struct session_engine *s, uint64_t now, const struct session_input *in,
		    struct session_output *out)
{
	uint64_t dt;

	if (!s->started) {
		s->started = true;
		s->now = now;
		s->force = s->channels;
		envelope_rebase(&s->env, now); /* the stopped belt's rate budget starts now */
		if (s->phase == SESSION_PHASE_WAITING) /* else stopped (or pain >= 6) before */
			engine_enter(s, s->machine.kind == SESSION_KIND_TREADMILL
						? (s->confirmed ? SESSION_PHASE_COUNTDOWN
								: SESSION_PHASE_WAITING)
						: SESSION_PHASE_WARMUP);
	}
	if (now < s->now)
		now = s->now;
	dt = now - s->now;
	if (s->phase != SESSION_PHASE_DONE && counts_time(s))
		s->active += dt;
	s->now = now;
	while (s->phase != SESSION_PHASE_DONE && phase_step(s))
		;
	if (s->phase != SESSION_PHASE_DONE && engine_link_step(s, now, in)) {
		engine_machine_step(s, now, in);
		engine_power_trim(s, dt, in);
		engine_rules_step(s, now, in);
		if (s->phase != SESSION_PHASE_DONE)
			targets_step(s);
		engine_guided_step(s, now, in); /* also at the end: the last word */
	}
	fill_output(s, out);
	return s->phase == SESSION_PHASE_DONE;
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

/* Which channels drive this machine; a bike falls back to resistance if ERG cannot be gentle. */
static int pick_channels(struct session_engine *s, const struct envelope_limits *limits)
{
	struct session_machine m = s->machine;
	int r;

	if (m.kind == SESSION_KIND_TREADMILL) {
		if (!m.has[SESSION_CH_SPEED])
			return -EINVAL;
		m.has[SESSION_CH_POWER] = m.has[SESSION_CH_RESISTANCE] = false;
		s->main = SESSION_CH_SPEED;
	} else {
		m.has[SESSION_CH_SPEED] = m.has[SESSION_CH_INCLINE] = false;
		if (m.has[SESSION_CH_POWER]) {
			bool res = m.has[SESSION_CH_RESISTANCE];

			m.has[SESSION_CH_RESISTANCE] = false;
			s->main = SESSION_CH_POWER;
			r = envelope_init(&s->env, limits, &m);
			if (r != -ERANGE || !res)
				goto done;
			m.has[SESSION_CH_POWER] = false;
			m.has[SESSION_CH_RESISTANCE] = true;
		}
		if (!m.has[SESSION_CH_RESISTANCE])
			return -EINVAL;
		s->main = SESSION_CH_RESISTANCE;
	}
	r = envelope_init(&s->env, limits, &m);
done:
	if (r < 0)
		return r;
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++)
		if (m.has[c])
			s->channels |= 1u << c;
	return 0;
}

static void set_levels(struct session_engine *s)
{
	const struct ftms_range *r = &s->machine.range[s->main];
	double top;

	switch (s->main) {
	case SESSION_CH_POWER:
		s->target = s->plan.power_w;
		break;
	case SESSION_CH_RESISTANCE:
		s->origin = r->min;
		s->target = (double) s->plan.resistance_pct * (r->max - r->min) / 100.0;
		s->power_target = fmin(s->plan.power_w, s->power_cap);
		break;
	case SESSION_CH_SPEED:
	case SESSION_CH_INCLINE:
	case _SESSION_CH_MAX:
		s->target = s->plan.speed_ckmh;
		break;
	}
	top = envelope_ceiling(&s->env, s->main) - s->origin;
	s->target = fmax(0, fmin(s->target, top));
	s->start = s->target * s->plan.start_pct / 100.0;
	if (s->channels & (1u << SESSION_CH_INCLINE))
		s->incline =
			fmin(s->plan.incline_dpct, envelope_ceiling(&s->env, SESSION_CH_INCLINE));
}

int session_new(const struct plan_params *plan, const struct envelope_limits *limits,
		const struct session_rules *rules, const struct session_machine *machine,
		int32_t pain_before, struct session_engine **ret)
{
	_cleanup_(session_freep) struct session_engine *s = NULL;
	struct envelope_limits bounded;
	int r;

	if (plan->kind != machine->kind || (unsigned) machine->kind >= _SESSION_KIND_MAX)
		return -EINVAL;
	if (pain_before != BR_NONE && (pain_before < 0 || pain_before > 10))
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->plan = *plan;
	(void) plan_params_bound(&s->plan);
	s->rules = *rules;
	(void) session_rules_bound(&s->rules);
	s->machine = *machine;
	r = pick_channels(s, limits);
	if (r < 0)
		return r;
	bounded = *limits;
	(void) envelope_limits_bound(&bounded);
	s->power_cap = bounded.ch[SESSION_CH_POWER].cap;
	set_levels(s);
	s->ceiling = s->cadence_ceiling = INFINITY;
	s->machine_phase = _SESSION_PHASE_MAX;
	s->level = s->start;
	s->link_up = true;
	s->pain_before = s->pain_max = pain_before;
	s->pain_after = BR_NONE;
	s->advised = BR_NONE;
	s->advised_state = -1;
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++)
		s->sent[c] = envelope_floor(&s->env, c);
	*ret = TAKE_PTR(s);
	return 0;
}

void session_target_result(struct session_engine *s, enum session_channel c, bool accepted)
{
	if ((unsigned) c >= _SESSION_CH_MAX)
		return;
	if (accepted) {
		s->accepted |= 1u << c;
		return;
	}
	s->accepted &= ~(1u << c);
	s->off &= ~(1u << c);
}

int session_narrow(struct session_engine *s, enum session_channel c, int32_t lo, int32_t hi)
{
	int r;

	if ((unsigned) c >= _SESSION_CH_MAX || !(s->channels & (1u << c)))
		return -EINVAL;
	r = envelope_narrow(&s->env, c, lo, hi);
	if (r < 0)
		return r;
	s->force |= 1u << c;
	/* A refused target is not an ignored one: the machine kept its last value because it said
	 * no. Whether it follows is judged afresh from the target that goes out now. */
	s->off &= ~(1u << c);
	return 0;
}

void session_set_speed_mph(struct session_engine *s, bool mph)
{
	s->speed_mph = mph;
	s->mph = false;
}

void session_free(struct session_engine *s)
{
	free(s);
}
