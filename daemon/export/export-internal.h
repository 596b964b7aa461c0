/* SPDX-License-Identifier: MIT */
#pragma once

/* Shared by the encoders only. */

#include "export.h"

static inline bool export_has(int32_t v)
{
	return v != BR_NONE;
}

/*
 * A lap is a run of samples of one exercise phase: warm-up, steady, cool-down or stretches.
 * Waiting and countdown (a treadmill before its belt moves) belong to the warm-up lap;
 * stopping and done (seconds in which the machine comes to rest) to the lap before them.
 */
struct export_lap {
	size_t first;	  /* index of the first sample */
	size_t end;	  /* one past the last sample */
	uint8_t phase;	  /* enum export_phase: WARMUP, STEADY, COOLDOWN or STRETCHES (or another
			   * phase a recorded session was stopped in) */
	uint32_t start_t; /* seconds since the session start */
	uint32_t end_t;
	uint32_t timer_s; /* end_t - start_t minus pauses */
	int32_t distance_m;
	int64_t energy_j;
	/* BR_NONE when no sample had the value */
	int32_t avg_power_w, max_power_w;
	int32_t avg_cadence_hrpm, max_cadence_hrpm;
	int32_t avg_speed_ckmh, max_speed_ckmh;
	int32_t avg_hr_bpm, max_hr_bpm;
};

/*
 * Split the samples into laps at phase changes; a session without samples is one lap over its
 * duration. The last lap ends at the session's duration (or one past the last sample).
 * Return: the number of laps (>= 1) and *ret (free()), or -ENOMEM.
 */
int export_laps(const struct export_input *in, struct export_lap **ret);

/* Compute the totals of @l from its samples [first, end) and its times [start_t, end_t). */
void export_lap_fill(const struct export_input *in, struct export_lap *l);

/* Return: whether session second @t lies in a pause ('pause' to 'resume' events). */
bool export_paused_at(const struct export_input *in, uint32_t t);

/* Return: the seconds paused ('pause' to 'resume' events) within [from, to). */
uint32_t export_paused_s(const struct export_input *in, uint32_t from, uint32_t to);

/* Return: the session's end in seconds since its start (at least one past the last sample). */
uint32_t export_session_end_t(const struct export_input *in);
