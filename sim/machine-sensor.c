/* SPDX-License-Identifier: MIT */
#include "machine-sensor.h"

#include <math.h>

void sensor_counter_init(struct sensor_counter *c, uint32_t ticks_per_s, uint32_t base,
			 double power_on_s)
{
	*c = (struct sensor_counter) {
		.ticks_per_s = ticks_per_s,
		.base = base,
		.power_on_s = power_on_s,
	};
}

void sensor_counter_advance(struct sensor_counter *c, double now_s, double dt, double rpm)
{
	double rps = rpm / 60.0, before = c->position;

	if (dt <= 0 || rps <= 0)
		return;
	c->position += rps * dt;
	/* A new whole revolution: its time is when the position passed that whole number. */
	if (floor(c->position) > floor(before))
		c->last_event_s = now_s - (c->position - floor(c->position)) / rps;
}

uint32_t sensor_counter_revs(const struct sensor_counter *c)
{
	return c->base + (uint32_t) floor(c->position);
}

uint16_t sensor_counter_event_time(const struct sensor_counter *c)
{
	double t = (c->power_on_s + c->last_event_s) * c->ticks_per_s;

	return (uint16_t) ((uint64_t) llround(t) & 0xFFFF);
}
