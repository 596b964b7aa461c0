/* SPDX-License-Identifier: MIT */
/* FTMS codec: Feature, supported ranges, advertising service data, HRM (0x2A37), CPM (0x2A63). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ftms.h"
#include "test-ftms.h"

/* clang-format 14 and 19 break these differently: */
/* clang-format off */
#define BAD(src, ...) { src, BYTES(__VA_ARGS__) }
#define EMPTY { "zero-length", (const uint8_t[]){ 0 }, 0 }
/* clang-format on */

/* ---- Feature ------------------------------------------------------------------------------ */

static void test_features(void **state)
{
	struct ftms_features f;
	uint8_t buf[8];

	/* Reference T2/T3 sources: qdomyos virtual bike payload 0x83 0x14 / 0x0C 0xE0. */
	assert_int_equal(
		ftms_features_parse(BYTES(0x83, 0x14, 0x00, 0x00, 0x0C, 0xE0, 0x00, 0x00), &f), 0);
	assert_int_equal(f.machine, FTMS_FEAT_AVG_SPEED | FTMS_FEAT_CADENCE |
					    FTMS_FEAT_RESISTANCE_LEVEL | FTMS_FEAT_HEART_RATE |
					    FTMS_FEAT_ELAPSED_TIME);
	assert_int_equal(f.target, FTMS_TARGET_RESISTANCE | FTMS_TARGET_POWER |
					   FTMS_TARGET_INDOOR_BIKE_SIMULATION |
					   FTMS_TARGET_WHEEL_CIRCUMFERENCE | FTMS_TARGET_SPIN_DOWN);
	assert_true(ftms_features_supports_op(&f, FTMS_CP_REQUEST_CONTROL));
	assert_true(ftms_features_supports_op(&f, FTMS_CP_STOP_PAUSE));
	assert_true(ftms_features_supports_op(&f, FTMS_CP_SET_TARGET_RESISTANCE));
	assert_true(ftms_features_supports_op(&f, FTMS_CP_SET_TARGET_POWER));
	assert_false(ftms_features_supports_op(&f, FTMS_CP_SET_TARGET_SPEED));
	assert_false(ftms_features_supports_op(&f, FTMS_CP_SET_TARGET_CADENCE));
	assert_false(ftms_features_supports_op(&f, 0x15));
	assert_false(ftms_features_supports_op(&f, FTMS_CP_RESPONSE_CODE));
	assert_int_equal(ftms_features_supported_ops(&f), 0xE01B3);
	assert_int_equal(ftms_features_encode(&f, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, ((const uint8_t[]) { 0x83, 0x14, 0, 0, 0x0C, 0xE0, 0, 0 }), 8);
	assert_int_equal(ftms_features_encode(&f, buf, 7), -ENOBUFS);

	/* Reference §2: OpenRowingMonitor writes 2 bytes; zero-fill. */
	assert_int_equal(ftms_features_parse(BYTES(0x26, 0x56), &f), 0);
	assert_int_equal(f.machine, 0x5626);
	assert_int_equal(f.target, 0);
	/* Over-long: bytes past 8 ignored; RFU bits kept as read. */
	assert_int_equal(ftms_features_parse(
				 BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), &f),
			 0);
	assert_int_equal(f.machine, 0xFFFFFFFF);
	assert_int_equal(ftms_features_supported_ops(&f), 0x1FFFFF);
	ASSERT_BAD(ftms_features_parse, struct ftms_features, (const uint8_t[]) { 0 }, 0);
}

/* ---- Ranges -------------------------------------------------------------------------------- */

