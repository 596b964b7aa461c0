/* SPDX-License-Identifier: MIT */
/* FTMS codec: Control Point requests and responses, Machine Status, Training Status. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ftms.h"
#include "test-ftms.h"

struct vector {
	const char *source;
	const uint8_t *bytes;
	size_t len;
	int expect; /* 0 or the negative errno */
};

/* clang-format 14 and 19 break these differently: */
/* clang-format off */
#define OK(src, ...) { src, BYTES(__VA_ARGS__), 0 }
#define BAD(src, ...) { src, BYTES(__VA_ARGS__), -EBADMSG }
#define PROTO(src, ...) { src, BYTES(__VA_ARGS__), -EPROTO }
#define EMPTY(src, err) { src, (const uint8_t[]){ 0 }, 0, err }
/* clang-format on */

/* ---- Control point requests ---------------------------------------------------------------- */

/* Parse each valid vector, re-encode it and expect the identical bytes. */
static const struct vector cp_requests[] = {
	OK("T11 request control", 0x00),
	OK("T11 reset", 0x01),
	OK("§7.1 10 km/h", 0x02, 0xE8, 0x03),
	OK("§7.1 -2.5 % incline", 0x03, 0xE7, 0xFF),
	OK("D4 resistance uint8 x10 (v1.0 form)", 0x04, 0x64),
	OK("D4/§12.3 resistance sint16 x10 (Tacx Flux)", 0x04, 0xE8, 0x03),
	OK("§7.1 250 W", 0x05, 0xFA, 0x00),
	OK("T11 target HR 120", 0x06, 0x78),
	OK("T11 start/resume", 0x07),
	OK("§7.1 stop", 0x08, 0x01),
	OK("§7.1 pause", 0x08, 0x02),
	OK("T11 stop/pause RFU parameter passed through", 0x08, 0x03),
	OK("T11 energy 500 kcal", 0x09, 0xF4, 0x01),
	OK("T11 steps", 0x0A, 0x10, 0x27),
	OK("T11 strides", 0x0B, 0x88, 0x13),
	OK("T11 distance 100 km (uint24)", 0x0C, 0xA0, 0x86, 0x01),
	OK("T11 training time 30 min", 0x0D, 0x08, 0x07),
	OK("T11 two HR zones", 0x0E, 0x2C, 0x01, 0x58, 0x02),
	OK("T11 three HR zones", 0x0F, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00),
	OK("T11 five HR zones", 0x10, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0),
	OK("§7.1 grade +3.00 %, Crr 0.004, Cw 0.51", 0x11, 0x00, 0x00, 0x2C, 0x01, 0x28, 0x33),
	OK("§7.1 2105 mm wheel", 0x12, 0x3A, 0x52),
	OK("T11 spin down start", 0x13, 0x01),
	OK("T11 spin down ignore", 0x13, 0x02),
	OK("T11 cadence 90 rpm (0.5)", 0x14, 0xB4, 0x00),
	EMPTY("§12.1 empty write (SmartSpin2k: policy, not codec)", -EBADMSG),
	BAD("truncated speed", 0x02, 0xE8),
	BAD("over-long speed", 0x02, 0xE8, 0x03, 0x00),
	BAD("request control with a parameter", 0x00, 0x00),
	BAD("start with a parameter", 0x07, 0x01),
	BAD("stop without its parameter", 0x08),
	BAD("resistance without parameter", 0x04),
	BAD("resistance, 3 bytes", 0x04, 0x01, 0x02, 0x03),
	BAD("distance, 2 of 3 bytes", 0x0C, 0xA0, 0x86),
	BAD("five HR zones, 9 of 10 bytes", 0x10, 1, 0, 2, 0, 3, 0, 4, 0, 5),
	BAD("simulation, 5 of 6 bytes", 0x11, 0x00, 0x00, 0x2C, 0x01, 0x28),
	PROTO("T11 RFU op 0x15", 0x15),
	PROTO("T11 response code is not a request", 0x80, 0x00, 0x01),
	PROTO("T11 RFU op 0xFF", 0xFF, 0x01),
};

