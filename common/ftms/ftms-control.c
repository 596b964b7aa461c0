/* SPDX-License-Identifier: MIT */
/* Control Point (0x2AD9), Fitness Machine Status (0x2ADA), Training Status (0x2AD3). */
#include "ftms-control.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "ftms-wire.h"

#define P(m) offsetof(union ftms_param, m)

/* Parameter layout of a request op code; the matching status uses the same layout. */
struct param_layout {
	uint8_t n;
	struct wire_field f[5];
};

/* Reference T11. Resistance (0x04) is handled apart: it has two wire forms (D4). */
static const struct param_layout request_layouts[FTMS_CP_OP_MAX + 1] = {
	[FTMS_CP_SET_TARGET_SPEED] = { 1, { { 0, WIRE_U16, P(speed) } } },
	[FTMS_CP_SET_TARGET_INCLINATION] = { 1, { { 0, WIRE_S16, P(inclination) } } },
	[FTMS_CP_SET_TARGET_POWER] = { 1, { { 0, WIRE_S16, P(power) } } },
	[FTMS_CP_SET_TARGET_HEART_RATE] = { 1, { { 0, WIRE_U8, P(heart_rate) } } },
	[FTMS_CP_STOP_PAUSE] = { 1, { { 0, WIRE_U8, P(stop_pause) } } },
	[FTMS_CP_SET_TARGET_ENERGY] = { 1, { { 0, WIRE_U16, P(energy) } } },
	[FTMS_CP_SET_TARGET_STEPS] = { 1, { { 0, WIRE_U16, P(steps) } } },
	[FTMS_CP_SET_TARGET_STRIDES] = { 1, { { 0, WIRE_U16, P(strides) } } },
	[FTMS_CP_SET_TARGET_DISTANCE] = { 1, { { 0, WIRE_U24, P(distance) } } },
	[FTMS_CP_SET_TARGET_TRAINING_TIME] = { 1, { { 0, WIRE_U16, P(training_time) } } },
	[FTMS_CP_SET_TARGET_TWO_HR_ZONES] = { 2,
					      { { 0, WIRE_U16, P(hr_zones[0]) },
						{ 0, WIRE_U16, P(hr_zones[1]) } } },
	[FTMS_CP_SET_TARGET_THREE_HR_ZONES] = { 3,
						{ { 0, WIRE_U16, P(hr_zones[0]) },
						  { 0, WIRE_U16, P(hr_zones[1]) },
						  { 0, WIRE_U16, P(hr_zones[2]) } } },
	[FTMS_CP_SET_TARGET_FIVE_HR_ZONES] = { 5,
					       { { 0, WIRE_U16, P(hr_zones[0]) },
						 { 0, WIRE_U16, P(hr_zones[1]) },
						 { 0, WIRE_U16, P(hr_zones[2]) },
						 { 0, WIRE_U16, P(hr_zones[3]) },
						 { 0, WIRE_U16, P(hr_zones[4]) } } },
	[FTMS_CP_SET_INDOOR_BIKE_SIMULATION] = { 4,
						 { { 0, WIRE_S16, P(sim.wind_speed) },
						   { 0, WIRE_S16, P(sim.grade) },
						   { 0, WIRE_U8, P(sim.crr) },
						   { 0, WIRE_U8, P(sim.cw) } } },
	[FTMS_CP_SET_WHEEL_CIRCUMFERENCE] = { 1, { { 0, WIRE_U16, P(wheel_circumference) } } },
	[FTMS_CP_SPIN_DOWN_CONTROL] = { 1, { { 0, WIRE_U8, P(spin_down) } } },
	[FTMS_CP_SET_TARGET_CADENCE] = { 1, { { 0, WIRE_U16, P(cadence) } } },
};

static const struct param_layout *layout_size(const struct param_layout *l, size_t *ret_size)
{
	*ret_size = wire_fields_size(0, l->f, l->n);
	return l;
}

/* Resistance parameter: 1 byte = uint8 x10 (v1.0), 2 bytes = sint16 x10 (D4). */
static void resistance_read(struct wire_reader *r, size_t plen, union ftms_param *p)
{
	p->resistance.wide = plen >= 2;
	if (p->resistance.wide)
		p->resistance.level = (int16_t) (uint16_t) wire_get(r, WIRE_S16);
	else
		p->resistance.level = (int16_t) wire_get(r, WIRE_U8);
}

