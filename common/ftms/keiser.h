/* SPDX-License-Identifier: MIT */
/*
 * Keiser M3i: the manufacturer data of its advertisements (device name "M3", company ID
 * 0x0102). Read-only, pure, no I/O. Layout and sources: README.md, "Keiser M3i".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEISER_COMPANY_ID      0x0102
#define KEISER_M3I_MAJOR       0x06    /* the only major version with this layout */
#define KEISER_M3I_GEAR_MINOR  0x21    /* gear is sent from this minor version on */
#define KEISER_M3I_LEN	       16      /* without the gear */
#define KEISER_M3I_DISTANCE_KM 0x8000u /* distance bit 15: km, else miles */

struct keiser_m3i {
	uint8_t major;
	uint8_t minor;
	uint8_t data_type;    /* 0 or 128-227: real time (the parser accepts nothing else) */
	uint8_t equipment_id; /* the bike's number, set on its console */
	uint16_t cadence;     /* 0.1 rpm */
	uint16_t heart_rate;  /* 0.1 bpm; 0 without a strap */
	uint16_t power;	      /* W */
	uint16_t energy;      /* kcal */
	uint8_t minutes;      /* workout time */
	uint8_t seconds;
	uint16_t distance; /* 0.1 km when bit 15 is set, else 0.1 mile; as on the wire */
	bool has_gear;
	uint8_t gear; /* 1-24, only when has_gear */
};

/*
 * Parse the manufacturer data that follows the company ID (as BlueZ's ManufacturerData
 * dictionary holds it). Bytes past the last field are ignored.
 * Return: 0; -EBADMSG shorter than its fields, seconds over 59; -EPROTO a major version other
 * than 6 or a review (non real-time) data type. ret untouched on error.
 */
int keiser_m3i_parse(const uint8_t *buf, size_t len, struct keiser_m3i *ret);

/* Encode (what a simulated M3i advertises). Return: bytes (16, or 17 with the gear), -ENOBUFS. */
int keiser_m3i_encode(const struct keiser_m3i *k, uint8_t *buf, size_t len);

/* True for the real-time data types, 0 and 128-227. */
bool keiser_m3i_real_time(uint8_t data_type);

/* Workout time in seconds. */
uint32_t keiser_m3i_time(const struct keiser_m3i *k);

/* Trip distance in metres (0.1 km or 0.1 mile steps, rounded to the metre). */
uint32_t keiser_m3i_distance_m(const struct keiser_m3i *k);
