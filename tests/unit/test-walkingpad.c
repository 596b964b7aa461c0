/* SPDX-License-Identifier: MIT */
/* KingSmith WalkingPad legacy protocol: commands, status notification, dropped frames. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "test-ftms.h"
#include "walkingpad.h"

/* A status notification from a public write-up of the ph4-walkingpad protocol: belt running,
 * 3.0 km/h, manual mode, 318 s, 230 m, 426 steps (common/ftms/README.md). */
/* clang-format off */
static const uint8_t real_status[] = {
	0xF8, 0xA2, 0x01, 0x1E, 0x01, 0x00, 0x01, 0x3E, 0x00, 0x00,
	0x17, 0x00, 0x01, 0xAA, 0x1E, 0x00, 0x03, 0x00, 0xE4, 0xFD,
};
/* clang-format on */

/* Set the checksum of a frame of len bytes, as a sender would. */
static void fix_checksum(uint8_t *f, size_t len)
{
	unsigned sum = 0;

	for (size_t i = 1; i + 2 < len; i++)
		sum += f[i];
	f[len - 2] = (uint8_t) sum;
}

static void assert_command(int (*encode)(uint8_t *, size_t), const uint8_t *want)
{
	uint8_t buf[8];

	memset(buf, PATTERN, sizeof(buf));
	assert_int_equal(encode(buf, sizeof(buf)), WALKINGPAD_COMMAND_LEN);
	assert_memory_equal(buf, want, WALKINGPAD_COMMAND_LEN);
	assert_int_equal(buf[6], PATTERN);
}

