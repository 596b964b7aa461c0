/* SPDX-License-Identifier: MIT */
#include "machine-bike.h"

#include <math.h>

/* Time constants (s): a flywheel and an eddy-current brake take a few seconds to settle. */
#define CADENCE_TAU   2.0
#define STOP_TAU      1.5
#define POWER_TAU     3.0
#define MIN_PEDAL_RPM 15.0

void bike_model_init(struct bike_model *b, uint64_t seed)
{
	*b = (struct bike_model) {
		.max_power_w = 800,
		.max_resistance = 20,
		.rider_cadence_rpm = 80,
		.mode = BIKE_MODE_RESISTANCE,
		.resistance = 5,
	};
	rng_seed(&b->rng, seed);
}

double bike_model_resistance_power(double cadence_rpm, double level)
{
	if (cadence_rpm <= 0)
		return 0;
	return cadence_rpm * (0.5 + 0.13 * level);
}

static double approach(double x, double target, double tau, double dt)
{
	return x + (target - x) * (1.0 - exp(-dt / tau));
}

static void bike_advance_rider(struct bike_model *b, double dt)
{
	double aim;

	if (b->sag_rpm_per_min > 0 && !b->rider_stopped)
		b->rider_cadence_rpm = fmax(0, b->rider_cadence_rpm - b->sag_rpm_per_min * dt / 60);
	aim = b->rider_stopped ? 0 : b->rider_cadence_rpm;
	b->cadence_rpm =
		approach(b->cadence_rpm, aim, b->rider_stopped ? STOP_TAU : CADENCE_TAU, dt);
	if (aim > 0)
		b->cadence_rpm += rng_unit(&b->rng) * 0.8 * fmin(dt, 1.0);
	if (b->cadence_rpm < 0.5 && aim == 0)
		b->cadence_rpm = 0;
	if (b->cadence_rpm < 0)
		b->cadence_rpm = 0;
}

static double bike_power_target(const struct bike_model *b)
{
	if (b->cadence_rpm < MIN_PEDAL_RPM)
		/* An ERG brake cannot hold watts against a stopped flywheel. */
		return b->mode == BIKE_MODE_ERG
			       ? b->target_power_w * b->cadence_rpm / MIN_PEDAL_RPM
			       : bike_model_resistance_power(b->cadence_rpm, b->resistance);
	if (b->mode == BIKE_MODE_ERG)
		return b->target_power_w;
	return bike_model_resistance_power(b->cadence_rpm, b->resistance);
}

void bike_model_advance(struct bike_model *b, double dt)
{
	double target;

	if (dt <= 0)
		return;
	bike_advance_rider(b, dt);
	target = fmin(bike_power_target(b), b->max_power_w);
	b->power_w = approach(b->power_w, target, POWER_TAU, dt);
	if (b->cadence_rpm == 0 && b->power_w < 0.5)
		b->power_w = 0;
	/* Virtual speed on flat road: roughly 30 km/h at 200 W. */
	b->speed_kmh = b->cadence_rpm > 0 ? 3.6 * cbrt(b->power_w / 0.28) : 0;
	b->distance_m += b->speed_kmh / 3.6 * dt;
	/* Human efficiency (~24 %) and 4.184 kJ/kcal cancel out: kcal ~ kJ of work. */
	b->energy_kcal += b->power_w * dt / 1000.0;
	if (b->running)
		b->elapsed_s += dt;
}

void bike_model_set_power(struct bike_model *b, double watts)
{
	b->mode = BIKE_MODE_ERG;
	b->target_power_w = watts;
}

void bike_model_set_resistance(struct bike_model *b, double level)
{
	b->mode = BIKE_MODE_RESISTANCE;
	b->resistance = level;
}

void bike_model_reset(struct bike_model *b)
{
	b->mode = BIKE_MODE_RESISTANCE;
	b->target_power_w = 0;
	b->resistance = 0;
	b->running = false;
	b->elapsed_s = 0;
}
