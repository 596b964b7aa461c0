/* SPDX-License-Identifier: MIT */
/* What backride learns about a machine: default ranges, ranges narrowed by refusals, mph. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "envelope.h"
#include "learn.h"

/* Every default lies within the hard ceilings; incline is not driven without its range. */
static void test_defaults(void **state)
{
	struct ftms_range r;

	assert_int_equal(learn_default_range(SESSION_CH_POWER, &r), 0);
	assert_true(r.min > 0 && r.max <= ENVELOPE_HARD_MAX_POWER_W && r.min < r.max);
	assert_int_equal(learn_default_range(SESSION_CH_SPEED, &r), 0);
	assert_true(r.min >= 100 && r.max <= ENVELOPE_HARD_MAX_SPEED_CKMH);
	assert_int_equal(learn_default_range(SESSION_CH_RESISTANCE, &r), 0);
	assert_true(r.min < r.max);
	assert_int_equal(learn_default_range(SESSION_CH_INCLINE, &r), -ENOENT);
}

/* A bike whose least power is 35 W refuses 27, 28...: the minimum rises to 35 and no further;
 * a refusal above what it accepted lowers the maximum; one in between teaches nothing. */
static void test_refusals(void **state)
{
	struct ftms_range r = { 25, 200, 1 };
	struct range_learn l;
	int32_t v = 27;

	range_learn_init(&l, &r);
	while (v < 35) {
		assert_int_equal(range_learn_refused(&l, v), 1);
		assert_int_equal(l.range.min, v + 1);
		v = l.range.min;
	}
	range_learn_accepted(&l, 35);
	range_learn_accepted(&l, 60);
	assert_int_equal(range_learn_refused(&l, 45), 0); /* between accepted values */
	assert_int_equal(range_learn_refused(&l, 150), 1);
	assert_int_equal(l.range.max, 149);
	assert_int_equal(range_learn_refused(&l, 30), 0); /* below the minimum: known already */
	assert_int_equal(l.range.min, 35);
	/* Nothing accepted yet: the half decides; never past the other end. */
	r = (struct ftms_range) { 100, 110, 10 };
	range_learn_init(&l, &r);
	assert_int_equal(range_learn_refused(&l, 110), 1);
	assert_int_equal(l.range.max, 100);
	assert_int_equal(range_learn_refused(&l, 100), -ERANGE);
	assert_int_equal(l.range.min, 100);
	assert_int_equal(l.range.max, 100);
}

/* mph firmware: the written value's true speed is never above what the engine asked, for every
 * speed up to the hard ceiling, on the simulator's grid and on a coarse one; km/h is as is. */
static void test_mph_never_faster(void **state)
{
	const struct ftms_range grids[] = { { 80, 1800, 10 }, { 50, 1200, 50 }, { 100, 650, 1 } };

	for (size_t g = 0; g < sizeof(grids) / sizeof(grids[0]); g++) {
		struct ftms_range tr;

		learn_speed_range(&grids[g], true, &tr);
		assert_true(tr.min >= grids[g].min * 1.609344);
		for (int32_t ckmh = 0; ckmh <= ENVELOPE_HARD_MAX_SPEED_CKMH; ckmh++) {
			int32_t w = learn_speed_to_wire(ckmh, true, &grids[g]);

			assert_int_equal(learn_speed_to_wire(ckmh, false, &grids[g]), ckmh);
			if (w == -ERANGE) {
				assert_true(grids[g].min * 1.609344 > ckmh);
				continue;
			}
			assert_true(w >= grids[g].min && w <= grids[g].max);
			assert_int_equal((w - grids[g].min) % (int32_t) grids[g].increment, 0);
			assert_true(learn_speed_true(w, true) <= ckmh);
			assert_true(w * 1.609344 <= ENVELOPE_HARD_MAX_SPEED_CKMH + 1e-9);
			/* As close as the grid allows: one step more would be faster than asked. */
			if (w + (int32_t) grids[g].increment <= grids[g].max)
				assert_true((w + (int32_t) grids[g].increment) * 1.609344 > ckmh);
		}
	}
	assert_int_equal(learn_speed_to_wire(217, true, &grids[0]), 130); /* 3.5 km/h: 1.3 mph */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_mph_never_faster),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