static void test_commands(void **state)
{
	uint8_t buf[8], ref[8];

	/* The query is given whole in the issue and in ph4-walkingpad's ask_stats(). */
	assert_command(walkingpad_encode_query,
		       (const uint8_t[]) { 0xF7, 0xA2, 0x00, 0x00, 0xA2, 0xFD });
	assert_command(walkingpad_encode_start,
		       (const uint8_t[]) { 0xF7, 0xA2, 0x04, 0x01, 0xA7, 0xFD });
	/* Stop is speed 0. */
	assert_command(walkingpad_encode_stop,
		       (const uint8_t[]) { 0xF7, 0xA2, 0x01, 0x00, 0xA3, 0xFD });

	assert_int_equal(walkingpad_encode_speed(30, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, ((const uint8_t[]) { 0xF7, 0xA2, 0x01, 0x1E, 0xC1, 0xFD }), 6);
	/* The checksum wraps mod 256: A2 + 01 + FF = 0x1A2. */
	assert_int_equal(walkingpad_encode_speed(255, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, ((const uint8_t[]) { 0xF7, 0xA2, 0x01, 0xFF, 0xA2, 0xFD }), 6);

	assert_int_equal(walkingpad_encode_mode(WALKINGPAD_MODE_AUTO, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, ((const uint8_t[]) { 0xF7, 0xA2, 0x02, 0x00, 0xA4, 0xFD }), 6);
	assert_int_equal(walkingpad_encode_mode(WALKINGPAD_MODE_MANUAL, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, ((const uint8_t[]) { 0xF7, 0xA2, 0x02, 0x01, 0xA5, 0xFD }), 6);
	assert_int_equal(walkingpad_encode_mode(WALKINGPAD_MODE_STANDBY, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, ((const uint8_t[]) { 0xF7, 0xA2, 0x02, 0x02, 0xA6, 0xFD }), 6);

	/* Bad input: a named error, nothing written. */
	memset(buf, PATTERN, sizeof(buf));
	memset(ref, PATTERN, sizeof(ref));
	assert_int_equal(walkingpad_encode_speed(256, buf, sizeof(buf)), -ERANGE);
	assert_int_equal(walkingpad_encode_mode(3, buf, sizeof(buf)), -ERANGE);
	assert_int_equal(walkingpad_encode_query(buf, 5), -ENOBUFS);
	assert_int_equal(walkingpad_encode_speed(10, buf, 5), -ENOBUFS);
	assert_int_equal(walkingpad_encode_mode(1, buf, 0), -ENOBUFS);
	assert_int_equal(walkingpad_encode_start(buf, 5), -ENOBUFS);
	assert_int_equal(walkingpad_encode_stop(buf, 5), -ENOBUFS);
	assert_memory_equal(buf, ref, sizeof(buf));
}

static void test_status_real(void **state)
{
	struct walkingpad_status s;
	struct walkingpad_drops drops = { 0 };
	uint8_t buf[WALKINGPAD_STATUS_LEN + 2];

	assert_int_equal(
		walkingpad_status_parse(real_status, sizeof(real_status), &s, &drops, NULL), 0);
	assert_int_equal(s.belt, WALKINGPAD_BELT_RUNNING);
	assert_int_equal(s.speed, 30);
	assert_int_equal(s.mode, WALKINGPAD_MODE_MANUAL);
	assert_int_equal(s.time, 318);
	assert_int_equal(s.distance, 23);
	assert_int_equal(s.steps, 426);
	assert_memory_equal(s.unknown, ((const uint8_t[]) { 0x1E, 0x00, 0x03, 0x00 }), 4);
	for (size_t i = 0; i < WALKINGPAD_DROP__MAX; i++)
		assert_int_equal(drops.count[i], 0);

	/* The encoder writes the same frame back. */
	assert_int_equal(walkingpad_status_encode(&s, buf, sizeof(buf)), WALKINGPAD_STATUS_LEN);
	assert_memory_equal(buf, real_status, sizeof(real_status));
	assert_int_equal(walkingpad_status_encode(&s, buf, WALKINGPAD_STATUS_LEN - 1), -ENOBUFS);
}

/* A stopped pad in manual mode, from a ph4-walkingpad user's log (ph4r05/ph4-walkingpad#10). */
static void test_status_stopped_log(void **state)
{
	struct walkingpad_status s;

	assert_int_equal(walkingpad_status_parse(BYTES(0xF8, 0xA2, 0x00, 0x00, 0x01, 0x00, 0x00,
						       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
						       0x01, 0x00, 0x00, 0x00, 0xA4, 0xFD),
						 &s, NULL, NULL),
			 0);
	assert_int_equal(s.belt, WALKINGPAD_BELT_STOPPED);
	assert_int_equal(s.speed, 0);
	assert_int_equal(s.mode, WALKINGPAD_MODE_MANUAL);
	assert_int_equal(s.time, 0);
	assert_int_equal(s.distance, 0);
	assert_int_equal(s.steps, 0);
	assert_int_equal(s.unknown[0], 0x01);
	assert_false(walkingpad_belt_counting_down(s.belt));
}

static void test_status_fields(void **state)
{
	struct walkingpad_status s = {
		.belt = 8, /* counting down */
		.speed = 60,
		.mode = WALKINGPAD_MODE_STANDBY,
		.time = 0x012345,
		.distance = 0xFFFFFF,
		.steps = 0x0A0B0C,
	};
	struct walkingpad_status back;
	uint8_t buf[WALKINGPAD_STATUS_LEN];

	assert_int_equal(walkingpad_status_encode(&s, buf, sizeof(buf)), WALKINGPAD_STATUS_LEN);
	/* 24-bit fields are big-endian. */
	assert_memory_equal(
		buf + 5,
		((const uint8_t[]) { 0x01, 0x23, 0x45, 0xFF, 0xFF, 0xFF, 0x0A, 0x0B, 0x0C }), 9);
	assert_int_equal(walkingpad_status_parse(buf, sizeof(buf), &back, NULL, NULL), 0);
	assert_memory_equal(&back, &s, sizeof(s));
	assert_true(walkingpad_belt_counting_down(back.belt));

	s.steps = 0x1000000;
	assert_int_equal(walkingpad_status_encode(&s, buf, sizeof(buf)), -ERANGE);

	assert_false(walkingpad_belt_counting_down(WALKINGPAD_BELT_STOPPED));
	assert_false(walkingpad_belt_counting_down(WALKINGPAD_BELT_RUNNING));
	assert_false(walkingpad_belt_counting_down(WALKINGPAD_BELT_STANDBY));
	assert_false(walkingpad_belt_counting_down(6));
	assert_true(walkingpad_belt_counting_down(7));
	assert_true(walkingpad_belt_counting_down(9));
	assert_false(walkingpad_belt_counting_down(10));
}

/* parse(frame) fails with -EBADMSG, leaves the output alone, and counts reason once. */
static void assert_dropped(const uint8_t *f, size_t len, enum walkingpad_drop reason)
{
	struct walkingpad_status out, ref;
	struct walkingpad_drops drops = { 0 };
	enum walkingpad_drop got = WALKINGPAD_DROP__MAX;

	memset(&out, PATTERN, sizeof(out));
	memset(&ref, PATTERN, sizeof(ref));
	assert_int_equal(walkingpad_status_parse(f, len, &out, &drops, &got), -EBADMSG);
	assert_memory_equal(&out, &ref, sizeof(out));
	assert_int_equal(got, reason);
	for (size_t i = 0; i < WALKINGPAD_DROP__MAX; i++)
		assert_int_equal(drops.count[i], i == (size_t) reason ? 1 : 0);
	/* Without counters the error is the same. */
	assert_int_equal(walkingpad_status_parse(f, len, &out, NULL, NULL), -EBADMSG);
}

static void test_status_dropped(void **state)
{
	uint8_t f[32];
	struct walkingpad_drops drops = { 0 };
	struct walkingpad_status s;

	/* Bad checksum. */
	memcpy(f, real_status, sizeof(real_status));
	f[18] ^= 0x01;
	assert_dropped(f, sizeof(real_status), WALKINGPAD_DROP_CHECKSUM);
	/* A payload byte changed in flight. */
	memcpy(f, real_status, sizeof(real_status));
	f[3] = 0x3C;
	assert_dropped(f, sizeof(real_status), WALKINGPAD_DROP_CHECKSUM);

	/* Wrong length, though well framed: one byte short, one byte long. */
	memcpy(f, real_status, 17);
	f[17] = 0;
	f[18] = 0xFD;
	fix_checksum(f, 19);
	assert_dropped(f, 19, WALKINGPAD_DROP_LENGTH);
	memcpy(f, real_status, 18);
	f[18] = 0;
	f[20] = 0xFD;
	fix_checksum(f, 21);
	assert_dropped(f, 21, WALKINGPAD_DROP_LENGTH);
	assert_dropped(real_status, 3, WALKINGPAD_DROP_LENGTH);
	assert_dropped(real_status, 0, WALKINGPAD_DROP_LENGTH);

	/* Wrong header: a command echoed back, or any other first byte. */
	memcpy(f, real_status, sizeof(real_status));
	f[0] = WALKINGPAD_HOST;
	assert_dropped(f, sizeof(real_status), WALKINGPAD_DROP_HEADER);
	f[0] = 0x00;
	assert_dropped(f, sizeof(real_status), WALKINGPAD_DROP_HEADER);

	/* Wrong trailer, and a frame cut short (its last byte is not FD). */
	memcpy(f, real_status, sizeof(real_status));
	f[19] = 0xFE;
	assert_dropped(f, sizeof(real_status), WALKINGPAD_DROP_TRAILER);
	assert_dropped(real_status, 19, WALKINGPAD_DROP_TRAILER);

	/* Unknown type: A7 (the last record, ph4-walkingpad), well framed, of its own length. */
	memset(f, 0, sizeof(f));
	f[0] = WALKINGPAD_PAD;
	f[1] = 0xA7;
	f[22] = WALKINGPAD_TRAILER;
	fix_checksum(f, 23);
	assert_dropped(f, 23, WALKINGPAD_DROP_TYPE);
	memcpy(f, real_status, sizeof(real_status));
	f[1] = 0xA3;
	fix_checksum(f, sizeof(real_status));
	assert_dropped(f, sizeof(real_status), WALKINGPAD_DROP_TYPE);

	/* Counters add up over a stream; a good frame between them counts nothing. */
	memcpy(f, real_status, sizeof(real_status));
	f[18] ^= 0xFF;
	assert_int_equal(walkingpad_status_parse(f, 20, &s, &drops, NULL), -EBADMSG);
	assert_int_equal(walkingpad_status_parse(real_status, 20, &s, &drops, NULL), 0);
	assert_int_equal(walkingpad_status_parse(f, 20, &s, &drops, NULL), -EBADMSG);
	assert_int_equal(walkingpad_status_parse(f, 2, &s, &drops, NULL), -EBADMSG);
	assert_int_equal(drops.count[WALKINGPAD_DROP_CHECKSUM], 2);
	assert_int_equal(drops.count[WALKINGPAD_DROP_LENGTH], 1);
	assert_int_equal(drops.count[WALKINGPAD_DROP_TYPE], 0);
}

static void test_drop_names(void **state)
{
	assert_string_equal(walkingpad_drop_name(WALKINGPAD_DROP_LENGTH), "length");
	assert_string_equal(walkingpad_drop_name(WALKINGPAD_DROP_HEADER), "header");
	assert_string_equal(walkingpad_drop_name(WALKINGPAD_DROP_TRAILER), "trailer");
	assert_string_equal(walkingpad_drop_name(WALKINGPAD_DROP_CHECKSUM), "checksum");
	assert_string_equal(walkingpad_drop_name(WALKINGPAD_DROP_TYPE), "type");
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_status_real),
		cmocka_unit_test(test_status_stopped_log),
		cmocka_unit_test(test_status_fields),
		cmocka_unit_test(test_status_dropped),
		cmocka_unit_test(test_drop_names),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
