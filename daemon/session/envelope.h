/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The safety envelope: the one path every target takes on its way to the machine.
 *
 * For each channel (power, resistance, speed, incline) it
 *  1. clamps the request to the machine's supported range and to the cap (a config value that
 *     is itself clamped to a compile-time hard ceiling, below),
 *  2. rounds it to the machine's increment,
 *  3. limits the change against the last emitted value: a change of d units at time t is only
 *     emitted if d <= rate * (t - t_anchor), where t_anchor is the time of the last change (or
 *     the last call at which the target was already reached). So between any two emitted
 *     values, |change| <= rate * elapsed, exactly, in integers, at any step size.
 *
 * Speed is special: 0 (belt stopped) is always allowed; a moving belt is at least the
 * machine's minimum speed, so 0 -> min and min -> 0 are rate-limited like any other change.
 * Rates are per minute, separately up and down (slowing a bike is harmless, so its down rates
 * are high; a belt decelerates gently).
 */

#include <stdbool.h>
#include <stdint.h>

#include "ftms.h"
#include "session-types.h"

/* Hard ceilings: no config, D-Bus or history value gets past these. A gentle coach for people
 * with back pain never needs more. */
#define ENVELOPE_HARD_MAX_POWER_W	 200 /* W */
#define ENVELOPE_HARD_MAX_RESISTANCE_PCT 60  /* % of the machine's range */
#define ENVELOPE_HARD_MAX_SPEED_CKMH	 650 /* 6.5 km/h: brisk walking, never running */
#define ENVELOPE_HARD_MAX_INCLINE_DPCT	 50  /* 5 % */

struct envelope_channel_limits {
	int32_t cap;	      /* W, % of range, 0.01 km/h, 0.1 % */
	int32_t up_per_min;   /* units per minute, same units as cap */
	int32_t down_per_min; /* units per minute */
};

struct envelope_limits {
	struct envelope_channel_limits ch[_SESSION_CH_MAX]; /* enum session_channel */
};

/* The defaults (README.md): 100 W, 40 %, 5.0 km/h, 2.0 %; rates 30/600 W/min, 10/100 %/min,
 * 6/12 km/h per min, 1/2 % per min. */
void envelope_limits_default(struct envelope_limits *ret);

/*
 * Clamp every cap and rate into its hard bounds (caps to [1, hard ceiling], rates to
 * [hard minimum, hard maximum]: a down rate can never be so low that stopping takes forever).
 * Return: the number of values that had to be changed (0: all were in bounds).
 */
int envelope_limits_bound(struct envelope_limits *l);

/* What the machine supports, from its FTMS Feature and supported range characteristics. */
struct session_machine {
	enum session_kind kind;
	bool has[_SESSION_CH_MAX];		  /* the channel can be set (and has a range) */
	struct ftms_range range[_SESSION_CH_MAX]; /* wire units: 1 W, 0.1, 0.01 km/h, 0.1 % */
	/* It measures no power (a bike with only a speed and cadence sensor): a guided session's
	 * advice names a cadence, never watts the rider cannot see. */
	bool cadence_only;
};

struct envelope_state {
	bool used;
	bool primed;	   /* a value has been emitted or set with envelope_reset() */
	int32_t value;	   /* last emitted, machine units */
	uint64_t anchor;   /* rate budget accumulates from here */
	int dir;	   /* direction of the change in progress: -1, 0, 1 */
	int32_t lo, hi;	   /* effective range: machine range within the cap */
	int32_t base, inc; /* the machine's grid: base + k * inc */
	int64_t up, down;  /* machine units per minute */
};

/* Caller-allocated, no allocation inside. */
struct envelope {
	struct envelope_state ch[_SESSION_CH_MAX];
};

/*
 * Set up the envelope for a machine. Limits are bounded (envelope_limits_bound()) on a copy;
 * a channel the machine lacks stays unused. Nothing is primed except speed, which starts at 0
 * (a belt is stopped until commanded): call envelope_rebase() when the first command goes
 * out, or the belt's budget counts from time 0.
 * Return: 0, -EINVAL (resistance or speed range with max <= min), -ERANGE (a channel the
 * machine has whose range lies entirely above the cap, e.g. a bike whose least power exceeds
 * max_power: it cannot be driven gently).
 */
int envelope_init(struct envelope *e, const struct envelope_limits *limits,
		  const struct session_machine *m);

/*
 * Pass a requested target through the envelope at time now (µs, monotonic, injected).
 * The first request of an unprimed channel is only clamped and rounded.
 * Return: the value to command (machine units), equal to the last one while the rate budget
 * does not allow a step; 0 for an unused channel.
 */
int32_t envelope_apply(struct envelope *e, enum session_channel c, uint64_t now, double request);

/*
 * Re-base a channel on a known machine state (e.g. the measured belt speed after a
 * reconnection, or 0 after the safety key stopped the belt). Not a commanded change.
 */
void envelope_reset(struct envelope *e, enum session_channel c, uint64_t now, int32_t value);

/*
 * Narrow channel @c to [@lo, @hi] in machine units (lo rounded up and hi down onto the
 * machine's grid, within what it was): a machine refused values outside. Never widens. The
 * last value moves into the new range at once (not a commanded change: the machine refused
 * the old one).
 * Return: 0; -ERANGE (nothing would be left; unchanged); -EINVAL (an unused channel).
 */
int envelope_narrow(struct envelope *e, enum session_channel c, int32_t lo, int32_t hi);

/* Restart every channel's rate budget at now, after a time in which nothing was commanded
 * (link loss): the budget never accumulates across such a gap. */
void envelope_rebase(struct envelope *e, uint64_t now);

/*
 * The lowest value the channel can command: 0 for speed, the range minimum (never below 0
 * for incline) otherwise.
 * Return: the floor in machine units, 0 for an unused channel.
 */
int32_t envelope_floor(const struct envelope *e, enum session_channel c);

/*
 * The highest value the channel can command: the machine's maximum within the cap.
 * Return: the ceiling in machine units, 0 for an unused channel.
 */
int32_t envelope_ceiling(const struct envelope *e, enum session_channel c);
