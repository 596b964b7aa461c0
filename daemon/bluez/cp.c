/* SPDX-License-Identifier: MIT */
#include "cp.h"

#include <errno.h>
#include <string.h>

void cp_queue_init(struct cp_queue *q, const struct cp_transport *t, void *userdata,
		   unsigned timeout_ms, unsigned retries, enum cp_resistance_form form)
{
	*q = (struct cp_queue) {
		.t = t,
		.userdata = userdata,
		.timeout_ms = timeout_ms,
		.retries = retries,
		.form = form,
	};
}

/* Targets that stay set until changed: a repeat of the accepted value is skipped. */
static bool is_target(uint8_t op)
{
	return op == FTMS_CP_SET_TARGET_SPEED || op == FTMS_CP_SET_TARGET_INCLINATION ||
	       op == FTMS_CP_SET_TARGET_RESISTANCE || op == FTMS_CP_SET_TARGET_POWER ||
	       op == FTMS_CP_SET_TARGET_HEART_RATE;
}

static bool same_target(uint8_t op, const union ftms_param *a, const union ftms_param *b)
{
	switch (op) {
	case FTMS_CP_SET_TARGET_SPEED:
		return a->speed == b->speed;
	case FTMS_CP_SET_TARGET_INCLINATION:
		return a->inclination == b->inclination;
	case FTMS_CP_SET_TARGET_RESISTANCE:
		return a->resistance.level == b->resistance.level;
	case FTMS_CP_SET_TARGET_POWER:
		return a->power == b->power;
	case FTMS_CP_SET_TARGET_HEART_RATE:
		return a->heart_rate == b->heart_rate;
	}
	return false;
}

/* The parameter a Machine Status echo of a request carries: the target, or Stop or Pause. */
static bool same_echo(uint8_t op, const union ftms_param *a, const union ftms_param *b)
{
	if (is_target(op))
		return same_target(op, a, b);
	if (op == FTMS_CP_STOP_PAUSE)
		return a->stop_pause == b->stop_pause;
	return true; /* Start or Resume, Reset: no parameter */
}

/* An echo still expected: sent, not come, and within CP_ECHO_MS of its request. */
static bool echo_live(const struct cp_queue *q, unsigned op, unsigned i, uint64_t now)
{
	return q->echo[op][i].pending && now - q->echo[op][i].sent_ms <= CP_ECHO_MS;
}

/* The expected echo of @param for @op: the oldest, or with @newest the newest; CP_ECHOES if
 * none. */
static unsigned echo_find(const struct cp_queue *q, unsigned op, const union ftms_param *param,
			  uint64_t now, bool newest)
{
	unsigned found = CP_ECHOES;

	for (unsigned i = 0; i < CP_ECHOES; i++) {
		uint64_t t = q->echo[op][i].sent_ms;

		if (!echo_live(q, op, i, now) ||
		    !same_echo((uint8_t) op, &q->echo[op][i].param, param))
			continue;
		if (found == CP_ECHOES ||
		    (newest ? t >= q->echo[op][found].sent_ms : t < q->echo[op][found].sent_ms))
			found = i;
	}
	return found;
}

/* A request goes out: its Machine Status may come back. It takes a slot whose echo came or
 * is past its time, else the oldest. */
static void echo_note(struct cp_queue *q, const struct ftms_cp_request *req)
{
	uint64_t now = q->t->now_ms(q->userdata);
	unsigned slot = 0;

	if (ftms_status_op_for_request(req->op) < 0)
		return;
	for (unsigned i = 0; i < CP_ECHOES; i++) {
		if (!echo_live(q, req->op, i, now)) {
			slot = i;
			break;
		}
		if (q->echo[req->op][i].sent_ms < q->echo[req->op][slot].sent_ms)
			slot = i;
	}
	q->echo[req->op][slot].pending = true;
	q->echo[req->op][slot].param = req->param;
	q->echo[req->op][slot].sent_ms = now;
}

static void report(struct cp_queue *q, const struct cp_entry *e, int outcome, bool final)
{
	struct cp_result r = {
		.req = e->req,
		.outcome = outcome,
		.attempt = e->attempts + 1,
		.final = final,
	};

	if (e->req.op == FTMS_CP_SET_TARGET_RESISTANCE)
		r.req.param.resistance.wide = e->wide;
	q->t->result(q->userdata, &r);
}

