/* SPDX-License-Identifier: MIT */
/*
 * FTMS codec: bytes <-> structs for the Fitness Machine Service (0x1826), Heart Rate
 * Measurement (0x2A37) and Cycling Power Measurement (0x2A63). Pure: no I/O, no allocation,
 * links with nothing but libc. Wire formats follow FTMS v1.0 + the 2017 characteristic XMLs
 * (see ftms-reference.md §0, D1..D9).
 *
 * Conventions:
 * - Decoded values are integers in the stated *wire* fixed-point: "0.01 km/h" means
 *   physical = value * 0.01 km/h. Nothing is rescaled, clamped or second-guessed; the codec
 *   reports what is on the wire, policy (quirk overrides, N/A handling) belongs to the caller.
 * - Optional fields have a presence bit in `present`; absent fields are 0.
 * - Parsers: `ftms_*_parse(buf, len, ret)`. On failure `*ret` is left untouched.
 *   Notifications and reads tolerate trailing bytes (real devices append them); a frame too
 *   short for what its flags announce is malformed.
 * - Encoders: `ftms_*_encode(value, buf, len)` write into the caller's buffer and return the
 *   number of bytes written; on failure nothing is written.
 * - Errors: -EBADMSG malformed, -EPROTO well-formed but RFU/unknown op code, -ERANGE a value
 *   does not fit its wire field, -ENOBUFS the output buffer is too small.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- UUIDs ---------------------------------------------------------------------------- */

#define FTMS_UUID16_SERVICE	       0x1826
#define FTMS_UUID16_FEATURE	       0x2ACC
#define FTMS_UUID16_TREADMILL_DATA     0x2ACD
#define FTMS_UUID16_CROSS_TRAINER_DATA 0x2ACE
#define FTMS_UUID16_STEP_CLIMBER_DATA  0x2ACF
#define FTMS_UUID16_STAIR_CLIMBER_DATA 0x2AD0
#define FTMS_UUID16_ROWER_DATA	       0x2AD1
#define FTMS_UUID16_INDOOR_BIKE_DATA   0x2AD2
#define FTMS_UUID16_TRAINING_STATUS    0x2AD3
#define FTMS_UUID16_SPEED_RANGE	       0x2AD4
#define FTMS_UUID16_INCLINATION_RANGE  0x2AD5
#define FTMS_UUID16_RESISTANCE_RANGE   0x2AD6
#define FTMS_UUID16_HEART_RATE_RANGE   0x2AD7
#define FTMS_UUID16_POWER_RANGE	       0x2AD8
#define FTMS_UUID16_CONTROL_POINT      0x2AD9
#define FTMS_UUID16_MACHINE_STATUS     0x2ADA
#define FTMS_UUID16_HR_SERVICE	       0x180D
#define FTMS_UUID16_HR_MEASUREMENT     0x2A37
#define FTMS_UUID16_CPS_SERVICE	       0x1818
#define FTMS_UUID16_CP_MEASUREMENT     0x2A63

