/* SPDX-License-Identifier: MIT */
/* What the machine says: Fitness Machine Status by meaning (what was done at the machine, and
 * what the session does), and the control point's answers to the session's requests. */
#include "coach-internal.h"

#include <errno.h>
#include <stdio.h>

#include "log.h"

#define NOTE_USEC (60 * USEC_PER_SEC) /* a target held: the user is told for a session minute */

/* Targets backride drives: the status op's channel. */
static int status_channel(uint8_t op, const union ftms_param *p, int32_t *ret_value)
{
	switch (op) {
	case FTMS_STATUS_TARGET_SPEED:
		*ret_value = p->speed;
		return SESSION_CH_SPEED;
	case FTMS_STATUS_TARGET_INCLINATION:
		*ret_value = p->inclination;
		return SESSION_CH_INCLINE;
	case FTMS_STATUS_TARGET_RESISTANCE:
		*ret_value = p->resistance.level;
		return SESSION_CH_RESISTANCE;
	case FTMS_STATUS_TARGET_POWER:
		*ret_value = p->power;
		return SESSION_CH_POWER;
	default:
		return -ENOENT;
	}
}

/* What each op code means; the targets backride does not set are recorded only. */
static const struct {
	enum coach_status_action action;
	const char *what;
} meanings[] = {
	[FTMS_STATUS_RESET] = { COACH_STATUS_RESET, "the machine was reset" },
	[FTMS_STATUS_STOPPED_PAUSED_BY_USER] = { COACH_STATUS_STOPPED,
						 "stopped or paused at the machine" },
	[FTMS_STATUS_STOPPED_BY_SAFETY_KEY] = { COACH_STATUS_SAFETY_KEY, "safety key pulled" },
	[FTMS_STATUS_STARTED_BY_USER] = { COACH_STATUS_STARTED, "started at the machine" },
	[FTMS_STATUS_TARGET_SPEED] = { COACH_STATUS_TARGET, "target speed set at the machine" },
	[FTMS_STATUS_TARGET_INCLINATION] = { COACH_STATUS_TARGET,
					     "target incline set at the machine" },
	[FTMS_STATUS_TARGET_RESISTANCE] = { COACH_STATUS_TARGET,
					    "target resistance set at the machine" },
	[FTMS_STATUS_TARGET_POWER] = { COACH_STATUS_TARGET, "target power set at the machine" },
	[FTMS_STATUS_TARGET_HEART_RATE] = { COACH_STATUS_RECORD,
					    "target heart rate set at the machine" },
	[FTMS_STATUS_TARGET_ENERGY] = { COACH_STATUS_RECORD, "targeted energy set" },
	[FTMS_STATUS_TARGET_STEPS] = { COACH_STATUS_RECORD, "targeted steps set" },
	[FTMS_STATUS_TARGET_STRIDES] = { COACH_STATUS_RECORD, "targeted strides set" },
	[FTMS_STATUS_TARGET_DISTANCE] = { COACH_STATUS_RECORD, "targeted distance set" },
	[FTMS_STATUS_TARGET_TRAINING_TIME] = { COACH_STATUS_RECORD, "targeted time set" },
	[FTMS_STATUS_TARGET_TWO_HR_ZONES] = { COACH_STATUS_RECORD, "heart-rate zone times set" },
	[FTMS_STATUS_TARGET_THREE_HR_ZONES] = { COACH_STATUS_RECORD, "heart-rate zone times set" },
	[FTMS_STATUS_TARGET_FIVE_HR_ZONES] = { COACH_STATUS_RECORD, "heart-rate zone times set" },
	[FTMS_STATUS_INDOOR_BIKE_SIMULATION] = { COACH_STATUS_MODE,
						 "the machine switched to simulation" },
	[FTMS_STATUS_WHEEL_CIRCUMFERENCE] = { COACH_STATUS_RECORD, "wheel circumference set" },
	[FTMS_STATUS_SPIN_DOWN] = { COACH_STATUS_RECORD, "spin down" },
	[FTMS_STATUS_TARGET_CADENCE] = { COACH_STATUS_RECORD, "targeted cadence set" },
};

