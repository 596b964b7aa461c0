/* SPDX-License-Identifier: MIT */
/*
 * The KingSmith WalkingPad on its legacy protocol as core's machine driver: service 0xFE00,
 * status notifications on 0xFE01, commands written to 0xFE02 (common/ftms/walkingpad.h).
 *
 * The pad answers commands with its status and says nothing unasked, so a status query goes
 * out as the keep-alive whenever no other command is due. Commands go no faster than one
 * every BZ_PAD_SPACING_MS; what waits is coalesced (the newest speed wins, a stop drops a
 * start and a speed). The belt starts only on the session's start (after the user's
 * confirmation and countdown, as for any treadmill), a speed waits until the belt runs, and a
 * stop is speed 0. A stop the pad makes by itself (remote, buttons) is reported as the FTMS
 * Machine Status "stopped or paused by the user", so the session reads it the same way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bluez-internal.h"
#include "log.h"

/* A walking pad's belt: 0.5 to 6.0 km/h in 0.1 km/h steps (A1, A1 Pro, C2; the R1 Pro and R2
 * run faster only with their handrail up). The session's walking caps lie inside. */
#define PAD_MIN_CKMH 50
#define PAD_MAX_CKMH 600
#define PAD_INC_CKMH 10

static uint64_t now_usec(void)
{
	return uv_hrtime() / 1000;
}

static struct bz_link *pad_link(struct bluez *b)
{
	struct bz_link *l = &b->links[LINK_ROLE_MACHINE];

	return l->pad.on && l->pad.online && l->state == LINK_STATE_READY ? l : NULL;
}

bool bz_pad_machine(const struct bluez *b)
{
	return b->links[LINK_ROLE_MACHINE].pad.on;
}

void bz_pad_info(struct bz_link *l)
{
	l->features = (struct ftms_features) {
		.machine = FTMS_FEAT_TOTAL_DISTANCE | FTMS_FEAT_ELAPSED_TIME,
		.target = FTMS_TARGET_SPEED,
	};
	memset(l->has_range, 0, sizeof(l->has_range));
	l->ranges[FTMS_RANGE_SPEED] = (struct ftms_range) {
		.min = PAD_MIN_CKMH,
		.max = PAD_MAX_CKMH,
		.increment = PAD_INC_CKMH,
	};
	l->has_range[FTMS_RANGE_SPEED] = true;
}

/* ---- commands ------------------------------------------------------------------------ */

static void pump(struct bz_link *l);
static void say_drops(struct bz_link *l);

static void on_pad_timer(uv_timer_t *t)
{
	pump(t->data);
}

static void arm(struct bz_link *l, uint64_t ms)
{
	(void) uv_timer_start(&l->pad_timer, on_pad_timer, ms, 0);
}

/* A command as the session's requests are answered: a written command counts as carried out
 * (the pad has no response of its own; its status shows what it did). */
static void result(struct bz_link *l, uint8_t op, int outcome)
{
	struct ftms_cp_request req = { .op = op };

	if (l->b->cb.cp_result)
		l->b->cb.cp_result(l->b->userdata, l->address, &req, outcome, true);
}

static int on_written(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bz_link *l = userdata;
	const char *text;
	int r;

	l->pad.slot = sd_bus_slot_unref(l->pad.slot);
	/* The spacing counts from here, when the pad has the command: a slow bus between two
	 * writes cannot bring them closer together at the pad. */
	l->pad.last_usec = now_usec();
	r = bz_reply_error(reply, &text);
	if (r < 0)
		bz_event(l->b, DRIVER_EVENT_CONTROL, "%s: WalkingPad command failed: %s",
			 l->address, text);
	pump(l);
	return 0;
}

/* 0xFE02 offers write without response only: no type, BlueZ writes it that way. */
static int write_frame(struct bz_link *l, const uint8_t *buf, size_t len)
{
	int r = bz_gatt_write(l, buf, len, false, &l->pad.slot, on_written);

	if (r >= 0)
		l->pad.last_usec = now_usec();
	return r;
}

/* The next command due, in order: stop, mode, start, speed (once the belt runs), query.
 * Return: its length in buf, and the FTMS op it answers for in *op (0: none). */
static int next_command(struct bz_pad *p, uint8_t *buf, size_t len, uint8_t *op)
{
	bool running = p->has_status && p->status.belt == WALKINGPAD_BELT_RUNNING;

	*op = 0;
	if (p->stop) {
		p->stop = false;
		p->sent_speed = 0;
		*op = FTMS_CP_STOP_PAUSE;
		return walkingpad_encode_stop(buf, len);
	}
	if (p->mode >= 0) {
		int m = p->mode;

		p->mode = -1;
		return walkingpad_encode_mode((unsigned) m, buf, len);
	}
	if (p->start && !running) {
		p->start = false;
		*op = FTMS_CP_START_RESUME;
		return walkingpad_encode_start(buf, len);
	}
	p->start = false;
	if (p->speed >= 0 && running) {
		int s = p->speed;

		p->speed = -1;
		p->sent_speed = s;
		*op = FTMS_CP_SET_TARGET_SPEED;
		return walkingpad_encode_speed((unsigned) s, buf, len);
	}
	return walkingpad_encode_query(buf, len);
}