#define FTMS_UUID_BASE(x)	     "0000" x "-0000-1000-8000-00805f9b34fb"
#define FTMS_UUID_SERVICE	     FTMS_UUID_BASE("1826")
#define FTMS_UUID_FEATURE	     FTMS_UUID_BASE("2acc")
#define FTMS_UUID_TREADMILL_DATA     FTMS_UUID_BASE("2acd")
#define FTMS_UUID_CROSS_TRAINER_DATA FTMS_UUID_BASE("2ace")
#define FTMS_UUID_STEP_CLIMBER_DATA  FTMS_UUID_BASE("2acf")
#define FTMS_UUID_STAIR_CLIMBER_DATA FTMS_UUID_BASE("2ad0")
#define FTMS_UUID_ROWER_DATA	     FTMS_UUID_BASE("2ad1")
#define FTMS_UUID_INDOOR_BIKE_DATA   FTMS_UUID_BASE("2ad2")
#define FTMS_UUID_TRAINING_STATUS    FTMS_UUID_BASE("2ad3")
#define FTMS_UUID_SPEED_RANGE	     FTMS_UUID_BASE("2ad4")
#define FTMS_UUID_INCLINATION_RANGE  FTMS_UUID_BASE("2ad5")
#define FTMS_UUID_RESISTANCE_RANGE   FTMS_UUID_BASE("2ad6")
#define FTMS_UUID_HEART_RATE_RANGE   FTMS_UUID_BASE("2ad7")
#define FTMS_UUID_POWER_RANGE	     FTMS_UUID_BASE("2ad8")
#define FTMS_UUID_CONTROL_POINT	     FTMS_UUID_BASE("2ad9")
#define FTMS_UUID_MACHINE_STATUS     FTMS_UUID_BASE("2ada")
#define FTMS_UUID_HR_SERVICE	     FTMS_UUID_BASE("180d")
#define FTMS_UUID_HR_MEASUREMENT     FTMS_UUID_BASE("2a37")
#define FTMS_UUID_CPS_SERVICE	     FTMS_UUID_BASE("1818")
#define FTMS_UUID_CP_MEASUREMENT     FTMS_UUID_BASE("2a63")

/* "Not available" values the codec passes through unchanged. */
#define FTMS_NA_U16 0xFFFF /* total energy, energy per hour */
#define FTMS_NA_U8  0xFF   /* energy per minute */
#define FTMS_NA_S16 0x7FFF /* inclination, ramp, force, power output */

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

/* ---- Indoor Bike Data (0x2AD2) --------------------------------------------------------- */

/*
 * Presence bits. They equal the wire flag bits, except bit 0: on the wire it is "More Data"
 * (1 = speed absent, more fragments follow); here it means "inst_speed present". So a single
 * notification has More Data = !(present & FTMS_IBD_INST_SPEED).
 */
enum ftms_ibd_present {
	FTMS_IBD_INST_SPEED = 1u << 0,
	FTMS_IBD_AVG_SPEED = 1u << 1,
	FTMS_IBD_INST_CADENCE = 1u << 2,
	FTMS_IBD_AVG_CADENCE = 1u << 3,
	FTMS_IBD_TOTAL_DISTANCE = 1u << 4,
	FTMS_IBD_RESISTANCE = 1u << 5,
	FTMS_IBD_INST_POWER = 1u << 6,
	FTMS_IBD_AVG_POWER = 1u << 7,
	FTMS_IBD_EXPENDED_ENERGY = 1u << 8, /* total_energy, energy_per_hour, energy_per_minute */
	FTMS_IBD_HEART_RATE = 1u << 9,
	FTMS_IBD_METABOLIC_EQUIVALENT = 1u << 10,
	FTMS_IBD_ELAPSED_TIME = 1u << 11,
	FTMS_IBD_REMAINING_TIME = 1u << 12,
	FTMS_IBD_ALL = 0x1FFF,
};
#define FTMS_IBD_RFU_FLAGS 0xE000u

struct ftms_indoor_bike_data {
	uint16_t present;	      /* enum ftms_ibd_present */
	uint16_t rfu_flags;	      /* RFU flag bits 13..15 as seen; encoded back as given */
	uint16_t inst_speed;	      /* 0.01 km/h */
	uint16_t avg_speed;	      /* 0.01 km/h */
	uint16_t inst_cadence;	      /* 0.5 rpm (raw / 2 = rpm) */
	uint16_t avg_cadence;	      /* 0.5 rpm */
	uint32_t total_distance;      /* 1 m, uint24 on the wire */
	int16_t resistance;	      /* unitless, resolution 1, sint16 (XML-2017, D1) */
	int16_t inst_power;	      /* 1 W, signed */
	int16_t avg_power;	      /* 1 W, signed */
	uint16_t total_energy;	      /* 1 kcal, FTMS_NA_U16 = n/a */
	uint16_t energy_per_hour;     /* 1 kcal/h, FTMS_NA_U16 = n/a */
	uint8_t energy_per_minute;    /* 1 kcal/min, FTMS_NA_U8 = n/a */
	uint8_t heart_rate;	      /* 1 bpm */
	uint8_t metabolic_equivalent; /* 0.1 MET */
	uint16_t elapsed_time;	      /* 1 s */
	uint16_t remaining_time;      /* 1 s */
};

