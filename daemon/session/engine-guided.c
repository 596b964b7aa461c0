/* SPDX-License-Identifier: MIT */
/*
 * Guided mode: the channels the rider sets by hand, the advice that tells them how, and the
 * detection of targets a machine accepts and ignores. Rules and numbers: README.md beside this
 * file, "Guided mode".
 */
#include "engine.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"
#include "macro.h"

#define BIT(c)	       (1u << (c))
#define ADVICE_RPM     80 /* the cadence a guided bike's advice names */
#define CONFIRM_CKMH   50 /* a guided belt this fast: the rider started it */
#define OFF_POWER_W    20 /* measured power this far off the target (or 25 %) is off */
#define OFF_SPEED_CKMH 50 /* measured speed this far off the target (or 25 %) is off */
/* Advice is given again when the advised target moved this far (or the phase changed). */
#define STEP_POWER_W	5
#define STEP_RES_D	10
#define STEP_SPEED_CKMH 30

/* What an advice is about; with the phase, a change of it gives a new advice at once. */
enum advice_state {
	ADVICE_NONE,
	ADVICE_START, /* treadmill waiting: the rider starts the belt */
	ADVICE_GO,    /* exercising: the plan's target */
	ADVICE_REST,  /* paused or stopping: down to the floor */
};

uint32_t session_get_guided(const struct session_engine *s)
{
	return s->guided;
}

int session_guide(struct session_engine *s, uint64_t now, uint32_t channels, const char *why)
{
	uint32_t mask = channels & s->channels;

	if (s->phase == SESSION_PHASE_DONE)
		return -ESTALE;
	if (!mask)
		return -EINVAL;
	if (mask & BIT(s->main))
		mask = s->channels;
	if (!(mask & ~s->guided))
		return -EALREADY;
	s->guided |= mask;
	s->off &= ~mask;
	if (s->guided & BIT(s->main))
		s->run_sent = false; /* never started nor stopped from now on: the rider does it */
	s->advised_state = -1;
	engine_event(s, SESSION_EVENT_GUIDED, (int32_t) mask, why);
	return 0;
}

/* ---- ignored targets ---------------------------------------------------------------------- */

/*
 * Whether the measured value of the main channel is off its target now, when it can be judged
 * at all: exercising, not paused, the value measured, and for power a cadence at which an ERG
 * brake holds its target. Return: 1 off, 0 on target, -1 cannot be judged.
 */
static int main_off(const struct session_engine *s, const struct session_input *in)
{
	int32_t t = s->sent[s->main], m;

	if (!engine_exercising(s) || s->paused || (s->guided & BIT(s->main)))
		return -1;
	if (s->main == SESSION_CH_POWER) {
		if (!in->power_present || !in->cadence_present || t < 10 ||
		    in->cadence_hrpm < 2 * (int32_t) s->rules.cadence_floor_rpm)
			return -1;
		m = in->power_w;
		return abs(m - t) > MAX(OFF_POWER_W, t / 4);
	}
	if (s->main == SESSION_CH_SPEED) {
		if (!in->speed_present || t < 100)
			return -1;
		m = in->speed_ckmh;
		return abs(m - t) > MAX(OFF_SPEED_CKMH, t / 4);
	}
	return -1; /* resistance: what it gives depends on the rider */
}

static void ignored_step(struct session_engine *s, uint64_t now, const struct session_input *in)
{
	char text[SESSION_EVENT_TEXT_MAX];
	const char *name = session_channel_to_string(s->main);
	uint32_t bit = BIT(s->main);

	/* A target not yet accepted (on its way, or its answer late) cannot be ignored yet: the
	 * judgement holds. A refused one starts it afresh (session_target_result()). */
	if (!(s->accepted & bit))
		return;
	if (main_off(s, in) != 1) {
		s->off &= ~bit;
		return;
	}
	if (!(s->off & bit)) {
		s->off |= bit;
		s->off_since[s->main] = now;
		return;
	}
	if (now - s->off_since[s->main] < IGNORED_USEC)
		return;
	s->off_since[s->main] = now;
	if (!(s->retried & bit)) {
		s->retried |= bit;
		s->retry |= bit;
		s->accepted &= ~bit; /* sent again: judged once it is accepted again */
		(void) snprintf(text, sizeof(text),
				"the machine did not follow its %s target: "
				"sent again",
				name);
		engine_event(s, SESSION_EVENT_RETRY, (int32_t) bit, text);
		return;
	}
	(void) snprintf(text, sizeof(text), "the machine ignores its %s target", name);
	(void) session_guide(s, now, bit, text);
}

/* ---- advice -------------------------------------------------------------------------------- */

static double speed_kmh(int32_t ckmh)
{
	return ckmh / 100.0;
}

/* The target as the advice says it: power to 5 W, resistance to a level, speed as it is (said
 * to 0.1 km/h). */
static int32_t advice_round(const struct session_engine *s, int32_t v)
{
	if (s->main == SESSION_CH_POWER)
		return (v + 2) / 5 * 5;
	if (s->main == SESSION_CH_RESISTANCE)
		return (v + 5) / 10 * 10;
	return v;
}

/* The cadence for the power level @v on a bike that measures none: from 10 rpm above the
 * cadence floor at no load up to ADVICE_RPM at the steady target, to 5 rpm. */
static int advice_cadence(const struct session_engine *s, int32_t v)
{
	double top = s->origin + s->target, frac = top > 0 ? CLAMP((double) v / top, 0.0, 1.0) : 1;
	int lo = (int) MIN(s->rules.cadence_floor_rpm + 10, (uint32_t) ADVICE_RPM);

	return (int) lround((lo + (ADVICE_RPM - lo) * frac) / 5) * 5;
}