static void pop(struct cp_queue *q)
{
	memmove(&q->q[0], &q->q[1], (q->n - 1) * sizeof(q->q[0]));
	q->n--;
}

static int push_front(struct cp_queue *q, uint8_t op)
{
	if (q->n >= CP_QUEUE_MAX)
		return -ENOBUFS;
	memmove(&q->q[1], &q->q[0], q->n * sizeof(q->q[0]));
	q->q[0] = (struct cp_entry) { .req.op = op };
	q->n++;
	return 0;
}

static bool resistance_wide(const struct cp_queue *q, const struct cp_entry *e)
{
	int16_t level = e->req.param.resistance.level;

	/* The spec's uint8 form first, unless this machine is known to want sint16 or the
	 * value does not fit a byte. */
	return q->form == CP_RESISTANCE_SINT16 || level < 0 || level > 255;
}

static void finish(struct cp_queue *q, int outcome)
{
	report(q, &q->q[0], outcome, true);
	pop(q);
}

static void pump(struct cp_queue *q);

static void send_head(struct cp_queue *q)
{
	struct cp_entry *e = &q->q[0];
	uint8_t buf[20];
	int r;

	if (e->req.op == FTMS_CP_SET_TARGET_RESISTANCE)
		e->req.param.resistance.wide = e->wide;
	r = ftms_cp_request_encode(&e->req, buf, sizeof(buf));
	if (r < 0) {
		finish(q, r);
		return;
	}
	q->busy = true;
	echo_note(q, &e->req);
	q->written = false;
	if (!q->silent)
		q->t->arm(q->userdata, q->timeout_ms);
	r = q->t->write(q->userdata, buf, (size_t) r);
	if (r < 0)
		cp_queue_write_done(q, r);
}

static void pump(struct cp_queue *q)
{
	while (q->online && !q->busy && q->n > 0) {
		struct cp_entry *e = &q->q[0];

		if (e->req.op != FTMS_CP_REQUEST_CONTROL && e->req.op != FTMS_CP_RESET &&
		    !q->control && !e->rc_sent) {
			e->rc_sent = true;
			if (push_front(q, FTMS_CP_REQUEST_CONTROL) < 0) {
				/* No room: send it without; the machine will say 0x05. */
			}
			continue;
		}
		if (e->req.op == FTMS_CP_SET_TARGET_RESISTANCE && !e->chosen) {
			e->wide = resistance_wide(q, e);
			e->chosen = true;
		}
		send_head(q);
	}
}

static void retry_or_finish(struct cp_queue *q, int outcome)
{
	struct cp_entry *e = &q->q[0];

	if (e->attempts < q->retries) {
		report(q, e, outcome, false);
		e->attempts++;
		e->rc_sent = false;
		return;
	}
	finish(q, outcome);
}

void cp_queue_online(struct cp_queue *q)
{
	struct ftms_cp_request rc = { .op = FTMS_CP_REQUEST_CONTROL };

	q->online = true;
	q->control = false;
	q->indicated = false;
	if (!q->released)
		(void) cp_queue_submit(q, &rc);
}

void cp_queue_offline(struct cp_queue *q)
{
	if (q->busy)
		q->t->disarm(q->userdata);
	q->busy = false;
	q->online = false;
	q->control = false;
	/* The next link may be another machine: its control point is judged afresh. */
	q->silent = q->wrong_opcode = false;
	memset(q->have_last, 0, sizeof(q->have_last));
	memset(q->echo, 0, sizeof(q->echo));
	while (q->n > 0)
		finish(q, -ENOTCONN);
}