/*
 * Parse one Indoor Bike Data notification (one fragment of a record).
 * Return: 0, or -EBADMSG if shorter than its flags announce.
 */
int ftms_ibd_parse(const uint8_t *buf, size_t len, struct ftms_indoor_bike_data *ret);

/*
 * Encode one Indoor Bike Data notification; `present` selects the fields, More Data is set
 * when FTMS_IBD_INST_SPEED is clear.
 * Return: bytes written (2..30), -ERANGE (total_distance > 0xFFFFFF), -ENOBUFS.
 */
int ftms_ibd_encode(const struct ftms_indoor_bike_data *d, uint8_t *buf, size_t len);

/*
 * Bytes ftms_ibd_encode() needs for this presence mask.
 * Return: the size in bytes.
 */
size_t ftms_ibd_size(uint16_t present);

/* ---- Treadmill Data (0x2ACD) ------------------------------------------------------------ */

/* Same convention as ftms_ibd_present: bit 0 = inst_speed present = wire More Data clear. */
enum ftms_treadmill_present {
	FTMS_TM_INST_SPEED = 1u << 0,
	FTMS_TM_AVG_SPEED = 1u << 1,
	FTMS_TM_TOTAL_DISTANCE = 1u << 2,
	FTMS_TM_INCLINATION = 1u << 3,	  /* inclination and ramp_angle */
	FTMS_TM_ELEVATION_GAIN = 1u << 4, /* pos_elevation_gain and neg_elevation_gain */
	FTMS_TM_INST_PACE = 1u << 5,
	FTMS_TM_AVG_PACE = 1u << 6,
	FTMS_TM_EXPENDED_ENERGY = 1u << 7, /* total_energy, energy_per_hour, energy_per_minute */
	FTMS_TM_HEART_RATE = 1u << 8,
	FTMS_TM_METABOLIC_EQUIVALENT = 1u << 9,
	FTMS_TM_ELAPSED_TIME = 1u << 10,
	FTMS_TM_REMAINING_TIME = 1u << 11,
	FTMS_TM_FORCE_AND_POWER = 1u << 12, /* force_on_belt and power_output */
	FTMS_TM_ALL = 0x1FFF,
};
#define FTMS_TM_RFU_FLAGS 0xE000u

struct ftms_treadmill_data {
	uint16_t present;	      /* enum ftms_treadmill_present */
	uint16_t rfu_flags;	      /* RFU flag bits 13..15 as seen (pyftms' "step count" bit 13
				       * is not decoded, reference §4) */
	uint16_t inst_speed;	      /* 0.01 km/h */
	uint16_t avg_speed;	      /* 0.01 km/h */
	uint32_t total_distance;      /* 1 m, uint24 on the wire */
	int16_t inclination;	      /* 0.1 %, FTMS_NA_S16 = n/a */
	int16_t ramp_angle;	      /* 0.1 degree, FTMS_NA_S16 = n/a */
	uint16_t pos_elevation_gain;  /* 0.1 m */
	uint16_t neg_elevation_gain;  /* 0.1 m */
	uint8_t inst_pace;	      /* 0.1 km/min (a speed; uint8 per XML-2017, D2) */
	uint8_t avg_pace;	      /* 0.1 km/min */
	uint16_t total_energy;	      /* 1 kcal, FTMS_NA_U16 = n/a */
	uint16_t energy_per_hour;     /* 1 kcal/h, FTMS_NA_U16 = n/a */
	uint8_t energy_per_minute;    /* 1 kcal/min, FTMS_NA_U8 = n/a */
	uint8_t heart_rate;	      /* 1 bpm */
	uint8_t metabolic_equivalent; /* 0.1 MET (D3) */
	uint16_t elapsed_time;	      /* 1 s */
	uint16_t remaining_time;      /* 1 s */
	int16_t force_on_belt;	      /* 1 N, FTMS_NA_S16 = n/a */
	int16_t power_output;	      /* 1 W, FTMS_NA_S16 = n/a */
};