static void test_cp_request_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(cp_requests) / sizeof(cp_requests[0]); i++) {
		const struct vector *v = &cp_requests[i];
		struct ftms_cp_request req;
		uint8_t buf[32];

		print_message("cp request: %s\n", v->source);
		if (v->expect < 0) {
			ASSERT_FAIL(v->expect, ftms_cp_request_parse, struct ftms_cp_request,
				    v->bytes, v->len);
			continue;
		}
		assert_int_equal(ftms_cp_request_parse(v->bytes, v->len, &req), 0);
		assert_int_equal(req.op, v->bytes[0]);
		assert_int_equal(ftms_cp_request_encode(&req, buf, sizeof(buf)), v->len);
		assert_memory_equal(buf, v->bytes, v->len);
	}
}

static void test_cp_request_values(void **state)
{
	struct ftms_cp_request req;

	/* Reference §7.1 worked examples, decoded. */
	assert_int_equal(ftms_cp_request_parse(BYTES(0x03, 0xE7, 0xFF), &req), 0);
	assert_int_equal(req.param.inclination, -25);
	assert_int_equal(ftms_cp_request_parse(BYTES(0x04, 0x64), &req), 0);
	assert_int_equal(req.param.resistance.level, 100);
	assert_false(req.param.resistance.wide);
	assert_int_equal(ftms_cp_request_parse(BYTES(0x04, 0x18, 0xFC), &req), 0);
	assert_int_equal(req.param.resistance.level, -1000);
	assert_true(req.param.resistance.wide);
	assert_int_equal(ftms_cp_request_parse(BYTES(0x05, 0x38, 0xFF), &req), 0);
	assert_int_equal(req.param.power, -200);
	assert_int_equal(
		ftms_cp_request_parse(BYTES(0x11, 0x00, 0x00, 0x2C, 0x01, 0x28, 0x33), &req), 0);
	assert_int_equal(req.param.sim.wind_speed, 0);
	assert_int_equal(req.param.sim.grade, 300);
	assert_int_equal(req.param.sim.crr, 40);
	assert_int_equal(req.param.sim.cw, 51);
	assert_int_equal(ftms_cp_request_parse(BYTES(0x12, 0x3A, 0x52), &req), 0);
	assert_int_equal(req.param.wheel_circumference, 21050);
	assert_int_equal(ftms_cp_request_parse(BYTES(0x0C, 0xA0, 0x86, 0x01), &req), 0);
	assert_int_equal(req.param.distance, 100000);
	assert_int_equal(
		ftms_cp_request_parse(BYTES(0x0F, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00), &req), 0);
	assert_int_equal(req.param.hr_zones[0], 1);
	assert_int_equal(req.param.hr_zones[2], 3);
}

static void test_cp_request_encode_errors(void **state)
{
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_RESISTANCE };
	uint8_t buf[16];

	memset(buf, PATTERN, sizeof(buf));
	/* D4: the uint8 form holds 0..25.5 only; the daemon falls back to the wide form. */
	req.param.resistance.level = 256;
	assert_int_equal(ftms_cp_request_encode(&req, buf, sizeof(buf)), -ERANGE);
	req.param.resistance.level = -1;
	assert_int_equal(ftms_cp_request_encode(&req, buf, sizeof(buf)), -ERANGE);
	assert_int_equal(buf[0], PATTERN);
	req.param.resistance.wide = true;
	assert_int_equal(ftms_cp_request_encode(&req, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, ((const uint8_t[]) { 0x04, 0xFF, 0xFF }), 3);
	req.op = FTMS_CP_SET_TARGET_DISTANCE;
	req.param.distance = 0x1000000;
	assert_int_equal(ftms_cp_request_encode(&req, buf, sizeof(buf)), -ERANGE);
	req.op = 0x15;
	assert_int_equal(ftms_cp_request_encode(&req, buf, sizeof(buf)), -EPROTO);
	req.op = FTMS_CP_SET_TARGET_POWER;
	req.param.power = 250;
	assert_int_equal(ftms_cp_request_encode(&req, buf, 2), -ENOBUFS);
	assert_int_equal(ftms_cp_request_encode(&req, buf, 3), 3);
	assert_memory_equal(buf, ((const uint8_t[]) { 0x05, 0xFA, 0x00 }), 3);
}