int cp_queue_submit(struct cp_queue *q, const struct ftms_cp_request *req)
{
	unsigned first_free = q->busy ? 1 : 0;

	if (!q->online)
		return -ENOTCONN;
	q->released = false; /* a command: control is wanted again */
	/* Control asked for again: the machine may have dropped what it accepted (some answer
	 * success and ignore a target), so targets after it are sent even if unchanged. */
	if (req->op == FTMS_CP_REQUEST_CONTROL)
		memset(q->have_last, 0, sizeof(q->have_last));
	if (is_target(req->op)) {
		for (unsigned i = first_free; i < q->n; i++)
			if (q->q[i].req.op == req->op) {
				q->q[i].req.param = req->param;
				q->q[i].chosen = false;
				return 0;
			}
		/* A repeat of the accepted value is skipped, unless a write of this target is in
		 * flight: that one changes it, so this one must follow. */
		if (q->have_last[req->op] && q->control &&
		    !(q->busy && q->n > 0 && q->q[0].req.op == req->op) &&
		    same_target(req->op, &q->last[req->op], &req->param)) {
			struct cp_entry skip = { .req = *req };

			report(q, &skip, 0, true);
			return 1;
		}
	}
	if (q->n >= CP_QUEUE_MAX)
		return -ENOBUFS;
	q->q[q->n++] = (struct cp_entry) { .req = *req };
	pump(q);
	return 0;
}

static void on_response(struct cp_queue *q, uint8_t result);

static void quirk(struct cp_queue *q, enum cp_quirk k)
{
	if (q->t->quirk)
		q->t->quirk(q->userdata, k);
}

void cp_queue_write_done(struct cp_queue *q, int error)
{
	if (!q->busy)
		return;
	if (error >= 0 && q->silent) {
		/* Nothing will answer: written is carried out. */
		q->busy = false;
		on_response(q, FTMS_CP_SUCCESS);
		pump(q);
		return;
	}
	if (error >= 0) {
		q->written = true;
		return;
	}
	q->t->disarm(q->userdata);
	q->busy = false;
	retry_or_finish(q, error);
	pump(q);
}

static void learn_form(struct cp_queue *q, const struct cp_entry *e)
{
	enum cp_resistance_form f = e->wide ? CP_RESISTANCE_SINT16 : CP_RESISTANCE_UINT8;

	if (q->form == f)
		return;
	q->form = f;
	q->t->form(q->userdata, f);
}

/*
 * Start, Stop and Reset undo each other: once the machine has answered one of them, the echoes
 * of the others sent before it are no longer expected. Not earlier: a machine notifies its
 * status after its response (within about a second, reference §9), by when the next request
 * may be on its way.
 */
static void echo_supersede(struct cp_queue *q, uint8_t op)
{
	static const uint8_t run_ops[] = { FTMS_CP_RESET, FTMS_CP_START_RESUME,
					   FTMS_CP_STOP_PAUSE };

	if (is_target(op) || ftms_status_op_for_request(op) < 0)
		return;
	for (size_t i = 0; i < sizeof(run_ops); i++)
		if (run_ops[i] != op)
			memset(q->echo[run_ops[i]], 0, sizeof(q->echo[run_ops[i]]));
}

static void on_success(struct cp_queue *q, struct cp_entry *e)
{
	uint8_t op = e->req.op;

	if (op == FTMS_CP_REQUEST_CONTROL)
		q->control = true;
	if (is_target(op)) {
		q->have_last[op] = true;
		q->last[op] = e->req.param;
	}
	echo_supersede(q, op);
	if (op == FTMS_CP_SET_TARGET_RESISTANCE)
		learn_form(q, e);
	finish(q, FTMS_CP_SUCCESS);
	if (op == FTMS_CP_RESET) {
		/* Reset ends control and restores default targets (§7.3 rule 6). */
		q->control = false;
		memset(q->have_last, 0, sizeof(q->have_last));
		if (!q->released)
			(void) push_front(q, FTMS_CP_REQUEST_CONTROL);
	}
}

/* A request the machine refused changed nothing: no echo of it comes. Its own is the newest of
 * that value (an earlier one's echo may still come). */
static void echo_forget(struct cp_queue *q, const struct ftms_cp_request *req)
{
	unsigned i;

	if (ftms_status_op_for_request(req->op) < 0)
		return;
	i = echo_find(q, req->op, &req->param, q->t->now_ms(q->userdata), true);
	if (i < CP_ECHOES)
		q->echo[req->op][i].pending = false;
}

