/* SPDX-License-Identifier: MIT */
/*
 * Sensor bikes: a Cycling Power Measurement (0x2A63) or a CSC Measurement (0x2A5B) as a
 * machine's data. Cumulative revolutions become cadence and speed through common/ftms/csc.h:
 * counters that wrap, event times in 1/1024 s (the Cycling Power wheel in 1/2048 s), and 0 rpm
 * once no new revolution came for BZ_COAST_MS, never a stale rate.
 */
#include <errno.h>
#include <string.h>

#include "bluez-internal.h"
#include "csc.h"

#define CRANK_MAX_RPM_X100 (250 * 100)	/* faster is a counter jump, not pedalling */
#define WHEEL_MAX_RPM_X100 (3000 * 100) /* 3000 rpm of a 2.1 m wheel: 380 km/h */

enum machine_protocol bz_device_protocol(const struct bz_device *d)
{
	if (d->keiser)
		return MACHINE_PROTOCOL_KEISER;
	if (!d->ftms && d->walkingpad && !d->cps && !d->csc)
		return MACHINE_PROTOCOL_WALKINGPAD;
	if (d->ftms || (!d->cps && !d->csc))
		return MACHINE_PROTOCOL_FTMS;
	return d->cps ? MACHINE_PROTOCOL_CYCLING_POWER : MACHINE_PROTOCOL_CSC;
}

void bz_sensor_reset(struct bz_link *l, bool power_wheel)
{
	revs_rate_init(&l->crank, 16, CSC_TICKS_PER_S, BZ_COAST_MS, CRANK_MAX_RPM_X100);
	revs_rate_init(&l->wheel, 32, power_wheel ? CPM_WHEEL_TICKS_PER_S : CSC_TICKS_PER_S,
		       BZ_COAST_MS, WHEEL_MAX_RPM_X100);
	l->crank_faults = l->wheel_faults = 0;
}

static uint64_t now_ms(void)
{
	return uv_hrtime() / 1000000;
}

/* Feed one counter; a rejected sample is said as a fault once in a while, never recorded. */
static void feed(struct bz_link *l, struct revs_rate *rate, unsigned *faults, const char *what,
		 uint32_t revs, uint16_t event_time, uint64_t now)
{
	int r = revs_rate_update(rate, revs, event_time, now);

	if (r >= 0 || (*faults)++ % 60)
		return;
	bz_event(l->b, DRIVER_EVENT_FAULT, "%s: %s revolutions %s, taken as a new reference",
		 l->address, what,
		 r == -EBADMSG ? "moved without a new event time" : "jumped or cannot be timed");
}

static void crank_to_sample(struct bz_link *l, uint16_t revs, uint16_t t, uint64_t now,
			    struct br_sample *s)
{
	feed(l, &l->crank, &l->crank_faults, "crank", revs, t, now);
	/* 0.01 rpm to the sample's 0.5 rpm */
	s->cadence_hrpm = (int32_t) ((revs_rate_rpm_x100(&l->crank, now) + 25) / 50);
}

static void wheel_to_sample(struct bz_link *l, uint32_t revs, uint16_t t, uint64_t now,
			    struct br_sample *s)
{
	uint32_t mm = l->b->cfg.wheel_mm;

	feed(l, &l->wheel, &l->wheel_faults, "wheel", revs, t, now);
	s->speed_ckmh = (int32_t) csc_speed_kmh_x100(revs_rate_rpm_x100(&l->wheel, now), mm);
	s->distance_m = (int32_t) (csc_distance_mm(&l->wheel, mm) / 1000);
}

static int power_data(struct bz_link *l, const uint8_t *buf, size_t len, struct br_sample *s)
{
	struct ftms_cycling_power p;
	uint64_t now = now_ms();
	int r;

	r = ftms_cycling_power_parse(buf, len, &p);
	if (r < 0)
		return r;
	s->power_w = p.inst_power < 0 ? 0 : p.inst_power;
	if (p.flags & FTMS_CPM_CRANK_REVOLUTIONS)
		crank_to_sample(l, p.crank_revolutions, p.crank_event_time, now, s);
	if (p.flags & FTMS_CPM_WHEEL_REVOLUTIONS)
		wheel_to_sample(l, p.wheel_revolutions, p.wheel_event_time, now, s);
	return 0;
}

static int csc_data(struct bz_link *l, const uint8_t *buf, size_t len, struct br_sample *s)
{
	struct csc_measurement m;
	uint64_t now = now_ms();
	int r;

	r = csc_measurement_parse(buf, len, &m);
	if (r < 0)
		return r;
	if (!(m.flags & (CSC_WHEEL_REVOLUTIONS | CSC_CRANK_REVOLUTIONS)))
		return -EBADMSG; /* nothing to measure: not a measurement */
	if (m.flags & CSC_CRANK_REVOLUTIONS)
		crank_to_sample(l, m.crank_revolutions, m.crank_event_time, now, s);
	if (m.flags & CSC_WHEEL_REVOLUTIONS)
		wheel_to_sample(l, m.wheel_revolutions, m.wheel_event_time, now, s);
	return 0;
}

/* The silent sensor's zeros: what it measured is stopped, the distance stays. */
static void on_sensor_silent(uv_timer_t *t)
{
	struct bz_link *l = t->data;
	struct br_sample s = l->sensor_last;

	if (l->state != LINK_STATE_READY)
		return;
	if (!l->sensor_silent) {
		l->sensor_silent = true;
		bz_event(l->b, DRIVER_EVENT_FAULT, "%s: no data from the sensor for %u ms: %s",
			 l->address, BZ_SENSOR_SILENT_MS,
			 l->role == LINK_ROLE_MACHINE ? "read as stopped (0 rpm)"
						      : "the machine's own values are used");
	}
	if (l->role != LINK_ROLE_MACHINE) /* beside a machine: its values are just not used */
		return;
	if (s.power_w != BR_NONE)
		s.power_w = 0;
	if (s.cadence_hrpm != BR_NONE)
		s.cadence_hrpm = 0;
	if (s.speed_ckmh != BR_NONE)
		s.speed_ckmh = 0;
	bz_gatt_emit_sample(l, &s, BR_NONE);
}

void bz_sensor_seen(struct bz_link *l, const struct br_sample *s)
{
	l->sensor_last = *s;
	if (l->sensor_silent) {
		l->sensor_silent = false;
		bz_event(l->b, DRIVER_EVENT_LINK, "%s: the sensor sends data again", l->address);
	}
	(void) uv_timer_start(&l->sensor_timer, on_sensor_silent, BZ_SENSOR_SILENT_MS, 1000);
}

void bz_sensor_stop(struct bz_link *l)
{
	uv_timer_stop(&l->sensor_timer);
	l->sensor_silent = false;
	br_sample_init(&l->sensor_last);
}

int bz_sensor_data(struct bz_link *l, const uint8_t *buf, size_t len, struct br_sample *ret)
{
	br_sample_init(ret);
	if (l->protocol == MACHINE_PROTOCOL_CYCLING_POWER)
		return power_data(l, buf, len, ret);
	if (l->protocol == MACHINE_PROTOCOL_CSC)
		return csc_data(l, buf, len, ret);
	return -EPROTO;
}
