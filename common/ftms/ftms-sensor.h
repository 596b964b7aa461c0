/* SPDX-License-Identifier: MIT */
/*
 * Heart Rate Measurement and Cycling Power Measurement.
 * Part of the FTMS codec; include "ftms.h" for all of it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
