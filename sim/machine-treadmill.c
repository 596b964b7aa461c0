/* SPDX-License-Identifier: MIT */
#include "machine-treadmill.h"

#include <math.h>

void treadmill_model_init(struct treadmill_model *t)
{
	*t = (struct treadmill_model) {
		.accel_kmh_s = 0.8,
		.decel_kmh_s = 1.2,
		.stop_kmh_s = 6.0,
		.incline_pct_s = 0.5,
		.max_speed_kmh = 18,
		.rider_kg = 75,
	};
}

static double step_towards(double x, double target, double up, double down, double dt)
{
	if (target > x)
		return fmin(target, x + up * dt);
	return fmax(target, x - down * dt);
}

void treadmill_model_advance(struct treadmill_model *t, double dt)
{
	double aim, climb;

	if (dt <= 0)
		return;
	aim = t->running ? t->target_speed_kmh : 0;
	t->speed_kmh = step_towards(t->speed_kmh, aim, t->accel_kmh_s,
				    t->safety_stop ? t->stop_kmh_s : t->decel_kmh_s, dt);
	if (t->safety_stop && t->speed_kmh == 0)
		t->safety_stop = false;
	t->incline_pct = step_towards(t->incline_pct, t->target_incline_pct, t->incline_pct_s,
				      t->incline_pct_s, dt);
	t->distance_m += t->speed_kmh / 3.6 * dt;
	climb = t->speed_kmh / 3.6 * dt * t->incline_pct / 100.0;
	if (climb > 0)
		t->elevation_gain_m += climb;
	t->energy_kcal += treadmill_model_effort(t) * dt / 1000.0;
	if (t->running)
		t->elapsed_s += dt;
}

double treadmill_model_effort(const struct treadmill_model *t)
{
	double v = t->speed_kmh / 3.6;

	if (v <= 0)
		return 0;
	/* Running costs ~1 kcal/kg/km; walking less. Expressed as an equivalent power. */
	return t->rider_kg * v * (1.0 + 9.81 * fmax(t->incline_pct, 0) / 100.0) *
	       (t->speed_kmh < 7 ? 0.8 : 1.1);
}

void treadmill_model_safety_stop(struct treadmill_model *t)
{
	t->running = false;
	t->safety_stop = true;
	t->target_speed_kmh = 0;
}

void treadmill_model_reset(struct treadmill_model *t)
{
	t->running = false;
	t->target_speed_kmh = 0;
	t->target_incline_pct = 0;
	t->elapsed_s = 0;
}
