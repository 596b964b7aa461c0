/* SPDX-License-Identifier: MIT */
/* Cycling Speed and Cadence Measurement, and revolutions to rpm and speed. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "csc.h"
#include "ftms.h"
#include "test-ftms.h"

#define TIMEOUT_MS 3000
#define MAX_RPM	   (300 * 100)
#define N_STEPS	   (sizeof(steps) / sizeof(steps[0]))

/* ---- Measurement (0x2A5B) ----------------------------------------------------------------- */

static void test_measurement(void **state)
{
	struct csc_measurement m;
	uint8_t buf[16];

	/* Wheel 10000 revolutions at 1 s (1024/1024), crank 300 at 2 s. */
	assert_int_equal(csc_measurement_parse(BYTES(0x03, 0x10, 0x27, 0x00, 0x00, 0x00, 0x04, 0x2C,
						     0x01, 0x00, 0x08),
					       &m),
			 0);
	assert_int_equal(m.flags, 0x03);
	assert_int_equal(m.wheel_revolutions, 10000);
	assert_int_equal(m.wheel_event_time, 1024);
	assert_int_equal(m.crank_revolutions, 300);
	assert_int_equal(m.crank_event_time, 2048);
	assert_int_equal(csc_measurement_encode(&m, buf, sizeof(buf)), 11);
	assert_memory_equal(buf,
			    ((const uint8_t[]) { 0x03, 0x10, 0x27, 0x00, 0x00, 0x00, 0x04, 0x2C,
						 0x01, 0x00, 0x08 }),
			    11);
	assert_int_equal(csc_measurement_encode(&m, buf, 10), -ENOBUFS);

	/* Crank only (a cadence sensor), wheel only (a speed sensor); trailing bytes ignored. */
	assert_int_equal(csc_measurement_parse(BYTES(0x02, 0xFF, 0xFF, 0x00, 0xFC, 0x99), &m), 0);
	assert_int_equal(m.crank_revolutions, 65535);
	assert_int_equal(m.crank_event_time, 0xFC00);
	assert_int_equal(m.wheel_revolutions, 0);
	assert_int_equal(csc_measurement_parse(BYTES(0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00), &m),
			 0);
	assert_int_equal(m.wheel_revolutions, 0xFFFFFFFF);
	assert_int_equal(m.wheel_event_time, 1);
	/* RFU flag bits are kept and add no field. */
	assert_int_equal(csc_measurement_parse(BYTES(0xFC), &m), 0);
	assert_int_equal(m.flags, 0xFC);
	assert_int_equal(csc_measurement_encode(&m, buf, sizeof(buf)), 1);

	ASSERT_BAD(csc_measurement_parse, struct csc_measurement, (const uint8_t[]) { 0 }, 0);
	ASSERT_BAD(csc_measurement_parse, struct csc_measurement, BYTES(0x02, 0x01, 0x00, 0x00));
	ASSERT_BAD(csc_measurement_parse, struct csc_measurement,
		   BYTES(0x03, 0x10, 0x27, 0x00, 0x00, 0x00, 0x04, 0x2C, 0x01, 0x00));
	ASSERT_BAD(csc_measurement_parse, struct csc_measurement, BYTES(0x01, 0x10, 0x27, 0x00));
}

/* ---- Revolutions to rate ------------------------------------------------------------------ */

static void test_rate(void **state)
{
	struct revs_rate r;

	revs_rate_init(&r, 16, CSC_TICKS_PER_S, TIMEOUT_MS, MAX_RPM);
	assert_int_equal(revs_rate_rpm_x100(&r, 0), 0);
	/* The first sample is a reference, no rate yet. */
	assert_int_equal(revs_rate_update(&r, 100, 5000, 1000), 0);
	assert_int_equal(revs_rate_rpm_x100(&r, 1000), 0);
	/* One revolution a second: 60 rpm. */
	assert_int_equal(revs_rate_update(&r, 101, 5000 + 1024, 2000), 1);
	assert_int_equal(revs_rate_rpm_x100(&r, 2000), 6000);
	/* Three revolutions in 2 s: 90 rpm. */
	assert_int_equal(revs_rate_update(&r, 104, 5000 + 3072, 4000), 1);
	assert_int_equal(revs_rate_rpm_x100(&r, 4000), 9000);
	assert_int_equal(r.total, 4);
}

