/* SPDX-License-Identifier: MIT */
/* The safety envelope: caps, hard ceilings, ranges, increments and rate limits. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "envelope.h"

#define S(x) (1000000ULL * (uint64_t) (x))

static struct session_machine bike(int32_t pmin, int32_t pmax, uint32_t pinc)
{
	struct session_machine m = { .kind = SESSION_KIND_BIKE };

	m.has[SESSION_CH_POWER] = true;
	m.range[SESSION_CH_POWER] = (struct ftms_range) { pmin, pmax, pinc };
	m.has[SESSION_CH_RESISTANCE] = true;
	m.range[SESSION_CH_RESISTANCE] = (struct ftms_range) { 0, 1000, 10 }; /* 0..100, step 1 */
	return m;
}

static struct session_machine treadmill(void)
{
	struct session_machine m = { .kind = SESSION_KIND_TREADMILL };

	m.has[SESSION_CH_SPEED] = true;
	m.range[SESSION_CH_SPEED] = (struct ftms_range) { 100, 1800, 10 }; /* 1.0..18 km/h */
	m.has[SESSION_CH_INCLINE] = true;
	m.range[SESSION_CH_INCLINE] = (struct ftms_range) { -30, 150, 5 }; /* -3..15 % */
	return m;
}

static void test_defaults_in_bounds(void **state)
{
	struct envelope_limits l;

	envelope_limits_default(&l);
	assert_int_equal(envelope_limits_bound(&l), 0);
	assert_int_equal(l.ch[SESSION_CH_POWER].cap, 100);
	assert_int_equal(l.ch[SESSION_CH_RESISTANCE].cap, 40);
	assert_int_equal(l.ch[SESSION_CH_SPEED].cap, 500);
	assert_int_equal(l.ch[SESSION_CH_INCLINE].cap, 20);
}

static void test_hard_ceilings(void **state)
{
	struct envelope_limits l;

	envelope_limits_default(&l);
	/* An absurd config: 2000 W, 100 %, 20 km/h, 15 %, instant rates, no way to slow. */
	l.ch[SESSION_CH_POWER] = (struct envelope_channel_limits) { 2000, 100000, 0 };
	l.ch[SESSION_CH_RESISTANCE] = (struct envelope_channel_limits) { 100, 1000, -5 };
	l.ch[SESSION_CH_SPEED] = (struct envelope_channel_limits) { 2000, 100000, 1 };
	l.ch[SESSION_CH_INCLINE] = (struct envelope_channel_limits) { 150, 1000, 0 };
	assert_int_equal(envelope_limits_bound(&l), 12);
	assert_int_equal(l.ch[SESSION_CH_POWER].cap, ENVELOPE_HARD_MAX_POWER_W);
	assert_int_equal(l.ch[SESSION_CH_POWER].up_per_min, 60);
	assert_int_equal(l.ch[SESSION_CH_POWER].down_per_min, 120);
	assert_int_equal(l.ch[SESSION_CH_RESISTANCE].cap, ENVELOPE_HARD_MAX_RESISTANCE_PCT);
	assert_int_equal(l.ch[SESSION_CH_SPEED].cap, ENVELOPE_HARD_MAX_SPEED_CKMH);
	assert_int_equal(l.ch[SESSION_CH_SPEED].up_per_min, 1200);
	assert_int_equal(l.ch[SESSION_CH_SPEED].down_per_min, 600);
	assert_int_equal(l.ch[SESSION_CH_INCLINE].cap, ENVELOPE_HARD_MAX_INCLINE_DPCT);

	/* envelope_init bounds its own copy: the absurd values never reach a target. */
	{
		struct session_machine m = bike(0, 2000, 1);
		struct envelope e;

		l.ch[SESSION_CH_POWER].cap = 2000;
		assert_int_equal(envelope_init(&e, &l, &m), 0);
		assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, 0, 5000), 200);
		assert_int_equal(envelope_ceiling(&e, SESSION_CH_POWER), 200);
	}
}

static void test_caps_and_ranges(void **state)
{
	struct envelope_limits l;
	struct session_machine m = bike(25, 800, 5);
	struct envelope e;

	envelope_limits_default(&l);
	assert_int_equal(envelope_init(&e, &l, &m), 0);
	/* Power: floor is the machine minimum, cap 100 W, increments of 5 W from 25. */
	assert_int_equal(envelope_floor(&e, SESSION_CH_POWER), 25);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, 0, 3), 25);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(1000), 500), 100);
	/* Resistance 0..100 in steps of 1: the 40 % cap is 40.0. */
	assert_int_equal(envelope_ceiling(&e, SESSION_CH_RESISTANCE), 400);
	assert_int_equal(envelope_apply(&e, SESSION_CH_RESISTANCE, 0, 999), 400);
	/* Unused channels stay 0. */
	assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, 0, 300), 0);

	/* A machine whose least power is above the cap cannot be driven gently. */
	m = bike(150, 800, 1);
	assert_int_equal(envelope_init(&e, &l, &m), -ERANGE);
	/* A resistance range without extent is invalid. */
	m = bike(0, 800, 1);
	m.range[SESSION_CH_RESISTANCE] = (struct ftms_range) { 10, 10, 1 };
	assert_int_equal(envelope_init(&e, &l, &m), -EINVAL);
}

