/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Plausibility of what a machine sends. Every data record passes through plausible_check()
 * before anything uses, shows or records it: a value outside the physical bounds of its
 * field (narrowed by the machine's supported ranges where it has them), or a counter
 * (distance, elapsed time) that goes backwards or jumps further than the time since the last
 * good value allows, is dropped: absent for that record, never zero. More than half of the
 * records of the last 10 s with a dropped value is persistent garbage, a fault the session
 * pauses for. Pure: time is injected (µs, monotonic, scaled like session time), no I/O.
 * The bounds and why: README.md beside this file, "Implausible data".
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "envelope.h"
#include "session-types.h"

enum plausible_field {
	PLAUSIBLE_POWER,      /* 1 W */
	PLAUSIBLE_CADENCE,    /* 0.5 rpm */
	PLAUSIBLE_SPEED,      /* 0.01 km/h */
	PLAUSIBLE_DISTANCE,   /* 1 m, a counter */
	PLAUSIBLE_HEART_RATE, /* 1 bpm; 0 is "no contact": absent, not implausible */
	PLAUSIBLE_INCLINE,    /* 0.1 % */
	PLAUSIBLE_RESISTANCE, /* 0.1 level, the scale of the resistance range */
	PLAUSIBLE_ELAPSED,    /* 1 s, a counter */
	_PLAUSIBLE_FIELD_MAX,
};

/* Physical bounds, machine units (README.md beside this file says why). */
#define PLAUSIBLE_POWER_MIN_W	      -500
#define PLAUSIBLE_POWER_MAX_W	      2500
#define PLAUSIBLE_CADENCE_MAX_HRPM    500   /* 250 rpm */
#define PLAUSIBLE_BIKE_SPEED_MAX_CKMH 10000 /* 100 km/h */
#define PLAUSIBLE_BELT_SPEED_MAX_CKMH 3000  /* 30 km/h */
#define PLAUSIBLE_HR_MIN_BPM	      25
#define PLAUSIBLE_HR_MAX_BPM	      230
#define PLAUSIBLE_INCLINE_MIN_DPCT    -150 /* -15 % */
#define PLAUSIBLE_INCLINE_MAX_DPCT    400  /* +40 % */
#define PLAUSIBLE_RESISTANCE_MAX      1000 /* without a range: a level of 100.0 */
#define PLAUSIBLE_DISTANCE_MAX_M      0xFFFFFF
#define PLAUSIBLE_ELAPSED_MAX_S	      0xFFFF
#define PLAUSIBLE_JUMP_MARGIN_S	      60 /* counters: time on top of the time passed */
#define PLAUSIBLE_RESTART_S	      5	 /* ... and for a count started again from 0 */
#define PLAUSIBLE_CONFIRM	      3	 /* values in a row that re-anchor a counter */
#define PLAUSIBLE_WINDOW_S	      10 /* persistent garbage: over this many seconds */
#define PLAUSIBLE_WINDOW_MIN	      3	 /* ... with at least this many records */
#define PLAUSIBLE_RECENT	      8	 /* still garbage: of the last this many records */

/* One record: a value per field, BR_NONE where absent. */
struct plausible_sample {
	int32_t v[_PLAUSIBLE_FIELD_MAX];
};

/* A counter field's last good value and a run of values that may replace it. */
struct plausible_counter {
	bool anchored;
	int32_t value;
	uint64_t at;
	unsigned run; /* values in a row that continue each other, not the anchor */
	int32_t run_value;
	uint64_t run_at;
};

/* The filter of one machine link. Fields are private: use the functions. */
struct plausible {
	int32_t min[_PLAUSIBLE_FIELD_MAX], max[_PLAUSIBLE_FIELD_MAX];
	struct plausible_counter distance, elapsed;
	uint32_t dropped[_PLAUSIBLE_FIELD_MAX];
	struct {
		uint64_t second; /* the second (of injected time) this bucket counts, + 1 */
		uint32_t records, bad;
	} window[PLAUSIBLE_WINDOW_S];
	uint32_t recent_bad; /* the last records, newest in bit 0: 1 had a dropped value */
	unsigned n_recent;   /* how many of them there are, up to PLAUSIBLE_RECENT */
};

/*
 * Start a filter for a machine: its kind, and its supported ranges where it has them (speed,
 * incline, resistance; the power range bounds targets, not what a rider can push). @m may be
 * NULL: a bike without ranges.
 */
void plausible_init(struct plausible *p, const struct session_machine *m);

/*
 * Check one record received at @now (µs, monotonic, never earlier than the last one). Dropped
 * values become BR_NONE in @x. "Not available" values (all ones in the field's wire
 * width: 0x7FFF, 0xFFFF, 0xFFFFFF, 0xFF) and a heart rate of 0 (no skin contact) become
 * BR_NONE without counting as implausible.
 * Return: the dropped fields, a bit (1u << enum plausible_field) each.
 */
uint32_t plausible_check(struct plausible *p, uint64_t now, struct plausible_sample *x);

/*
 * Return: true while more than half of the records of the last PLAUSIBLE_WINDOW_S seconds
 * before @now (at least PLAUSIBLE_WINDOW_MIN of them) had a dropped value.
 */
bool plausible_persistent(const struct plausible *p, uint64_t now);

/*
 * Return: true while more than half of the last PLAUSIBLE_RECENT records (at least
 * PLAUSIBLE_WINDOW_MIN of them) had a dropped value, however far apart they came: the machine
 * still sends garbage, whether its records come often or, on a busy link, seldom.
 */
bool plausible_still_bad(const struct plausible *p);

/* Return: how many values of @f were dropped since plausible_init(). */
uint32_t plausible_dropped(const struct plausible *p, enum plausible_field f);

/* The static bounds of @f for this machine (counters: also the jump rules). */
void plausible_bounds(const struct plausible *p, enum plausible_field f, int32_t *ret_min,
		      int32_t *ret_max);

/* Return: the Session1.Metrics key of @f ("power_w", ...), "unknown" out of range. */
const char *plausible_field_to_string(enum plausible_field f);

/*
 * A value of @f for people: "power 32155 W", "speed 645.00 km/h", "heart rate 241 bpm".
 * Return: what snprintf() returns.
 */
int plausible_format(enum plausible_field f, int32_t v, char *buf, size_t n);