/* Every op code: encode -> parse -> encode gives the same bytes and the same parameter. */
static void test_cp_request_round_trip_all_ops(void **state)
{
	for (unsigned op = 0; op <= FTMS_CP_OP_MAX; op++) {
		for (int wide = 0; wide <= 1; wide++) {
			struct ftms_cp_request in, out;
			uint8_t a[32], b[32];
			int n;

			memset(&in, 0, sizeof(in));
			in.op = (uint8_t) op;
			for (size_t i = 0; i < 5; i++)
				in.param.hr_zones[i] = (uint16_t) (0x0101 * (op + i + 1));
			if (op == FTMS_CP_SET_TARGET_RESISTANCE) {
				in.param.resistance.level = wide ? -1234 : 255;
				in.param.resistance.wide = wide;
			}
			if (op == FTMS_CP_SET_TARGET_DISTANCE)
				in.param.distance = 0xFEDCBA;
			n = ftms_cp_request_encode(&in, a, sizeof(a));
			assert_true(n >= 1);
			assert_int_equal(a[0], op);
			assert_int_equal(ftms_cp_request_parse(a, (size_t) n, &out), 0);
			assert_int_equal(ftms_cp_request_encode(&out, b, sizeof(b)), n);
			assert_memory_equal(a, b, (size_t) n);
			if (op == FTMS_CP_SET_TARGET_RESISTANCE) {
				assert_int_equal(out.param.resistance.level,
						 in.param.resistance.level);
				assert_int_equal(out.param.resistance.wide, wide);
			}
		}
	}
}

/* ---- Control point responses -------------------------------------------------------------- */

static const struct vector cp_responses[] = {
	OK("§7.4 request control success", 0x80, 0x00, 0x01),
	OK("§7.4 start: already started", 0x80, 0x07, 0x04),
	OK("§12.3 Tacx Flux: resistance invalid parameter", 0x80, 0x04, 0x03),
	OK("§7.3 control not permitted", 0x80, 0x05, 0x05),
	OK("T12 RFU result passed through", 0x80, 0x05, 0x06),
	OK("§7.2 spin down start success, 8.04/37.34 km/h", 0x80, 0x13, 0x01, 0x24, 0x03, 0x96,
	   0x0E),
	OK("17-byte parameter (maximum)", 0x80, 0x01, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	   13, 14, 15, 16, 17),
	EMPTY("zero-length", -EBADMSG),
	BAD("no result code", 0x80, 0x00),
	BAD("not a response (0x81)", 0x81, 0x00, 0x01),
	BAD("a request, not a response", 0x00, 0x00, 0x01),
	BAD("18-byte parameter (over-long)", 0x80, 0x01, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	    12, 13, 14, 15, 16, 17, 18),
};

static void test_cp_response_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(cp_responses) / sizeof(cp_responses[0]); i++) {
		const struct vector *v = &cp_responses[i];
		struct ftms_cp_response resp;
		uint8_t buf[32];

		print_message("cp response: %s\n", v->source);
		if (v->expect < 0) {
			ASSERT_FAIL(v->expect, ftms_cp_response_parse, struct ftms_cp_response,
				    v->bytes, v->len);
			continue;
		}
		assert_int_equal(ftms_cp_response_parse(v->bytes, v->len, &resp), 0);
		assert_int_equal(resp.request_op, v->bytes[1]);
		assert_int_equal(resp.result, v->bytes[2]);
		assert_int_equal(resp.param_len, v->len - 3);
		assert_int_equal(ftms_cp_response_encode(&resp, buf, sizeof(buf)), v->len);
		assert_memory_equal(buf, v->bytes, v->len);
	}
}

static void test_cp_response_spin_down(void **state)
{
	struct ftms_cp_response resp;
	uint8_t buf[8];

	/* Reference §7.2: `80 13 01 24 03 96 0E` = low 8.04 km/h, high 37.34 km/h. */
	assert_int_equal(
		ftms_cp_response_parse(BYTES(0x80, 0x13, 0x01, 0x24, 0x03, 0x96, 0x0E), &resp), 0);
	assert_true(resp.has_spin_down);
	assert_int_equal(resp.spin_down_low, 804);
	assert_int_equal(resp.spin_down_high, 3734);
	/* Reference §7.2: SmartSpin2k omits the request op; the codec reports the wire as is. */
	assert_int_equal(ftms_cp_response_parse(BYTES(0x80, 0x01, 0x24, 0x03, 0x96, 0x0E), &resp),
			 0);
	assert_false(resp.has_spin_down);
	assert_int_equal(resp.request_op, 0x01);
	assert_int_equal(resp.result, 0x24);

	/* Simulator side: encode from the two speeds. */
	resp = (struct ftms_cp_response) { .request_op = FTMS_CP_SPIN_DOWN_CONTROL,
					   .result = FTMS_CP_SUCCESS,
					   .has_spin_down = true,
					   .spin_down_low = 804,
					   .spin_down_high = 3734 };
	assert_int_equal(ftms_cp_response_encode(&resp, buf, sizeof(buf)), 7);
	assert_memory_equal(buf, ((const uint8_t[]) { 0x80, 0x13, 0x01, 0x24, 0x03, 0x96, 0x0E }),
			    7);
	assert_int_equal(ftms_cp_response_encode(&resp, buf, 6), -ENOBUFS);
	resp.has_spin_down = false;
	resp.param_len = 18;
	assert_int_equal(ftms_cp_response_encode(&resp, buf, sizeof(buf)), -ERANGE);
}