static void advice_go(const struct session_engine *s, int32_t v, int dir, char *buf, size_t n)
{
	switch (s->main) {
	case SESSION_CH_POWER:
		if (s->machine.cadence_only) {
			(void) snprintf(buf, n, "%s about %d rpm, light resistance",
					dir < 0 ? "ease off: pedal at" : "pedal easy at",
					advice_cadence(s, v));
			break;
		}
		(void) snprintf(buf, n, "%s about %d W at %d rpm",
				dir < 0 ? "ease off:" : "pedal easy,", advice_round(s, v),
				ADVICE_RPM);
		break;
	case SESSION_CH_RESISTANCE:
		(void) snprintf(buf, n, "%s resistance about level %d, %d rpm",
				dir < 0 ? "ease off:" : "pedal easy,", advice_round(s, v) / 10,
				ADVICE_RPM);
		break;
	case SESSION_CH_SPEED:
	case SESSION_CH_INCLINE:
	case _SESSION_CH_MAX:
		(void) snprintf(buf, n, "%s %.1f km/h",
				dir < 0	  ? "slow the belt to"
				: dir > 0 ? "speed the belt up to"
					  : "walk at",
				speed_kmh(v));
		break;
	}
}

static void advice_rest(const struct session_engine *s, int32_t v, char *buf, size_t n)
{
	if (s->main != SESSION_CH_SPEED)
		(void) snprintf(buf, n, "rest: stop pedalling or pedal very gently");
	else if (v > 0)
		(void) snprintf(buf, n, "slow the belt to %.1f km/h", speed_kmh(v));
	else
		(void) snprintf(buf, n, "stop the belt");
}

static enum advice_state advice_state(const struct session_engine *s)
{
	if (s->phase == SESSION_PHASE_WAITING || s->phase == SESSION_PHASE_COUNTDOWN)
		return ADVICE_START;
	if (engine_exercising(s) && !s->paused)
		return ADVICE_GO;
	/* Off the machine; a belt that was advised to move is told to stop first. */
	if (s->phase == SESSION_PHASE_STRETCHES || s->phase == SESSION_PHASE_DONE)
		return s->main == SESSION_CH_SPEED && s->advised > 0 ? ADVICE_REST : ADVICE_NONE;
	return ADVICE_REST;
}

static int32_t advice_step(const struct session_engine *s)
{
	return s->main == SESSION_CH_POWER	  ? STEP_POWER_W
	       : s->main == SESSION_CH_RESISTANCE ? STEP_RES_D
						  : STEP_SPEED_CKMH;
}

/* Whether the advice last given still holds (the same phase and state, about the same target). */
static bool advice_holds(const struct session_engine *s, enum advice_state st, int key, int32_t v)
{
	if (key != s->advised_state)
		return false;
	switch (st) {
	case ADVICE_NONE:
	case ADVICE_START:
		return true;
	case ADVICE_REST:
		/* A belt slowing down: each step down, and always "stop" at the end. */
		if (s->main != SESSION_CH_SPEED || v >= s->advised)
			return true;
		return v > 0 && s->advised - v < advice_step(s);
	case ADVICE_GO:
		break;
	}
	return abs(advice_round(s, v) - advice_round(s, s->advised)) < advice_step(s);
}

static void advice(struct session_engine *s)
{
	enum advice_state st = advice_state(s);
	int key = (int) st * _SESSION_PHASE_MAX + (int) s->phase;
	int32_t v = st == ADVICE_START ? (int32_t) lround(s->origin + s->start) : s->sent[s->main];
	int dir = key != s->advised_state ? 0 : v < s->advised ? -1 : 1;
	char text[SESSION_EVENT_TEXT_MAX];
	size_t n = sizeof(text);

	if (advice_holds(s, st, key, v))
		return;
	s->advised_state = key;
	s->advised = v;
	switch (st) {
	case ADVICE_NONE:
		s->advice[0] = '\0';
		return;
	case ADVICE_START:
		(void) snprintf(text, n, "start the belt yourself; walk at about %.1f km/h",
				speed_kmh(v));
		break;
	case ADVICE_GO:
		advice_go(s, v, dir, text, n);
		break;
	case ADVICE_REST:
		advice_rest(s, v, text, n);
		break;
	}
	if (strcmp(text, s->advice) == 0)
		return; /* a new phase, the same words (steady after the warm-up) */
	memcpy(s->advice, text, sizeof(s->advice));
	engine_event(s, SESSION_EVENT_ADVICE, v, s->advice);
}

/* A guided belt waiting for the rider (at the start, or stopped when the link came back):
 * once it moves, the rider has started it. */
static void belt_started(struct session_engine *s, uint64_t now, const struct session_input *in)
{
	bool waiting = s->phase == SESSION_PHASE_WAITING;

	if ((!waiting && !(s->paused & SESSION_PAUSE_CONFIRM)) || !in->speed_present ||
	    in->speed_ckmh < CONFIRM_CKMH)
		return;
	s->confirmed = true;
	envelope_reset(&s->env, SESSION_CH_SPEED, now, in->speed_ckmh);
	s->sent[SESSION_CH_SPEED] = s->env.ch[SESSION_CH_SPEED].value;
	if (waiting)
		engine_enter(s, SESSION_PHASE_WARMUP);
	else
		engine_unpause(s, SESSION_PAUSE_CONFIRM);
}

void engine_guided_step(struct session_engine *s, uint64_t now, const struct session_input *in)
{
	ignored_step(s, now, in);
	if (!(s->guided & BIT(s->main)))
		return;
	if (s->main == SESSION_CH_SPEED)
		belt_started(s, now, in);
	advice(s);
}
