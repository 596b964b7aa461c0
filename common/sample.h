/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>

/*
 * "Absent" for an optional integer anywhere in backride: a value the machine does not report, a
 * target the plan does not set, a column that is NULL, a key left out on the bus.
 */
#define BR_NONE INT32_MIN

/*
 * One record of a machine's live data, in wire units; BR_NONE for anything absent. The BlueZ
 * client fills it, Machine1.Data shows it and the coach records it.
 */
struct br_sample {
	uint64_t mono_usec; /* CLOCK_MONOTONIC of the record */
	int32_t power_w;
	int32_t cadence_hrpm; /* 0.5 rpm */
	int32_t speed_ckmh;   /* 0.01 km/h */
	int32_t distance_m;
	int32_t hr_bpm; /* the strap's if fresh, else the machine's, else none */
	int32_t incline_dpct;
	int32_t resistance; /* 0.1 level, the scale of the targets and the supported range (the
			     * bike's data reports whole levels: x10) */
	int32_t elapsed_s;
};

/* Set *s to a record with every value absent (and mono_usec 0). */
static inline void br_sample_init(struct br_sample *s)
{
	*s = (struct br_sample) {
		.power_w = BR_NONE,
		.cadence_hrpm = BR_NONE,
		.speed_ckmh = BR_NONE,
		.distance_m = BR_NONE,
		.hr_bpm = BR_NONE,
		.incline_dpct = BR_NONE,
		.resistance = BR_NONE,
		.elapsed_s = BR_NONE,
	};
}