static void test_coasting(void **state)
{
	struct revs_rate r;

	revs_rate_init(&r, 16, CSC_TICKS_PER_S, TIMEOUT_MS, MAX_RPM);
	assert_int_equal(revs_rate_update(&r, 0, 0, 0), 0);
	assert_int_equal(revs_rate_update(&r, 1, 1024, 1000), 1);
	/* The sensor repeats its last values once a second: they are no new revolution. */
	for (uint64_t t = 2000; t < 1000 + TIMEOUT_MS; t += 1000) {
		assert_int_equal(revs_rate_update(&r, 1, 1024, t), 0);
		assert_int_equal(revs_rate_rpm_x100(&r, t), 6000);
	}
	/* timeout_ms after the last new revolution: 0, however many notifications came. */
	assert_int_equal(revs_rate_update(&r, 1, 1024, 1000 + TIMEOUT_MS), 0);
	assert_int_equal(revs_rate_rpm_x100(&r, 1000 + TIMEOUT_MS), 0);
	assert_int_equal(revs_rate_rpm_x100(&r, 1000 + TIMEOUT_MS - 1), 6000);
	/* Silence (no notification at all) gives 0 as well. */
	assert_int_equal(revs_rate_rpm_x100(&r, 60000), 0);
	/* Pedalling again: the rate is from the revolutions, over their event times. */
	assert_int_equal(revs_rate_update(&r, 2, 1024 + 4096, 5000), 1);
	assert_int_equal(revs_rate_rpm_x100(&r, 5000), 1500);
}

static void test_bad_samples(void **state)
{
	struct revs_rate r, before;

	revs_rate_init(&r, 16, CSC_TICKS_PER_S, TIMEOUT_MS, MAX_RPM);
	assert_int_equal(revs_rate_update(&r, 10, 100, 0), 0);
	assert_int_equal(revs_rate_update(&r, 11, 1124, 1000), 1);
	/* The count moved, the event time did not: an error, nothing changes. */
	before = r;
	assert_int_equal(revs_rate_update(&r, 12, 1124, 1500), -EBADMSG);
	assert_memory_equal(&r, &before, sizeof(r));
	/* A counter jump (the sensor restarted from 0: 65525 revolutions "in" 1 s) is not a
	 * rate: the sample becomes the reference. */
	assert_int_equal(revs_rate_update(&r, 0, 2148, 2000), -ERANGE);
	assert_int_equal(revs_rate_rpm_x100(&r, 2000), 0);
	assert_int_equal(r.total, 1);
	assert_int_equal(revs_rate_update(&r, 1, 3172, 3000), 1);
	assert_int_equal(revs_rate_rpm_x100(&r, 3000), 6000);
	/* A sample after more than one wrap of the event time (64 s) is a new reference. */
	assert_int_equal(revs_rate_update(&r, 50, 3172 + 1024, 3000 + 64000), -ERANGE);
	assert_int_equal(revs_rate_rpm_x100(&r, 3000 + 64000), 0);
	assert_int_equal(revs_rate_update(&r, 51, 3172 + 2048, 3000 + 65000), 1);
	assert_int_equal(revs_rate_rpm_x100(&r, 3000 + 65000), 6000);
	/* A clock that went back: a new reference too. */
	assert_int_equal(revs_rate_update(&r, 52, 3172 + 3072, 1000), -ERANGE);
}

/* Coasting for longer than the event time wraps (64 s): the next revolution's event time cannot
 * be compared with the last one's, however often the sensor repeated itself meanwhile. */
