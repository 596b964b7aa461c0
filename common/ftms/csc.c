/* SPDX-License-Identifier: MIT */
/* Cycling Speed and Cadence Measurement and revolutions to rate (csc.h). */
#include "csc.h"

#include <assert.h>
#include <errno.h>

#include "ftms-wire.h"

#define M(m) offsetof(struct csc_measurement, m)

static const struct wire_field csc_fields[] = {
	{ CSC_WHEEL_REVOLUTIONS, WIRE_U32, M(wheel_revolutions) },
	{ CSC_WHEEL_REVOLUTIONS, WIRE_U16, M(wheel_event_time) },
	{ CSC_CRANK_REVOLUTIONS, WIRE_U16, M(crank_revolutions) },
	{ CSC_CRANK_REVOLUTIONS, WIRE_U16, M(crank_event_time) },
};

int csc_measurement_parse(const uint8_t *buf, size_t len, struct csc_measurement *ret)
{
	struct wire_reader r = { .p = buf, .len = len };
	struct csc_measurement m = { 0 };

	assert(ret);
	m.flags = (uint8_t) wire_get(&r, WIRE_U8);
	wire_read_fields(&r, m.flags, csc_fields, sizeof(csc_fields) / sizeof(csc_fields[0]), &m);
	if (r.overrun)
		return -EBADMSG;
	*ret = m;
	return 0;
}

int csc_measurement_encode(const struct csc_measurement *m, uint8_t *buf, size_t len)
{
	uint8_t tmp[16];
	struct wire_writer w = { .p = tmp, .len = sizeof(tmp) };

	assert(m);
	wire_put(&w, WIRE_U8, m->flags);
	wire_write_fields(&w, m->flags, csc_fields, sizeof(csc_fields) / sizeof(csc_fields[0]), m);
	return wire_finish(&w, buf, len);
}

void revs_rate_init(struct revs_rate *r, unsigned revs_bits, uint32_t ticks_per_s,
		    uint32_t timeout_ms, uint32_t max_rpm_x100)
{
	assert(r);
	assert(revs_bits == 16 || revs_bits == 32);
	assert(ticks_per_s > 0 && timeout_ms > 0 && max_rpm_x100 > 0);
	*r = (struct revs_rate) {
		.revs_mask = revs_bits == 16 ? 0xFFFFu : 0xFFFFFFFFu,
		.ticks_per_s = ticks_per_s,
		.timeout_ms = timeout_ms,
		.max_rpm_x100 = max_rpm_x100,
	};
}

static void rebase(struct revs_rate *r, uint32_t revs, uint16_t event_time, uint64_t now_ms)
{
	r->have = true;
	r->revs = revs & r->revs_mask;
	r->event_time = event_time;
	r->last_ms = now_ms;
	r->last_rev_ms = now_ms;
	r->rpm_x100 = 0;
}

/* Average rate of drevs over ms of wall time, 0.01 rpm. */
static uint64_t wall_rate(uint32_t drevs, uint64_t ms)
{
	return ms ? (uint64_t) drevs * 60000 * 100 / ms : UINT64_MAX;
}

int revs_rate_update(struct revs_rate *r, uint32_t revs, uint16_t event_time, uint64_t now_ms)
{
	uint32_t drevs;
	uint16_t dticks;
	uint64_t rate, wrap_ms;

	assert(r);
	if (!r->have) {
		rebase(r, revs, event_time, now_ms);
		return 0;
	}
	if (now_ms < r->last_ms) {
		rebase(r, revs, event_time, now_ms);
		return -ERANGE;
	}
	drevs = (revs - r->revs) & r->revs_mask;
	if (drevs == 0) {
		r->last_ms = now_ms;
		return 0;
	}
	/* The event time is that of the last revolution: one wrap (64 s at 1/1024 s) after it,
	 * the difference is ambiguous. The revolutions still count, unless too many for the
	 * time (a counter reset). */
	wrap_ms = 65536ull * 1000 / r->ticks_per_s;
	if (now_ms - r->last_rev_ms >= wrap_ms) {
		if (wall_rate(drevs, now_ms - r->last_rev_ms) <= r->max_rpm_x100)
			r->total += drevs;
		rebase(r, revs, event_time, now_ms);
		return -ERANGE;
	}
	dticks = (uint16_t) (event_time - r->event_time);
	if (dticks == 0)
		return -EBADMSG;
	rate = (uint64_t) drevs * r->ticks_per_s * 60 * 100 / dticks;
	if (rate > r->max_rpm_x100) {
		rebase(r, revs, event_time, now_ms);
		return -ERANGE;
	}
	r->revs = revs & r->revs_mask;
	r->event_time = event_time;
	r->last_ms = now_ms;
	r->last_rev_ms = now_ms;
	r->rpm_x100 = (uint32_t) rate;
	r->total += drevs;
	return 1;
}

uint32_t revs_rate_rpm_x100(const struct revs_rate *r, uint64_t now_ms)
{
	assert(r);
	if (!r->have || now_ms < r->last_rev_ms || now_ms - r->last_rev_ms >= r->timeout_ms)
		return 0;
	return r->rpm_x100;
}

uint32_t csc_speed_kmh_x100(uint32_t rpm_x100, uint32_t circumference_mm)
{
	/* km/h = rpm * circumference_mm * 60 / 1e6, both sides in hundredths; a (< 2^64) times 60
	 * would overflow, so split it. Saturates at UINT32_MAX. */
	uint64_t a = (uint64_t) rpm_x100 * circumference_mm;
	uint64_t v = a / 1000000 * 60 + (a % 1000000 * 60 + 500000) / 1000000;

	return v > UINT32_MAX ? UINT32_MAX : (uint32_t) v;
}

uint64_t csc_distance_mm(const struct revs_rate *wheel, uint32_t circumference_mm)
{
	assert(wheel);
	return wheel->total * circumference_mm;
}