static void test_cp_names(void **state)
{
	assert_string_equal(ftms_cp_result_to_string(FTMS_CP_SUCCESS), "success");
	assert_string_equal(ftms_cp_result_to_string(FTMS_CP_INVALID_PARAMETER),
			    "invalid parameter");
	assert_string_equal(ftms_cp_result_to_string(FTMS_CP_CONTROL_NOT_PERMITTED),
			    "control not permitted");
	assert_string_equal(ftms_cp_result_to_string(0x00), "reserved");
	assert_string_equal(ftms_cp_result_to_string(0xFF), "reserved");
	for (unsigned op = 0; op <= 0xFF; op++)
		assert_non_null(ftms_cp_op_to_string((uint8_t) op));
	assert_string_equal(ftms_cp_op_to_string(FTMS_CP_SET_TARGET_POWER), "set target power");
	assert_string_equal(ftms_cp_op_to_string(0x15), "reserved");
	assert_string_equal(ftms_training_status_to_string(FTMS_TRAINING_IDLE), "idle");
	assert_string_equal(ftms_training_status_to_string(FTMS_TRAINING_POST_WORKOUT),
			    "post-workout");
	assert_string_equal(ftms_training_status_to_string(0x10), "reserved");
}

/* ---- Fitness Machine Status ---------------------------------------------------------------- */

static const struct vector statuses[] = {
	OK("T15 reset", 0x01),
	OK("T15 stopped by user", 0x02, 0x01),
	OK("T15 paused by user", 0x02, 0x02),
	OK("T15 safety key", 0x03),
	OK("T15 started by user", 0x04),
	OK("T15 target speed 10 km/h", 0x05, 0xE8, 0x03),
	OK("T15 target incline -2.5 %", 0x06, 0xE7, 0xFF),
	OK("T15/D4 target resistance uint8", 0x07, 0x64),
	OK("D4 target resistance sint16", 0x07, 0xE8, 0x03),
	OK("T15 target power 250 W", 0x08, 0xFA, 0x00),
	OK("T15 target HR", 0x09, 0x78),
	OK("T15 energy", 0x0A, 0xF4, 0x01),
	OK("T15 steps", 0x0B, 0x10, 0x27),
	OK("T15 strides", 0x0C, 0x88, 0x13),
	OK("T15 distance", 0x0D, 0xA0, 0x86, 0x01),
	OK("T15 training time", 0x0E, 0x08, 0x07),
	OK("T15 two zones", 0x0F, 1, 0, 2, 0),
	OK("T15 three zones", 0x10, 1, 0, 2, 0, 3, 0),
	OK("T15 five zones", 0x11, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0),
	OK("§9 Zwift Hub echo: grade -0.11 %", 0x12, 0x00, 0x00, 0xF5, 0xFF, 0x28, 0x33),
	OK("T15 wheel circumference", 0x13, 0x3A, 0x52),
	OK("§9 spin down requested", 0x14, 0x01),
	OK("§9 spin down stop pedalling", 0x14, 0x04),
	OK("T15 target cadence", 0x15, 0xB4, 0x00),
	OK("T15 control permission lost", 0xFF),
	EMPTY("zero-length", -EBADMSG),
	BAD("target speed cut", 0x05, 0xE8),
	BAD("stopped without parameter", 0x02),
	BAD("two zones, 3 of 4 bytes", 0x0F, 1, 0, 2),
	BAD("simulation, 5 of 6 bytes", 0x12, 0x00, 0x00, 0xF5, 0xFF, 0x28),
	BAD("resistance without parameter", 0x07),
	PROTO("T15 RFU 0x00", 0x00),
	PROTO("T15 RFU 0x16", 0x16, 0x01),
	PROTO("T15 RFU 0xFE", 0xFE),
};

