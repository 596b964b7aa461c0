/* SPDX-License-Identifier: MIT */
/* backride-sim models: bike, treadmill, heart rate, and the FTMS control point server. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ftms-server.h"
#include "machine-bike.h"
#include "csc.h"
#include "machine-hr.h"
#include "machine-sensor.h"
#include "machine-treadmill.h"

static void run_bike(struct bike_model *b, double seconds)
{
	for (double t = 0; t < seconds; t += 0.1)
		bike_model_advance(b, 0.1);
}

static void test_bike_erg_lag(void **state)
{
	struct bike_model b;

	bike_model_init(&b, 1);
	run_bike(&b, 10);
	bike_model_set_power(&b, 200);
	run_bike(&b, 1);
	/* A brake does not jump: after 1 s the power is well short of the target. */
	assert_true(b.power_w < 150);
	run_bike(&b, 20);
	assert_true(b.power_w > 195 && b.power_w < 205);
	assert_true(b.speed_kmh > 20 && b.speed_kmh < 45);
}

static void test_bike_resistance(void **state)
{
	struct bike_model b;
	double low, high;

	bike_model_init(&b, 1);
	bike_model_set_resistance(&b, 2);
	run_bike(&b, 30);
	low = b.power_w;
	bike_model_set_resistance(&b, 15);
	run_bike(&b, 30);
	high = b.power_w;
	assert_int_equal(b.mode, BIKE_MODE_RESISTANCE);
	assert_true(high > low * 2);
	assert_true(high > 0.9 * bike_model_resistance_power(b.cadence_rpm, 15));
}

static void test_bike_rider_stops(void **state)
{
	struct bike_model b;

	bike_model_init(&b, 3);
	bike_model_set_power(&b, 150);
	run_bike(&b, 30);
	b.rider_stopped = true;
	run_bike(&b, 20);
	assert_true(b.cadence_rpm == 0);
	assert_true(b.power_w < 1);
	assert_true(b.speed_kmh == 0);
}

static void test_bike_sag_and_counters(void **state)
{
	struct bike_model b;
	double d, e;

	bike_model_init(&b, 5);
	b.running = true;
	b.sag_rpm_per_min = 20;
	run_bike(&b, 60);
	assert_true(b.rider_cadence_rpm < 61 && b.rider_cadence_rpm > 59);
	assert_true(b.elapsed_s > 59.5 && b.elapsed_s < 60.5);
	d = b.distance_m;
	e = b.energy_kcal;
	run_bike(&b, 10);
	assert_true(b.distance_m > d);
	assert_true(b.energy_kcal > e);
	bike_model_reset(&b);
	assert_true(b.elapsed_s == 0);
	assert_false(b.running);
}

