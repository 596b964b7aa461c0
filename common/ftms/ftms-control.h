/* SPDX-License-Identifier: MIT */
/*
 * Control Point, Fitness Machine Status, Training Status.
 * Part of the FTMS codec; include "ftms.h" for all of it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Control point (0x2AD9) ------------------------------------------------------------- */

enum ftms_cp_op {
	FTMS_CP_REQUEST_CONTROL = 0x00,
	FTMS_CP_RESET = 0x01,
	FTMS_CP_SET_TARGET_SPEED = 0x02,
	FTMS_CP_SET_TARGET_INCLINATION = 0x03,
	FTMS_CP_SET_TARGET_RESISTANCE = 0x04,
	FTMS_CP_SET_TARGET_POWER = 0x05,
	FTMS_CP_SET_TARGET_HEART_RATE = 0x06,
	FTMS_CP_START_RESUME = 0x07,
	FTMS_CP_STOP_PAUSE = 0x08,
	FTMS_CP_SET_TARGET_ENERGY = 0x09,
	FTMS_CP_SET_TARGET_STEPS = 0x0A,
	FTMS_CP_SET_TARGET_STRIDES = 0x0B,
	FTMS_CP_SET_TARGET_DISTANCE = 0x0C,
	FTMS_CP_SET_TARGET_TRAINING_TIME = 0x0D,
	FTMS_CP_SET_TARGET_TWO_HR_ZONES = 0x0E,
	FTMS_CP_SET_TARGET_THREE_HR_ZONES = 0x0F,
	FTMS_CP_SET_TARGET_FIVE_HR_ZONES = 0x10,
	FTMS_CP_SET_INDOOR_BIKE_SIMULATION = 0x11,
	FTMS_CP_SET_WHEEL_CIRCUMFERENCE = 0x12,
	FTMS_CP_SPIN_DOWN_CONTROL = 0x13,
	FTMS_CP_SET_TARGET_CADENCE = 0x14,
	FTMS_CP_RESPONSE_CODE = 0x80,
};
#define FTMS_CP_OP_MAX 0x14 /* highest defined request op code */

enum ftms_cp_result {
	FTMS_CP_SUCCESS = 0x01,
	FTMS_CP_OP_NOT_SUPPORTED = 0x02,
	FTMS_CP_INVALID_PARAMETER = 0x03,
	FTMS_CP_OPERATION_FAILED = 0x04,
	FTMS_CP_CONTROL_NOT_PERMITTED = 0x05,
};

enum ftms_stop_pause { FTMS_STOP = 0x01, FTMS_PAUSE = 0x02 };
enum ftms_spin_down_control { FTMS_SPIN_DOWN_START = 0x01, FTMS_SPIN_DOWN_IGNORE = 0x02 };
enum ftms_spin_down_status {
	FTMS_SPIN_DOWN_REQUESTED = 0x01,
	FTMS_SPIN_DOWN_SUCCESS = 0x02,
	FTMS_SPIN_DOWN_ERROR = 0x03,
	FTMS_SPIN_DOWN_STOP_PEDALING = 0x04,
};

struct ftms_sim_params {
	int16_t wind_speed; /* 0.001 m/s */
	int16_t grade;	    /* 0.01 % */
	uint8_t crr;	    /* 0.0001, rolling resistance coefficient */
	uint8_t cw;	    /* 0.01 kg/m, wind resistance coefficient */
};

/*
 * The parameter of a control point request or of the matching machine status. Which member
 * is valid depends on the op code (comment = request op / status op).
 */
union ftms_param {
	uint16_t speed;	     /* 0x02 / 0x05: 0.01 km/h */
	int16_t inclination; /* 0x03 / 0x06: 0.1 % */
	struct {
		int16_t level;	      /* 0.1 (both wire forms) */
		bool wide;	      /* false: uint8 x10 (FTMS v1.0); true: sint16 x10 (D4) */
	} resistance;		      /* 0x04 / 0x07 */
	int16_t power;		      /* 0x05 / 0x08: 1 W */
	uint8_t heart_rate;	      /* 0x06 / 0x09: 1 bpm */
	uint8_t stop_pause;	      /* 0x08 / 0x02: enum ftms_stop_pause (RFU values passed) */
	uint16_t energy;	      /* 0x09 / 0x0A: 1 kcal */
	uint16_t steps;		      /* 0x0A / 0x0B */
	uint16_t strides;	      /* 0x0B / 0x0C */
	uint32_t distance;	      /* 0x0C / 0x0D: 1 m, uint24 */
	uint16_t training_time;	      /* 0x0D / 0x0E: 1 s */
	uint16_t hr_zones[5];	      /* 0x0E-0x10 / 0x0F-0x11: 1 s each; 2, 3 or 5 used */
	struct ftms_sim_params sim;   /* 0x11 / 0x12 */
	uint16_t wheel_circumference; /* 0x12 / 0x13: 0.1 mm */
	uint8_t spin_down;	      /* request 0x13: enum ftms_spin_down_control;
				       * status 0x14: enum ftms_spin_down_status */
	uint16_t cadence;	      /* 0x14 / 0x15: 0.5 rpm */
};

