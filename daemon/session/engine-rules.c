/* SPDX-License-Identifier: MIT */
/* The rules during a session (pain, heart rate, cadence, treadmill, link) and the commands. */
#include "engine.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "engine-internal.h"
#include "macro.h"

#define BIT(c) (1u << (c))

/* The level the machine can really be at: the plan's level within the envelope's cap. */
static double capped_level(const struct session_engine *s)
{
	return fmin(s->level, envelope_ceiling(&s->env, s->main) - s->origin);
}

/* Lower the ceiling of the main target to pct % of the current level; it never rises again.
 * The level is taken within the cap, so a reduction is felt even when the plan asked for more
 * than the cap allows. */
static void reduce(struct session_engine *s, unsigned pct, const char *why)
{
	char text[SESSION_EVENT_TEXT_MAX];

	s->ceiling = fmin(s->ceiling, capped_level(s) * pct / 100.0);
	(void) snprintf(text, sizeof(text), "%s: target -%u %%, no more ramping up", why,
			100 - pct);
	engine_event(s, SESSION_EVENT_REDUCE, (int32_t) lround(s->origin + s->ceiling), text);
}

/* ---- link --------------------------------------------------------------------------------- */

static void link_restored(struct session_engine *s, uint64_t now, const struct session_input *in)
{
	s->link_up = true;
	engine_event(s, SESSION_EVENT_LINK, 1, "up");
	/* No budget built up while nothing could be commanded, and every target is re-sent. */
	envelope_rebase(&s->env, now);
	s->force = s->channels;
	if (s->machine.kind == SESSION_KIND_TREADMILL && s->confirmed) {
		/* The belt may have stopped (or not) on its own: start from what it does. Not
		 * knowing counts as stopped: a belt must never restart unconfirmed. */
		envelope_reset(&s->env, SESSION_CH_SPEED, now,
			       in->speed_present ? in->speed_ckmh : 0);
		s->sent[SESSION_CH_SPEED] = s->env.ch[SESSION_CH_SPEED].value;
		s->rebased |= BIT(SESSION_CH_SPEED);
		if (s->sent[SESSION_CH_SPEED] == 0 && engine_exercising(s))
			engine_pause(s, SESSION_PAUSE_CONFIRM);
	}
	engine_unpause(s, SESSION_PAUSE_LINK);
}

/* Return: true if the link is up and the session goes on (rules and targets apply). */
bool engine_link_step(struct session_engine *s, uint64_t now, const struct session_input *in)
{
	if (s->phase == SESSION_PHASE_STRETCHES) { /* off the machine: the link does not matter */
		s->link_up = in->link_up;
		return in->link_up;
	}
	if (in->link_up) {
		if (!s->link_up)
			link_restored(s, now, in);
		return true;
	}
	if (s->link_up) {
		s->link_up = false;
		s->link_down_at = now;
		engine_event(s, SESSION_EVENT_LINK, 0, "down");
		engine_pause(s, SESSION_PAUSE_LINK);
	}
	if (s->phase == SESSION_PHASE_STOPPING) {
		engine_enter(s, SESSION_PHASE_DONE); /* nothing more can be commanded */
	} else if (now - s->link_down_at >= SEC(s->rules.link_timeout_s)) {
		s->end = SESSION_END_INTERRUPTED;
		engine_enter(s, SESSION_PHASE_DONE);
	}
	return false;
}

/* ---- rules --------------------------------------------------------------------------------- */

static void safety_key(struct session_engine *s, uint64_t now)
{
	/* The belt is already stopped by the machine: re-base on that, never restart it. */
	envelope_reset(&s->env, SESSION_CH_SPEED, now, 0);
	s->sent[SESSION_CH_SPEED] = 0;
	s->changed |= BIT(SESSION_CH_SPEED);
	s->rebased |= BIT(SESSION_CH_SPEED);
	s->end = SESSION_END_SAFETY_KEY;
	engine_event(s, SESSION_EVENT_SAFETY_KEY, 0, "safety key pulled: the session ends");
	engine_enter(s, SESSION_PHASE_DONE);
}