static void resistance_write(struct wire_writer *w, const union ftms_param *p)
{
	if (p->resistance.wide) {
		wire_put(w, WIRE_S16, (uint16_t) p->resistance.level);
		return;
	}
	if (p->resistance.level < 0)
		w->range = true;
	wire_put(w, WIRE_U8, (uint32_t) (p->resistance.level < 0 ? 0 : p->resistance.level));
}

int ftms_cp_request_parse(const uint8_t *buf, size_t len, struct ftms_cp_request *ret)
{
	struct ftms_cp_request req = { 0 };
	struct wire_reader r = { .p = buf, .len = len };
	const struct param_layout *l;
	size_t plen, want;

	assert(ret);
	if (len == 0)
		return -EBADMSG;
	req.op = buf[0];
	if (req.op > FTMS_CP_OP_MAX)
		return -EPROTO;
	plen = len - 1;
	l = layout_size(&request_layouts[req.op], &want);
	if (req.op == FTMS_CP_SET_TARGET_RESISTANCE)
		want = plen == 2 ? 2 : 1;
	if (plen != want)
		return -EBADMSG;
	wire_skip(&r, 1);
	if (req.op == FTMS_CP_SET_TARGET_RESISTANCE)
		resistance_read(&r, plen, &req.param);
	else
		wire_read_fields(&r, 0, l->f, l->n, &req.param);
	*ret = req;
	return 0;
}

int ftms_cp_request_encode(const struct ftms_cp_request *req, uint8_t *buf, size_t len)
{
	uint8_t tmp[16];
	struct wire_writer w = { .p = tmp, .len = sizeof(tmp) };
	const struct param_layout *l;

	assert(req);
	if (req->op > FTMS_CP_OP_MAX)
		return -EPROTO;
	l = &request_layouts[req->op];
	wire_put(&w, WIRE_U8, req->op);
	if (req->op == FTMS_CP_SET_TARGET_RESISTANCE)
		resistance_write(&w, &req->param);
	else
		wire_write_fields(&w, 0, l->f, l->n, &req->param);
	return wire_finish(&w, buf, len);
}

int ftms_cp_response_parse(const uint8_t *buf, size_t len, struct ftms_cp_response *ret)
{
	struct ftms_cp_response resp = { 0 };

	assert(ret);
	if (len < 3 || buf[0] != FTMS_CP_RESPONSE_CODE || len - 3 > FTMS_CP_RESPONSE_PARAM_MAX)
		return -EBADMSG;
	resp.request_op = buf[1];
	resp.result = buf[2];
	resp.param_len = (uint8_t) (len - 3);
	memcpy(resp.param, buf + 3, resp.param_len);
	if (resp.request_op == FTMS_CP_SPIN_DOWN_CONTROL && resp.result == FTMS_CP_SUCCESS &&
	    resp.param_len >= 4) {
		resp.has_spin_down = true;
		resp.spin_down_low = (uint16_t) (buf[3] | buf[4] << 8);
		resp.spin_down_high = (uint16_t) (buf[5] | buf[6] << 8);
	}
	*ret = resp;
	return 0;
}

int ftms_cp_response_encode(const struct ftms_cp_response *resp, uint8_t *buf, size_t len)
{
	uint8_t tmp[3 + FTMS_CP_RESPONSE_PARAM_MAX];
	struct wire_writer w = { .p = tmp, .len = sizeof(tmp) };

	assert(resp);
	if (!resp->has_spin_down && resp->param_len > FTMS_CP_RESPONSE_PARAM_MAX)
		return -ERANGE;
	wire_put(&w, WIRE_U8, FTMS_CP_RESPONSE_CODE);
	wire_put(&w, WIRE_U8, resp->request_op);
	wire_put(&w, WIRE_U8, resp->result);
	if (resp->has_spin_down) {
		wire_put(&w, WIRE_U16, resp->spin_down_low);
		wire_put(&w, WIRE_U16, resp->spin_down_high);
	} else {
		for (size_t i = 0; i < resp->param_len; i++)
			wire_put(&w, WIRE_U8, resp->param[i]);
	}
	return wire_finish(&w, buf, len);
}