struct ftms_cp_request {
	uint8_t op; /* enum ftms_cp_op */
	union ftms_param param;
};

/*
 * Parse a control point write (server side). The parameter length must match the op code
 * exactly, except Set Target Resistance, where 1 byte is the uint8 form and 2 bytes the
 * sint16 form (param.resistance.wide).
 * Return: 0, -EBADMSG (empty, wrong parameter length), -EPROTO (RFU op code: buf[0] is the
 * op code to answer with FTMS_CP_OP_NOT_SUPPORTED).
 */
int ftms_cp_request_parse(const uint8_t *buf, size_t len, struct ftms_cp_request *ret);

/*
 * Encode a control point write (client side).
 * Return: bytes written (1..11), -ERANGE (resistance outside 0..255 in the uint8 form,
 * distance > 0xFFFFFF), -EPROTO (RFU op code), -ENOBUFS.
 */
int ftms_cp_request_encode(const struct ftms_cp_request *r, uint8_t *buf, size_t len);

#define FTMS_CP_RESPONSE_PARAM_MAX 17

struct ftms_cp_response {
	uint8_t request_op; /* enum ftms_cp_op (RFU values passed through) */
	uint8_t result;	    /* enum ftms_cp_result (RFU values passed through) */
	uint8_t param_len;  /* response parameter bytes as on the wire */
	uint8_t param[FTMS_CP_RESPONSE_PARAM_MAX];
	/* Decoded from param for a successful Spin Down Start (param_len >= 4): */
	bool has_spin_down;
	uint16_t spin_down_low;	 /* target speed low, 0.01 km/h */
	uint16_t spin_down_high; /* target speed high, 0.01 km/h */
};

/*
 * Parse a control point indication `80 op result [param]`.
 * Return: 0, -EBADMSG (shorter than 3 bytes, first byte not 0x80, param over 17 bytes).
 */
int ftms_cp_response_parse(const uint8_t *buf, size_t len, struct ftms_cp_response *ret);

/*
 * Encode a control point indication. If has_spin_down, the parameter is the two speeds,
 * otherwise param[0..param_len).
 * Return: bytes written (3..20), -ERANGE (param_len > 17), -ENOBUFS.
 */
int ftms_cp_response_encode(const struct ftms_cp_response *r, uint8_t *buf, size_t len);

/*
 * A short English name for a result code, for messages ("success", "invalid parameter"...).
 * Return: a static string, "reserved" for RFU codes.
 */
const char *ftms_cp_result_to_string(uint8_t result);

/*
 * A short English name for a control point op code ("set target power"...).
 * Return: a static string, "reserved" for RFU codes.
 */
const char *ftms_cp_op_to_string(uint8_t op);

/* ---- Fitness Machine Status (0x2ADA) ---------------------------------------------------- */

enum ftms_status_op {
	FTMS_STATUS_RESET = 0x01,
	FTMS_STATUS_STOPPED_PAUSED_BY_USER = 0x02,
	FTMS_STATUS_STOPPED_BY_SAFETY_KEY = 0x03,
	FTMS_STATUS_STARTED_BY_USER = 0x04,
	FTMS_STATUS_TARGET_SPEED = 0x05,
	FTMS_STATUS_TARGET_INCLINATION = 0x06,
	FTMS_STATUS_TARGET_RESISTANCE = 0x07,
	FTMS_STATUS_TARGET_POWER = 0x08,
	FTMS_STATUS_TARGET_HEART_RATE = 0x09,
	FTMS_STATUS_TARGET_ENERGY = 0x0A,
	FTMS_STATUS_TARGET_STEPS = 0x0B,
	FTMS_STATUS_TARGET_STRIDES = 0x0C,
	FTMS_STATUS_TARGET_DISTANCE = 0x0D,
	FTMS_STATUS_TARGET_TRAINING_TIME = 0x0E,
	FTMS_STATUS_TARGET_TWO_HR_ZONES = 0x0F,
	FTMS_STATUS_TARGET_THREE_HR_ZONES = 0x10,
	FTMS_STATUS_TARGET_FIVE_HR_ZONES = 0x11,
	FTMS_STATUS_INDOOR_BIKE_SIMULATION = 0x12,
	FTMS_STATUS_WHEEL_CIRCUMFERENCE = 0x13,
	FTMS_STATUS_SPIN_DOWN = 0x14,
	FTMS_STATUS_TARGET_CADENCE = 0x15,
	FTMS_STATUS_CONTROL_PERMISSION_LOST = 0xFF,
};

