/* SPDX-License-Identifier: MIT */
#include "ftms-server.h"

#include <errno.h>
#include <string.h>

/* ATT error: Write Request Rejected is not used; malformed writes get Invalid Length. */
#define ATT_ECODE_INVALID_LEN 0x0d

void ftms_server_init(struct ftms_server *s, const struct ftms_features *f)
{
	*s = (struct ftms_server) { .features = *f, .training = FTMS_TRAINING_IDLE };
}

void ftms_server_set_range(struct ftms_server *s, enum ftms_range_kind kind, int32_t min,
			   int32_t max, uint32_t increment)
{
	s->ranges[kind] = (struct ftms_range) { .min = min, .max = max, .increment = increment };
	s->has_range[kind] = true;
}

static bool in_range(const struct ftms_server *s, enum ftms_range_kind kind, int32_t v)
{
	if (!s->has_range[kind])
		return true;
	return v >= s->ranges[kind].min && v <= s->ranges[kind].max;
}

static uint8_t check_param(const struct ftms_server *s, const struct ftms_cp_request *r)
{
	bool ok = true;

	switch (r->op) {
	case FTMS_CP_SET_TARGET_SPEED:
		ok = in_range(s, FTMS_RANGE_SPEED, r->param.speed);
		break;
	case FTMS_CP_SET_TARGET_INCLINATION:
		ok = in_range(s, FTMS_RANGE_INCLINATION, r->param.inclination);
		break;
	case FTMS_CP_SET_TARGET_RESISTANCE:
		ok = in_range(s, FTMS_RANGE_RESISTANCE, r->param.resistance.level);
		break;
	case FTMS_CP_SET_TARGET_POWER:
		ok = in_range(s, FTMS_RANGE_POWER, r->param.power);
		break;
	case FTMS_CP_SET_TARGET_HEART_RATE:
		ok = in_range(s, FTMS_RANGE_HEART_RATE, r->param.heart_rate);
		break;
	case FTMS_CP_STOP_PAUSE:
		ok = r->param.stop_pause == FTMS_STOP || r->param.stop_pause == FTMS_PAUSE;
		break;
	default:
		break;
	}
	return ok ? FTMS_CP_SUCCESS : FTMS_CP_INVALID_PARAMETER;
}

static void set_training(struct ftms_server *s, struct ftms_server_event *ev, uint8_t t)
{
	if (s->training == t)
		return;
	s->training = t;
	ev->training_changed = true;
}

static void set_status(struct ftms_server_event *ev, uint8_t op)
{
	ev->has_status = true;
	ev->status.op = op;
	ev->status.param = ev->req.param;
}

/* Apply an op that passed every check; fills in the status and training changes. */
static uint8_t apply(struct ftms_server *s, struct ftms_server_event *ev)
{
	const struct ftms_cp_request *r = &ev->req;
	int st;

	switch (r->op) {
	case FTMS_CP_REQUEST_CONTROL:
		if (s->refuse_control)
			return s->refuse_control;
		s->control = true;
		return FTMS_CP_SUCCESS;
	case FTMS_CP_RESET:
		s->control = false;
		s->started = false;
		s->erg = false;
		set_status(ev, FTMS_STATUS_RESET);
		set_training(s, ev, FTMS_TRAINING_IDLE);
		return FTMS_CP_SUCCESS;
	case FTMS_CP_START_RESUME:
		if (s->started)
			return FTMS_CP_OPERATION_FAILED;
		s->started = true;
		set_status(ev, FTMS_STATUS_STARTED_BY_USER);
		set_training(s, ev,
			     s->erg ? FTMS_TRAINING_WATT_CONTROL : FTMS_TRAINING_MANUAL_MODE);
		return FTMS_CP_SUCCESS;
	case FTMS_CP_STOP_PAUSE:
		if (!s->started)
			return FTMS_CP_OPERATION_FAILED;
		s->started = false;
		set_status(ev, FTMS_STATUS_STOPPED_PAUSED_BY_USER);
		set_training(s, ev, FTMS_TRAINING_IDLE);
		return FTMS_CP_SUCCESS;
	default:
		break;
	}
	if (r->op == FTMS_CP_SET_TARGET_POWER || r->op == FTMS_CP_SET_TARGET_RESISTANCE)
		s->erg = r->op == FTMS_CP_SET_TARGET_POWER;
	st = ftms_status_op_for_request(r->op);
	if (st >= 0)
		set_status(ev, (uint8_t) st);
	if (s->started &&
	    (r->op == FTMS_CP_SET_TARGET_POWER || r->op == FTMS_CP_SET_TARGET_RESISTANCE))
		set_training(s, ev,
			     s->erg ? FTMS_TRAINING_WATT_CONTROL : FTMS_TRAINING_MANUAL_MODE);
	return FTMS_CP_SUCCESS;
}

