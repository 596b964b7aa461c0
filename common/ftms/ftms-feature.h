/* SPDX-License-Identifier: MIT */
/*
 * Fitness Machine Feature, supported ranges, advertising service data.
 * Part of the FTMS codec; include "ftms.h" for all of it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Fitness Machine Feature (0x2ACC) -------------------------------------------------- */

enum ftms_machine_feature {
	FTMS_FEAT_AVG_SPEED = 1u << 0,
	FTMS_FEAT_CADENCE = 1u << 1,
	FTMS_FEAT_TOTAL_DISTANCE = 1u << 2,
	FTMS_FEAT_INCLINATION = 1u << 3,
	FTMS_FEAT_ELEVATION_GAIN = 1u << 4,
	FTMS_FEAT_PACE = 1u << 5,
	FTMS_FEAT_STEP_COUNT = 1u << 6,
	FTMS_FEAT_RESISTANCE_LEVEL = 1u << 7,
	FTMS_FEAT_STRIDE_COUNT = 1u << 8,
	FTMS_FEAT_EXPENDED_ENERGY = 1u << 9,
	FTMS_FEAT_HEART_RATE = 1u << 10,
	FTMS_FEAT_METABOLIC_EQUIVALENT = 1u << 11,
	FTMS_FEAT_ELAPSED_TIME = 1u << 12,
	FTMS_FEAT_REMAINING_TIME = 1u << 13,
	FTMS_FEAT_POWER = 1u << 14,
	FTMS_FEAT_FORCE_ON_BELT = 1u << 15,
	FTMS_FEAT_USER_DATA_RETENTION = 1u << 16,
};

enum ftms_target_feature {
	FTMS_TARGET_SPEED = 1u << 0,
	FTMS_TARGET_INCLINATION = 1u << 1,
	FTMS_TARGET_RESISTANCE = 1u << 2,
	FTMS_TARGET_POWER = 1u << 3,
	FTMS_TARGET_HEART_RATE = 1u << 4,
	FTMS_TARGET_EXPENDED_ENERGY = 1u << 5,
	FTMS_TARGET_STEPS = 1u << 6,
	FTMS_TARGET_STRIDES = 1u << 7,
	FTMS_TARGET_DISTANCE = 1u << 8,
	FTMS_TARGET_TRAINING_TIME = 1u << 9,
	FTMS_TARGET_TWO_HR_ZONES = 1u << 10,
	FTMS_TARGET_THREE_HR_ZONES = 1u << 11,
	FTMS_TARGET_FIVE_HR_ZONES = 1u << 12,
	FTMS_TARGET_INDOOR_BIKE_SIMULATION = 1u << 13,
	FTMS_TARGET_WHEEL_CIRCUMFERENCE = 1u << 14,
	FTMS_TARGET_SPIN_DOWN = 1u << 15,
	FTMS_TARGET_CADENCE = 1u << 16,
};

struct ftms_features {
	uint32_t machine; /* enum ftms_machine_feature bits, RFU bits kept as read */
	uint32_t target;  /* enum ftms_target_feature bits, RFU bits kept as read */
};

/*
 * Parse 0x2ACC. Short values (1..7 bytes, seen on OpenRowingMonitor) are zero-filled;
 * bytes past 8 are ignored.
 * Return: 0, or -EBADMSG if len is 0.
 */
int ftms_features_parse(const uint8_t *buf, size_t len, struct ftms_features *ret);

/*
 * Encode 0x2ACC (always 8 bytes).
 * Return: 8, or -ENOBUFS.
 */
int ftms_features_encode(const struct ftms_features *f, uint8_t *buf, size_t len);

/*
 * Whether the Feature value allows control point op code `op` (enum ftms_cp_op): the
 * mandatory ones (Request Control, Reset, Start/Resume, Stop/Pause) always, the others
 * when their Target Setting bit is set. Features are hints (reference §2); callers decide.
 * Return: true if supported.
 */
bool ftms_features_supports_op(const struct ftms_features *f, uint8_t op);

/*
 * All supported control point op codes as a mask: bit n set = op code n supported.
 * Return: the mask (op codes 0x00..0x14 only).
 */
uint32_t ftms_features_supported_ops(const struct ftms_features *f);

/* ---- Supported ranges (0x2AD4..0x2AD8) -------------------------------------------------- */

enum ftms_range_kind {
	FTMS_RANGE_SPEED,	/* uint16/uint16/uint16, 0.01 km/h */
	FTMS_RANGE_INCLINATION, /* sint16/sint16/uint16, 0.1 % */
	FTMS_RANGE_RESISTANCE,	/* sint16/sint16/uint16, 0.1 (XML-2017; 3 x uint8 if `narrow`) */
	FTMS_RANGE_HEART_RATE,	/* uint8/uint8/uint8, 1 bpm */
	FTMS_RANGE_POWER,	/* sint16/sint16/uint16, 1 W */
	_FTMS_RANGE_KIND_MAX,
};

struct ftms_range {
	int32_t min; /* wire resolution of the kind above */
	int32_t max;
	uint32_t increment;
	bool narrow; /* resistance only: the 3-byte GSS-2024 form (D1) was on the wire */
};

/*
 * Parse a supported range characteristic of the given kind. Resistance: 6 or more bytes is
 * the XML-2017 form, exactly 3..5 bytes the GSS-2024 uint8 triple (narrow = true).
 * Return: 0, -EBADMSG if too short, -EPROTO for an unknown kind.
 */
int ftms_range_parse(enum ftms_range_kind kind, const uint8_t *buf, size_t len,
		     struct ftms_range *ret);

/*
 * Encode a supported range (narrow honoured for resistance only).
 * Return: bytes written (3 or 6), -ERANGE if a value does not fit, -ENOBUFS, -EPROTO.
 */
int ftms_range_encode(enum ftms_range_kind kind, const struct ftms_range *r, uint8_t *buf,
		      size_t len);

/* ---- Advertising Service Data (AD type 0x16, UUID 0x1826) ------------------------------- */

#define FTMS_AD_FLAG_AVAILABLE 0x01

enum ftms_machine_type {
	FTMS_MACHINE_TREADMILL = 1u << 0,
	FTMS_MACHINE_CROSS_TRAINER = 1u << 1,
	FTMS_MACHINE_STEP_CLIMBER = 1u << 2,
	FTMS_MACHINE_STAIR_CLIMBER = 1u << 3,
	FTMS_MACHINE_ROWER = 1u << 4,
	FTMS_MACHINE_INDOOR_BIKE = 1u << 5,
};

struct ftms_service_data {
	uint8_t flags;	       /* FTMS_AD_FLAG_*, RFU bits kept */
	uint16_t machine_type; /* enum ftms_machine_type bits, RFU bits kept */
	bool type_short;       /* the type was a single byte on the wire (quirk, §10) */
};

/*
 * Parse the service data payload *after* the 16-bit UUID (what BlueZ puts in ServiceData):
 * flags, then the type as 2 bytes (or 1, a known quirk). Trailing bytes are ignored.
 * Return: 0, or -EBADMSG if shorter than 2 bytes.
 */
int ftms_service_data_parse(const uint8_t *buf, size_t len, struct ftms_service_data *ret);

/*
 * Encode the service data payload after the UUID (3 bytes; 2 if type_short).
 * Return: bytes written, -ERANGE (type_short with a type > 0xFF), -ENOBUFS.
 */
int ftms_service_data_encode(const struct ftms_service_data *sd, uint8_t *buf, size_t len);