static void test_increments(void **state)
{
	struct envelope_limits l;
	struct session_machine m = bike(0, 800, 10);
	struct envelope e;

	envelope_limits_default(&l);
	l.ch[SESSION_CH_POWER].cap = 95; /* rounds down onto the 10 W grid: 90 */
	assert_int_equal(envelope_init(&e, &l, &m), 0);
	assert_int_equal(envelope_ceiling(&e, SESSION_CH_POWER), 90);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, 0, 44), 40);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(60), 46), 50);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(240), 94), 90);

	/* Treadmill: speed steps of 0.1 km/h, incline 0.5 %, never negative incline. */
	m = treadmill();
	assert_int_equal(envelope_init(&e, &l, &m), 0);
	assert_int_equal(envelope_floor(&e, SESSION_CH_INCLINE), 0);
	assert_int_equal(envelope_apply(&e, SESSION_CH_INCLINE, 0, -20), 0);
	assert_int_equal(envelope_apply(&e, SESSION_CH_INCLINE, S(600), 13), 15);
	assert_int_equal(envelope_apply(&e, SESSION_CH_INCLINE, S(1200), 99), 20);
}

static void test_power_rate(void **state)
{
	struct envelope_limits l;
	struct session_machine m = bike(0, 800, 1);
	struct envelope e;

	envelope_limits_default(&l); /* +30 W/min, -600 W/min */
	assert_int_equal(envelope_init(&e, &l, &m), 0);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, 0, 40), 40); /* first: no rate */
	/* +0.5 W/s: a 60 W request climbs 1 W every 2 s, at any step size. */
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(1), 60), 40);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(2), 60), 41);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(3), 60), 41);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(4), 60), 42);
	/* A big step in time: 10 s later the budget is 5 W. */
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(14), 60), 47);
	/* Down is fast (10 W/s) but limited too; a reversal starts with no budget. */
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(15), 0), 47);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(16), 0), 37);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(20), 0), 0);
	/* Idle at the target: the budget does not build up. */
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(100), 0), 0);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(101), 50), 0);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(103), 50), 1);
	/* After a gap without commands, rebase: no budget from the gap. */
	envelope_rebase(&e, S(500));
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(500), 50), 1);
	assert_int_equal(envelope_apply(&e, SESSION_CH_POWER, S(502), 50), 2);
}

static void test_speed_start_stop(void **state)
{
	struct envelope_limits l;
	struct session_machine m = treadmill();
	struct envelope e;
	uint64_t t;

	envelope_limits_default(&l); /* +6 km/h per min = 0.1 km/h/s; -0.2 km/h/s */
	assert_int_equal(envelope_init(&e, &l, &m), 0);
	/* Primed at 0: a stopped belt. */
	assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, 0, 0), 0);
	/* The first step, to the least speed 1.0 km/h, needs 10 s of budget. */
	for (t = S(1) / 10; t < S(10); t += S(1) / 10)
		assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, t, 350), 0);
	assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, S(10), 350), 100);
	assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, S(11), 350), 110);
	assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, S(60), 9999), 500); /* the cap */
	/* Stopping: down 0.2 km/h/s to the least speed, then 0 once there is budget for it. */
	assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, S(80), 0), 100);
	assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, S(84), 0), 100);
	assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, S(85), 0), 0);
	/* A value between 0 and the least speed asks for the least speed. */
	envelope_reset(&e, SESSION_CH_SPEED, S(100), 100);
	assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, S(101), 40), 100);
	/* Reset to a measured value is clamped into range, cap and grid. */
	envelope_reset(&e, SESSION_CH_SPEED, S(200), 563);
	assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, S(200), 563), 500);
	envelope_reset(&e, SESSION_CH_SPEED, S(300), -5);
	assert_int_equal(envelope_apply(&e, SESSION_CH_SPEED, S(300), 0), 0);
}

static void test_resistance_rate_pct(void **state)
{
	struct envelope_limits l;
	struct session_machine m = bike(0, 800, 1);
	struct envelope e;

	m.has[SESSION_CH_POWER] = false;
	m.range[SESSION_CH_RESISTANCE] = (struct ftms_range) { 10, 210, 1 }; /* 1.0..21.0 */
	envelope_limits_default(&l); /* 40 % cap, +10 %/min */
	assert_int_equal(envelope_init(&e, &l, &m), 0);
	assert_int_equal(envelope_ceiling(&e, SESSION_CH_RESISTANCE), 10 + 80);
	assert_int_equal(envelope_apply(&e, SESSION_CH_RESISTANCE, 0, 10), 10);
	/* 10 % of a 200-unit range per minute: 20 units per minute. */
	assert_int_equal(envelope_apply(&e, SESSION_CH_RESISTANCE, S(60), 200), 30);
	assert_int_equal(envelope_apply(&e, SESSION_CH_RESISTANCE, S(90), 200), 40);
	assert_int_equal(envelope_apply(&e, SESSION_CH_RESISTANCE, S(600), 200), 90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_in_bounds),  cmocka_unit_test(test_hard_ceilings),
		cmocka_unit_test(test_caps_and_ranges),	    cmocka_unit_test(test_increments),
		cmocka_unit_test(test_power_rate),	    cmocka_unit_test(test_speed_start_stop),
		cmocka_unit_test(test_resistance_rate_pct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