static void test_status_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		const struct vector *v = &statuses[i];
		struct ftms_machine_status st;
		uint8_t buf[32];

		print_message("status: %s\n", v->source);
		if (v->expect < 0) {
			ASSERT_FAIL(v->expect, ftms_machine_status_parse,
				    struct ftms_machine_status, v->bytes, v->len);
			continue;
		}
		assert_int_equal(ftms_machine_status_parse(v->bytes, v->len, &st), 0);
		assert_int_equal(st.op, v->bytes[0]);
		assert_int_equal(ftms_machine_status_encode(&st, buf, sizeof(buf)), v->len);
		assert_memory_equal(buf, v->bytes, v->len);
	}
}

static void test_status_values(void **state)
{
	struct ftms_machine_status st;
	uint8_t buf[4];

	/* Reference §9: Zwift Hub echo decodes to wind 0, grade -0.11 %, Crr 0.004, Cw 0.51. */
	assert_int_equal(
		ftms_machine_status_parse(BYTES(0x12, 0x00, 0x00, 0xF5, 0xFF, 0x28, 0x33), &st), 0);
	assert_int_equal(st.param.sim.grade, -11);
	assert_int_equal(st.param.sim.crr, 40);
	assert_int_equal(st.param.sim.cw, 51);
	/* Reference §9: spin-down success with the chart's undefined extra "time" parameter. */
	assert_int_equal(ftms_machine_status_parse(BYTES(0x14, 0x02, 0x10, 0x27), &st), 0);
	assert_int_equal(st.param.spin_down, FTMS_SPIN_DOWN_SUCCESS);
	assert_int_equal(ftms_machine_status_parse(BYTES(0x07, 0x18, 0xFC), &st), 0);
	assert_true(st.param.resistance.wide);
	assert_int_equal(st.param.resistance.level, -1000);
	/* Status op offsets differ from the request ones (reference T15 note). */
	assert_int_equal(ftms_status_op_for_request(FTMS_CP_SET_TARGET_SPEED),
			 FTMS_STATUS_TARGET_SPEED);
	assert_int_equal(ftms_status_op_for_request(FTMS_CP_SET_TARGET_HEART_RATE),
			 FTMS_STATUS_TARGET_HEART_RATE);
	assert_int_equal(ftms_status_op_for_request(FTMS_CP_SET_INDOOR_BIKE_SIMULATION),
			 FTMS_STATUS_INDOOR_BIKE_SIMULATION);
	assert_int_equal(ftms_status_op_for_request(FTMS_CP_SET_TARGET_CADENCE),
			 FTMS_STATUS_TARGET_CADENCE);
	assert_int_equal(ftms_status_op_for_request(FTMS_CP_STOP_PAUSE),
			 FTMS_STATUS_STOPPED_PAUSED_BY_USER);
	assert_int_equal(ftms_status_op_for_request(FTMS_CP_REQUEST_CONTROL), -EPROTO);
	assert_int_equal(ftms_status_op_for_request(FTMS_CP_SPIN_DOWN_CONTROL), -EPROTO);
	assert_int_equal(ftms_status_op_for_request(0x15), -EPROTO);
	st = (struct ftms_machine_status) { .op = 0x16 };
	assert_int_equal(ftms_machine_status_encode(&st, buf, sizeof(buf)), -EPROTO);
	st = (struct ftms_machine_status) { .op = FTMS_STATUS_TARGET_POWER, .param.power = -5 };
	assert_int_equal(ftms_machine_status_encode(&st, buf, 2), -ENOBUFS);
	assert_int_equal(ftms_machine_status_encode(&st, buf, 3), 3);
	assert_memory_equal(buf, ((const uint8_t[]) { 0x08, 0xFB, 0xFF }), 3);
}

/* Every status op code with a parameter mirrors a request: encode -> parse -> encode. */
static void test_status_round_trip_all_ops(void **state)
{
	for (unsigned cp = 0; cp <= FTMS_CP_OP_MAX; cp++) {
		struct ftms_machine_status in = { 0 }, out;
		uint8_t a[16], b[16];
		int op = ftms_status_op_for_request((uint8_t) cp), n;

		if (op < 0)
			continue;
		in.op = (uint8_t) op;
		for (size_t i = 0; i < 5; i++)
			in.param.hr_zones[i] = (uint16_t) (0x0202 * (cp + i + 1));
		if (cp == FTMS_CP_SET_TARGET_RESISTANCE) {
			in.param.resistance.level = 200;
			in.param.resistance.wide = false;
		}
		if (cp == FTMS_CP_SET_TARGET_DISTANCE)
			in.param.distance = 0x123456;
		n = ftms_machine_status_encode(&in, a, sizeof(a));
		assert_true(n >= 1);
		assert_int_equal(ftms_machine_status_parse(a, (size_t) n, &out), 0);
		assert_int_equal(out.op, op);
		assert_int_equal(ftms_machine_status_encode(&out, b, sizeof(b)), n);
		assert_memory_equal(a, b, (size_t) n);
	}
}