static const struct {
	const char *source;
	enum ftms_range_kind kind;
	const uint8_t *bytes;
	size_t len;
	int32_t min, max;
	uint32_t inc;
	bool narrow;
} ranges[] = {
	{ "§6 qdomyos virtual bike resistance 1.0-15.0 step 1.0", FTMS_RANGE_RESISTANCE,
	  BYTES(0x0A, 0x00, 0x96, 0x00, 0x0A, 0x00), 10, 150, 10, false },
	{ "§6 Auuki trainer resistance 0-100.0 step 0.1", FTMS_RANGE_RESISTANCE,
	  BYTES(0x00, 0x00, 0xE8, 0x03, 0x01, 0x00), 0, 1000, 1, false },
	{ "§6 SmartSpin2k inclination -20.0..+20.0 %", FTMS_RANGE_INCLINATION,
	  BYTES(0x38, 0xFF, 0xC8, 0x00, 0x01, 0x00), -200, 200, 1, false },
	{ "§6 SmartSpin2k power 1-4000 W", FTMS_RANGE_POWER,
	  BYTES(0x01, 0x00, 0xA0, 0x0F, 0x01, 0x00), 1, 4000, 1, false },
	{ "T10 speed 1-80 km/h step 0.1 (constructed)", FTMS_RANGE_SPEED,
	  BYTES(0x64, 0x00, 0x40, 0x1F, 0x0A, 0x00), 100, 8000, 10, false },
	{ "T10 power, negative minimum (constructed)", FTMS_RANGE_POWER,
	  BYTES(0x9C, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF), -100, 32767, 65535, false },
	{ "T10 heart rate 80-180 (constructed)", FTMS_RANGE_HEART_RATE, BYTES(0x50, 0xB4, 0x01), 80,
	  180, 1, false },
	{ "D1 GSS-2024 3 x uint8 resistance (FTMS.NET)", FTMS_RANGE_RESISTANCE,
	  BYTES(0x00, 0x64, 0x01), 0, 100, 1, true },
};

static void test_ranges(void **state)
{
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		struct ftms_range r;
		uint8_t buf[8];

		print_message("range: %s\n", ranges[i].source);
		assert_int_equal(
			ftms_range_parse(ranges[i].kind, ranges[i].bytes, ranges[i].len, &r), 0);
		assert_int_equal(r.min, ranges[i].min);
		assert_int_equal(r.max, ranges[i].max);
		assert_int_equal(r.increment, ranges[i].inc);
		assert_int_equal(r.narrow, ranges[i].narrow);
		assert_int_equal(ftms_range_encode(ranges[i].kind, &r, buf, sizeof(buf)),
				 ranges[i].len);
		assert_memory_equal(buf, ranges[i].bytes, ranges[i].len);
		assert_int_equal(ftms_range_encode(ranges[i].kind, &r, buf, ranges[i].len - 1),
				 -ENOBUFS);
	}
}

static int parse_speed_range(const uint8_t *buf, size_t len, struct ftms_range *ret)
{
	return ftms_range_parse(FTMS_RANGE_SPEED, buf, len, ret);
}

static int parse_hr_range(const uint8_t *buf, size_t len, struct ftms_range *ret)
{
	return ftms_range_parse(FTMS_RANGE_HEART_RATE, buf, len, ret);
}

static int parse_resistance_range(const uint8_t *buf, size_t len, struct ftms_range *ret)
{
	return ftms_range_parse(FTMS_RANGE_RESISTANCE, buf, len, ret);
}

static void test_ranges_bad(void **state)
{
	struct ftms_range r = { .min = -1, .max = 10, .increment = 1 };
	uint8_t buf[8], over[7] = { 0x64, 0x00, 0x40, 0x1F, 0x0A, 0x00, 0x99 };

	ASSERT_BAD(parse_speed_range, struct ftms_range, (const uint8_t[]) { 0 }, 0);
	ASSERT_BAD(parse_speed_range, struct ftms_range, BYTES(0x64, 0x00, 0x40, 0x1F, 0x0A));
	ASSERT_BAD(parse_hr_range, struct ftms_range, BYTES(0x50, 0xB4));
	ASSERT_BAD(parse_resistance_range, struct ftms_range, BYTES(0x00, 0x64));
	/* Over-long read values: the surplus is ignored. */
	assert_int_equal(ftms_range_parse(FTMS_RANGE_SPEED, over, sizeof(over), &r), 0);
	assert_int_equal(r.max, 8000);
	assert_int_equal(ftms_range_parse(99, over, sizeof(over), &r), -EPROTO);

	r = (struct ftms_range) { .min = -1, .max = 10, .increment = 1 };
	assert_int_equal(ftms_range_encode(FTMS_RANGE_SPEED, &r, buf, sizeof(buf)), -ERANGE);
	r = (struct ftms_range) { .min = 0, .max = 256, .increment = 1 };
	assert_int_equal(ftms_range_encode(FTMS_RANGE_HEART_RATE, &r, buf, sizeof(buf)), -ERANGE);
	r = (struct ftms_range) { .min = -40000, .max = 0, .increment = 1 };
	assert_int_equal(ftms_range_encode(FTMS_RANGE_POWER, &r, buf, sizeof(buf)), -ERANGE);
	r = (struct ftms_range) { .min = 0, .max = 1000, .increment = 1, .narrow = true };
	assert_int_equal(ftms_range_encode(FTMS_RANGE_RESISTANCE, &r, buf, sizeof(buf)), -ERANGE);
	assert_int_equal(ftms_range_encode(_FTMS_RANGE_KIND_MAX, &r, buf, sizeof(buf)), -EPROTO);
}