static void test_long_coast(void **state)
{
	struct revs_rate r;
	uint64_t t;

	revs_rate_init(&r, 16, CSC_TICKS_PER_S, TIMEOUT_MS, MAX_RPM);
	assert_int_equal(revs_rate_update(&r, 0, 0, 0), 0);
	assert_int_equal(revs_rate_update(&r, 1, 1024, 1000), 1);
	for (t = 2000; t <= 71000; t += 1000)
		assert_int_equal(revs_rate_update(&r, 1, 1024, t), 0);
	assert_int_equal(revs_rate_rpm_x100(&r, t), 0);
	/* One revolution 70.5 s after the last: its event time has wrapped past the last one's
	 * (1024 + 72192 ticks = 7680 mod 65536); no rate from it, but it counts. */
	assert_int_equal(revs_rate_update(&r, 2, 7680, 71500), -ERANGE);
	assert_int_equal(revs_rate_rpm_x100(&r, 71500), 0);
	assert_int_equal(r.total, 2);
	/* The next one, 2 s later: 30 rpm. */
	assert_int_equal(revs_rate_update(&r, 3, 7680 + 2048, 73500), 1);
	assert_int_equal(revs_rate_rpm_x100(&r, 73500), 3000);
	assert_int_equal(r.total, 3);
}

static void test_speed_distance(void **state)
{
	struct revs_rate w;

	/* A 700x25c wheel, 2105 mm, at 60 rpm: 2.105 m/s = 7.578 km/h. */
	assert_int_equal(csc_speed_kmh_x100(6000, 2105), 758);
	assert_int_equal(csc_speed_kmh_x100(0, 2105), 0);
	/* A configurable circumference: 2096 mm at 300 rpm = 37.728 km/h. */
	assert_int_equal(csc_speed_kmh_x100(30000, 2096), 3773);
	/* Nonsense in saturates instead of wrapping. */
	assert_int_equal(csc_speed_kmh_x100(UINT32_MAX, UINT32_MAX), UINT32_MAX);
	assert_int_equal(csc_speed_kmh_x100(UINT32_MAX, 2105), 542454369);

	revs_rate_init(&w, 32, CSC_TICKS_PER_S, TIMEOUT_MS, 2000 * 100);
	assert_int_equal(revs_rate_update(&w, 0xFFFFFFF0u, 0xFF00, 0), 0);
	/* 32 revolutions across the 32-bit wrap in 8 s (event time wraps too): 240 rpm. */
	assert_int_equal(revs_rate_update(&w, 0x10, (uint16_t) (0xFF00 + 8 * 1024), 8000), 1);
	assert_int_equal(revs_rate_rpm_x100(&w, 8000), 24000);
	assert_int_equal(csc_distance_mm(&w, 2105), 32 * 2105);
}

/* The Cycling Power parser's crank data (1/1024 s) gives the same rate as CSC's, and its wheel
 * data does with 1/2048 s. */
static void test_cycling_power_reuse(void **state)
{
	struct ftms_cycling_power p[2];
	struct csc_measurement c[2];
	struct revs_rate from_cp, from_csc, wheel;

	/* Crank 7 -> 9 over 1.5 s; CPM wheel 100 -> 102 over 1 s in 1/2048 s. */
	assert_int_equal(ftms_cycling_power_parse(BYTES(0x30, 0x00, 0x64, 0x00, 0x64, 0x00, 0x00,
							0x00, 0x00, 0x08, 0x07, 0x00, 0x00, 0x04),
						  &p[0]),
			 0);
	assert_int_equal(ftms_cycling_power_parse(BYTES(0x30, 0x00, 0x64, 0x00, 0x66, 0x00, 0x00,
							0x00, 0x00, 0x10, 0x09, 0x00, 0x00, 0x0A),
						  &p[1]),
			 0);
	assert_int_equal(csc_measurement_parse(BYTES(0x02, 0x07, 0x00, 0x00, 0x04), &c[0]), 0);
	assert_int_equal(csc_measurement_parse(BYTES(0x02, 0x09, 0x00, 0x00, 0x0A), &c[1]), 0);

	revs_rate_init(&from_cp, 16, CSC_TICKS_PER_S, TIMEOUT_MS, MAX_RPM);
	revs_rate_init(&from_csc, 16, CSC_TICKS_PER_S, TIMEOUT_MS, MAX_RPM);
	revs_rate_init(&wheel, 32, CPM_WHEEL_TICKS_PER_S, TIMEOUT_MS, 2000 * 100);
	for (int i = 0; i < 2; i++) {
		(void) revs_rate_update(&from_cp, p[i].crank_revolutions, p[i].crank_event_time,
					i * 1000);
		(void) revs_rate_update(&from_csc, c[i].crank_revolutions, c[i].crank_event_time,
					i * 1000);
		(void) revs_rate_update(&wheel, p[i].wheel_revolutions, p[i].wheel_event_time,
					i * 1000);
	}
	assert_int_equal(revs_rate_rpm_x100(&from_cp, 1000), 8000);
	assert_int_equal(revs_rate_rpm_x100(&from_csc, 1000), 8000);
	assert_int_equal(revs_rate_rpm_x100(&wheel, 1000), 12000);
}

