/* SPDX-License-Identifier: MIT */
/*
 * Sensor bikes: a bike whose only Bluetooth is a power meter (Cycling Power Service 0x1818:
 * Measurement 0x2A63 notify, Feature 0x2A65, Sensor Location 0x2A5D) or a speed and cadence
 * sensor (CSC Service 0x1816: Measurement 0x2A5B notify, Feature 0x2A5C). The rider model
 * (machine-bike.c, at a fixed resistance: no control point) turns the crank and the wheel;
 * the counters (machine-sensor.c) wrap and repeat while coasting as real sensors do
 * (sim/README.md, "Sensor bikes").
 */
#include "periph.h"

#include <math.h>

#include "csc.h"

#define SENSOR_WHEEL_MM	    2105      /* 700x25C: what the simulated wheel measures */
#define CPS_FEATURE_CRANK   (1u << 3) /* Crank Revolution Data Supported */
#define CSC_FEATURE_WHEEL   (1u << 0)
#define CSC_FEATURE_CRANK   (1u << 1)
#define LOCATION_LEFT_CRANK 5	/* a single-sided crank power meter */
#define SENSOR_RESISTANCE   6.0 /* the bike's knob: a moderate level, set by hand */

void periph_sensor_setup(struct periph *p)
{
	/* Counters of a sensor in use for a while: the crank's count wraps within minutes. */
	uint32_t crank_base = 0xFFFF - 100 - (uint32_t) (p->sim->opt->seed % 50);
	double clock = 30.0 + (double) (p->sim->opt->seed % 1000);

	if (p->kind == SIM_POWER_METER) {
		periph_add_service(p, FTMS_UUID16_CPS_SERVICE, false);
		periph_add_char(p, FTMS_UUID16_CP_MEASUREMENT, ATT_PROP_NOTIFY);
		periph_add_char(p, CPS_UUID16_FEATURE, ATT_PROP_READ);
		periph_add_char(p, CSC_UUID16_SENSOR_LOCATION, ATT_PROP_READ);
	} else {
		periph_add_service(p, CSC_UUID16_SERVICE, false);
		periph_add_char(p, CSC_UUID16_MEASUREMENT, ATT_PROP_NOTIFY);
		periph_add_char(p, CSC_UUID16_FEATURE, ATT_PROP_READ);
	}
	bike_model_init(&p->bike, p->sim->opt->seed + 11 * (uint64_t) p->kind);
	bike_model_set_resistance(&p->bike, SENSOR_RESISTANCE);
	p->bike.running = true;
	sensor_counter_init(&p->crank, CSC_TICKS_PER_S, crank_base, clock);
	sensor_counter_init(&p->wheel, CSC_TICKS_PER_S, 0xFFFFFFFFu - 2000, clock);
}

void periph_sensor_advance(struct periph *p, double now_s, double dt)
{
	double wheel_rpm = p->bike.speed_kmh / 3.6 / (SENSOR_WHEEL_MM / 1000.0) * 60.0;

	bike_model_advance(&p->bike, dt);
	sensor_counter_advance(&p->crank, now_s, dt, p->bike.cadence_rpm);
	sensor_counter_advance(&p->wheel, now_s, dt, wheel_rpm);
}

static int power_measurement(struct periph *p, uint8_t *buf, size_t len)
{
	struct ftms_cycling_power m = {
		.flags = FTMS_CPM_CRANK_REVOLUTIONS,
		.inst_power = (int16_t) lround(p->bike.power_w),
		.crank_revolutions = (uint16_t) sensor_counter_revs(&p->crank),
		.crank_event_time = sensor_counter_event_time(&p->crank),
	};

	return ftms_cycling_power_encode(&m, buf, len);
}

static int csc_measurement(struct periph *p, uint8_t *buf, size_t len)
{
	struct csc_measurement m = {
		.flags = CSC_WHEEL_REVOLUTIONS | CSC_CRANK_REVOLUTIONS,
		.wheel_revolutions = sensor_counter_revs(&p->wheel),
		.wheel_event_time = sensor_counter_event_time(&p->wheel),
		.crank_revolutions = (uint16_t) sensor_counter_revs(&p->crank),
		.crank_event_time = sensor_counter_event_time(&p->crank),
	};

	return csc_measurement_encode(&m, buf, len);
}

/* Fault "malformed": flags that announce more than the frame carries (the power meter: every
 * field; the CSC sensor: crank data it leaves out); "truncate": 3 bytes short. Both are what a
 * broken sensor or a damaged link sends. */
static size_t damage(const struct periph *p, uint8_t *buf, size_t n)
{
	if (p->fault[PF_MALFORMED] && p->kind == SIM_POWER_METER) {
		buf[0] = 0xFF;
		buf[1] = 0x1F;
	} else if (p->fault[PF_MALFORMED] && n > 7)
		n = 7; /* flags, wheel revolutions and time: the crank pair is missing */
	if (p->fault[PF_TRUNCATE] && n > 3)
		n -= 3;
	return n;
}

void periph_sensor_tick(struct periph *p)
{
	bool power = p->kind == SIM_POWER_METER;
	struct periph_char *c =
		periph_char_by_uuid(p, power ? FTMS_UUID16_CP_MEASUREMENT : CSC_UUID16_MEASUREMENT);
	uint8_t buf[20];
	int n;

	/* stop-notify: a sensor gone silent (asleep, battery flat, out of range). */
	if (!c || !p->connected || p->fault[PF_STOP_NOTIFY])
		return;
	n = power ? power_measurement(p, buf, sizeof(buf)) : csc_measurement(p, buf, sizeof(buf));
	if (n < 0)
		return;
	periph_notify(p, c, buf, damage(p, buf, (size_t) n));
}

int periph_sensor_read(struct periph *p, struct periph_char *c, uint8_t *buf, size_t *len)
{
	uint32_t f;

	switch (c->uuid16) {
	case CPS_UUID16_FEATURE:
		f = CPS_FEATURE_CRANK;
		if (*len < 4)
			return ATT_ECODE_INVALID_LEN;
		buf[0] = (uint8_t) f;
		buf[1] = (uint8_t) (f >> 8);
		buf[2] = (uint8_t) (f >> 16);
		buf[3] = (uint8_t) (f >> 24);
		*len = 4;
		return 0;
	case CSC_UUID16_FEATURE:
		if (*len < 2)
			return ATT_ECODE_INVALID_LEN;
		buf[0] = CSC_FEATURE_WHEEL | CSC_FEATURE_CRANK;
		buf[1] = 0;
		*len = 2;
		return 0;
	case CSC_UUID16_SENSOR_LOCATION:
		if (*len < 1)
			return ATT_ECODE_INVALID_LEN;
		buf[0] = LOCATION_LEFT_CRANK;
		*len = 1;
		return 0;
	default:
		return ATT_ECODE_READ_NOT_PERMITTED;
	}
}