/* ---- Advertising ---------------------------------------------------------------------------- */

static void test_service_data(void **state)
{
	struct ftms_service_data sd;
	uint8_t buf[4];

	/* Reference §10: AD `06 16 26 18 01 20 00`, indoor bike available (payload after UUID). */
	assert_int_equal(ftms_service_data_parse(BYTES(0x01, 0x20, 0x00), &sd), 0);
	assert_int_equal(sd.flags, FTMS_AD_FLAG_AVAILABLE);
	assert_int_equal(sd.machine_type, FTMS_MACHINE_INDOOR_BIKE);
	assert_false(sd.type_short);
	assert_int_equal(ftms_service_data_encode(&sd, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, ((const uint8_t[]) { 0x01, 0x20, 0x00 }), 3);
	/* Reference §10: rower. */
	assert_int_equal(ftms_service_data_parse(BYTES(0x01, 0x10, 0x00), &sd), 0);
	assert_int_equal(sd.machine_type, FTMS_MACHINE_ROWER);
	/* Reference §10: multi-mode machine, several bits. */
	assert_int_equal(ftms_service_data_parse(BYTES(0x01, 0x21, 0x00), &sd), 0);
	assert_int_equal(sd.machine_type, FTMS_MACHINE_INDOOR_BIKE | FTMS_MACHINE_TREADMILL);
	/* Reference §10 quirk: the type as a single byte (incyclist accepts it). */
	assert_int_equal(ftms_service_data_parse(BYTES(0x01, 0x20), &sd), 0);
	assert_true(sd.type_short);
	assert_int_equal(sd.machine_type, FTMS_MACHINE_INDOOR_BIKE);
	assert_int_equal(ftms_service_data_encode(&sd, buf, sizeof(buf)), 2);
	sd.machine_type = 0x100;
	assert_int_equal(ftms_service_data_encode(&sd, buf, sizeof(buf)), -ERANGE);
	/* RFU flag and type bits kept; trailing bytes ignored. */
	assert_int_equal(ftms_service_data_parse(BYTES(0xFE, 0x40, 0x80, 0x99), &sd), 0);
	assert_int_equal(sd.flags, 0xFE);
	assert_int_equal(sd.machine_type, 0x8040);
	sd.type_short = false;
	assert_int_equal(ftms_service_data_encode(&sd, buf, 2), -ENOBUFS);

	ASSERT_BAD(ftms_service_data_parse, struct ftms_service_data, (const uint8_t[]) { 0 }, 0);
	ASSERT_BAD(ftms_service_data_parse, struct ftms_service_data, BYTES(0x01));
}

/* ---- Heart Rate Measurement ------------------------------------------------------------------ */

static void test_heart_rate_vectors(void **state)
{
	struct ftms_heart_rate h;
	uint8_t big[2 + 2 * 40];

	/* Reference T17: uint8 HR, contact not supported. */
	assert_int_equal(ftms_heart_rate_parse(BYTES(0x00, 0x48), &h), 0);
	assert_int_equal(h.heart_rate, 72);
	assert_int_equal(ftms_heart_rate_contact(&h), -EPROTO);
	/* Reference §11.1: flags & 1 selects uint16 (incyclist's `% 1` bug would read 0x2C). */
	assert_int_equal(ftms_heart_rate_parse(BYTES(0x01, 0x2C, 0x01), &h), 0);
	assert_int_equal(h.heart_rate, 300);
	/* Reference T17: contact detected + two RR intervals (1.0 s, 0.950 s). */
	assert_int_equal(ftms_heart_rate_parse(BYTES(0x16, 0x48, 0x00, 0x04, 0xCD, 0x03), &h), 0);
	assert_int_equal(ftms_heart_rate_contact(&h), 1);
	assert_int_equal(h.rr_count, 2);
	assert_int_equal(h.rr[0], 1024);
	assert_int_equal(h.rr[1], 973);
	/* Reference T17: energy expended, contact supported but not detected. */
	assert_int_equal(ftms_heart_rate_parse(BYTES(0x0C, 0x48, 0x10, 0x00), &h), 0);
	assert_int_equal(ftms_heart_rate_contact(&h), 0);
	assert_int_equal(h.energy, 16);
	/* uint16 HR + energy + RR, in wire order. */
	assert_int_equal(ftms_heart_rate_parse(BYTES(0x19, 0x48, 0x00, 0x10, 0x00, 0x00, 0x04), &h),
			 0);
	assert_int_equal(h.heart_rate, 72);
	assert_int_equal(h.energy, 16);
	assert_int_equal(h.rr_count, 1);
	/* RFU bits kept; trailing bytes without the RR flag ignored. */
	assert_int_equal(ftms_heart_rate_parse(BYTES(0xE0, 0x48, 0x01), &h), 0);
	assert_int_equal(h.flags, 0xE0);
	/* More RR intervals than we keep (large MTU): the newest are dropped and flagged. */
	memset(big, 0x01, sizeof(big));
	big[0] = FTMS_HRM_FLAG_RR;
	assert_int_equal(ftms_heart_rate_parse(big, sizeof(big), &h), 0);
	assert_int_equal(h.rr_count, FTMS_HRM_RR_MAX);
	assert_true(h.rr_truncated);
}

static const struct bad_vector hrm_bad[] = {
	EMPTY,
	BAD("flags only", 0x00),
	BAD("uint16 HR cut", 0x01, 0x48),
	BAD("energy cut", 0x08, 0x48, 0x10),
	BAD("RR list with an odd byte", 0x10, 0x48, 0x00, 0x04, 0xCD),
	BAD("RR flag, odd single byte", 0x10, 0x48, 0x00),
};

static void test_heart_rate_bad(void **state)
{
	for (size_t i = 0; i < sizeof(hrm_bad) / sizeof(hrm_bad[0]); i++) {
		print_message("hrm bad: %s\n", hrm_bad[i].source);
		ASSERT_BAD(ftms_heart_rate_parse, struct ftms_heart_rate, hrm_bad[i].bytes,
			   hrm_bad[i].len);
	}
}

/* Every combination of the defined flag bits, 0..3 RR intervals: encode -> parse. */
static void test_heart_rate_round_trip(void **state)
{
	for (unsigned flags = 0; flags < 0x20; flags++) {
		for (uint8_t rr = 0; rr < 4; rr++) {
			struct ftms_heart_rate in = { .flags = (uint8_t) flags }, out;
			uint8_t buf[80];
			int n;

			in.heart_rate = (flags & FTMS_HRM_FLAG_UINT16) ? 0x1234 : 0xC8;
			in.energy = (flags & FTMS_HRM_FLAG_ENERGY) ? 0xBEEF : 0;
			if (flags & FTMS_HRM_FLAG_RR) {
				in.rr_count = rr;
				for (uint8_t i = 0; i < rr; i++)
					in.rr[i] = (uint16_t) (900 + i);
			}
			n = ftms_heart_rate_encode(&in, buf, sizeof(buf));
			assert_true(n >= 2);
			assert_int_equal(ftms_heart_rate_parse(buf, (size_t) n, &out), 0);
			assert_int_equal(out.flags, in.flags);
			assert_int_equal(out.heart_rate, in.heart_rate);
			assert_int_equal(out.energy, in.energy);
			assert_int_equal(out.rr_count, in.rr_count);
			assert_memory_equal(out.rr, in.rr, sizeof(in.rr[0]) * in.rr_count + 1);
			assert_int_equal(ftms_heart_rate_encode(&in, buf, (size_t) n - 1),
					 -ENOBUFS);
		}
	}
}

static void test_heart_rate_encode_errors(void **state)
{
	struct ftms_heart_rate h = { .heart_rate = 256 };
	uint8_t buf[80];

	assert_int_equal(ftms_heart_rate_encode(&h, buf, sizeof(buf)), -ERANGE);
	h.flags = FTMS_HRM_FLAG_UINT16;
	assert_int_equal(ftms_heart_rate_encode(&h, buf, sizeof(buf)), 3);
	h.flags = FTMS_HRM_FLAG_RR;
	h.heart_rate = 60;
	h.rr_count = FTMS_HRM_RR_MAX + 1;
	assert_int_equal(ftms_heart_rate_encode(&h, buf, sizeof(buf)), -ERANGE);
}

/* ---- Cycling Power Measurement ----------------------------------------------------------------
 */

static void test_cycling_power_vectors(void **state)
{
	struct ftms_cycling_power p;
	uint8_t all[34];

	/* Reference §11.2: power only, 250 W. */
	assert_int_equal(ftms_cycling_power_parse(BYTES(0x00, 0x00, 0xFA, 0x00), &p), 0);
	assert_int_equal(p.inst_power, 250);
	/* Reference §11.2: power is sint16. */
	assert_int_equal(ftms_cycling_power_parse(BYTES(0x00, 0x00, 0xFF, 0xFF), &p), 0);
	assert_int_equal(p.inst_power, -1);
	/* Reference §11.2: crank revolution data, event time 1/1024 s. */
	assert_int_equal(
		ftms_cycling_power_parse(BYTES(0x20, 0x00, 0xFA, 0x00, 0x10, 0x00, 0x00, 0x04), &p),
		0);
	assert_int_equal(p.crank_revolutions, 16);
	assert_int_equal(p.crank_event_time, 1024);
	/* Reference §11.2: wheel (uint32 + 1/2048 s) then crank, balance first. */
	assert_int_equal(
		ftms_cycling_power_parse(BYTES(0x31, 0x00, 0x64, 0x00, 0x64, 0xE8, 0x03, 0x00, 0x00,
					       0x00, 0x08, 0x11, 0x00, 0x00, 0x02),
					 &p),
		0);
	assert_int_equal(p.pedal_balance, 100);
	assert_int_equal(p.wheel_revolutions, 1000);
	assert_int_equal(p.wheel_event_time, 2048);
	assert_int_equal(p.crank_revolutions, 17);
	assert_int_equal(p.crank_event_time, 512);
	/* RFU flag bits 13..15 are kept (and not encodable); trailing bytes ignored. */
	assert_int_equal(ftms_cycling_power_parse(BYTES(0x00, 0xE0, 0x0A, 0x00, 0x99, 0x98), &p),
			 0);
	assert_int_equal(p.flags, 0xE000);
	assert_int_equal(p.inst_power, 10);
	assert_int_equal(ftms_cycling_power_encode(&p, all, sizeof(all)), -EPROTO);
	/* Every flag: the skipped fields are stepped over to reach accumulated energy. */
	memset(all, 0, sizeof(all));
	all[0] = 0xFF;
	all[1] = 0x1F;
	all[32] = 0x34;
	all[33] = 0x12;
	assert_int_equal(ftms_cycling_power_parse(all, sizeof(all), &p), 0);
	assert_int_equal(p.flags, 0x1FFF);
	assert_int_equal(p.accumulated_energy, 0x1234);
	ASSERT_BAD(ftms_cycling_power_parse, struct ftms_cycling_power, all, sizeof(all) - 1);
}

static const struct bad_vector cpm_bad[] = {
	EMPTY,
	BAD("flags only", 0x00, 0x00),
	BAD("power cut", 0x00, 0x00, 0xFA),
	BAD("crank data cut", 0x20, 0x00, 0xFA, 0x00, 0x10, 0x00, 0x00),
	BAD("wheel data cut", 0x10, 0x00, 0xFA, 0x00, 0xE8, 0x03, 0x00, 0x00, 0x00),
	BAD("extreme angles cut (skipped field)", 0x00, 0x01, 0xFA, 0x00, 0x01, 0x02),
};

static void test_cycling_power_bad(void **state)
{
	for (size_t i = 0; i < sizeof(cpm_bad) / sizeof(cpm_bad[0]); i++) {
		print_message("cpm bad: %s\n", cpm_bad[i].source);
		ASSERT_BAD(ftms_cycling_power_parse, struct ftms_cycling_power, cpm_bad[i].bytes,
			   cpm_bad[i].len);
	}
}

/* Every subset of the encodable flags: encode -> parse. */
static void test_cycling_power_round_trip(void **state)
{
	for (unsigned flags = 0; flags <= 0x1FFF; flags++) {
		struct ftms_cycling_power in = { 0 }, out;
		uint8_t buf[32];
		int n;

		in.flags = (uint16_t) flags;
		in.inst_power = (int16_t) (-1000 + (int) flags);
		in.pedal_balance = (flags & FTMS_CPM_PEDAL_BALANCE) ? 101 : 0;
		in.accumulated_torque = (flags & FTMS_CPM_ACCUMULATED_TORQUE) ? 0xABCD : 0;
		if (flags & FTMS_CPM_WHEEL_REVOLUTIONS) {
			in.wheel_revolutions = 0xDEADBEEF;
			in.wheel_event_time = 0xF00D;
		}
		if (flags & FTMS_CPM_CRANK_REVOLUTIONS) {
			in.crank_revolutions = 0x1111;
			in.crank_event_time = 0x2222;
		}
		in.accumulated_energy = (flags & FTMS_CPM_ACCUMULATED_ENERGY) ? 0x3333 : 0;
		n = ftms_cycling_power_encode(&in, buf, sizeof(buf));
		if (flags & ~(unsigned) FTMS_CPM_ENCODABLE) {
			assert_int_equal(n, -EPROTO);
			continue;
		}
		assert_true(n >= 4);
		assert_int_equal(ftms_cycling_power_parse(buf, (size_t) n, &out), 0);
		assert_int_equal(out.flags, in.flags);
		assert_int_equal(out.inst_power, in.inst_power);
		assert_int_equal(out.pedal_balance, in.pedal_balance);
		assert_int_equal(out.accumulated_torque, in.accumulated_torque);
		assert_int_equal(out.wheel_revolutions, in.wheel_revolutions);
		assert_int_equal(out.wheel_event_time, in.wheel_event_time);
		assert_int_equal(out.crank_revolutions, in.crank_revolutions);
		assert_int_equal(out.crank_event_time, in.crank_event_time);
		assert_int_equal(out.accumulated_energy, in.accumulated_energy);
	}
}

/* ---- UUIDs ------------------------------------------------------------------------------------
 */

static void test_uuids(void **state)
{
	assert_string_equal(FTMS_UUID_SERVICE, "00001826-0000-1000-8000-00805f9b34fb");
	assert_string_equal(FTMS_UUID_CONTROL_POINT, "00002ad9-0000-1000-8000-00805f9b34fb");
	assert_string_equal(FTMS_UUID_HR_MEASUREMENT, "00002a37-0000-1000-8000-00805f9b34fb");
	assert_string_equal(FTMS_UUID_CP_MEASUREMENT, "00002a63-0000-1000-8000-00805f9b34fb");
	assert_int_equal(FTMS_UUID16_MACHINE_STATUS, 0x2ADA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_ranges_bad),
		cmocka_unit_test(test_service_data),
		cmocka_unit_test(test_heart_rate_vectors),
		cmocka_unit_test(test_heart_rate_bad),
		cmocka_unit_test(test_heart_rate_round_trip),
		cmocka_unit_test(test_heart_rate_encode_errors),
		cmocka_unit_test(test_cycling_power_vectors),
		cmocka_unit_test(test_cycling_power_bad),
		cmocka_unit_test(test_cycling_power_round_trip),
		cmocka_unit_test(test_uuids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