/*
 * Parse one Treadmill Data notification.
 * Return: 0, or -EBADMSG if shorter than its flags announce.
 */
int ftms_treadmill_parse(const uint8_t *buf, size_t len, struct ftms_treadmill_data *ret);

/*
 * Encode one Treadmill Data notification.
 * Return: bytes written (2..34), -ERANGE (total_distance > 0xFFFFFF), -ENOBUFS.
 */
int ftms_treadmill_encode(const struct ftms_treadmill_data *d, uint8_t *buf, size_t len);

/*
 * Bytes ftms_treadmill_encode() needs for this presence mask.
 * Return: the size in bytes.
 */
size_t ftms_treadmill_size(uint16_t present);

/* ---- Record merger (More Data) ----------------------------------------------------------- */

/*
 * Merges the fragments of one data record (reference §3.2). Caller-owned, no allocation.
 * A field seen in a later fragment overrides the earlier one; the record is complete with
 * the fragment whose More Data bit is 0.
 */
struct ftms_ibd_merger {
	struct ftms_indoor_bike_data acc;
	unsigned fragments;
};

struct ftms_treadmill_merger {
	struct ftms_treadmill_data acc;
	unsigned fragments;
};

/* Reset a merger (also call after link loss: the partial record is discarded). */
void ftms_ibd_merger_init(struct ftms_ibd_merger *m);
void ftms_treadmill_merger_init(struct ftms_treadmill_merger *m);

/*
 * Parse one notification and merge it. When it completes the record, the merged record is
 * stored in *ret and the merger is reset. A malformed fragment changes nothing.
 * Return: 1 record complete (*ret set), 0 more fragments expected, -EBADMSG.
 */
int ftms_ibd_merger_feed(struct ftms_ibd_merger *m, const uint8_t *buf, size_t len,
			 struct ftms_indoor_bike_data *ret);
int ftms_treadmill_merger_feed(struct ftms_treadmill_merger *m, const uint8_t *buf, size_t len,
			       struct ftms_treadmill_data *ret);

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
 * Encode 0x2AD3; the string (string_len bytes) is written only if FTMS_TRAINING_FLAG_STRING.
 * Return: bytes written, -ERANGE (string_len too large), -ENOBUFS.
 */
int ftms_training_status_encode(const struct ftms_training_status *s, uint8_t *buf, size_t len);

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

/* ---- Heart Rate Measurement (0x2A37) ---------------------------------------------------- */

#define FTMS_HRM_FLAG_UINT16  0x01
#define FTMS_HRM_CONTACT_MASK 0x06
#define FTMS_HRM_CONTACT_NO   0x04 /* contact supported, not detected */
#define FTMS_HRM_CONTACT_YES  0x06 /* contact supported and detected */
#define FTMS_HRM_FLAG_ENERGY  0x08
#define FTMS_HRM_FLAG_RR      0x10
#define FTMS_HRM_RR_MAX	      32

struct ftms_heart_rate {
	uint8_t flags;	     /* wire flags, FTMS_HRM_*; RFU bits kept */
	uint16_t heart_rate; /* 1 bpm (uint8 or uint16 on the wire per FTMS_HRM_FLAG_UINT16) */
	uint16_t energy;     /* 1 kJ, valid if FTMS_HRM_FLAG_ENERGY */
	uint8_t rr_count;    /* RR intervals kept in rr[], oldest first */
	bool rr_truncated;   /* more than FTMS_HRM_RR_MAX were on the wire; the newest dropped */
	uint16_t rr[FTMS_HRM_RR_MAX]; /* 1/1024 s */
};

/*
 * Parse 0x2A37. With FTMS_HRM_FLAG_RR the rest of the value is RR intervals.
 * Return: 0, -EBADMSG (too short, or an odd byte left in the RR list).
 */
