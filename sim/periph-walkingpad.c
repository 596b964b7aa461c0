/* SPDX-License-Identifier: MIT */
/*
 * A KingSmith WalkingPad on its legacy protocol (sim/README.md, "WalkingPad"): service 0xFE00,
 * status notifications on 0xFE01, commands written without response to 0xFE02. The pad
 * answers each command it takes with its status and says nothing unasked; a command sooner
 * than 0.69 s after the last one taken is ignored. The belt starts on `F7 A2 04 01` in manual
 * mode after a countdown of three seconds (belt states 9, 8, 7), and stops on speed 0.
 */
#include "periph.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "walkingpad.h"

#define UUID16_PAD_SERVICE 0xFE00
#define UUID16_PAD_NOTIFY  0xFE01
#define UUID16_PAD_WRITE   0xFE02
#define PAD_SPACING_USEC   690000 /* real time: ph4-walkingpad's minimal command space */
#define PAD_MIN_KMH	   0.5
#define PAD_MAX_KMH	   6.0
#define PAD_START_KMH	   1.0	/* the belt's speed after the countdown, until one is set */
#define PAD_STEP_M	   0.65 /* a walking step */
#define PAD_COUNTDOWN_S	   3.0

void periph_pad_setup(struct periph *p)
{
	periph_add_service(p, UUID16_PAD_SERVICE, false);
	periph_add_char(p, UUID16_PAD_NOTIFY, ATT_PROP_NOTIFY);
	periph_add_char(p, UUID16_PAD_WRITE, ATT_PROP_WRITE_NO_RSP);
	treadmill_model_init(&p->tm);
	p->tm.max_speed_kmh = PAD_MAX_KMH;
	memset(&p->pad, 0, sizeof(p->pad));
	p->pad.belt = WALKINGPAD_BELT_STANDBY; /* switched on, not in manual mode */
	p->pad.mode = WALKINGPAD_MODE_STANDBY;
}

static bool belt_moving(const struct periph *p)
{
	return p->pad.belt == WALKINGPAD_BELT_RUNNING || walkingpad_belt_counting_down(p->pad.belt);
}

/* Advance the countdown: 9, 8, 7, then the belt runs. */
void periph_pad_advance(struct periph *p, double dt)
{
	struct pad_state *s = &p->pad;

	if (walkingpad_belt_counting_down(s->belt)) {
		s->countdown_s -= dt;
		if (s->countdown_s <= 0) {
			s->belt = WALKINGPAD_BELT_RUNNING;
			p->tm.running = true;
			if (p->tm.target_speed_kmh <= 0)
				p->tm.target_speed_kmh = PAD_START_KMH;
		} else
			s->belt = (uint8_t) (WALKINGPAD_BELT_COUNTDOWN_FIRST +
					     (unsigned) ceil(s->countdown_s) - 1);
	}
	treadmill_model_advance(&p->tm, dt);
	p->ftms.started = belt_moving(p);
}

static void belt_stop(struct periph *p)
{
	p->pad.belt = WALKINGPAD_BELT_STOPPED;
	p->tm.running = false;
	p->tm.target_speed_kmh = 0;
	p->ftms.started = false;
}

/*
 * Fault "malformed": every other status frame is damaged, in turn with a bad checksum (and a
 * speed of 25.5 km/h, which must never reach a record), a byte missing from its middle (the
 * fields after it shift), and the type A7 (the pad's last-record frame, ph4-walkingpad) with
 * a checksum that fits. The frames between them stay good, so the link carries data. Fault
 * "truncate": every frame 3 bytes short.
 */
static size_t damage(struct periph *p, uint8_t *buf, size_t n)
{
	if (p->fault[PF_MALFORMED] && p->pad.answers++ % 2 == 1) {
		switch (p->pad.damaged++ % 3) {
		case 0:
			buf[3] = 0xFF;
			buf[n - 2] ^= 0x5A;
			break;
		case 1:
			memmove(buf + 6, buf + 7, n - 7);
			n--;
			break;
		default:
			buf[1] = 0xA7;
			buf[n - 2] = (uint8_t) (buf[n - 2] + 0xA7 - WALKINGPAD_TYPE_CONTROL);
			break;
		}
	}
	if (p->fault[PF_TRUNCATE] && n > 3)
		n -= 3;
	return n;
}