int ftms_status_op_for_request(uint8_t cp_op)
{
	if (cp_op == FTMS_CP_RESET)
		return FTMS_STATUS_RESET;
	if (cp_op == FTMS_CP_STOP_PAUSE)
		return FTMS_STATUS_STOPPED_PAUSED_BY_USER;
	if (cp_op == FTMS_CP_START_RESUME)
		return FTMS_STATUS_STARTED_BY_USER;
	/* The offsets differ: status 0x05 <-> CP 0x02, status 0x0A <-> CP 0x09 (T15). */
	if (cp_op >= FTMS_CP_SET_TARGET_SPEED && cp_op <= FTMS_CP_SET_TARGET_HEART_RATE)
		return cp_op + 3;
	if (cp_op >= FTMS_CP_SET_TARGET_ENERGY && cp_op <= FTMS_CP_SET_TARGET_CADENCE &&
	    cp_op != FTMS_CP_SPIN_DOWN_CONTROL)
		return cp_op + 1;
	return -EPROTO;
}

/* The request op whose parameter layout a status op shares; -EPROTO for RFU status ops. */
static int status_layout_op(uint8_t op)
{
	switch (op) {
	case FTMS_STATUS_RESET:
	case FTMS_STATUS_STOPPED_BY_SAFETY_KEY:
	case FTMS_STATUS_STARTED_BY_USER:
	case FTMS_STATUS_CONTROL_PERMISSION_LOST:
		return FTMS_CP_REQUEST_CONTROL; /* no parameter */
	case FTMS_STATUS_STOPPED_PAUSED_BY_USER:
		return FTMS_CP_STOP_PAUSE;
	case FTMS_STATUS_SPIN_DOWN:
		return FTMS_CP_SPIN_DOWN_CONTROL;
	default:
		break;
	}
	if (op >= FTMS_STATUS_TARGET_SPEED && op <= FTMS_STATUS_TARGET_HEART_RATE)
		return op - 3;
	if (op >= FTMS_STATUS_TARGET_ENERGY && op <= FTMS_STATUS_TARGET_CADENCE)
		return op - 1;
	return -EPROTO;
}

int ftms_machine_status_parse(const uint8_t *buf, size_t len, struct ftms_machine_status *ret)
{
	struct ftms_machine_status st = { 0 };
	struct wire_reader r = { .p = buf, .len = len };
	const struct param_layout *l;
	int lop;

	assert(ret);
	if (len == 0)
		return -EBADMSG;
	st.op = buf[0];
	lop = status_layout_op(st.op);
	if (lop < 0)
		return lop;
	l = &request_layouts[lop];
	wire_skip(&r, 1);
	if (lop == FTMS_CP_SET_TARGET_RESISTANCE)
		resistance_read(&r, len - 1, &st.param);
	else
		wire_read_fields(&r, 0, l->f, l->n, &st.param);
	/* Trailing bytes are tolerated (spin-down chart, reference §9). */
	if (r.overrun)
		return -EBADMSG;
	*ret = st;
	return 0;
}

int ftms_machine_status_encode(const struct ftms_machine_status *st, uint8_t *buf, size_t len)
{
	uint8_t tmp[16];
	struct wire_writer w = { .p = tmp, .len = sizeof(tmp) };
	const struct param_layout *l;
	int lop;

	assert(st);
	lop = status_layout_op(st->op);
	if (lop < 0)
		return lop;
	l = &request_layouts[lop];
	wire_put(&w, WIRE_U8, st->op);
	if (lop == FTMS_CP_SET_TARGET_RESISTANCE)
		resistance_write(&w, &st->param);
	else
		wire_write_fields(&w, 0, l->f, l->n, &st->param);
	return wire_finish(&w, buf, len);
}

int ftms_training_status_parse(const uint8_t *buf, size_t len, struct ftms_training_status *ret)
{
	struct ftms_training_status s = { 0 };

	assert(ret);
	if (len < 2 || len > 2 + FTMS_TRAINING_STRING_MAX)
		return -EBADMSG;
	s.flags = buf[0];
	s.status = buf[1];
	if (s.flags & FTMS_TRAINING_FLAG_STRING) {
		s.string_len = (uint16_t) (len - 2);
		memcpy(s.string, buf + 2, s.string_len);
	}
	s.string[s.string_len] = '\0';
	*ret = s;
	return 0;
}

int ftms_training_status_encode(const struct ftms_training_status *s, uint8_t *buf, size_t len)
{
	size_t n = 2;

	assert(s);
	if (s->flags & FTMS_TRAINING_FLAG_STRING) {
		if (s->string_len > FTMS_TRAINING_STRING_MAX)
			return -ERANGE;
		n += s->string_len;
	}
	if (len < n)
		return -ENOBUFS;
	buf[0] = s->flags;
	buf[1] = s->status;
	if (n > 2)
		memcpy(buf + 2, s->string, n - 2);
	return (int) n;
}

