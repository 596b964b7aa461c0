/* SPDX-License-Identifier: MIT */
/* KingSmith WalkingPad legacy protocol: frames, commands, status (walkingpad.h). */
#include "walkingpad.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#define U24_MAX 0xFFFFFFu

static uint8_t checksum(const uint8_t *frame, size_t len)
{
	unsigned sum = 0;

	/* From the type (byte 1) up to the last payload byte (len - 3). */
	for (size_t i = 1; i + 2 < len; i++)
		sum += frame[i];
	return (uint8_t) sum;
}

static int encode_command(uint8_t cmd, uint8_t param, uint8_t *buf, size_t len)
{
	uint8_t f[WALKINGPAD_COMMAND_LEN] = {
		WALKINGPAD_HOST, WALKINGPAD_TYPE_CONTROL, cmd, param, 0, WALKINGPAD_TRAILER
	};

	assert(buf || len == 0);
	if (len < sizeof(f))
		return -ENOBUFS;
	f[4] = checksum(f, sizeof(f));
	memcpy(buf, f, sizeof(f));
	return (int) sizeof(f);
}

int walkingpad_encode_query(uint8_t *buf, size_t len)
{
	return encode_command(WALKINGPAD_CMD_QUERY, 0, buf, len);
}

int walkingpad_encode_speed(unsigned speed, uint8_t *buf, size_t len)
{
	if (speed > UINT8_MAX)
		return -ERANGE;
	return encode_command(WALKINGPAD_CMD_SPEED, (uint8_t) speed, buf, len);
}

int walkingpad_encode_mode(unsigned mode, uint8_t *buf, size_t len)
{
	if (mode > WALKINGPAD_MODE_STANDBY)
		return -ERANGE;
	return encode_command(WALKINGPAD_CMD_MODE, (uint8_t) mode, buf, len);
}

int walkingpad_encode_start(uint8_t *buf, size_t len)
{
	return encode_command(WALKINGPAD_CMD_START, 1, buf, len);
}

int walkingpad_encode_stop(uint8_t *buf, size_t len)
{
	return walkingpad_encode_speed(0, buf, len);
}

bool walkingpad_belt_counting_down(uint8_t belt)
{
	return belt >= WALKINGPAD_BELT_COUNTDOWN_FIRST && belt <= WALKINGPAD_BELT_COUNTDOWN_LAST;
}

const char *walkingpad_drop_name(enum walkingpad_drop d)
{
	switch (d) {
	case WALKINGPAD_DROP_LENGTH:
		return "length";
	case WALKINGPAD_DROP_HEADER:
		return "header";
	case WALKINGPAD_DROP_TRAILER:
		return "trailer";
	case WALKINGPAD_DROP_CHECKSUM:
		return "checksum";
	case WALKINGPAD_DROP_TYPE:
		return "type";
	case WALKINGPAD_DROP__MAX:
		break;
	}
	return "unknown";
}

/* The reason a notification is not a status frame, or -1 when it is one. */
static int status_problem(const uint8_t *buf, size_t len)
{
	/* Header, type, checksum, trailer: the shortest frame. */
	if (len < 4)
		return WALKINGPAD_DROP_LENGTH;
	if (buf[0] != WALKINGPAD_PAD)
		return WALKINGPAD_DROP_HEADER;
	if (buf[len - 1] != WALKINGPAD_TRAILER)
		return WALKINGPAD_DROP_TRAILER;
	if (buf[len - 2] != checksum(buf, len))
		return WALKINGPAD_DROP_CHECKSUM;
	if (buf[1] != WALKINGPAD_TYPE_CONTROL)
		return WALKINGPAD_DROP_TYPE;
	if (len != WALKINGPAD_STATUS_LEN)
		return WALKINGPAD_DROP_LENGTH;
	return -1;
}

static uint32_t get_be24(const uint8_t *p)
{
	return (uint32_t) p[0] << 16 | (uint32_t) p[1] << 8 | p[2];
}

static void put_be24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 16);
	p[1] = (uint8_t) (v >> 8);
	p[2] = (uint8_t) v;
}

int walkingpad_status_parse(const uint8_t *buf, size_t len, struct walkingpad_status *ret,
			    struct walkingpad_drops *drops, enum walkingpad_drop *ret_drop)
{
	struct walkingpad_status s = { 0 };
	int problem;

	assert(ret);
	assert(buf || len == 0);
	problem = status_problem(buf, len);
	if (problem >= 0) {
		if (drops)
			drops->count[problem]++;
		if (ret_drop)
			*ret_drop = (enum walkingpad_drop) problem;
		return -EBADMSG;
	}
	s.belt = buf[2];
	s.speed = buf[3];
	s.mode = buf[4];
	s.time = get_be24(buf + 5);
	s.distance = get_be24(buf + 8);
	s.steps = get_be24(buf + 11);
	memcpy(s.unknown, buf + 14, sizeof(s.unknown));
	*ret = s;
	return 0;
}

int walkingpad_status_encode(const struct walkingpad_status *s, uint8_t *buf, size_t len)
{
	uint8_t f[WALKINGPAD_STATUS_LEN] = { WALKINGPAD_PAD, WALKINGPAD_TYPE_CONTROL };

	assert(s);
	assert(buf || len == 0);
	if (s->time > U24_MAX || s->distance > U24_MAX || s->steps > U24_MAX)
		return -ERANGE;
	if (len < sizeof(f))
		return -ENOBUFS;
	f[2] = s->belt;
	f[3] = s->speed;
	f[4] = s->mode;
	put_be24(f + 5, s->time);
	put_be24(f + 8, s->distance);
	put_be24(f + 11, s->steps);
	memcpy(f + 14, s->unknown, sizeof(s->unknown));
	f[18] = checksum(f, sizeof(f));
	f[19] = WALKINGPAD_TRAILER;
	memcpy(buf, f, sizeof(f));
	return (int) sizeof(f);
}
