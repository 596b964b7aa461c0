/* SPDX-License-Identifier: MIT */
/*
 * Indoor Bike Data, Treadmill Data and their More Data mergers.
 * Part of the FTMS codec; include "ftms.h" for all of it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "Not available" values the codec passes through unchanged. */
#define FTMS_NA_U16 0xFFFF /* total energy, energy per hour */
#define FTMS_NA_U8  0xFF   /* energy per minute */
#define FTMS_NA_S16 0x7FFF /* inclination, ramp, force, power output */

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
 *
 * Machines that never clear More Data (every notification a fragment) would never complete a
 * record: a fragment that brings no field the record lacks starts the next record, and the
 * one before is complete (`unterminated` says it happened). Indoor Bike Data whose length
 * fits its flags only with the Instantaneous Cadence bit flipped is read flipped, as the v1.0
 * table's erratum has it (Life Fitness bikes, reference §3.1; `cadence_inverted`).
 */
struct ftms_ibd_merger {
	struct ftms_indoor_bike_data acc;
	unsigned fragments;
	bool unterminated;     /* a record was completed by a repeated fragment */
	bool cadence_inverted; /* a notification was read with the cadence bit flipped */
};

struct ftms_treadmill_merger {
	struct ftms_treadmill_data acc;
	unsigned fragments;
	bool unterminated;
};

/* Reset a merger (also call after link loss: the partial record is discarded). */
void ftms_ibd_merger_init(struct ftms_ibd_merger *m);
void ftms_treadmill_merger_init(struct ftms_treadmill_merger *m);

/*
 * Parse one notification and merge it. When it completes the record (More Data 0, or a
 * fragment that repeats the record's fields), the merged record is stored in *ret and the
 * next record starts (with that repeating fragment). A malformed fragment changes nothing.
 * Return: 1 record complete (*ret set), 0 more fragments expected, -EBADMSG.
 */
int ftms_ibd_merger_feed(struct ftms_ibd_merger *m, const uint8_t *buf, size_t len,
			 struct ftms_indoor_bike_data *ret);
int ftms_treadmill_merger_feed(struct ftms_treadmill_merger *m, const uint8_t *buf, size_t len,
			       struct ftms_treadmill_data *ret);