static void pedalling_rule(struct session_engine *s, uint64_t now, const struct session_input *in)
{
	bool known = in->cadence_present || in->speed_present;
	bool moving = (in->cadence_present && in->cadence_hrpm > 0) ||
		      (in->speed_present && in->speed_ckmh > 0);

	if (!known)
		return;
	if (moving) {
		s->no_pedal = false;
		if (s->paused & SESSION_PAUSE_NO_PEDALLING)
			engine_unpause(s, SESSION_PAUSE_NO_PEDALLING);
		return;
	}
	if (s->paused & (SESSION_PAUSE_USER | SESSION_PAUSE_NO_PEDALLING))
		return;
	if (!s->no_pedal) {
		s->no_pedal = true;
		s->no_pedal_since = now;
	} else if (now - s->no_pedal_since >= SEC(s->rules.no_pedal_s)) {
		engine_pause(s, SESSION_PAUSE_NO_PEDALLING);
	}
}

static void hr_rule(struct session_engine *s, uint64_t now, const struct session_input *in)
{
	char text[SESSION_EVENT_TEXT_MAX];

	/* Stale or absent heart rate never drives control. */
	if (!s->rules.hr_max_bpm || !in->hr_present ||
	    in->hr_bpm <= (int32_t) s->rules.hr_max_bpm) {
		s->hr_above = false;
		return;
	}
	if (!s->hr_above) {
		s->hr_above = true;
		s->hr_since = now;
		return;
	}
	if (now - s->hr_since < HR_ABOVE_USEC)
		return;
	s->hr_since = now;
	(void) snprintf(text, sizeof(text), "heart rate %d above %u for 10 s", in->hr_bpm,
			s->rules.hr_max_bpm);
	engine_event(s, SESSION_EVENT_HEART_RATE, in->hr_bpm, text);
	reduce(s, HR_REDUCE_PCT, "heart rate");
}

/* ERG holds power by raising resistance when cadence falls, which makes pedalling harder
 * still: lower the target instead, and ramp back gently once cadence recovers. */
static void cadence_rule(struct session_engine *s, uint64_t now, const struct session_input *in)
{
	if (!in->cadence_present || in->cadence_hrpm <= 0)
		return; /* not pedalling: the pedalling rule's business */
	if (in->cadence_hrpm < 2 * (int32_t) s->rules.cadence_floor_rpm) {
		s->cad_ok = false;
		if (!s->cad_low) {
			s->cad_low = true;
			s->cad_low_since = now;
		} else if (now - s->cad_low_since >= CADENCE_LOW_USEC) {
			if (isinf(s->cadence_ceiling))
				engine_event(s, SESSION_EVENT_CADENCE_LOW, in->cadence_hrpm / 2,
					     "cadence below the floor: lowering the target");
			s->cad_low_since = now;
			s->cadence_ceiling = fmin(s->cadence_ceiling,
						  capped_level(s) * CADENCE_REDUCE_PCT / 100.0);
		}
		return;
	}
	s->cad_low = false;
	if (isinf(s->cadence_ceiling))
		return;
	if (!s->cad_ok) {
		s->cad_ok = true;
		s->cad_ok_since = now;
	} else if (now - s->cad_ok_since >= CADENCE_OK_USEC) {
		s->reramp_from = engine_base_level(s);
		s->reramp_at = s->active;
		s->reramp = true;
		s->cadence_ceiling = INFINITY;
		s->cad_ok = false;
	}
}

/*
 * Resistance without ERG: a level gives whatever power the rider's cadence makes of it, so a
 * plan's 20 % can mean 80 W. When the bike reports its power, steer the level toward the
 * power ERG would hold at this point of the plan (the same ramps, ceilings and cap): an
 * integral on the relative power error, over dt. The trim only lowers the plan's level, so
 * slow pedalling is never made harder, and it never runs more than one step of the machine's
 * grid past what was last sent (the envelope's rates hold the rest back).
 */
