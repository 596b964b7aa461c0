/* SPDX-License-Identifier: MIT */
/*
 * The plausibility filter (daemon/session/plausible.h): each field's bounds, the machine's
 * ranges, "not available" values, the distance and elapsed-time jump rules, counters that
 * restart, and the 10 s window of persistent garbage. Time in µs of an injected clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "plausible.h"

#define S(x)   (1000000ULL * (uint64_t) (x))
#define MS(x)  (1000ULL * (uint64_t) (x))
#define NONE   BR_NONE
#define BIT(f) (1u << (f))

static struct plausible_sample none(void)
{
	struct plausible_sample x;

	for (int f = 0; f < _PLAUSIBLE_FIELD_MAX; f++)
		x.v[f] = NONE;
	return x;
}

/* Check one value of @f alone at @now. Return: the value that went through (NONE: dropped). */
static int32_t one(struct plausible *p, uint64_t now, enum plausible_field f, int32_t v)
{
	struct plausible_sample x = none();

	x.v[f] = v;
	(void) plausible_check(p, now, &x);
	return x.v[f];
}

static struct session_machine treadmill(void)
{
	struct session_machine m = { .kind = SESSION_KIND_TREADMILL };

	m.has[SESSION_CH_SPEED] = m.has[SESSION_CH_INCLINE] = true;
	m.range[SESSION_CH_SPEED] = (struct ftms_range) { 80, 1800, 10 };
	m.range[SESSION_CH_INCLINE] = (struct ftms_range) { -30, 150, 5 };
	return m;
}

/* Each field of a bike without ranges: in at both ends, out one past them, counted. */
static void test_bounds(void **state)
{
	static const struct {
		enum plausible_field f;
		int32_t lo, hi;
	} t[] = {
		{ PLAUSIBLE_POWER, -500, 2500 },  { PLAUSIBLE_CADENCE, 0, 500 },
		{ PLAUSIBLE_SPEED, 0, 10000 },	  { PLAUSIBLE_HEART_RATE, 25, 230 },
		{ PLAUSIBLE_INCLINE, -150, 400 }, { PLAUSIBLE_RESISTANCE, 0, 1000 },
	};
	struct plausible p;

	plausible_init(&p, NULL);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int32_t lo, hi;

		plausible_bounds(&p, t[i].f, &lo, &hi);
		assert_int_equal(lo, t[i].lo);
		assert_int_equal(hi, t[i].hi);
		assert_int_equal(one(&p, S(i), t[i].f, t[i].lo), t[i].lo);
		assert_int_equal(one(&p, S(i), t[i].f, t[i].hi), t[i].hi);
		assert_int_equal(one(&p, S(i), t[i].f, t[i].lo - 1), NONE);
		assert_int_equal(one(&p, S(i), t[i].f, t[i].hi + 1), NONE);
		assert_int_equal(plausible_dropped(&p, t[i].f), 2);
	}
	/* The figures of a machine that sent random bytes. */
	assert_int_equal(one(&p, S(10), PLAUSIBLE_POWER, -31027), NONE);
	assert_int_equal(one(&p, S(10), PLAUSIBLE_POWER, 32155), NONE);
	assert_int_equal(one(&p, S(10), PLAUSIBLE_CADENCE, 65200), NONE);
	assert_int_equal(one(&p, S(10), PLAUSIBLE_SPEED, 64500), NONE);
	assert_int_equal(one(&p, S(10), PLAUSIBLE_HEART_RATE, 241), NONE);
}

