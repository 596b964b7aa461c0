/* SPDX-License-Identifier: MIT */
/* Keiser M3i advertisement manufacturer data. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "keiser.h"
#include "test-ftms.h"

/* Firmware 6.30 (the version the KeiserBikeEmulator project advertises), real time, bike 5:
 * 88.0 rpm, 120.0 bpm, 200 W, 50 kcal, 12:30, 6.5 km, gear 10. */
/* clang-format off */
#define M3I_630 0x06, 0x30, 0x00, 0x05, 0x70, 0x03, 0xB0, 0x04, 0xC8, 0x00, 0x32, 0x00, 0x0C, 0x1E, \
		0x41, 0x80, 0x0A
/* clang-format on */

static void test_real_time(void **state)
{
	static const uint8_t frame[] = { M3I_630 };
	struct keiser_m3i k;
	uint8_t buf[20];

	assert_int_equal(keiser_m3i_parse(frame, sizeof(frame), &k), 0);
	assert_int_equal(k.major, 6);
	assert_int_equal(k.minor, 0x30);
	assert_int_equal(k.data_type, 0);
	assert_int_equal(k.equipment_id, 5);
	assert_int_equal(k.cadence, 880);
	assert_int_equal(k.heart_rate, 1200);
	assert_int_equal(k.power, 200);
	assert_int_equal(k.energy, 50);
	assert_int_equal(k.minutes, 12);
	assert_int_equal(k.seconds, 30);
	assert_int_equal(keiser_m3i_time(&k), 750);
	assert_int_equal(k.distance, 0x8041);
	assert_int_equal(keiser_m3i_distance_m(&k), 6500);
	assert_true(k.has_gear);
	assert_int_equal(k.gear, 10);

	assert_int_equal(keiser_m3i_encode(&k, buf, sizeof(buf)), sizeof(frame));
	assert_memory_equal(buf, frame, sizeof(frame));
	assert_int_equal(keiser_m3i_encode(&k, buf, sizeof(frame) - 1), -ENOBUFS);

	/* Trailing bytes are ignored. */
	assert_int_equal(keiser_m3i_parse(BYTES(M3I_630, 0xEE, 0xEE), &k), 0);
	assert_int_equal(k.gear, 10);
}

static void test_gear_and_distance(void **state)
{
	struct keiser_m3i k;

	/* Before minor 0x21 there is no gear, even with a byte after the distance. */
	assert_int_equal(keiser_m3i_parse(BYTES(0x06, 0x20, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
						0, 0x0A, 0x00, 0x07),
					  &k),
			 0);
	assert_false(k.has_gear);
	assert_int_equal(k.gear, 0);
	/* Distance without bit 15 is in 0.1 mile: 1.0 mile. */
	assert_int_equal(keiser_m3i_distance_m(&k), 1609);
	/* From 0x21 a 16-byte frame has no gear either. */
	assert_int_equal(keiser_m3i_parse(BYTES(0x06, 0x21, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
						0, 0xFF, 0xFF),
					  &k),
			 0);
	assert_false(k.has_gear);
	assert_int_equal(keiser_m3i_distance_m(&k), 32767 * 100);
	assert_int_equal(
		keiser_m3i_parse(
			BYTES(0x06, 0x21, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 24), &k),
		0);
	assert_true(k.has_gear);
	assert_int_equal(k.gear, 24);
}

static void test_data_types(void **state)
{
	uint8_t f[] = { M3I_630 };
	struct keiser_m3i k;

	for (unsigned t = 0; t <= 255; t++) {
		f[2] = (uint8_t) t;
		if (t == 0 || (t >= 128 && t <= 227)) {
			assert_true(keiser_m3i_real_time(f[2]));
			assert_int_equal(keiser_m3i_parse(f, sizeof(f), &k), 0);
			assert_int_equal(k.data_type, t);
		} else {
			/* Review data (1-99, 255) and undefined types: not real time. */
			assert_false(keiser_m3i_real_time(f[2]));
			ASSERT_FAIL(-EPROTO, keiser_m3i_parse, struct keiser_m3i, f, sizeof(f));
		}
	}
}

static void test_rejected(void **state)
{
	uint8_t f[] = { M3I_630 };

	/* Another major version has another layout. */
	f[0] = 0x05;
	ASSERT_FAIL(-EPROTO, keiser_m3i_parse, struct keiser_m3i, f, sizeof(f));
	f[0] = 0x06;
	/* Seconds past 59. */
	f[13] = 60;
	ASSERT_BAD(keiser_m3i_parse, struct keiser_m3i, f, sizeof(f));
	f[13] = 59;
	/* Short frames, down to nothing. */
	for (size_t len = 0; len < KEISER_M3I_LEN; len++)
		ASSERT_BAD(keiser_m3i_parse, struct keiser_m3i, f, len);
	/* An M7i (another layout, major version 1): the example of Keiser's M7i page, after its
	 * company ID. */
	ASSERT_FAIL(-EPROTO, keiser_m3i_parse, struct keiser_m3i,
		    BYTES(0x01, 0x05, 0x00, 0x38, 0x38, 0x03, 0x46, 0x05, 0x73, 0x00, 0x0D, 0x00,
			  0x04, 0x27, 0x0A, 0x20, 0x03, 0x36, 0x01));
	/* With the company ID still in front (02 01), the major version reads as 2. */
	ASSERT_FAIL(-EPROTO, keiser_m3i_parse, struct keiser_m3i, BYTES(0x02, 0x01, M3I_630));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_time),
		cmocka_unit_test(test_gear_and_distance),
		cmocka_unit_test(test_data_types),
		cmocka_unit_test(test_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
