/* SPDX-License-Identifier: MIT */
/*
 * Cycling Speed and Cadence Measurement (0x2A5B), and cumulative revolutions to rpm and speed
 * for it and for the Cycling Power Measurement's revolution data (ftms-sensor.h). Pure, no
 * I/O, time injected. Layout and sources: README.md, "Cycling Speed and Cadence".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Cycling Speed and Cadence service and its characteristics; the Cycling Power service's
 * Feature and the Sensor Location both services share (Measurement: ftms.h). */
#define CSC_UUID16_SERVICE	   0x1816
#define CSC_UUID16_MEASUREMENT	   0x2A5B
#define CSC_UUID16_FEATURE	   0x2A5C
#define CSC_UUID16_SENSOR_LOCATION 0x2A5D
#define CPS_UUID16_FEATURE	   0x2A65
#define CSC_UUID_SERVICE	   "00001816-0000-1000-8000-00805f9b34fb"
#define CSC_UUID_MEASUREMENT	   "00002a5b-0000-1000-8000-00805f9b34fb"

enum csc_flag {
	CSC_WHEEL_REVOLUTIONS = 1u << 0,
	CSC_CRANK_REVOLUTIONS = 1u << 1,
};

struct csc_measurement {
	uint8_t flags;		    /* wire flags, enum csc_flag; RFU bits kept */
	uint32_t wheel_revolutions; /* cumulative */
	uint16_t wheel_event_time;  /* 1/1024 s (Cycling Power: 1/2048 s) */
	uint16_t crank_revolutions; /* cumulative */
	uint16_t crank_event_time;  /* 1/1024 s */
};

/*
 * Parse 0x2A5B: flags, then the wheel and crank pairs their flags announce. Trailing bytes are
 * ignored. Return: 0, -EBADMSG if shorter than its flags announce (ret untouched).
 */
int csc_measurement_parse(const uint8_t *buf, size_t len, struct csc_measurement *ret);

/* Encode 0x2A5B. Return: bytes written, -ENOBUFS (nothing written). */
int csc_measurement_encode(const struct csc_measurement *m, uint8_t *buf, size_t len);

/* Event-time resolutions. */
#define CSC_TICKS_PER_S	      1024 /* CSC wheel and crank, Cycling Power crank */
#define CPM_WHEEL_TICKS_PER_S 2048 /* Cycling Power wheel */

/*
 * Revolutions to rate, for one counter (a wheel or a crank).
 *
 * Each sample is a cumulative revolution count (wrapping at revs_bits bits) and the event time
 * of the last revolution (a uint16 that wraps, ticks_per_s ticks a second). The rate is the
 * revolutions since the previous new revolution over the event time between them; both
 * differences are taken modulo their width, so a wrap anywhere gives the same rate. With no new
 * revolution for timeout_ms (coasting, a stopped crank, a sensor repeating its last values) the
 * rate is 0, never a stale value.
 */
struct revs_rate {
	/* configuration */
	uint32_t revs_mask;    /* 0xFFFF for 16-bit counters, 0xFFFFFFFF for 32-bit */
	uint32_t ticks_per_s;  /* event-time resolution */
	uint32_t timeout_ms;   /* no new revolution for this long: 0 rpm */
	uint32_t max_rpm_x100; /* a rate above this is a counter jump, not a rate */
	/* state */
	bool have;
	uint32_t revs;	      /* last count */
	uint16_t event_time;  /* last event time */
	uint64_t last_ms;     /* when the last sample came */
	uint64_t last_rev_ms; /* when the last new revolution came */
	uint32_t rpm_x100;    /* rate at the last new revolution, 0.01 rpm */
	uint64_t total;	      /* revolutions counted since the first sample */
};

/* revs_bits: 16 or 32. timeout_ms and max_rpm_x100 > 0. */
void revs_rate_init(struct revs_rate *r, unsigned revs_bits, uint32_t ticks_per_s,
		    uint32_t timeout_ms, uint32_t max_rpm_x100);

/*
 * Feed a sample received at now_ms (monotonic).
 * Return: 1 a new revolution updated the rate, 0 nothing new (the first sample, or the same
 * count again); -EBADMSG the count moved but the event time did not (nothing changes);
 * -ERANGE the count jumped (faster than max_rpm_x100: a sensor reset), the clock went back,
 * or the last revolution is one event-time wrap old (64 s at 1/1024 s, after a long coast or
 * a gap in the notifications) so the event times cannot be compared: the sample becomes the
 * new reference, rate 0 (after a wrap, its revolutions are still counted in total when they
 * fit max_rpm_x100 over the wall time).
 */
int revs_rate_update(struct revs_rate *r, uint32_t revs, uint16_t event_time, uint64_t now_ms);

/* Rate at now_ms in 0.01 rpm: 0 before two samples and after timeout_ms without a revolution. */
uint32_t revs_rate_rpm_x100(const struct revs_rate *r, uint64_t now_ms);

/* Speed in 0.01 km/h of a wheel turning at rpm_x100 with this circumference (mm); saturates. */
uint32_t csc_speed_kmh_x100(uint32_t rpm_x100, uint32_t circumference_mm);

/* Distance in mm of a wheel's counted revolutions. */
uint64_t csc_distance_mm(const struct revs_rate *wheel, uint32_t circumference_mm);