/* A treadmill: 30 km/h at most, narrowed by its ranges; a bike may go to 100 km/h. */
static void test_ranges(void **state)
{
	struct session_machine m = treadmill();
	struct plausible p;
	int32_t lo, hi;

	m.has[SESSION_CH_SPEED] = m.has[SESSION_CH_INCLINE] = false;
	plausible_init(&p, &m);
	plausible_bounds(&p, PLAUSIBLE_SPEED, &lo, &hi);
	assert_int_equal(hi, 3000);
	m = treadmill();
	plausible_init(&p, &m);
	/* The belt's top speed 18 km/h + 10 %; the deck's -3..15 % +-1 %. */
	plausible_bounds(&p, PLAUSIBLE_SPEED, &lo, &hi);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 1980);
	assert_int_equal(one(&p, 0, PLAUSIBLE_SPEED, 1980), 1980);
	assert_int_equal(one(&p, 0, PLAUSIBLE_SPEED, 1981), NONE);
	plausible_bounds(&p, PLAUSIBLE_INCLINE, &lo, &hi);
	assert_int_equal(lo, -40);
	assert_int_equal(hi, 160);
	/* A range that says more than the physical bounds does not widen them. */
	m.range[SESSION_CH_SPEED].max = 6000;
	plausible_init(&p, &m);
	plausible_bounds(&p, PLAUSIBLE_SPEED, &lo, &hi);
	assert_int_equal(hi, 3000);
	/* A range without extent is ignored. */
	m.range[SESSION_CH_SPEED] = (struct ftms_range) { 500, 500, 10 };
	plausible_init(&p, &m);
	plausible_bounds(&p, PLAUSIBLE_SPEED, &lo, &hi);
	assert_int_equal(hi, 3000);
}

/* Resistance: the range in levels or tenths (reference D1), a tenth of that either side. */
static void test_resistance_range(void **state)
{
	struct session_machine m = { .kind = SESSION_KIND_BIKE };
	struct plausible p;
	int32_t lo, hi;

	m.has[SESSION_CH_RESISTANCE] = true;
	m.range[SESSION_CH_RESISTANCE] = (struct ftms_range) { 0, 200, 10 };
	plausible_init(&p, &m);
	plausible_bounds(&p, PLAUSIBLE_RESISTANCE, &lo, &hi);
	assert_int_equal(lo, -200);
	assert_int_equal(hi, 2200);
	assert_int_equal(one(&p, 0, PLAUSIBLE_RESISTANCE, 20), 20);	/* level 20.0 as 20 */
	assert_int_equal(one(&p, 0, PLAUSIBLE_RESISTANCE, 200), 200);	/* as 200 */
	assert_int_equal(one(&p, 0, PLAUSIBLE_RESISTANCE, 2000), 2000); /* range in levels */
	assert_int_equal(one(&p, 0, PLAUSIBLE_RESISTANCE, -32606), NONE);
	assert_int_equal(one(&p, 0, PLAUSIBLE_RESISTANCE, 32496), NONE);
	m.range[SESSION_CH_RESISTANCE] = (struct ftms_range) { 10, 320, 10 };
	plausible_init(&p, &m);
	plausible_bounds(&p, PLAUSIBLE_RESISTANCE, &lo, &hi);
	assert_int_equal(lo, 1 - 319);
	assert_int_equal(hi, 3200 + 319);
}

/* "Not available" and no skin contact: absent, not counted. */
static void test_not_available(void **state)
{
	static const struct {
		enum plausible_field f;
		int32_t v;
	} t[] = {
		{ PLAUSIBLE_POWER, 0x7FFF },	  { PLAUSIBLE_INCLINE, 0x7FFF },
		{ PLAUSIBLE_RESISTANCE, 0x7FFF }, { PLAUSIBLE_CADENCE, 0xFFFF },
		{ PLAUSIBLE_SPEED, 0xFFFF },	  { PLAUSIBLE_ELAPSED, 0xFFFF },
		{ PLAUSIBLE_DISTANCE, 0xFFFFFF }, { PLAUSIBLE_HEART_RATE, 0 },
		{ PLAUSIBLE_HEART_RATE, 0xFF },	  { PLAUSIBLE_HEART_RATE, 0xFFFF },
	};
	struct plausible p;

	plausible_init(&p, NULL);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct plausible_sample x = none();

		x.v[t[i].f] = t[i].v;
		assert_int_equal(plausible_check(&p, S(i), &x), 0);
		assert_int_equal(x.v[t[i].f], NONE);
		assert_int_equal(plausible_dropped(&p, t[i].f), 0);
	}
	assert_false(plausible_persistent(&p, S(9)));
}