static uint8_t decide(struct ftms_server *s, const uint8_t *buf, size_t len,
		      struct ftms_server_event *ev)
{
	int r;

	r = ftms_cp_request_parse(buf, len, &ev->req);
	if (r == -EPROTO) {
		ev->req.op = buf[0];
		return FTMS_CP_OP_NOT_SUPPORTED;
	}
	if (r < 0) {
		ev->req.op = buf[0];
		return FTMS_CP_INVALID_PARAMETER;
	}
	ev->parsed = true;
	if (!ftms_features_supports_op(&s->features, ev->req.op))
		return FTMS_CP_OP_NOT_SUPPORTED;
	if (ev->req.op != FTMS_CP_REQUEST_CONTROL && !s->control)
		return FTMS_CP_CONTROL_NOT_PERMITTED;
	r = check_param(s, &ev->req);
	if (r != FTMS_CP_SUCCESS)
		return (uint8_t) r;
	/* Cold start: a target is an operation that cannot be done until the machine runs. */
	if (s->cold_start && !s->started && ftms_status_op_for_request(ev->req.op) >= 0 &&
	    ev->req.op >= FTMS_CP_SET_TARGET_SPEED && ev->req.op != FTMS_CP_START_RESUME &&
	    ev->req.op != FTMS_CP_STOP_PAUSE)
		return FTMS_CP_OPERATION_FAILED;
	return apply(s, ev);
}

int ftms_server_write(struct ftms_server *s, const uint8_t *buf, size_t len,
		      struct ftms_server_event *ev)
{
	struct ftms_cp_response resp = { 0 };
	int r;

	*ev = (struct ftms_server_event) { 0 };
	if (len == 0) {
		ev->att_error = ATT_ECODE_INVALID_LEN;
		return 0;
	}
	ev->result = decide(s, buf, len, ev);
	if (ev->result != FTMS_CP_SUCCESS) {
		ev->has_status = false;
		ev->training_changed = false;
	}
	resp.request_op = ev->req.op;
	resp.result = ev->result;
	r = ftms_cp_response_encode(&resp, ev->response, sizeof(ev->response));
	if (r < 0)
		return r;
	ev->response_len = (size_t) r;
	return 0;
}

int ftms_server_console(struct ftms_server *s, const struct ftms_cp_request *req,
			struct ftms_server_event *ev)
{
	*ev = (struct ftms_server_event) { .parsed = true, .req = *req };
	if (ftms_status_op_for_request(req->op) < 0)
		return -EINVAL;
	if (!ftms_features_supports_op(&s->features, req->op))
		return -EOPNOTSUPP;
	if (check_param(s, req) != FTMS_CP_SUCCESS)
		return -ERANGE;
	ev->result = apply(s, ev);
	if (ev->result != FTMS_CP_SUCCESS) {
		*ev = (struct ftms_server_event) { 0 };
		return -EALREADY;
	}
	return 0;
}

void ftms_server_link_lost(struct ftms_server *s)
{
	s->control = false;
	if (s->cold_start) { /* its session ends with the link: Start again before targets */
		s->started = false;
		s->training = FTMS_TRAINING_IDLE;
	}
}

int ftms_server_revoke_control(struct ftms_server *s, uint8_t *buf, size_t len)
{
	struct ftms_machine_status st = { .op = FTMS_STATUS_CONTROL_PERMISSION_LOST };

	s->control = false;
	return ftms_machine_status_encode(&st, buf, len);
}

int ftms_server_user_stop(struct ftms_server *s, uint8_t status_op, uint8_t *buf, size_t len)
{
	struct ftms_machine_status st = { .op = status_op };

	if (status_op == FTMS_STATUS_STOPPED_PAUSED_BY_USER)
		st.param.stop_pause = FTMS_STOP;
	s->started = false;
	s->training = FTMS_TRAINING_IDLE;
	return ftms_machine_status_encode(&st, buf, len);
}

int ftms_server_training_value(const struct ftms_server *s, uint8_t *buf, size_t len)
{
	struct ftms_training_status t = { .status = s->training };

	return ftms_training_status_encode(&t, buf, len);
}