int coach_status_meaning(const struct ftms_machine_status *st, struct coach_status_meaning *ret)
{
	int c;

	*ret = (struct coach_status_meaning) {
		.action = COACH_STATUS_RECORD,
		.channel = _SESSION_CH_MAX,
		.value = BR_NONE,
		.what = "a machine status backride does not know",
	};
	if (st->op == FTMS_STATUS_CONTROL_PERMISSION_LOST) {
		ret->action = COACH_STATUS_CONTROL_LOST;
		ret->what = "control lost";
	} else if (st->op < ARRAY_SIZE(meanings) && meanings[st->op].what) {
		ret->action = meanings[st->op].action;
		ret->what = meanings[st->op].what;
	}
	c = status_channel(st->op, &st->param, &ret->value);
	if (c >= 0)
		ret->channel = (enum session_channel) c;
	return 0;
}

/* A target as people read it. */
static void value_text(char *buf, size_t n, enum session_channel c, int32_t v)
{
	switch (c) {
	case SESSION_CH_POWER:
		(void) snprintf(buf, n, "%d W", v);
		break;
	case SESSION_CH_RESISTANCE:
		(void) snprintf(buf, n, "level %.1f", v / 10.0);
		break;
	case SESSION_CH_SPEED:
		(void) snprintf(buf, n, "%.1f km/h", v / 100.0);
		break;
	case SESSION_CH_INCLINE:
		(void) snprintf(buf, n, "%.1f %%", v / 10.0);
		break;
	case _SESSION_CH_MAX:
		(void) snprintf(buf, n, "%d", v);
		break;
	}
}

/* The session's answer to a target set at the machine; @msg: what the user is told. */
static const char *on_target(struct coach *co, const struct coach_status_meaning *m, char *msg,
			     size_t n)
{
	char was[16], now[16];
	int r;

	r = session_machine_target(co->engine, co->now, m->channel, m->value);
	if (r == 0)
		return "lower: adopted for this phase";
	if (r != 1)
		return "the session's targets are sent again";
	value_text(was, sizeof(was), m->channel, m->value);
	if (m->channel < _SESSION_CH_MAX) {
		value_text(now, sizeof(now), m->channel,
			   session_get_target(co->engine, m->channel));
		(void) snprintf(msg, n,
				"Set to %s at the machine: backride holds %s, the plan's target "
				"(pause or stop for less).",
				was, now);
	} else
		(void) snprintf(msg, n,
				"The machine left the session's targets; backride sets them "
				"again. Pause or stop the session to ride freely.");
	return "higher: held at the session's target";
}

static const char *act(struct coach *co, const struct coach_status_meaning *m, char *msg, size_t n)
{
	int r;

	switch (m->action) {
	case COACH_STATUS_RESET:
		session_machine_lost_state(co->engine, co->now, false);
		return "control requested again, targets sent again";
	case COACH_STATUS_STOPPED:
		r = session_machine_stopped(co->engine, co->now);
		return r >= 0 || r == -EALREADY ? "session paused"
						: "the session was not exercising";
	case COACH_STATUS_STARTED:
		r = session_machine_started(co->engine, co->now);
		return r >= 0 ? "followed: the session goes on" : "ignored: nothing waited for it";
	case COACH_STATUS_TARGET:
	case COACH_STATUS_MODE:
		return on_target(co, m, msg, n);
	case COACH_STATUS_SAFETY_KEY:
		return "the session ends";
	case COACH_STATUS_CONTROL_LOST:
		return "control requested again";
	case COACH_STATUS_RECORD:
		break;
	}
	return "recorded";
}