const char *ftms_cp_result_to_string(uint8_t result)
{
	static const char *const names[] = {
		[FTMS_CP_SUCCESS] = "success",
		[FTMS_CP_OP_NOT_SUPPORTED] = "op code not supported",
		[FTMS_CP_INVALID_PARAMETER] = "invalid parameter",
		[FTMS_CP_OPERATION_FAILED] = "operation failed",
		[FTMS_CP_CONTROL_NOT_PERMITTED] = "control not permitted",
	};

	if (result < sizeof(names) / sizeof(names[0]) && names[result])
		return names[result];
	return "reserved";
}

const char *ftms_cp_op_to_string(uint8_t op)
{
	static const char *const names[FTMS_CP_OP_MAX + 1] = {
		[FTMS_CP_REQUEST_CONTROL] = "request control",
		[FTMS_CP_RESET] = "reset",
		[FTMS_CP_SET_TARGET_SPEED] = "set target speed",
		[FTMS_CP_SET_TARGET_INCLINATION] = "set target inclination",
		[FTMS_CP_SET_TARGET_RESISTANCE] = "set target resistance level",
		[FTMS_CP_SET_TARGET_POWER] = "set target power",
		[FTMS_CP_SET_TARGET_HEART_RATE] = "set target heart rate",
		[FTMS_CP_START_RESUME] = "start or resume",
		[FTMS_CP_STOP_PAUSE] = "stop or pause",
		[FTMS_CP_SET_TARGET_ENERGY] = "set targeted expended energy",
		[FTMS_CP_SET_TARGET_STEPS] = "set targeted number of steps",
		[FTMS_CP_SET_TARGET_STRIDES] = "set targeted number of strides",
		[FTMS_CP_SET_TARGET_DISTANCE] = "set targeted distance",
		[FTMS_CP_SET_TARGET_TRAINING_TIME] = "set targeted training time",
		[FTMS_CP_SET_TARGET_TWO_HR_ZONES] = "set targeted time in two heart rate zones",
		[FTMS_CP_SET_TARGET_THREE_HR_ZONES] = "set targeted time in three heart rate zones",
		[FTMS_CP_SET_TARGET_FIVE_HR_ZONES] = "set targeted time in five heart rate zones",
		[FTMS_CP_SET_INDOOR_BIKE_SIMULATION] = "set indoor bike simulation parameters",
		[FTMS_CP_SET_WHEEL_CIRCUMFERENCE] = "set wheel circumference",
		[FTMS_CP_SPIN_DOWN_CONTROL] = "spin down control",
		[FTMS_CP_SET_TARGET_CADENCE] = "set targeted cadence",
	};

	if (op <= FTMS_CP_OP_MAX)
		return names[op];
	if (op == FTMS_CP_RESPONSE_CODE)
		return "response code";
	return "reserved";
}

const char *ftms_training_status_to_string(uint8_t status)
{
	static const char *const names[] = {
		[FTMS_TRAINING_OTHER] = "other",
		[FTMS_TRAINING_IDLE] = "idle",
		[FTMS_TRAINING_WARMING_UP] = "warming up",
		[FTMS_TRAINING_LOW_INTENSITY_INTERVAL] = "low intensity interval",
		[FTMS_TRAINING_HIGH_INTENSITY_INTERVAL] = "high intensity interval",
		[FTMS_TRAINING_RECOVERY_INTERVAL] = "recovery interval",
		[FTMS_TRAINING_ISOMETRIC] = "isometric",
		[FTMS_TRAINING_HEART_RATE_CONTROL] = "heart rate control",
		[FTMS_TRAINING_FITNESS_TEST] = "fitness test",
		[FTMS_TRAINING_SPEED_TOO_LOW] = "speed too low",
		[FTMS_TRAINING_SPEED_TOO_HIGH] = "speed too high",
		[FTMS_TRAINING_COOL_DOWN] = "cool down",
		[FTMS_TRAINING_WATT_CONTROL] = "watt control",
		[FTMS_TRAINING_MANUAL_MODE] = "manual mode",
		[FTMS_TRAINING_PRE_WORKOUT] = "pre-workout",
		[FTMS_TRAINING_POST_WORKOUT] = "post-workout",
	};

	return status < sizeof(names) / sizeof(names[0]) ? names[status] : "reserved";
}
