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

#include "ftms-control.h"
#include "ftms-data.h"
#include "ftms-feature.h"
#include "ftms-sensor.h"

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