void engine_power_trim(struct session_engine *s, uint64_t dt, const struct session_input *in)
{
	double level, ref, err, sent, inc;

	if (s->main != SESSION_CH_RESISTANCE || !in->power_present || !engine_exercising(s) ||
	    s->paused || s->target <= 0)
		return;
	level = engine_base_level(s);
	ref = fmin(s->power_target * level / s->target, s->power_cap);
	err = (in->power_w - ref) / fmax(ref, 1.0);
	s->trim -= TRIM_GAIN * err * fmax(level, 1.0) * (double) dt / (double) SEC(1);
	sent = s->sent[SESSION_CH_RESISTANCE] - s->origin;
	inc = s->env.ch[SESSION_CH_RESISTANCE].inc;
	s->trim = fmin(s->trim, sent + inc - level);
	s->trim = fmax(s->trim, fmax(sent - inc, 0) - level);
	s->trim = fmax(-level, fmin(s->trim, 0));
}

/*
 * Firmware that takes km/h values as mph reports about 1.609 x the commanded speed. Once the
 * caller converts for mph, a belt at about 1 / 1.609 = 0.62 x is a km/h machine after all.
 */
static void speed_units_rule(struct session_engine *s, uint64_t now, const struct session_input *in)
{
	int64_t cmd = s->sent[SESSION_CH_SPEED], m = in->speed_ckmh;
	int64_t lo = s->speed_mph ? 580 : 1500, hi = s->speed_mph ? 670 : 1720;

	if (!in->speed_present || cmd < 100 || m * 1000 < cmd * lo || m * 1000 > cmd * hi) {
		s->mph = false;
		return;
	}
	if (!s->mph) {
		s->mph = true;
		s->mph_since = now;
		return;
	}
	if (now - s->mph_since < SPEED_UNITS_USEC)
		return;
	s->mph = false;
	engine_event(s, SESSION_EVENT_SPEED_UNITS, in->speed_ckmh,
		     s->speed_mph ? "speed is 0.6 x the target: km/h after all? paused"
				  : "speed is 1.6 x the target: mph firmware? paused");
	engine_pause(s, SESSION_PAUSE_SPEED_UNITS);
}

void engine_rules_step(struct session_engine *s, uint64_t now, const struct session_input *in)
{
	if (s->machine.kind == SESSION_KIND_TREADMILL && in->safety_key) {
		safety_key(s, now);
		return;
	}
	if (!engine_exercising(s))
		return;
	/* Persistent garbage: paused like the user would, until the user resumes. */
	if (in->implausible)
		engine_pause(s, SESSION_PAUSE_IMPLAUSIBLE);
	if (s->machine.kind == SESSION_KIND_BIKE)
		pedalling_rule(s, now, in);
	if (s->paused) {
		s->hr_above = s->cad_low = s->cad_ok = s->mph = false;
		return;
	}
	hr_rule(s, now, in);
	if (s->main == SESSION_CH_POWER)
		cadence_rule(s, now, in);
	/* A guided belt runs at the rider's speed, not at one backride commanded. */
	if (s->machine.kind == SESSION_KIND_TREADMILL && !(s->guided & BIT(SESSION_CH_SPEED)))
		speed_units_rule(s, now, in);
}

/* ---- commands ------------------------------------------------------------------------------ */