static void send_status(struct periph *p)
{
	struct periph_char *c = periph_char_by_uuid(p, UUID16_PAD_NOTIFY);
	const struct treadmill_model *t = &p->tm;
	struct walkingpad_status st = {
		.belt = p->pad.belt,
		.speed = (uint8_t) lround(t->speed_kmh * 10),
		.mode = p->pad.mode,
		.time = (uint32_t) fmin(t->elapsed_s, 0xFFFFFF),
		.distance = (uint32_t) fmin(t->distance_m / 10, 0xFFFFFF),
		.steps = (uint32_t) fmin(t->distance_m / PAD_STEP_M, 0xFFFFFF),
	};
	uint8_t buf[WALKINGPAD_STATUS_LEN];
	int n;

	if (!c || p->fault[PF_STOP_NOTIFY])
		return;
	st.unknown[0] = (uint8_t) lround(t->target_speed_kmh * 10); /* the app's speed */
	n = walkingpad_status_encode(&st, buf, sizeof(buf));
	if (n > 0)
		periph_notify(p, c, buf, damage(p, buf, (size_t) n));
}

static int command(struct periph *p, uint8_t cmd, uint8_t param)
{
	struct pad_state *s = &p->pad;

	switch (cmd) {
	case WALKINGPAD_CMD_QUERY:
		return 0;
	case WALKINGPAD_CMD_MODE:
		if (param > WALKINGPAD_MODE_STANDBY)
			return -EINVAL;
		s->mode = param;
		if (param != WALKINGPAD_MODE_MANUAL && belt_moving(p))
			belt_stop(p);
		if (s->belt == WALKINGPAD_BELT_STANDBY || s->belt == WALKINGPAD_BELT_STOPPED)
			s->belt = param == WALKINGPAD_MODE_STANDBY ? WALKINGPAD_BELT_STANDBY
								   : WALKINGPAD_BELT_STOPPED;
		return 0;
	case WALKINGPAD_CMD_START:
		if (s->mode != WALKINGPAD_MODE_MANUAL || belt_moving(p) || param != 1)
			return -EINVAL;
		s->belt = WALKINGPAD_BELT_COUNTDOWN_LAST;
		s->countdown_s = PAD_COUNTDOWN_S;
		return 0;
	case WALKINGPAD_CMD_SPEED:
		if (param == 0) {
			if (belt_moving(p))
				belt_stop(p);
			return 0;
		}
		if (s->mode != WALKINGPAD_MODE_MANUAL || s->belt != WALKINGPAD_BELT_RUNNING)
			return -EINVAL; /* a speed never starts the belt */
		p->tm.target_speed_kmh = fmin(fmax(param / 10.0, PAD_MIN_KMH), PAD_MAX_KMH);
		return 0;
	default:
		return -EINVAL;
	}
}

int periph_pad_write(struct periph *p, struct periph_char *c, const uint8_t *v, size_t n)
{
	uint64_t now = uv_hrtime() / 1000;
	unsigned sum = 0;

	if (c->uuid16 != UUID16_PAD_WRITE)
		return ATT_ECODE_WRITE_NOT_PERMITTED;
	/* Too soon after the last command taken: the pad does nothing, not even answer. */
	if (p->pad.last_usec && now - p->pad.last_usec < PAD_SPACING_USEC) {
		p->pad.ignored++;
		return 0;
	}
	if (n != WALKINGPAD_COMMAND_LEN || v[0] != WALKINGPAD_HOST || v[5] != WALKINGPAD_TRAILER ||
	    v[1] != WALKINGPAD_TYPE_CONTROL) {
		p->pad.ignored++;
		return 0;
	}
	for (size_t i = 1; i < 4; i++)
		sum += v[i];
	if ((uint8_t) sum != v[4]) {
		p->pad.ignored++;
		return 0;
	}
	p->pad.last_usec = now;
	p->pad.commands++;
	if (command(p, v[2], v[3]) < 0)
		p->pad.refused++;
	send_status(p);
	return 0;
}

int periph_pad_remote(struct periph *p, const char *button, double value)
{
	periph_advance(p);
	if (strcmp(button, "stop") == 0) {
		if (!belt_moving(p))
			return -EALREADY;
		belt_stop(p);
		return 0;
	}
	if (strcmp(button, "start") == 0)
		return command(p, WALKINGPAD_CMD_START, 1) < 0 ? -EALREADY : 0;
	if (strcmp(button, "speed") == 0) {
		if (value < PAD_MIN_KMH || value > PAD_MAX_KMH)
			return -ERANGE;
		return command(p, WALKINGPAD_CMD_SPEED, (uint8_t) lround(value * 10)) < 0
			       ? -EALREADY
			       : 0;
	}
	return -EINVAL;
}

void periph_pad_link_lost(struct periph *p)
{
	/* The pad keeps its belt as it is: a lost app does not stop a walker (its remote does). */
	p->pad.last_usec = 0;
}