/* Return: whether a command other than the status query waits to go. */
static bool command_due(const struct bz_pad *p)
{
	bool running = p->has_status && p->status.belt == WALKINGPAD_BELT_RUNNING;

	return p->stop || p->mode >= 0 || p->start || (p->speed >= 0 && running);
}

static void pump(struct bz_link *l)
{
	struct bz_pad *p = &l->pad;
	uint64_t now = now_usec(), wait, since;
	uint8_t buf[WALKINGPAD_COMMAND_LEN], op;
	int n, r;

	if (!p->online || p->slot)
		return; /* on_written pumps again */
	/* A command after the spacing; the keep-alive query after its period. */
	wait = (uint64_t) (command_due(p) ? BZ_PAD_SPACING_MS : BZ_PAD_POLL_MS) * 1000;
	since = now - p->last_usec;
	if (p->last_usec && since < wait) {
		arm(l, (wait - since) / 1000 + 1);
		return;
	}
	n = next_command(p, buf, sizeof(buf), &op);
	if (n < 0)
		return;
	r = write_frame(l, buf, (size_t) n);
	if (r < 0) {
		bz_event(l->b, DRIVER_EVENT_CONTROL, "%s: WalkingPad command not sent: %s",
			 l->address, strerror(-r));
		if (op)
			result(l, op, r);
		arm(l, BZ_PAD_POLL_MS);
	} else if (op)
		result(l, op, FTMS_CP_SUCCESS);
}

void bz_pad_init(struct bz_link *l)
{
	struct bz_pad *p = &l->pad;

	p->slot = sd_bus_slot_unref(p->slot);
	*p = (struct bz_pad) { .mode = -1, .speed = -1, .sent_speed = -1 };
}

void bz_pad_online(struct bz_link *l)
{
	l->pad.online = true;
	/* Manual mode: in auto mode the pad sets its own speed (ph4-walkingpad switch_mode). */
	l->pad.mode = WALKINGPAD_MODE_MANUAL;
	pump(l);
}

void bz_pad_link_down(struct bz_link *l)
{
	bool on = l->pad.on;

	uv_timer_stop(&l->pad_timer);
	if (on)
		say_drops(l);
	bz_pad_init(l);
	l->pad.on = on; /* until the next setup maps the services again */
}

/* ---- status ------------------------------------------------------------------------- */

static void machine_status(struct bz_link *l, uint8_t op, const char *what)
{
	struct ftms_machine_status st = { .op = op };

	if (op == FTMS_STATUS_STOPPED_PAUSED_BY_USER)
		st.param.stop_pause = FTMS_STOP;
	bz_event(l->b, DRIVER_EVENT_CONTROL, "%s: %s", l->address, what);
	if (l->b->cb.machine_status)
		l->b->cb.machine_status(l->b->userdata, l->address, &st);
}

static bool belt_moving(uint8_t belt)
{
	return belt == WALKINGPAD_BELT_RUNNING || walkingpad_belt_counting_down(belt);
}

/* What the belt did that backride did not ask for: the user at the pad's remote or buttons. */
static void belt_changed(struct bz_link *l, const struct walkingpad_status *old,
			 const struct walkingpad_status *now)
{
	struct bz_pad *p = &l->pad;
	bool was = belt_moving(old->belt), is = belt_moving(now->belt);

	if (was && !is) {
		bool ours = p->stopping;

		p->stopping = p->started = false;
		p->sent_speed = -1;
		say_drops(l);
		if (!ours)
			machine_status(l, FTMS_STATUS_STOPPED_PAUSED_BY_USER,
				       "the belt stopped at the pad (remote or buttons)");
	} else if (!was && is && !p->started)
		machine_status(l, FTMS_STATUS_STARTED_BY_USER, "the belt started at the pad");
	else if (!was && !is && !p->stop)
		p->stopping = false; /* stopped already when backride asked */
}

/* The frames dropped since the last count said, by reason: at the end of a run of the belt
 * and when the link goes down. */
static void say_drops(struct bz_link *l)
{
	struct bz_pad *p = &l->pad;
	const uint32_t *c = p->drops.count;

	if (p->dropped == p->dropped_said)
		return;
	bz_event(l->b, DRIVER_EVENT_FAULT,
		 "%s: %u malformed WalkingPad frames dropped so far on this link (length %u, "
		 "header %u, trailer %u, checksum %u, type %u)",
		 l->address, p->dropped, c[WALKINGPAD_DROP_LENGTH], c[WALKINGPAD_DROP_HEADER],
		 c[WALKINGPAD_DROP_TRAILER], c[WALKINGPAD_DROP_CHECKSUM], c[WALKINGPAD_DROP_TYPE]);
	p->dropped_said = p->dropped;
}