/* Distance: never back, at most top speed x (time since the last good value + 60 s). */
static void test_distance_jumps(void **state)
{
	struct plausible p;

	plausible_init(&p, NULL); /* a bike: 100 km/h, 27.8 m/s */
	assert_int_equal(one(&p, S(0), PLAUSIBLE_DISTANCE, 1000), 1000); /* the first is taken */
	assert_int_equal(one(&p, S(1), PLAUSIBLE_DISTANCE, 1005), 1005);
	assert_int_equal(one(&p, S(2), PLAUSIBLE_DISTANCE, 1004), NONE); /* backwards */
	/* From 1005 at 1 s: at 3 s up to 1005 + 62 s x 27.8 m/s = 2727. */
	assert_int_equal(one(&p, S(3), PLAUSIBLE_DISTANCE, 2728), NONE);
	assert_int_equal(one(&p, S(3), PLAUSIBLE_DISTANCE, 2727), 2727);
	/* Several in the same instant (bunched up): the margin only, 60 s x 27.8 m/s. */
	assert_int_equal(one(&p, S(3), PLAUSIBLE_DISTANCE, 4393), 4393);
	assert_int_equal(one(&p, S(3), PLAUSIBLE_DISTANCE, 6060), NONE);
	/* The uint24 maximum of a random frame, after a minute. */
	assert_int_equal(one(&p, S(60), PLAUSIBLE_DISTANCE, 16742000), NONE);
	assert_int_equal(plausible_dropped(&p, PLAUSIBLE_DISTANCE), 4);
	/* A treadmill's top speed is its own: 19.8 km/h, 5.5 m/s. */
	{
		struct session_machine m = treadmill();

		plausible_init(&p, &m);
		assert_int_equal(one(&p, S(0), PLAUSIBLE_DISTANCE, 0), 0);
		assert_int_equal(one(&p, S(10), PLAUSIBLE_DISTANCE, 386), NONE);
		assert_int_equal(one(&p, S(10), PLAUSIBLE_DISTANCE, 385), 385);
	}
}

/* Elapsed time: never back, at most the time passed + 60 s. */
static void test_elapsed_jumps(void **state)
{
	struct plausible p;

	plausible_init(&p, NULL);
	assert_int_equal(one(&p, S(0), PLAUSIBLE_ELAPSED, 100), 100);
	assert_int_equal(one(&p, S(1), PLAUSIBLE_ELAPSED, 101), 101);
	assert_int_equal(one(&p, S(1), PLAUSIBLE_ELAPSED, 101), 101); /* paused clock */
	assert_int_equal(one(&p, S(2), PLAUSIBLE_ELAPSED, 99), NONE);
	assert_int_equal(one(&p, S(2), PLAUSIBLE_ELAPSED, 163), NONE); /* 101 + 1 + 60 = 162 */
	assert_int_equal(one(&p, S(2), PLAUSIBLE_ELAPSED, 162), 162);
	assert_int_equal(one(&p, MS(2500), PLAUSIBLE_ELAPSED, 40000), NONE);
	assert_int_equal(plausible_dropped(&p, PLAUSIBLE_ELAPSED), 3);
}

/*
 * Counters that start again from 0 (many machines at Start or Reset) go on at once; a jump to
 * another count is followed after 3 values in a row that continue each other.
 */