int ftms_heart_rate_parse(const uint8_t *buf, size_t len, struct ftms_heart_rate *ret);

/*
 * Encode 0x2A37 from `flags` (heart rate width, contact, energy, RR).
 * Return: bytes written, -ERANGE (heart rate > 255 in uint8 form, rr_count too big), -ENOBUFS.
 */
int ftms_heart_rate_encode(const struct ftms_heart_rate *h, uint8_t *buf, size_t len);

/*
 * Sensor contact from the flags.
 * Return: 1 contact, 0 no contact, -EPROTO the sensor does not report contact.
 */
int ftms_heart_rate_contact(const struct ftms_heart_rate *h);

/* ---- Cycling Power Measurement (0x2A63), basics ------------------------------------------ */

enum ftms_cpm_flag {
	FTMS_CPM_PEDAL_BALANCE = 1u << 0,
	FTMS_CPM_BALANCE_LEFT = 1u << 1, /* no field: balance refers to the left pedal */
	FTMS_CPM_ACCUMULATED_TORQUE = 1u << 2,
	FTMS_CPM_TORQUE_CRANK = 1u << 3, /* no field: torque source is the crank */
	FTMS_CPM_WHEEL_REVOLUTIONS = 1u << 4,
	FTMS_CPM_CRANK_REVOLUTIONS = 1u << 5,
	FTMS_CPM_EXTREME_FORCE = 1u << 6,     /* skipped when parsing, not encoded */
	FTMS_CPM_EXTREME_TORQUE = 1u << 7,    /* skipped, not encoded */
	FTMS_CPM_EXTREME_ANGLES = 1u << 8,    /* skipped, not encoded */
	FTMS_CPM_TOP_DEAD_SPOT = 1u << 9,     /* skipped, not encoded */
	FTMS_CPM_BOTTOM_DEAD_SPOT = 1u << 10, /* skipped, not encoded */
	FTMS_CPM_ACCUMULATED_ENERGY = 1u << 11,
	FTMS_CPM_OFFSET_COMPENSATION = 1u << 12, /* no field */
};
/* The flags ftms_cycling_power_encode() can write. */
#define FTMS_CPM_ENCODABLE                                                                 \
	(FTMS_CPM_PEDAL_BALANCE | FTMS_CPM_BALANCE_LEFT | FTMS_CPM_ACCUMULATED_TORQUE |    \
	 FTMS_CPM_TORQUE_CRANK | FTMS_CPM_WHEEL_REVOLUTIONS | FTMS_CPM_CRANK_REVOLUTIONS | \
	 FTMS_CPM_ACCUMULATED_ENERGY | FTMS_CPM_OFFSET_COMPENSATION)

struct ftms_cycling_power {
	uint16_t flags;		     /* wire flags, enum ftms_cpm_flag; RFU bits kept */
	int16_t inst_power;	     /* 1 W, always present */
	uint8_t pedal_balance;	     /* 0.5 % */
	uint16_t accumulated_torque; /* 1/32 N·m */
	uint32_t wheel_revolutions;  /* cumulative */
	uint16_t wheel_event_time;   /* 1/2048 s */
	uint16_t crank_revolutions;  /* cumulative */
	uint16_t crank_event_time;   /* 1/1024 s */
	uint16_t accumulated_energy; /* 1 kJ */
};

/*
 * Parse 0x2A63: flags, power, and the basic fields above; the extreme force/torque/angle and
 * dead-spot fields are skipped (their presence stays visible in flags).
 * Return: 0, -EBADMSG if shorter than its flags announce.
 */
int ftms_cycling_power_parse(const uint8_t *buf, size_t len, struct ftms_cycling_power *ret);

/*
 * Encode 0x2A63 with the fields selected by flags.
 * Return: bytes written, -EPROTO (a flag outside FTMS_CPM_ENCODABLE), -ENOBUFS.
 */
int ftms_cycling_power_encode(const struct ftms_cycling_power *p, uint8_t *buf, size_t len);
