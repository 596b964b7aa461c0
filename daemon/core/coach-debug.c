/* SPDX-License-Identifier: MIT */
/*
 * Debug1's targets (only with [debug] targets = yes): control point commands straight to the
 * connected machine, for integration tests of the control point layer. They go through the
 * machine driver a session drives, and pass the safety envelope a session's do ([safety]
 * caps and rates, time scaled by [daemon] time_scale): one envelope per ready machine link,
 * every channel primed at its floor, so that a big step reaches the machine as a ramp that the
 * coach's timer steps once a (scaled) second. While a session drives the machine, and after
 * one until the link is ready again, Debug1 sends no targets: two envelopes on one machine
 * would add up.
 */
#include "coach-internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "macro.h"

#define STEP_MIN_MS 20 /* the ramp timer never fires more often than this (real time) */

const char *coach_channel_name(enum session_channel c)
{
	static const char *const names[_SESSION_CH_MAX] = {
		[SESSION_CH_POWER] = "power",
		[SESSION_CH_RESISTANCE] = "resistance",
		[SESSION_CH_SPEED] = "speed",
		[SESSION_CH_INCLINE] = "inclination",
	};

	return (unsigned) c < ARRAY_SIZE(names) ? names[c] : "unknown";
}

/* Envelope time: real time since the link was ready, scaled as session time is. */
static uint64_t debug_now(const struct coach *co)
{
	return (uv_hrtime() / 1000 - co->debug.t0) * co->config->time_scale;
}

/* Return: as driver_set_target(): 0 queued, 1 skipped, -errno. */
static int debug_write(struct coach *co, enum session_channel c, int32_t v)
{
	/* 0 is a stopped belt, which no target expresses (the client would clamp it to the
	 * least speed): Command stop stops it. Requests never ask for 0. */
	if (c == SESSION_CH_SPEED && v <= 0)
		return 1;
	return coach_write_target(co, c, v);
}

static void step(struct coach *co, enum session_channel c, uint64_t now)
{
	struct coach_debug *d = &co->debug;
	int32_t v = envelope_apply(&d->env, c, now, d->goal[c]);
	int r;

	d->ramp[c] = v != d->goal[c];
	if (v == d->value[c])
		return;
	d->value[c] = v;
	r = debug_write(co, c, v);
	if (r < 0)
		log_debug("Debug1: cannot send %s %d (%s).", coach_channel_name(c), v,
			  strerror(-r));
}

bool coach_debug_step(struct coach *co)
{
	struct coach_debug *d = &co->debug;
	uint64_t now = debug_now(co);
	bool more = false;

	for (int c = 0; c < _SESSION_CH_MAX; c++) {
		if (d->ramp[c])
			step(co, (enum session_channel) c, now);
		more = more || d->ramp[c];
	}
	return more;
}

bool coach_debug_ramping(const struct coach *co)
{
	for (int c = 0; c < _SESSION_CH_MAX; c++)
		if (co->debug.ramp[c])
			return true;
	return false;
}

unsigned coach_debug_period_ms(const struct coach *co)
{
	return MAX(1000 / co->config->time_scale, (unsigned) STEP_MIN_MS);
}

/* Re-base channel @c at @v (a known machine state, not a command) and end its ramp. */
static void channel_reset(struct coach_debug *d, enum session_channel c, uint64_t now, int32_t v)
{
	envelope_reset(&d->env, c, now, v);
	d->value[c] = d->goal[c] = d->env.ch[c].value;
	d->ramp[c] = false;
}

static void debug_setup(struct coach *co, const struct machine_info *info)
{
	struct coach_debug *d = &co->debug;
	struct session_machine m;
	struct envelope_limits l;
	int r;

	r = coach_machine(info, &m);
	if (r >= 0) {
		coach_limits(co->config, &l);
		r = envelope_init(&d->env, &l, &m);
	}
	if (r < 0) {
		log_info("Debug1: %s cannot be driven within the safety envelope (%s).",
			 info->address, strerror(-r));
		d->why_not = r;
		return;
	}
	d->t0 = uv_hrtime() / 1000;
	/* The machine's state is unknown: count from the floor, so the first step is gentle. */
	for (int c = 0; c < _SESSION_CH_MAX; c++)
		if (d->env.ch[c].used)
			channel_reset(d, (enum session_channel) c, 0,
				      envelope_floor(&d->env, (enum session_channel) c));
	(void) snprintf(d->address, sizeof(d->address), "%s", info->address);
	d->ready = true;
}

