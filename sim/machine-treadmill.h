/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

/*
 * A treadmill: the belt follows the target speed within acceleration limits, the deck
 * follows the target incline at a fixed rate. Pure: time is passed in.
 */
struct treadmill_model {
	double accel_kmh_s;   /* belt acceleration limit */
	double decel_kmh_s;   /* normal deceleration */
	double stop_kmh_s;    /* safety-key deceleration */
	double incline_pct_s; /* deck motor speed */
	double max_speed_kmh;
	bool running;
	bool safety_stop; /* belt is stopping after the safety key was pulled */
	double target_speed_kmh;
	double target_incline_pct;
	double speed_kmh;
	double incline_pct;
	double distance_m;
	double elevation_gain_m;
	double energy_kcal;
	double elapsed_s;
	double rider_kg;
};

void treadmill_model_init(struct treadmill_model *t);

/* Advance by dt seconds. */
void treadmill_model_advance(struct treadmill_model *t, double dt);

/* Pull the safety key: the belt stops quickly, the run ends. */
void treadmill_model_safety_stop(struct treadmill_model *t);

/* Back to power-on defaults (FTMS Reset). */
void treadmill_model_reset(struct treadmill_model *t);

/* Return: the runner's mechanical effort in watts (for the heart-rate model). */
double treadmill_model_effort(const struct treadmill_model *t);
