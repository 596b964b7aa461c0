/* SPDX-License-Identifier: MIT */
/* What the machine did by itself: its console's buttons and targets, a reset, a power cycle. */
#include "engine.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "engine-internal.h"
#include "macro.h"

#define BIT(c) (1u << (c))

double engine_machine_ceiling(const struct session_engine *s, enum session_channel c)
{
	return s->machine_phase == s->phase ? s->machine_ceiling[c] : INFINITY;
}

static bool ending(const struct session_engine *s)
{
	return s->phase == SESSION_PHASE_STOPPING || s->phase == SESSION_PHASE_DONE ||
	       s->phase == SESSION_PHASE_STRETCHES;
}

/* The belt stopped at the machine: re-base on that (as after the safety key); a belt that
 * stopped by itself is never restarted without the user. */
static void belt_stopped(struct session_engine *s, uint64_t now)
{
	if (s->machine.kind != SESSION_KIND_TREADMILL)
		return;
	envelope_reset(&s->env, SESSION_CH_SPEED, now, 0);
	s->sent[SESSION_CH_SPEED] = 0;
	s->rebase_speed = false;
	s->rebased |= BIT(SESSION_CH_SPEED);
}

int session_machine_stopped(struct session_engine *s, uint64_t now)
{
	if (s->phase == SESSION_PHASE_COUNTDOWN) {
		belt_stopped(s, now);
		s->run_sent = false;
		engine_enter(s, SESSION_PHASE_WAITING); /* the belt waits for the user again */
		return 0;
	}
	if (!engine_exercising(s))
		return -ESTALE;
	belt_stopped(s, now);
	s->run_sent = false; /* the machine is stopped: Start goes out on resuming */
	if (s->paused & SESSION_PAUSE_MACHINE)
		return -EALREADY;
	engine_pause(s, SESSION_PAUSE_MACHINE);
	return 0;
}

int session_machine_started(struct session_engine *s, uint64_t now)
{
	const uint32_t waits = SESSION_PAUSE_USER | SESSION_PAUSE_MACHINE | SESSION_PAUSE_CONFIRM;

	if (ending(s))
		return -ESTALE;
	if (s->phase == SESSION_PHASE_WAITING)
		return session_confirm_belt(s, now);
	if (!(s->paused & waits) || (s->paused & SESSION_PAUSE_USER_CLEARS & ~waits))
		return -EALREADY;
	engine_unpause(s, waits);
	s->run_sent = true; /* the machine runs: no Start from the session */
	/* The belt runs at the machine's own speed: the session goes on from what it measures. */
	s->rebase_speed = s->machine.kind == SESSION_KIND_TREADMILL;
	return 0;
}

int session_machine_target(struct session_engine *s, uint64_t now, enum session_channel c,
			   int32_t v)
{
	char text[SESSION_EVENT_TEXT_MAX];
	double aim;

	if ((unsigned) c > _SESSION_CH_MAX)
		return -EINVAL;
	s->force |= s->channels; /* the machine left the session's targets */
	if (!engine_exercising(s) || s->paused)
		return -ESTALE;
	if (c == _SESSION_CH_MAX || !(s->channels & BIT(c))) {
		engine_event(s, SESSION_EVENT_MACHINE_TARGET, v, "set at the machine: held");
		return 1;
	}
	/* The session's target: what it sends, or the level it is on its way to. */
	aim = c == s->main ? fmax(s->sent[c], s->origin + engine_base_level(s)) : s->sent[c];
	if (v > aim) {
		(void) snprintf(text, sizeof(text), "%s %d at the machine: held at %d",
				session_channel_to_string(c), v, s->sent[c]);
		engine_event(s, SESSION_EVENT_MACHINE_TARGET, v, text);
		return 1;
	}
	if (v == s->sent[c] || v == (int32_t) lround(aim)) {
		s->force &= ~BIT(c);
		return -EALREADY;
	}
	/* Lower: the machine is there; the phase goes on at most at that. It is written once
	 * more all the same (force stays): a write of the session's earlier target may be on its
	 * way and would land after the console's. */
	if (s->machine_phase != s->phase)
		for (unsigned i = 0; i < _SESSION_CH_MAX; i++)
			s->machine_ceiling[i] = INFINITY;
	s->machine_phase = s->phase;
	s->machine_ceiling[c] = v;
	envelope_reset(&s->env, c, now, v);
	s->sent[c] = v;
	s->rebased |= BIT(c);
	(void) snprintf(text, sizeof(text), "%s %d at the machine: adopted for this phase",
			session_channel_to_string(c), v);
	engine_event(s, SESSION_EVENT_MACHINE_TARGET, v, text);
	return 0;
}

void session_machine_lost_state(struct session_engine *s, uint64_t now, bool reramp)
{
	s->force |= s->channels;
	s->run_sent = false;
	if (s->machine.kind == SESSION_KIND_TREADMILL) {
		(void) session_machine_stopped(s, now);
		return;
	}
	if (!reramp || !engine_exercising(s) || s->paused)
		return;
	/* As after a pause: from a lower target, a new ramp. */
	s->reramp_from = engine_base_level(s) * s->rules.resume_pct / 100.0;
	s->reramp_at = s->active;
	s->reramp = true;
}

void session_machine_needs_start(struct session_engine *s)
{
	s->run_sent = false;
	s->force |= s->channels;
}

void engine_machine_step(struct session_engine *s, uint64_t now, const struct session_input *in)
{
	if (!s->rebase_speed || !in->speed_present || in->speed_ckmh <= 0)
		return;
	s->rebase_speed = false;
	envelope_reset(&s->env, SESSION_CH_SPEED, now, in->speed_ckmh);
	s->sent[SESSION_CH_SPEED] = s->env.ch[SESSION_CH_SPEED].value;
	s->rebased |= BIT(SESSION_CH_SPEED);
}