/* ---- Property: a wrap at any point gives the same rates ----------------------------------- */

/* Revolutions and event ticks between samples: cadences from 15 to 200 rpm, coasting gaps. */
/* clang-format off */
static const struct {
	uint16_t revs, ticks;
	uint32_t ms;
} steps[] = {
	{ 1, 1024, 1000 }, { 2, 1800, 1000 }, { 3, 1000, 1000 }, { 0, 0, 1000 }, { 1, 4096, 1000 },
	{ 0, 0, 2000 }, { 0, 0, 2000 }, { 5, 3000, 1000 }, { 1, 307, 500 }, { 2, 2047, 1000 },
};
/* clang-format on */

static void run(struct revs_rate *r, unsigned bits, uint32_t revs0, uint16_t time0, uint32_t *rates)
{
	uint32_t revs = revs0;
	uint16_t t = time0;
	uint64_t now = 0;

	revs_rate_init(r, bits, CSC_TICKS_PER_S, TIMEOUT_MS, MAX_RPM);
	assert_int_equal(revs_rate_update(r, revs, t, now), 0);
	for (size_t i = 0; i < N_STEPS; i++) {
		revs += steps[i].revs;
		t = (uint16_t) (t + steps[i].ticks);
		now += steps[i].ms;
		assert_true(revs_rate_update(r, bits == 16 ? revs & 0xFFFF : revs, t, now) >= 0);
		rates[i] = revs_rate_rpm_x100(r, now);
	}
}

static void test_wrap_property(void **state)
{
	uint32_t ref[N_STEPS], got[N_STEPS];
	struct revs_rate r;
	uint64_t ref_total;

	run(&r, 16, 0, 0, ref);
	ref_total = r.total;
	/* The rates are real ones, coasting included. */
	assert_int_equal(ref[0], 6000);
	assert_int_equal(ref[3], ref[2]);
	assert_int_equal(ref[6], 0);
	/* Every start of the 16-bit counter, and (an odd step, so a permutation) every start of
	 * the event time: the wraps fall at every point of the sequence. */
	for (uint32_t o = 0; o <= 0xFFFF; o++) {
		run(&r, 16, o, (uint16_t) (o * 40503u), got);
		assert_memory_equal(got, ref, sizeof(ref));
		assert_int_equal(r.total, ref_total);
	}
	/* 32-bit wheel counters, around their wrap. */
	for (uint32_t o = 0; o <= 64; o++) {
		run(&r, 32, 0xFFFFFFFFu - o, (uint16_t) (0xFFFF - o * 97), got);
		assert_memory_equal(got, ref, sizeof(ref));
	}
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_measurement),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_coasting),
		cmocka_unit_test(test_bad_samples),
		cmocka_unit_test(test_long_coast),
		cmocka_unit_test(test_speed_distance),
		cmocka_unit_test(test_cycling_power_reuse),
		cmocka_unit_test(test_wrap_property),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