static void test_bike_deterministic(void **state)
{
	struct bike_model a, b;

	bike_model_init(&a, 42);
	bike_model_init(&b, 42);
	run_bike(&a, 30);
	run_bike(&b, 30);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void test_treadmill_accel(void **state)
{
	struct treadmill_model t;

	treadmill_model_init(&t);
	t.target_speed_kmh = 10;
	treadmill_model_advance(&t, 5);
	/* Not started: the belt stays still. */
	assert_true(t.speed_kmh == 0);
	t.running = true;
	treadmill_model_advance(&t, 1);
	assert_true(t.speed_kmh > 0.7 && t.speed_kmh < 0.9);
	for (int i = 0; i < 200; i++)
		treadmill_model_advance(&t, 0.1);
	assert_true(t.speed_kmh == 10);
	t.target_incline_pct = 4;
	for (int i = 0; i < 100; i++)
		treadmill_model_advance(&t, 0.1);
	assert_true(t.incline_pct == 4);
	assert_true(t.elevation_gain_m > 0);
	assert_true(treadmill_model_effort(&t) > 0);
}

static void test_treadmill_safety(void **state)
{
	struct treadmill_model t;

	treadmill_model_init(&t);
	t.running = true;
	t.target_speed_kmh = 12;
	for (int i = 0; i < 300; i++)
		treadmill_model_advance(&t, 0.1);
	treadmill_model_safety_stop(&t);
	treadmill_model_advance(&t, 1);
	assert_true(t.speed_kmh < 7);
	treadmill_model_advance(&t, 2);
	assert_true(t.speed_kmh == 0);
	assert_false(t.running);
}

static void test_hr(void **state)
{
	struct hr_model h;
	unsigned rest, work;

	hr_model_init(&h, 1);
	rest = hr_model_bpm(&h);
	for (int i = 0; i < 600; i++)
		hr_model_advance(&h, 1, 200);
	work = hr_model_bpm(&h);
	assert_true(work > rest + 40);
	for (int i = 0; i < 600; i++)
		hr_model_advance(&h, 1, 0);
	assert_true(hr_model_bpm(&h) < rest + 10);
}

static void server_new(struct ftms_server *s)
{
	struct ftms_features f = {
		.machine = FTMS_FEAT_POWER | FTMS_FEAT_CADENCE,
		.target = FTMS_TARGET_POWER | FTMS_TARGET_RESISTANCE,
	};

	ftms_server_init(s, &f);
	ftms_server_set_range(s, FTMS_RANGE_POWER, 10, 800, 1);
	ftms_server_set_range(s, FTMS_RANGE_RESISTANCE, 0, 200, 10);
}

static uint8_t write_cp(struct ftms_server *s, const uint8_t *v, size_t n,
			struct ftms_server_event *ev)
{
	assert_int_equal(ftms_server_write(s, v, n, ev), 0);
	assert_int_equal(ev->response_len, 3);
	assert_int_equal(ev->response[0], 0x80);
	assert_int_equal(ev->response[1], v[0]);
	return ev->response[2];
}

/* Result codes: request op, bytes, expected result (reference §7.2). */
static void test_server_results(void **state)
{
	static const struct {
		uint8_t bytes[4];
		size_t len;
		uint8_t result;
	} vec[] = {
		{ { 0x05, 0xc8, 0x00 }, 3, FTMS_CP_CONTROL_NOT_PERMITTED },
		{ { 0x00 }, 1, FTMS_CP_SUCCESS },
		{ { 0x00 }, 1, FTMS_CP_SUCCESS }, /* again: still Success (FortiusANT) */
		{ { 0x05, 0xc8, 0x00 }, 3, FTMS_CP_SUCCESS },
		{ { 0x05, 0x0f, 0x27 }, 3, FTMS_CP_INVALID_PARAMETER },
		{ { 0x05, 0xc8 }, 2, FTMS_CP_INVALID_PARAMETER },
		{ { 0x02, 0xe8, 0x03 }, 3, FTMS_CP_OP_NOT_SUPPORTED },
		{ { 0x3f }, 1, FTMS_CP_OP_NOT_SUPPORTED },
		{ { 0x08, 0x01 }, 2, FTMS_CP_OPERATION_FAILED },
		{ { 0x07 }, 1, FTMS_CP_SUCCESS },
		{ { 0x07 }, 1, FTMS_CP_OPERATION_FAILED },
		{ { 0x08, 0x03 }, 2, FTMS_CP_INVALID_PARAMETER },
		{ { 0x08, 0x02 }, 2, FTMS_CP_SUCCESS },
		{ { 0x04, 0xff }, 2, FTMS_CP_INVALID_PARAMETER },
		{ { 0x04, 0x64 }, 2, FTMS_CP_SUCCESS },
		{ { 0x01 }, 1, FTMS_CP_SUCCESS },
		{ { 0x07 }, 1, FTMS_CP_CONTROL_NOT_PERMITTED },
	};
	struct ftms_server s;
	struct ftms_server_event ev;

	server_new(&s);
	for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++)
		assert_int_equal(write_cp(&s, vec[i].bytes, vec[i].len, &ev), vec[i].result);
	assert_false(s.control);
	assert_int_equal(s.training, FTMS_TRAINING_IDLE);
}