static void test_counter_restart(void **state)
{
	struct plausible p;

	plausible_init(&p, NULL);
	assert_int_equal(one(&p, S(0), PLAUSIBLE_DISTANCE, 5000), 5000);
	assert_int_equal(one(&p, S(1), PLAUSIBLE_ELAPSED, 600), 600);
	assert_int_equal(one(&p, S(2), PLAUSIBLE_DISTANCE, 0), 0);
	assert_int_equal(one(&p, S(3), PLAUSIBLE_DISTANCE, 5), 5);
	assert_int_equal(one(&p, S(4), PLAUSIBLE_ELAPSED, 2), 2);
	assert_int_equal(one(&p, S(5), PLAUSIBLE_ELAPSED, 3), 3);
	assert_int_equal(plausible_dropped(&p, PLAUSIBLE_DISTANCE), 0);
	assert_int_equal(plausible_dropped(&p, PLAUSIBLE_ELAPSED), 0);
	/* A jump ahead: 2995 m in 9 s is more than 69 s at 100 km/h. */
	assert_int_equal(one(&p, S(12), PLAUSIBLE_DISTANCE, 3000), NONE);
	assert_int_equal(one(&p, S(13), PLAUSIBLE_DISTANCE, 3001), NONE);
	assert_int_equal(one(&p, S(14), PLAUSIBLE_DISTANCE, 3002), 3002);
	assert_int_equal(one(&p, S(15), PLAUSIBLE_DISTANCE, 3010), 3010);
	/* Back, but not to a new start (100 s is more than 1 s + 60 s from 0). */
	assert_int_equal(one(&p, S(100), PLAUSIBLE_ELAPSED, 125), 125);
	assert_int_equal(one(&p, S(101), PLAUSIBLE_ELAPSED, 100), NONE);
	assert_int_equal(one(&p, S(102), PLAUSIBLE_ELAPSED, 101), NONE);
	assert_int_equal(one(&p, S(103), PLAUSIBLE_ELAPSED, 102), 102);
	assert_int_equal(one(&p, S(104), PLAUSIBLE_ELAPSED, 103), 103);
	/* Values that jump about never make a run: no re-anchoring on garbage. */
	assert_int_equal(one(&p, S(105), PLAUSIBLE_ELAPSED, 30000), NONE);
	assert_int_equal(one(&p, S(106), PLAUSIBLE_ELAPSED, 500), NONE);
	assert_int_equal(one(&p, S(107), PLAUSIBLE_ELAPSED, 50000), NONE);
	assert_int_equal(one(&p, S(108), PLAUSIBLE_ELAPSED, 4000), NONE);
	assert_int_equal(one(&p, S(109), PLAUSIBLE_ELAPSED, 108), 108); /* continues 103 */
	assert_int_equal(plausible_dropped(&p, PLAUSIBLE_ELAPSED), 6);
	/* A new link starts afresh: its first value is taken. */
	plausible_init(&p, NULL);
	assert_int_equal(one(&p, S(0), PLAUSIBLE_DISTANCE, 16000), 16000);
}

/* Feed @n records at @per µs apart from @t, @bad of every @of with power 32155 W. */
static uint64_t feed(struct plausible *p, uint64_t t, uint64_t per, int n, int bad, int of)
{
	for (int i = 0; i < n; i++, t += per) {
		struct plausible_sample x = none();

		x.v[PLAUSIBLE_POWER] = i % of < bad ? 32155 : 100;
		x.v[PLAUSIBLE_HEART_RATE] = 90;
		(void) plausible_check(p, t, &x);
		assert_int_equal(x.v[PLAUSIBLE_HEART_RATE], 90); /* the others go through */
	}
	return t;
}