struct ftms_machine_status {
	uint8_t op; /* enum ftms_status_op */
	union ftms_param param;
};

/*
 * Parse 0x2ADA. Trailing bytes after the parameter are ignored (the spin-down chart shows an
 * undefined extra parameter). Target Resistance Changed: 1 parameter byte is the uint8 form,
 * 2 or more the sint16 form (param.resistance.wide).
 * Return: 0, -EBADMSG (empty or parameter too short), -EPROTO (RFU op code).
 */
int ftms_machine_status_parse(const uint8_t *buf, size_t len, struct ftms_machine_status *ret);

/*
 * Encode 0x2ADA.
 * Return: bytes written (1..11), -ERANGE, -EPROTO (RFU op code), -ENOBUFS.
 */
int ftms_machine_status_encode(const struct ftms_machine_status *s, uint8_t *buf, size_t len);

/*
 * The status op code a server notifies when a client's request op changed a target
 * (e.g. FTMS_CP_SET_TARGET_POWER -> FTMS_STATUS_TARGET_POWER).
 * Return: the status op code, or -EPROTO if the request has no matching status.
 */
int ftms_status_op_for_request(uint8_t cp_op);

/* ---- Training Status (0x2AD3) ------------------------------------------------------------ */

enum ftms_training_status_value {
	FTMS_TRAINING_OTHER = 0x00,
	FTMS_TRAINING_IDLE = 0x01,
	FTMS_TRAINING_WARMING_UP = 0x02,
	FTMS_TRAINING_LOW_INTENSITY_INTERVAL = 0x03,
	FTMS_TRAINING_HIGH_INTENSITY_INTERVAL = 0x04,
	FTMS_TRAINING_RECOVERY_INTERVAL = 0x05,
	FTMS_TRAINING_ISOMETRIC = 0x06,
	FTMS_TRAINING_HEART_RATE_CONTROL = 0x07,
	FTMS_TRAINING_FITNESS_TEST = 0x08,
	FTMS_TRAINING_SPEED_TOO_LOW = 0x09,
	FTMS_TRAINING_SPEED_TOO_HIGH = 0x0A,
	FTMS_TRAINING_COOL_DOWN = 0x0B,
	FTMS_TRAINING_WATT_CONTROL = 0x0C,
	FTMS_TRAINING_MANUAL_MODE = 0x0D,
	FTMS_TRAINING_PRE_WORKOUT = 0x0E,
	FTMS_TRAINING_POST_WORKOUT = 0x0F,
};

#define FTMS_TRAINING_FLAG_STRING	   0x01
#define FTMS_TRAINING_FLAG_EXTENDED_STRING 0x02
/* ATT values are at most 512 bytes: flags + status + 510 string bytes. */
#define FTMS_TRAINING_STRING_MAX 510

struct ftms_training_status {
	uint8_t flags;	     /* FTMS_TRAINING_FLAG_*, RFU bits kept as read */
	uint8_t status;	     /* enum ftms_training_status_value (RFU values passed through) */
	uint16_t string_len; /* bytes in string (0 unless FTMS_TRAINING_FLAG_STRING) */
	char string[FTMS_TRAINING_STRING_MAX + 1]; /* UTF-8 as sent, not validated, NUL added */
};

/*
 * Parse 0x2AD3. The string is taken only when flag bit 0 is set (it runs to the end).
 * Return: 0, -EBADMSG if shorter than 2 bytes or longer than 512.
 */
int ftms_training_status_parse(const uint8_t *buf, size_t len, struct ftms_training_status *ret);

/*
 * A short English name for a training status value ("idle", "warming up"...), for messages.
 * Return: a static string, "reserved" for RFU values.
 */
const char *ftms_training_status_to_string(uint8_t status);

/*
 * Encode 0x2AD3; the string (string_len bytes) is written only if FTMS_TRAINING_FLAG_STRING.
 * Return: bytes written, -ERANGE (string_len too large), -ENOBUFS.
 */
int ftms_training_status_encode(const struct ftms_training_status *s, uint8_t *buf, size_t len);
