/* SPDX-License-Identifier: MIT */
/*
 * KingSmith WalkingPad, legacy protocol (service 0xFE00, notifications on 0xFE01, writes to
 * 0xFE02): command encoders and the status notification parser. Pure, no I/O.
 *
 * A frame is `F7|F8 <type> <payload> <cs> FD`: F7 from the host, F8 from the pad; cs is the
 * sum of the bytes from <type> to the last payload byte, mod 256. Layout and sources:
 * README.md, "KingSmith WalkingPad".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WALKINGPAD_HOST		0xF7 /* first byte of a command */
#define WALKINGPAD_PAD		0xF8 /* first byte of a notification */
#define WALKINGPAD_TRAILER	0xFD
#define WALKINGPAD_TYPE_CONTROL 0xA2 /* commands and the current status */
#define WALKINGPAD_COMMAND_LEN	6
#define WALKINGPAD_STATUS_LEN	20

/* The command byte after the type. */
enum walkingpad_command {
	WALKINGPAD_CMD_QUERY = 0x00, /* query status; the keep-alive */
	WALKINGPAD_CMD_SPEED = 0x01, /* speed in 0.1 km/h; 0 stops the belt */
	WALKINGPAD_CMD_MODE = 0x02,
	WALKINGPAD_CMD_START = 0x04, /* parameter 1 */
};

enum walkingpad_mode {
	WALKINGPAD_MODE_AUTO = 0,
	WALKINGPAD_MODE_MANUAL = 1,
	WALKINGPAD_MODE_STANDBY = 2,
};

/* Belt state, status byte 2. 7-9 count down to a start (the pad shows 3, 2, 1). */
enum walkingpad_belt {
	WALKINGPAD_BELT_STOPPED = 0,
	WALKINGPAD_BELT_RUNNING = 1,
	WALKINGPAD_BELT_STANDBY = 5,
	WALKINGPAD_BELT_COUNTDOWN_FIRST = 7,
	WALKINGPAD_BELT_COUNTDOWN_LAST = 9,
};

/* Why a notification was dropped; each reason is counted in struct walkingpad_drops. */
enum walkingpad_drop {
	WALKINGPAD_DROP_LENGTH,	  /* shorter than a frame, or a status of another length */
	WALKINGPAD_DROP_HEADER,	  /* first byte is not F8 */
	WALKINGPAD_DROP_TRAILER,  /* last byte is not FD */
	WALKINGPAD_DROP_CHECKSUM, /* cs is not the sum of type..payload */
	WALKINGPAD_DROP_TYPE,	  /* a type other than A2 (such as A7, the last record) */
	WALKINGPAD_DROP__MAX,
};

struct walkingpad_drops {
	uint32_t count[WALKINGPAD_DROP__MAX];
};

struct walkingpad_status {
	uint8_t belt;	    /* enum walkingpad_belt, as on the wire (unknown values kept) */
	uint8_t speed;	    /* 0.1 km/h */
	uint8_t mode;	    /* enum walkingpad_mode, as on the wire */
	uint32_t time;	    /* s, 24-bit big-endian */
	uint32_t distance;  /* 10 m, 24-bit big-endian */
	uint32_t steps;	    /* 24-bit big-endian */
	uint8_t unknown[4]; /* bytes 14-17, kept raw (ph4-walkingpad: 14 app speed, 16 button) */
};

/* Name of a drop reason, for logs and counters. */
const char *walkingpad_drop_name(enum walkingpad_drop d);

/*
 * The commands: 6 bytes each into buf.
 * Return: 6, -ENOBUFS (len < 6, nothing written), -ERANGE (speed > 255 or a mode other than
 * 0-2; nothing written).
 */
int walkingpad_encode_query(uint8_t *buf, size_t len);
int walkingpad_encode_speed(unsigned speed, uint8_t *buf, size_t len); /* 0.1 km/h */
int walkingpad_encode_mode(unsigned mode, uint8_t *buf, size_t len);
int walkingpad_encode_start(uint8_t *buf, size_t len);
int walkingpad_encode_stop(uint8_t *buf, size_t len); /* speed 0 */

/* True while the belt counts down to a start (states 7-9). */
bool walkingpad_belt_counting_down(uint8_t belt);

/*
 * Parse a status notification `F8 A2 ... cs FD` of exactly 20 bytes.
 * Return: 0; -EBADMSG for a frame that is not one (ret untouched), with the reason counted in
 * drops (may be NULL) and stored in ret_drop (may be NULL).
 */
int walkingpad_status_parse(const uint8_t *buf, size_t len, struct walkingpad_status *ret,
			    struct walkingpad_drops *drops, enum walkingpad_drop *ret_drop);

/*
 * Encode a status notification (what a simulated pad sends).
 * Return: 20, -ERANGE (a 24-bit field over 0xFFFFFF), -ENOBUFS; nothing written on error.
 */
int walkingpad_status_encode(const struct walkingpad_status *s, uint8_t *buf, size_t len);
