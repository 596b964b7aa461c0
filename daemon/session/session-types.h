/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Types shared by the plan, the safety envelope and the session engine.
 *
 * Units, the same fixed point as the FTMS codec and storage:
 *   power       1 W          (int32)
 *   resistance  0.1 unit     (int32, the machine's own scale, as in its FTMS range); plans and
 *                            caps express resistance as a % of the machine's range
 *   speed       0.01 km/h    (int32)
 *   incline     0.1 %        (int32)
 *   cadence     0.5 rpm      (int32, as on the FTMS wire)
 *   time        µs of an injected clock (uint64); plans and rules in whole seconds
 */

#include <stdint.h>

#include "sample.h"

enum session_kind {
	SESSION_KIND_BIKE,
	SESSION_KIND_TREADMILL,
	_SESSION_KIND_MAX,
};

/* Why a session ended. */
enum session_end {
	SESSION_END_NONE,	 /* still running */
	SESSION_END_COMPLETED,	 /* the plan ran to its end */
	SESSION_END_USER_STOP,	 /* Stop from the user */
	SESSION_END_PAIN,	 /* pain >= 6: cool-down, then end */
	SESSION_END_INTERRUPTED, /* link lost for longer than the limit */
	SESSION_END_SAFETY_KEY,	 /* treadmill safety key pulled */
	SESSION_END_SHUTDOWN,	 /* SIGTERM */
	SESSION_END_FAULT,	 /* a fault the daemon detected */
	_SESSION_END_MAX,
};

/* The target channels a machine is driven through. */
enum session_channel {
	SESSION_CH_POWER,      /* bike in ERG mode */
	SESSION_CH_RESISTANCE, /* bike without ERG */
	SESSION_CH_SPEED,      /* treadmill belt */
	SESSION_CH_INCLINE,    /* treadmill incline */
	_SESSION_CH_MAX,
};

/*
 * Machine-independent names, stable for D-Bus, storage and the CLI ("bike", "completed",
 * "power"...).
 * Return: a static string, "unknown" for an out-of-range value.
 */
const char *session_kind_to_string(enum session_kind k);
const char *session_end_to_string(enum session_end e);
const char *session_channel_to_string(enum session_channel c);

/* Bring *v into [lo, hi]. Return: 1 if it was outside (and is now clamped), else 0. */
int session_bound_u32(uint32_t *v, uint32_t lo, uint32_t hi);