void coach_debug_machine(struct coach *co, const struct machine_info *info)
{
	struct coach_debug *d = &co->debug;

	if (!co->config->debug_targets)
		return;
	if (info && d->ready && strcmp(info->address, d->address) == 0)
		return; /* the same link: its ramps go on */
	d->ready = false;
	d->why_not = -EBUSY;
	memset(d->ramp, 0, sizeof(d->ramp));
	coach_tick_update(co);
	if (info)
		debug_setup(co, info);
}

enum coach_debug_status coach_debug_status(const struct coach *co, int channel, int *ret_error)
{
	const struct coach_debug *d = &co->debug;

	if (co->running)
		return COACH_DEBUG_SESSION;
	if (channel < 0)
		return COACH_DEBUG_USABLE;
	if (!coach_link_up(co))
		return COACH_DEBUG_NOT_READY;
	if (!d->ready && d->why_not != -EBUSY) {
		*ret_error = d->why_not;
		return COACH_DEBUG_NO_ENVELOPE;
	}
	if (!d->ready)
		return COACH_DEBUG_TAKEN;
	if (!d->env.ch[channel].used)
		return COACH_DEBUG_UNSUPPORTED;
	return COACH_DEBUG_USABLE;
}

int coach_debug_target(struct coach *co, enum session_channel c, int32_t value)
{
	struct coach_debug *d = &co->debug;
	struct envelope probe = d->env;
	uint64_t now = debug_now(co);
	/* No target speed stops a belt (Command stop does): a moving belt's least is the floor. */
	int32_t goal, request = c == SESSION_CH_SPEED ? MAX(value, 1) : value;
	int r;

	probe.ch[c].primed = false; /* an unprimed channel is only clamped, capped and rounded */
	goal = envelope_apply(&probe, c, now, request);
	if (goal != value)
		log_info("Debug1: %s %d is outside the safety envelope; the target is %d.",
			 coach_channel_name(c), value, goal);
	if (d->ramp[c] && goal == d->goal[c])
		return 0;
	if (!d->ramp[c]) /* idle until now: no rate budget has built up */
		(void) envelope_apply(&d->env, c, now, d->value[c]);
	d->goal[c] = goal;
	d->ramp[c] = goal != d->value[c];
	if (!d->ramp[c]) {
		r = debug_write(co, c, goal);
		return r < 0 ? r : r == 0;
	}
	log_info("Debug1: %s %d -> %d, rate-limited by the safety envelope (%lld per minute%s).",
		 coach_channel_name(c), d->value[c], goal,
		 (long long) (goal > d->value[c] ? d->env.ch[c].up : d->env.ch[c].down),
		 co->config->time_scale > 1 ? " of scaled time" : "");
	coach_tick_update(co);
	return 1;
}

/* What a command tells the envelope about the machine. */
static void command_done(struct coach *co, enum coach_debug_command cmd)
{
	struct coach_debug *d = &co->debug;
	uint64_t now = debug_now(co);

	if (!d->ready)
		return;
	if (cmd == COACH_DEBUG_RESET) /* the machine's own defaults: count from the floors */
		for (int c = 0; c < _SESSION_CH_MAX; c++)
			if (d->env.ch[c].used)
				channel_reset(d, (enum session_channel) c, now,
					      envelope_floor(&d->env, (enum session_channel) c));
	if ((cmd == COACH_DEBUG_STOP || cmd == COACH_DEBUG_PAUSE) &&
	    d->env.ch[SESSION_CH_SPEED].used)
		channel_reset(d, SESSION_CH_SPEED, now, 0); /* the belt stops */
}

int coach_debug_command(struct coach *co, enum coach_debug_command cmd)
{
	const struct machine_driver *drv = coach_driver(co);
	int r = -EINVAL;

	if (co->running)
		return -EBUSY;
	switch (cmd) {
	case COACH_DEBUG_REQUEST_CONTROL:
		r = driver_request_control(drv);
		break;
	case COACH_DEBUG_START:
		r = driver_start(drv);
		break;
	case COACH_DEBUG_STOP:
	case COACH_DEBUG_PAUSE:
		r = driver_stop(drv, cmd == COACH_DEBUG_PAUSE);
		break;
	case COACH_DEBUG_RESET:
		r = driver_reset(drv);
		break;
	}
	if (r < 0)
		return r;
	command_done(co, cmd);
	return 0;
}