static void on_response(struct cp_queue *q, uint8_t result)
{
	struct cp_entry *e = &q->q[0];

	if (result == FTMS_CP_SUCCESS) {
		on_success(q, e);
		return;
	}
	echo_forget(q, &e->req);
	if (result == FTMS_CP_INVALID_PARAMETER && e->req.op == FTMS_CP_SET_TARGET_RESISTANCE &&
	    !e->wide && q->form == CP_RESISTANCE_UNKNOWN) {
		/* D4: many machines take resistance as sint16 only. Same value, wide form. */
		report(q, e, result, false);
		e->wide = true;
		e->chosen = true;
		e->rc_sent = true;
		return;
	}
	if (result == FTMS_CP_CONTROL_NOT_PERMITTED) {
		q->control = false;
		if (e->req.op != FTMS_CP_REQUEST_CONTROL) {
			retry_or_finish(q, result);
			return;
		}
	}
	finish(q, result);
}

int cp_queue_indication(struct cp_queue *q, const uint8_t *buf, size_t len)
{
	struct ftms_cp_response resp;
	int r;

	r = ftms_cp_response_parse(buf, len, &resp);
	if (r < 0)
		return r;
	q->indicated = true;
	q->silent = false;
	if (!q->busy || (resp.request_op != q->q[0].req.op && !q->written))
		return -ESRCH;
	if (resp.request_op != q->q[0].req.op && !q->wrong_opcode) {
		q->wrong_opcode = true;
		quirk(q, CP_QUIRK_WRONG_OPCODE);
	}
	q->t->disarm(q->userdata);
	q->busy = false;
	on_response(q, resp.result);
	pump(q);
	return 0;
}

void cp_queue_timeout(struct cp_queue *q)
{
	if (!q->busy)
		return;
	q->busy = false;
	if (q->written && !q->indicated) {
		/* Written, never any answer on this link: a control point that acts silently. */
		q->silent = true;
		quirk(q, CP_QUIRK_NO_INDICATE);
		on_response(q, FTMS_CP_SUCCESS);
		pump(q);
		return;
	}
	/* A machine that stopped answering may have dropped control: ask again first. */
	q->control = false;
	retry_or_finish(q, -ETIMEDOUT);
	pump(q);
}

bool cp_queue_machine_status(struct cp_queue *q, const struct ftms_machine_status *st)
{
	uint64_t now = q->t->now_ms(q->userdata);

	for (unsigned op = 0; op <= FTMS_CP_OP_MAX; op++) {
		unsigned match;

		if (ftms_status_op_for_request((uint8_t) op) != st->op)
			continue;
		/* The oldest of the same value: echoes come in the order of their requests. */
		match = echo_find(q, op, &st->param, now, false);
		if (match < CP_ECHOES) {
			q->echo[op][match].pending = false;
			return true;
		}
	}
	if (st->op == FTMS_STATUS_RESET)
		cp_queue_control_lost(q);
	else if (st->op >= FTMS_STATUS_TARGET_SPEED)
		memset(q->have_last, 0, sizeof(q->have_last));
	return false;
}

void cp_queue_control_lost(struct cp_queue *q)
{
	struct ftms_cp_request rc = { .op = FTMS_CP_REQUEST_CONTROL };

	q->control = false;
	memset(q->have_last, 0, sizeof(q->have_last));
	if (q->released)
		return;
	/* A Request Control in flight was answered before the loss: one more is needed. */
	for (unsigned i = q->busy ? 1 : 0; i < q->n; i++)
		if (q->q[i].req.op == FTMS_CP_REQUEST_CONTROL)
			return;
	if (q->busy && q->q[0].req.op == FTMS_CP_REQUEST_CONTROL) {
		if (q->n < CP_QUEUE_MAX) {
			memmove(&q->q[2], &q->q[1], (q->n - 1) * sizeof(q->q[0]));
			q->q[1] = (struct cp_entry) { .req = rc };
			q->n++;
		}
		return;
	}
	(void) cp_queue_submit(q, &rc);
}

int cp_queue_release(struct cp_queue *q)
{
	struct ftms_cp_request reset = { .op = FTMS_CP_RESET };
	int r;

	if (!q->online)
		return -ENOTCONN;
	if (!q->control && q->n == 0) {
		q->released = true;
		return 1;
	}
	r = cp_queue_submit(q, &reset);
	if (r >= 0)
		q->released = true; /* after submit, which clears it */
	return r;
}

bool cp_queue_has_control(const struct cp_queue *q)
{
	return q->control;
}
