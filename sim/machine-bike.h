/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

#include "rng.h"

/*
 * An indoor bike and its rider. Pure: bike_advance() takes the elapsed simulated time.
 * Power follows the ERG target or the resistance level with a lag; the rider's cadence
 * can sag or stop (then power and speed fall to zero).
 */
enum bike_mode { BIKE_MODE_RESISTANCE, BIKE_MODE_ERG };

struct bike_model {
	/* Configuration. */
	double max_power_w;
	double max_resistance; /* levels, 0.1 resolution on the wire */
	/* Rider. */
	double rider_cadence_rpm; /* what the rider aims for */
	double sag_rpm_per_min;	  /* how fast that aim drops */
	bool rider_stopped;
	/* Machine. */
	enum bike_mode mode;
	double target_power_w;
	double resistance; /* level */
	bool running;	   /* clock running (Start/Resume) */
	/* State. */
	double cadence_rpm;
	double power_w;
	double speed_kmh;
	double distance_m;
	double energy_kcal;
	double elapsed_s;
	struct rng rng;
};

void bike_model_init(struct bike_model *b, uint64_t seed);

/* Advance the model by dt seconds. */
void bike_model_advance(struct bike_model *b, double dt);

/* Switch to ERG at watts (already range-checked by the caller). */
void bike_model_set_power(struct bike_model *b, double watts);

/* Switch to resistance mode at level. */
void bike_model_set_resistance(struct bike_model *b, double level);

/* Back to power-on defaults (FTMS Reset): targets and the session clock. */
void bike_model_reset(struct bike_model *b);

/* Return: the power the bike would hold in resistance mode at this cadence and level. */
double bike_model_resistance_power(double cadence_rpm, double level);