int session_report_pain(struct session_engine *s, uint64_t now, int32_t pain)
{
	char text[SESSION_EVENT_TEXT_MAX];

	if (pain < 0 || pain > 10)
		return -EINVAL;
	(void) snprintf(text, sizeof(text), "pain %d/10", pain);
	engine_event(s, SESSION_EVENT_PAIN, pain, text);
	s->pain_max = s->pain_max == BR_NONE ? pain : MAX(s->pain_max, pain);
	if (s->phase == SESSION_PHASE_DONE || s->phase == SESSION_PHASE_STRETCHES) {
		s->pain_after = pain;
		if (s->phase == SESSION_PHASE_STRETCHES && pain >= 6)
			engine_enter(s, SESSION_PHASE_DONE);
		return 0;
	}
	if (s->phase == SESSION_PHASE_STOPPING || pain <= 3)
		return 0;
	if (pain <= 5) {
		reduce(s, PAIN_REDUCE_PCT, "pain");
		return 0;
	}
	s->end = SESSION_END_PAIN;
	if (s->phase == SESSION_PHASE_WAITING || s->phase == SESSION_PHASE_COUNTDOWN)
		engine_enter(s, SESSION_PHASE_STOPPING);
	else if (s->phase != SESSION_PHASE_COOLDOWN)
		engine_cooldown_now(s);
	return 0;
}

int session_ease(struct session_engine *s, uint64_t now)
{
	if (!engine_exercising(s))
		return -ESTALE;
	if (s->paused)
		return -EAGAIN;
	/* The same step as pain 4-5, through the same ceiling: asking for less is always
	 * allowed, and nothing here can raise a target. */
	engine_event(s, SESSION_EVENT_EASE, 0, "asked");
	reduce(s, EASE_PCT, "asked");
	return 0;
}

int session_pause(struct session_engine *s, uint64_t now)
{
	if (s->phase == SESSION_PHASE_STOPPING || s->phase == SESSION_PHASE_DONE)
		return -ESTALE;
	if (s->phase == SESSION_PHASE_COUNTDOWN) {
		engine_enter(s, SESSION_PHASE_WAITING); /* the belt waits for a new confirmation */
		return 0;
	}
	if (s->phase == SESSION_PHASE_WAITING || (s->paused & SESSION_PAUSE_USER))
		return -EALREADY;
	engine_pause(s, SESSION_PAUSE_USER);
	return 0;
}

int session_resume(struct session_engine *s, uint64_t now)
{
	if (s->phase == SESSION_PHASE_STOPPING || s->phase == SESSION_PHASE_DONE)
		return -ESTALE;
	if (!(s->paused & SESSION_PAUSE_USER_CLEARS))
		return -EALREADY;
	engine_unpause(s, SESSION_PAUSE_USER_CLEARS);
	return 0;
}

int session_stop(struct session_engine *s, uint64_t now, enum session_end reason)
{
	if (reason != SESSION_END_USER_STOP && reason != SESSION_END_SHUTDOWN &&
	    reason != SESSION_END_FAULT)
		return -EINVAL;
	if (s->phase == SESSION_PHASE_STOPPING || s->phase == SESSION_PHASE_DONE)
		return -EALREADY;
	if (s->phase == SESSION_PHASE_STRETCHES) {
		engine_enter(s, SESSION_PHASE_DONE); /* the machine is safe already */
		return 0;
	}
	s->end = reason;
	engine_enter(s, s->link_up ? SESSION_PHASE_STOPPING : SESSION_PHASE_DONE);
	return 0;
}

int session_confirm_belt(struct session_engine *s, uint64_t now)
{
	if (s->machine.kind != SESSION_KIND_TREADMILL)
		return -EOPNOTSUPP;
	if (s->phase == SESSION_PHASE_WAITING) {
		if (!s->started) { /* the first step starts the countdown */
			if (s->confirmed)
				return -EALREADY;
			s->confirmed = true;
			return 0;
		}
		s->confirmed = true;
		engine_enter(s, SESSION_PHASE_COUNTDOWN);
		return 0;
	}
	if (!(s->paused & SESSION_PAUSE_CONFIRM))
		return -EALREADY;
	engine_unpause(s, SESSION_PAUSE_CONFIRM);
	return 0;
}