void coach_machine_status(struct coach *co, const struct ftms_machine_status *st)
{
	struct coach_status_meaning m;
	char msg[sizeof(co->view.message)] = "", detail[160];
	const char *outcome;

	(void) coach_status_meaning(st, &m);
	if (m.action == COACH_STATUS_SAFETY_KEY)
		co->safety_key = true; /* the next step ends a treadmill's session */
	if (!co->running)
		return;
	outcome = act(co, &m, msg, sizeof(msg));
	(void) snprintf(detail, sizeof(detail), "%s: %s", m.what, outcome);
	coach_record_event(co, "machine", st->op, detail);
	if (*msg) {
		(void) snprintf(co->note, sizeof(co->note), "%s", msg);
		co->note_until = co->now + NOTE_USEC;
		log_info("Session %lld: %s", (long long) co->id, msg);
	}
	(void) coach_command(co, 0); /* a step now: the targets go out, the view shows it */
	(void) snprintf(detail, sizeof(detail), "session %lld: machine 0x%02x, %s: %s",
			(long long) co->id, st->op, m.what, outcome);
	coach_emit_event(co, "session", detail);
}

/* ---- the control point's answers ----------------------------------------------------- */

#define CP_FAILURES_MAX 3

static bool is_target_op(uint8_t op)
{
	return op >= FTMS_CP_SET_TARGET_SPEED && op <= FTMS_CP_SET_TARGET_POWER;
}

static enum session_channel target_channel(uint8_t op)
{
	switch (op) {
	case FTMS_CP_SET_TARGET_SPEED:
		return SESSION_CH_SPEED;
	case FTMS_CP_SET_TARGET_INCLINATION:
		return SESSION_CH_INCLINE;
	case FTMS_CP_SET_TARGET_RESISTANCE:
		return SESSION_CH_RESISTANCE;
	}
	return SESSION_CH_POWER;
}

void coach_cp_result(struct coach *co, const struct ftms_cp_request *req, int outcome, bool final)
{
	if (final && req->op == FTMS_CP_REQUEST_CONTROL && outcome > 0 &&
	    outcome != FTMS_CP_SUCCESS)
		coach_control_refused(co, outcome);
	/* A link loss is the link rule's business; a skipped duplicate is fine; a guided
	 * machine is the rider's (what was queued before may still fail). */
	if (!final || !co->running || outcome == -ENOTCONN || coach_guided_all(co))
		return;
	if (is_target_op(req->op))
		session_target_result(co->engine, target_channel(req->op),
				      outcome == 0 || outcome == FTMS_CP_SUCCESS);
	/* A machine without a range refuses what lies outside: it narrows, it is no failure. */
	if (coach_learn_result(co, req, outcome))
		return;
	if (outcome == 0 || outcome == FTMS_CP_SUCCESS) {
		co->cp_failures = 0;
		co->start_tried = false;
		return;
	}
	/* Start while running, Stop while stopped (§7.2): the machine is as the session wants. */
	if (outcome == FTMS_CP_OPERATION_FAILED &&
	    (req->op == FTMS_CP_START_RESUME || req->op == FTMS_CP_STOP_PAUSE))
		return;
	if (outcome == FTMS_CP_OPERATION_FAILED && is_target_op(req->op) && !co->run) {
		co->targets_refused = true; /* a stopped machine: they go out after Start */
		return;
	}
	if (outcome == FTMS_CP_OPERATION_FAILED && is_target_op(req->op) && !co->start_tried) {
		/* Not started (cold start): Start first, from the next step. Once a streak. */
		co->start_tried = true;
		co->needs_start = true;
		coach_record_event(co, "control", outcome,
				   "a target refused: the machine may need Start first");
		return;
	}
	if (++co->cp_failures < CP_FAILURES_MAX)
		return;
	log_warning("The machine refused %u commands in a row; stopping the session.",
		    co->cp_failures);
	coach_record_event(co, "fault", outcome, "the machine refused control commands");
	co->cp_failures = 0;
	co->fault = true; /* stopped from the next tick: not from inside the client's callback */
}