/* ---- Training Status ------------------------------------------------------------------------ */

static void test_training_status(void **state)
{
	struct ftms_training_status s;
	uint8_t big[600], buf[16];

	/* Reference §8: qdomyos virtual bike idle at start-up. */
	assert_int_equal(ftms_training_status_parse(BYTES(0x00, 0x01), &s), 0);
	assert_int_equal(s.status, FTMS_TRAINING_IDLE);
	assert_int_equal(s.string_len, 0);
	assert_string_equal(s.string, "");
	/* Reference §8: SmartSpin2k flags 0x08 (RFU bit) + Watt Control; RFU bits reported. */
	assert_int_equal(ftms_training_status_parse(BYTES(0x08, 0x0C), &s), 0);
	assert_int_equal(s.flags, 0x08);
	assert_int_equal(s.status, FTMS_TRAINING_WATT_CONTROL);
	/* Reference T13: a string. */
	assert_int_equal(ftms_training_status_parse(BYTES(0x01, 0x0D, 'Q', 'u', 'i', 'c', 'k'), &s),
			 0);
	assert_int_equal(s.string_len, 5);
	assert_string_equal(s.string, "Quick");
	assert_int_equal(ftms_training_status_encode(&s, buf, sizeof(buf)), 7);
	assert_memory_equal(buf, ((const uint8_t[]) { 0x01, 0x0D, 'Q', 'u', 'i', 'c', 'k' }), 7);
	assert_int_equal(ftms_training_status_encode(&s, buf, 6), -ENOBUFS);
	/* Extended string bit (T13): the prefix is reported, the rest needs Read Long. */
	assert_int_equal(ftms_training_status_parse(BYTES(0x03, 0x02, 'W', 'a'), &s), 0);
	assert_int_equal(s.flags, 0x03);
	assert_string_equal(s.string, "Wa");
	/* Without the string bit, trailing bytes are ignored. */
	assert_int_equal(ftms_training_status_parse(BYTES(0x00, 0x09, 'x', 'y'), &s), 0);
	assert_int_equal(s.string_len, 0);
	assert_int_equal(ftms_training_status_encode(&s, buf, sizeof(buf)), 2);
	/* The longest ATT value: 510 string bytes. */
	memset(big, 'a', sizeof(big));
	big[0] = 0x01;
	assert_int_equal(ftms_training_status_parse(big, 512, &s), 0);
	assert_int_equal(s.string_len, FTMS_TRAINING_STRING_MAX);
	assert_int_equal(s.string[FTMS_TRAINING_STRING_MAX], '\0');
	s.string_len = FTMS_TRAINING_STRING_MAX + 1;
	assert_int_equal(ftms_training_status_encode(&s, big, sizeof(big)), -ERANGE);

	ASSERT_FAIL(-EBADMSG, ftms_training_status_parse, struct ftms_training_status,
		    (const uint8_t *) "", 0);
	ASSERT_FAIL(-EBADMSG, ftms_training_status_parse, struct ftms_training_status,
		    (const uint8_t[]) { 0x00 }, 1);
	memset(big, 'b', sizeof(big));
	ASSERT_FAIL(-EBADMSG, ftms_training_status_parse, struct ftms_training_status, big, 513);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cp_request_vectors),
		cmocka_unit_test(test_cp_request_values),
		cmocka_unit_test(test_cp_request_encode_errors),
		cmocka_unit_test(test_cp_request_round_trip_all_ops),
		cmocka_unit_test(test_cp_response_vectors),
		cmocka_unit_test(test_cp_response_spin_down),
		cmocka_unit_test(test_cp_names),
		cmocka_unit_test(test_status_vectors),
		cmocka_unit_test(test_status_values),
		cmocka_unit_test(test_status_round_trip_all_ops),
		cmocka_unit_test(test_training_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