static void say_drop(struct bz_link *l, enum walkingpad_drop why, size_t len)
{
	struct bz_pad *p = &l->pad;

	p->dropped++;
	if (p->said_drops) {
		log_debug("%s: WalkingPad frame dropped (%s, %zu bytes)", l->address,
			  walkingpad_drop_name(why), len);
		return;
	}
	p->said_drops = true;
	bz_event(l->b, DRIVER_EVENT_FAULT,
		 "%s: malformed WalkingPad frame dropped (%s, %zu bytes); more are counted "
		 "and said when the belt stops or the link goes",
		 l->address, walkingpad_drop_name(why), len);
}

int bz_pad_value(struct bz_link *l, const uint8_t *buf, size_t len)
{
	struct bz_pad *p = &l->pad;
	struct walkingpad_status st, old;
	enum walkingpad_drop why;
	struct br_sample s;
	int r;

	r = walkingpad_status_parse(buf, len, &st, &p->drops, &why);
	if (r < 0) {
		say_drop(l, why, len);
		return r;
	}
	old = p->has_status ? p->status : st;
	p->status = st;
	p->has_status = true;
	belt_changed(l, &old, &st);
	if (st.mode != WALKINGPAD_MODE_MANUAL && p->online && p->mode < 0 && !belt_moving(st.belt))
		p->mode = WALKINGPAD_MODE_MANUAL; /* manual again (qdomyos-zwift, on standby) */
	br_sample_init(&s);
	/* 0.1 km/h; 10 m; s. Steps: no column in a sample (README.md, "WalkingPad"). */
	s.speed_ckmh = belt_moving(st.belt) ? (int32_t) st.speed * 10 : 0;
	s.distance_m = (int32_t) st.distance * 10;
	s.elapsed_s = (int32_t) st.time;
	bz_gatt_emit_sample(l, &s, BR_NONE);
	if (p->online && command_due(p))
		pump(l);
	return 0;
}

/* ---- the driver ---------------------------------------------------------------------- */

static enum driver_link pad_drv_link(void *data)
{
	enum link_state st = bluez_link_state(data, LINK_ROLE_MACHINE, NULL);

	return st == LINK_STATE_READY  ? DRIVER_LINK_READY
	       : st == LINK_STATE_IDLE ? DRIVER_LINK_IDLE
				       : DRIVER_LINK_PENDING;
}

static void pad_drv_expect_data(void *data, bool expect)
{
	bluez_link_set_expect_data(data, LINK_ROLE_MACHINE, expect);
}

static int pad_drv_request_control(void *data)
{
	struct bz_link *l = pad_link(data);

	if (!l)
		return -ENOTCONN;
	if (l->pad.has_status && l->pad.status.mode == WALKINGPAD_MODE_MANUAL)
		return 1;
	l->pad.mode = WALKINGPAD_MODE_MANUAL;
	pump(l);
	return 0;
}

static int pad_drv_set_target(void *data, enum driver_target t, int32_t value)
{
	struct bz_link *l = pad_link(data);
	int32_t v;

	if (!l)
		return -ENOTCONN;
	if (t != DRIVER_TARGET_SPEED)
		return -EOPNOTSUPP;
	/* 0.01 to 0.1 km/h, rounded down: never faster than asked; a stop is stop(). */
	v = CLAMP(value, PAD_MIN_CKMH, MIN(PAD_MAX_CKMH, BLUEZ_MAX_SPEED_CKMH)) / 10;
	/* Sent even when it is the last one written: the pad answers no command, so a speed it
	 * missed is only made good by sending it again (the session's retry). */
	l->pad.speed = v;
	pump(l);
	return 0;
}

static int pad_drv_start(void *data)
{
	struct bz_link *l = pad_link(data);

	if (!l)
		return -ENOTCONN;
	l->pad.stop = l->pad.stopping = false;
	l->pad.start = l->pad.started = true;
	pump(l);
	return 0;
}

static int pad_drv_stop(void *data, bool pause)
{
	struct bz_link *l = pad_link(data);

	(void) pause; /* the pad has no pause: the belt stops either way */
	if (!l)
		return -ENOTCONN;
	l->pad.start = false;
	l->pad.speed = -1;
	l->pad.stop = l->pad.stopping = true;
	pump(l);
	return 0;
}

static int pad_drv_release(void *data)
{
	/* Control is never held: the remote and the buttons work all along. */
	return pad_link(data) ? 1 : -ENOTCONN;
}

const struct machine_driver_ops bz_pad_ops = {
	.link = pad_drv_link,
	.expect_data = pad_drv_expect_data,
	.request_control = pad_drv_request_control,
	.set_target = pad_drv_set_target,
	.start = pad_drv_start,
	.stop = pad_drv_stop,
	.release = pad_drv_release,
};