static void test_server_events(void **state)
{
	struct ftms_server s;
	struct ftms_server_event ev;
	uint8_t buf[8];

	server_new(&s);
	write_cp(&s, (const uint8_t[]) { 0x00 }, 1, &ev);
	assert_false(ev.has_status);
	write_cp(&s, (const uint8_t[]) { 0x05, 0x96, 0x00 }, 3, &ev);
	assert_true(ev.has_status);
	assert_int_equal(ev.status.op, FTMS_STATUS_TARGET_POWER);
	assert_int_equal(ev.status.param.power, 150);
	assert_int_equal(ev.req.param.power, 150);
	write_cp(&s, (const uint8_t[]) { 0x07 }, 1, &ev);
	assert_int_equal(ev.status.op, FTMS_STATUS_STARTED_BY_USER);
	assert_true(ev.training_changed);
	assert_int_equal(s.training, FTMS_TRAINING_WATT_CONTROL);
	/* A rejected op changes nothing. */
	write_cp(&s, (const uint8_t[]) { 0x07 }, 1, &ev);
	assert_false(ev.has_status);
	assert_false(ev.training_changed);
	/* Empty writes are rejected at the ATT level. */
	assert_int_equal(ftms_server_write(&s, NULL, 0, &ev), 0);
	assert_int_equal(ev.att_error, 0x0d);
	assert_int_equal(ftms_server_revoke_control(&s, buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], 0xff);
	assert_false(s.control);
	assert_int_equal(
		ftms_server_user_stop(&s, FTMS_STATUS_STOPPED_BY_SAFETY_KEY, buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], 0x03);
	assert_false(s.started);
}

static void test_server_refuse_and_link(void **state)
{
	struct ftms_server s;
	struct ftms_server_event ev;
	uint8_t buf[8];

	server_new(&s);
	s.refuse_control = FTMS_CP_OPERATION_FAILED;
	assert_int_equal(write_cp(&s, (const uint8_t[]) { 0x00 }, 1, &ev),
			 FTMS_CP_OPERATION_FAILED);
	s.refuse_control = 0;
	assert_int_equal(write_cp(&s, (const uint8_t[]) { 0x00 }, 1, &ev), FTMS_CP_SUCCESS);
	ftms_server_link_lost(&s);
	assert_int_equal(write_cp(&s, (const uint8_t[]) { 0x07 }, 1, &ev),
			 FTMS_CP_CONTROL_NOT_PERMITTED);
	assert_int_equal(ftms_server_training_value(&s, buf, sizeof(buf)), 2);
	assert_int_equal(buf[1], FTMS_TRAINING_IDLE);
}

/* The console: no control needed; the status every client gets (reference §7.3 rule 8). */
static void test_server_console(void **state)
{
	struct ftms_server s;
	struct ftms_server_event ev;
	struct ftms_cp_request start = { .op = FTMS_CP_START_RESUME };
	struct ftms_cp_request pause = { .op = FTMS_CP_STOP_PAUSE, .param.stop_pause = FTMS_PAUSE };
	struct ftms_cp_request power = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 120 };
	struct ftms_cp_request rc = { .op = FTMS_CP_REQUEST_CONTROL };
	struct ftms_cp_request speed = { .op = FTMS_CP_SET_TARGET_SPEED, .param.speed = 500 };

	server_new(&s);
	assert_int_equal(ftms_server_console(&s, &start, &ev), 0);
	assert_true(s.started);
	assert_int_equal(ev.status.op, FTMS_STATUS_STARTED_BY_USER);
	assert_int_equal(ftms_server_console(&s, &start, &ev), -EALREADY);
	assert_false(ev.has_status);
	assert_int_equal(ftms_server_console(&s, &power, &ev), 0);
	assert_int_equal(ev.status.op, FTMS_STATUS_TARGET_POWER);
	assert_int_equal(ev.status.param.power, 120);
	assert_int_equal(ftms_server_console(&s, &pause, &ev), 0);
	assert_int_equal(ev.status.op, FTMS_STATUS_STOPPED_PAUSED_BY_USER);
	assert_int_equal(ev.status.param.stop_pause, FTMS_PAUSE);
	assert_false(s.started);
	power.param.power = 2000;
	assert_int_equal(ftms_server_console(&s, &power, &ev), -ERANGE);
	assert_int_equal(ftms_server_console(&s, &speed, &ev), -EOPNOTSUPP);
	assert_int_equal(ftms_server_console(&s, &rc, &ev), -EINVAL);
	assert_false(s.control);
}

