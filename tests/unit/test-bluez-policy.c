/* SPDX-License-Identifier: MIT */
/* Reconnect backoff, heart-rate freshness, machine type detection, address forms. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "policy.h"

static void test_backoff_sequence(void **state)
{
	static const unsigned want[] = { 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000 };
	unsigned cur = 0;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		cur = policy_backoff_next(cur, 500, 30000);
		assert_int_equal(cur, want[i]);
	}
	/* Configured bounds, including min > max (max wins). */
	assert_int_equal(policy_backoff_next(0, 100, 250), 100);
	assert_int_equal(policy_backoff_next(100, 100, 250), 200);
	assert_int_equal(policy_backoff_next(200, 100, 250), 250);
	assert_int_equal(policy_backoff_next(0, 900, 300), 300);
}

#define S 1000000ull

static void test_heart_rate_freshness(void **state)
{
	/* The strap wins while fresh. */
	assert_int_equal(policy_heart_rate(120, 10 * S, 99, 14 * S, 5), 120);
	/* Exactly 5 s old is stale: the machine's own value from this frame... */
	assert_int_equal(policy_heart_rate(120, 10 * S, 99, 15 * S, 5), 99);
	/* ...or nothing; the old strap value is never repeated. */
	assert_int_equal(policy_heart_rate(120, 10 * S, BR_NONE, 15 * S, 5), BR_NONE);
	assert_int_equal(policy_heart_rate(BR_NONE, 10 * S, BR_NONE, 11 * S, 5), BR_NONE);
	assert_int_equal(policy_heart_rate(BR_NONE, 0, 88, 11 * S, 5), 88);
	/* A clock that went backwards is not "fresh". */
	assert_int_equal(policy_heart_rate(120, 20 * S, BR_NONE, 10 * S, 5), BR_NONE);
}

static void test_kind_from_service_data(void **state)
{
	/* Reference §10: indoor bike, available: 01 20 00. */
	const uint8_t bike[] = { 0x01, 0x20, 0x00 };
	const uint8_t treadmill[] = { 0x01, 0x01, 0x00 };
	const uint8_t rower[] = { 0x01, 0x10, 0x00 };
	const uint8_t one_byte_type[] = { 0x01, 0x20 }; /* quirk: type as one byte */
	const uint8_t multi[] = { 0x01, 0x21, 0x00 };
	const uint8_t none[] = { 0x01, 0x00, 0x00 };
	const uint8_t short_[] = { 0x01 };

	assert_int_equal(policy_kind_from_service_data(bike, sizeof(bike)), MACHINE_KIND_BIKE);
	assert_int_equal(policy_kind_from_service_data(treadmill, sizeof(treadmill)),
			 MACHINE_KIND_TREADMILL);
	assert_int_equal(policy_kind_from_service_data(rower, sizeof(rower)), MACHINE_KIND_OTHER);
	assert_int_equal(policy_kind_from_service_data(one_byte_type, sizeof(one_byte_type)),
			 MACHINE_KIND_BIKE);
	assert_int_equal(policy_kind_from_service_data(multi, sizeof(multi)), MACHINE_KIND_BIKE);
	assert_int_equal(policy_kind_from_service_data(none, sizeof(none)), MACHINE_KIND_UNKNOWN);
	assert_int_equal(policy_kind_from_service_data(short_, sizeof(short_)),
			 MACHINE_KIND_UNKNOWN);
}

static void test_kind_from_data_uuid(void **state)
{
	assert_int_equal(policy_kind_from_data_uuid(FTMS_UUID_INDOOR_BIKE_DATA), MACHINE_KIND_BIKE);
	assert_int_equal(policy_kind_from_data_uuid(FTMS_UUID_TREADMILL_DATA),
			 MACHINE_KIND_TREADMILL);
	assert_int_equal(policy_kind_from_data_uuid(FTMS_UUID_ROWER_DATA), MACHINE_KIND_OTHER);
	assert_int_equal(policy_kind_from_data_uuid(FTMS_UUID_CONTROL_POINT), MACHINE_KIND_UNKNOWN);
	assert_string_equal(machine_kind_to_string(MACHINE_KIND_TREADMILL), "treadmill");
}

/* Names from qdomyos-zwift's bluetooth.cpp (kingsmithr1protreadmill); KS-HD-Z1D and KS-R1AC
 * are FTMS or another protocol there, and are left to their services. */
static void test_walkingpad_name(void **state)
{
	assert_true(policy_walkingpad_name("WalkingPad A1"));
	assert_true(policy_walkingpad_name("walkingpad"));
	assert_true(policy_walkingpad_name("KS-ST-A1P 1234"));
	assert_true(policy_walkingpad_name("KS-BLC2"));
	assert_true(policy_walkingpad_name("R1 PRO"));
	assert_false(policy_walkingpad_name("KS-HD-Z1D"));
	assert_false(policy_walkingpad_name("KS-R1AC"));
	assert_false(policy_walkingpad_name("Walking"));
	assert_false(policy_walkingpad_name(""));
	assert_false(policy_walkingpad_name(NULL));
}

static void test_addresses(void **state)
{
	char a[18];

	assert_true(policy_address_valid("C0:FF:EE:00:00:01"));
	assert_true(policy_address_valid("c0:ff:ee:00:00:01"));
	assert_false(policy_address_valid("C0:FF:EE:00:00"));
	assert_false(policy_address_valid("C0:FF:EE:00:00:01:"));
	assert_false(policy_address_valid("C0-FF-EE-00-00-01"));
	assert_false(policy_address_valid("G0:FF:EE:00:00:01"));
	assert_false(policy_address_valid(NULL));
	assert_int_equal(policy_address_normalize("c0:ff:ee:00:0a:01", a), 0);
	assert_string_equal(a, "C0:FF:EE:00:0A:01");
	assert_int_equal(policy_address_normalize("nope", a), -EINVAL);
	assert_int_equal(
		policy_address_from_device_path("/org/bluez/hci0/dev_C0_FF_EE_00_00_01", a), 0);
	assert_string_equal(a, "C0:FF:EE:00:00:01");
	assert_int_equal(policy_address_from_device_path(
				 "/org/bluez/hci0/dev_C0_FF_EE_00_00_01/service0010", a),
			 -EINVAL);
	assert_int_equal(policy_address_from_device_path("/org/bluez/hci0", a), -EINVAL);
	policy_address_to_path_component("C0:FF:EE:00:00:01", a);
	assert_string_equal(a, "C0_FF_EE_00_00_01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_sequence),
		cmocka_unit_test(test_heart_rate_freshness),
		cmocka_unit_test(test_kind_from_service_data),
		cmocka_unit_test(test_kind_from_data_uuid),
		cmocka_unit_test(test_walkingpad_name),
		cmocka_unit_test(test_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
