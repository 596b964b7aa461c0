/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>

/*
 * The revolution counters of a crank or wheel sensor (Cycling Power, Cycling Speed and
 * Cadence). Pure: sensor_counter_advance() takes the simulated time. As real sensors do, the
 * count is cumulative and wraps (uint16 crank, uint32 wheel), and the event time is the time of
 * the last whole revolution in 1/ticks_per_s s (uint16, wraps every 64 s at 1/1024 s): while
 * the crank or wheel stands still, count and event time repeat unchanged.
 */
struct sensor_counter {
	uint32_t ticks_per_s;
	double position;     /* revolutions since power-on, fractional */
	uint32_t base;	     /* the count at power-on (a sensor in use for a while) */
	double last_event_s; /* simulated time of the last whole revolution */
	double power_on_s;   /* the sensor's clock at simulated time 0 */
};

void sensor_counter_init(struct sensor_counter *c, uint32_t ticks_per_s, uint32_t base,
			 double power_on_s);

/* The crank or wheel turned at @rpm for the @dt seconds that end at @now_s. */
void sensor_counter_advance(struct sensor_counter *c, double now_s, double dt, double rpm);

/* Cumulative revolutions (the caller keeps the low 16 bits for a crank). */
uint32_t sensor_counter_revs(const struct sensor_counter *c);

/* Event time of the last whole revolution, in the counter's ticks, wrapped to 16 bits. */
uint16_t sensor_counter_event_time(const struct sensor_counter *c);