/* Quirk cold-start: targets fail with Operation Failed until Start; the link's end stops it. */
static void test_server_cold_start(void **state)
{
	struct ftms_server s;
	struct ftms_server_event ev;
	const uint8_t power[] = { 0x05, 0x64, 0x00 };

	server_new(&s);
	s.cold_start = true;
	write_cp(&s, (const uint8_t[]) { 0x00 }, 1, &ev);
	assert_int_equal(write_cp(&s, power, sizeof(power), &ev), FTMS_CP_OPERATION_FAILED);
	assert_int_equal(write_cp(&s, (const uint8_t[]) { 0x07 }, 1, &ev), FTMS_CP_SUCCESS);
	assert_int_equal(write_cp(&s, power, sizeof(power), &ev), FTMS_CP_SUCCESS);
	ftms_server_link_lost(&s);
	assert_false(s.started);
	write_cp(&s, (const uint8_t[]) { 0x00 }, 1, &ev);
	assert_int_equal(write_cp(&s, power, sizeof(power), &ev), FTMS_CP_OPERATION_FAILED);
}

/*
 * The simulated crank against the codec's reading of it: 80 rpm read as 80 rpm every 2 s, across
 * the wraps of the count (it starts 100 short of 65536) and of the event time (every 64 s);
 * coasting repeats count and event time, as real sensors do, and reads 0 after the timeout.
 */
static void test_sensor_counter(void **state)
{
	struct sensor_counter c;
	struct revs_rate r;
	uint16_t t0, n0;
	double now = 0;

	sensor_counter_init(&c, CSC_TICKS_PER_S, 0xFFFF - 100, 123.4);
	revs_rate_init(&r, 16, CSC_TICKS_PER_S, 3000, 250 * 100);
	for (int i = 0; i < 150; i++) {
		now += 2;
		sensor_counter_advance(&c, now, 2, 80);
		assert_true(revs_rate_update(&r, sensor_counter_revs(&c) & 0xFFFF,
					     sensor_counter_event_time(&c),
					     (uint64_t) (now * 1000)) >= 0);
		if (i > 1) {
			uint32_t rpm = revs_rate_rpm_x100(&r, (uint64_t) (now * 1000));

			assert_in_range(rpm, 7900, 8100);
		}
	}
	assert_true((sensor_counter_revs(&c) & 0xFFFF) < 1000); /* wrapped */
	/* Coasting: nothing moves on the wire. */
	n0 = (uint16_t) sensor_counter_revs(&c);
	t0 = sensor_counter_event_time(&c);
	for (int i = 0; i < 3; i++) {
		now += 2;
		sensor_counter_advance(&c, now, 2, 0);
		assert_int_equal((uint16_t) sensor_counter_revs(&c), n0);
		assert_int_equal(sensor_counter_event_time(&c), t0);
		assert_int_equal(revs_rate_update(&r, n0, t0, (uint64_t) (now * 1000)), 0);
	}
	assert_int_equal(revs_rate_rpm_x100(&r, (uint64_t) (now * 1000)), 0);
	(void) state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bike_erg_lag),
		cmocka_unit_test(test_bike_resistance),
		cmocka_unit_test(test_bike_rider_stops),
		cmocka_unit_test(test_bike_sag_and_counters),
		cmocka_unit_test(test_bike_deterministic),
		cmocka_unit_test(test_treadmill_accel),
		cmocka_unit_test(test_treadmill_safety),
		cmocka_unit_test(test_hr),
		cmocka_unit_test(test_sensor_counter),
		cmocka_unit_test(test_server_results),
		cmocka_unit_test(test_server_events),
		cmocka_unit_test(test_server_refuse_and_link),
		cmocka_unit_test(test_server_console),
		cmocka_unit_test(test_server_cold_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