/* More than half of the records of the last 10 s, at least 3 of them. */
static void test_window(void **state)
{
	struct plausible p;
	uint64_t t;

	/* 1 Hz: half is not more than half; 6 of 10 is. */
	plausible_init(&p, NULL);
	t = feed(&p, S(100), S(1), 10, 1, 2);
	assert_false(plausible_persistent(&p, t - S(1)));
	plausible_init(&p, NULL);
	t = feed(&p, S(100), S(1), 10, 6, 10);
	assert_true(plausible_persistent(&p, t - S(1)));
	/* Records older than 10 s do not count. */
	assert_true(plausible_persistent(&p, S(109)));
	assert_false(plausible_persistent(&p, S(116)));
	assert_false(plausible_persistent(&p, S(200)));
	/* Clean data takes over: 4 s of it at 4 Hz outweigh 6 s of garbage at 1 Hz. */
	t = feed(&p, S(300), S(1), 6, 1, 1);
	assert_true(plausible_persistent(&p, t - S(1)));
	t = feed(&p, t, MS(250), 16, 0, 1);
	assert_false(plausible_persistent(&p, t - MS(250)));
	/* Fewer than 3 records say nothing: a quiet machine's one glitch. */
	plausible_init(&p, NULL);
	t = feed(&p, S(0), S(4), 2, 1, 1);
	assert_false(plausible_persistent(&p, S(4)));
	(void) feed(&p, t, S(1), 1, 1, 1);
	assert_true(plausible_persistent(&p, S(8)));
	/* Nothing before the first record. */
	plausible_init(&p, NULL);
	assert_false(plausible_persistent(&p, 0));
	assert_false(plausible_persistent(&p, S(5)));
}

/* Still garbage: the last 8 records, however far apart they came. */
static void test_still_garbage_however_far_apart(void **state)
{
	struct plausible p;
	uint64_t t;

	plausible_init(&p, NULL);
	assert_false(plausible_still_bad(&p));
	/* A busy link: garbage every 20 s is too sparse for the window, still garbage. */
	t = feed(&p, S(0), S(20), 3, 1, 1);
	assert_false(plausible_persistent(&p, t - S(20)));
	assert_true(plausible_still_bad(&p));
	/* Fewer than 3 records say nothing. */
	plausible_init(&p, NULL);
	(void) feed(&p, S(0), S(1), 2, 1, 1);
	assert_false(plausible_still_bad(&p));
	/* More than half of the last 8: 5 bad are, 4 are not; clean data takes over. */
	plausible_init(&p, NULL);
	t = feed(&p, S(0), S(1), 8, 5, 8);
	assert_true(plausible_still_bad(&p));
	t = feed(&p, t, S(1), 1, 0, 1);
	assert_false(plausible_still_bad(&p));
	t = feed(&p, t, S(1), 8, 0, 1);
	assert_false(plausible_still_bad(&p));
	t = feed(&p, t, S(1), 3, 1, 1);
	assert_false(plausible_still_bad(&p));
	(void) feed(&p, t, S(1), 2, 1, 1);
	assert_true(plausible_still_bad(&p));
}

static void test_names(void **state)
{
	char buf[64];

	assert_string_equal(plausible_field_to_string(PLAUSIBLE_POWER), "power_w");
	assert_string_equal(plausible_field_to_string(PLAUSIBLE_HEART_RATE), "hr_bpm");
	assert_string_equal(plausible_field_to_string(_PLAUSIBLE_FIELD_MAX), "unknown");
	plausible_format(PLAUSIBLE_POWER, 32155, buf, sizeof(buf));
	assert_string_equal(buf, "power 32155 W");
	plausible_format(PLAUSIBLE_CADENCE, 65200, buf, sizeof(buf));
	assert_string_equal(buf, "cadence 32600 rpm");
	plausible_format(PLAUSIBLE_CADENCE, 161, buf, sizeof(buf));
	assert_string_equal(buf, "cadence 80.5 rpm");
	plausible_format(PLAUSIBLE_SPEED, 64500, buf, sizeof(buf));
	assert_string_equal(buf, "speed 645.00 km/h");
	plausible_format(PLAUSIBLE_HEART_RATE, 241, buf, sizeof(buf));
	assert_string_equal(buf, "heart rate 241 bpm");
	plausible_format(PLAUSIBLE_INCLINE, -155, buf, sizeof(buf));
	assert_string_equal(buf, "incline -15.5 %");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_resistance_range),
		cmocka_unit_test(test_not_available),
		cmocka_unit_test(test_distance_jumps),
		cmocka_unit_test(test_elapsed_jumps),
		cmocka_unit_test(test_counter_restart),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_still_garbage_however_far_apart),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
