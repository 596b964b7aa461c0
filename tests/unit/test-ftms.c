/* SPDX-License-Identifier: MIT */
/* FTMS codec: Indoor Bike Data, Treadmill Data, the More Data mergers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ftms.h"
#include "test-ftms.h"

/* ---- Indoor Bike Data ---------------------------------------------------------------------- */

static void test_ibd_real_frames(void **state)
{
	struct ftms_indoor_bike_data d;

	/* Reference §3.3, JetBlack Volt (simcline #9): resistance 20 as sint16. */
	assert_int_equal(ftms_ibd_parse(BYTES(0x64, 0x02, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00,
					      0x00, 0x00),
					&d),
			 0);
	assert_int_equal(d.present, FTMS_IBD_INST_SPEED | FTMS_IBD_INST_CADENCE |
					    FTMS_IBD_RESISTANCE | FTMS_IBD_INST_POWER |
					    FTMS_IBD_HEART_RATE);
	assert_int_equal(d.inst_speed, 0);
	assert_int_equal(d.inst_cadence, 0);
	assert_int_equal(d.resistance, 20);
	assert_int_equal(d.inst_power, 0);
	assert_int_equal(d.heart_rate, 0);
	assert_int_equal(d.rfu_flags, 0);

	/* Reference §3.3, Elite Direto XR via simcline #4: 13.91 km/h, 75 rpm, 860 m, 34 W, 916 s.
	 */
	assert_int_equal(ftms_ibd_parse(BYTES(0x54, 0x08, 0x6F, 0x05, 0x96, 0x00, 0x5C, 0x03, 0x00,
					      0x22, 0x00, 0x94, 0x03),
					&d),
			 0);
	assert_int_equal(d.present, FTMS_IBD_INST_SPEED | FTMS_IBD_INST_CADENCE |
					    FTMS_IBD_TOTAL_DISTANCE | FTMS_IBD_INST_POWER |
					    FTMS_IBD_ELAPSED_TIME);
	assert_int_equal(d.inst_speed, 1391);
	assert_int_equal(d.inst_cadence, 150); /* 0.5 rpm units: 75 rpm */
	assert_int_equal(d.total_distance, 860);
	assert_int_equal(d.inst_power, 34);
	assert_int_equal(d.elapsed_time, 916);

	/* Reference §3.3, Schwinn 800IC (dundring #220): 14.5 km/h, 23 rpm, 24 W, HR 70. */
	assert_int_equal(
		ftms_ibd_parse(BYTES(0x44, 0x02, 0xAA, 0x05, 0x2E, 0x00, 0x18, 0x00, 0x46), &d), 0);
	assert_int_equal(d.inst_speed, 1450);
	assert_int_equal(d.inst_cadence, 46);
	assert_int_equal(d.inst_power, 24);
	assert_int_equal(d.heart_rate, 70);
}

static void test_ibd_quirks(void **state)
{
	struct ftms_indoor_bike_data d;

	/* Reference §3.2/§12.4, Stages SB20: flags 00 00 + speed only is valid. */
	assert_int_equal(ftms_ibd_parse(BYTES(0x00, 0x00, 0xE8, 0x03), &d), 0);
	assert_int_equal(d.present, FTMS_IBD_INST_SPEED);
	assert_int_equal(d.inst_speed, 1000);

	/* Reference §12.4: power is signed; -1 W must not read 65535 W. */
	assert_int_equal(ftms_ibd_parse(BYTES(0x40, 0x00, 0x00, 0x00, 0xFF, 0xFF), &d), 0);
	assert_int_equal(d.inst_power, -1);

	/* Reference §3.2 (Technogym Aquafeel): RFU flag set + 4 surplus bytes are tolerated. */
	assert_int_equal(ftms_ibd_parse(BYTES(0x00, 0x20, 0x10, 0x27, 0x01, 0x02, 0x03, 0x04), &d),
			 0);
	assert_int_equal(d.present, FTMS_IBD_INST_SPEED);
	assert_int_equal(d.rfu_flags, 0x2000);
	assert_int_equal(d.inst_speed, 10000);

	/* Reference §3.2: a More Data fragment carries no speed; flags alone are valid. */
	assert_int_equal(ftms_ibd_parse(BYTES(0x01, 0x00), &d), 0);
	assert_int_equal(d.present, 0);

	/* Reference T5: N/A energy values pass through unchanged; resistance may be negative. */
	assert_int_equal(
		ftms_ibd_parse(BYTES(0x21, 0x01, 0xF6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), &d), 0);
	assert_int_equal(d.present, FTMS_IBD_RESISTANCE | FTMS_IBD_EXPENDED_ENERGY);
	assert_int_equal(d.resistance, -10);
	assert_int_equal(d.total_energy, FTMS_NA_U16);
	assert_int_equal(d.energy_per_hour, FTMS_NA_U16);
	assert_int_equal(d.energy_per_minute, FTMS_NA_U8);
}

static const struct bad_vector ibd_bad[] = {
	{ "zero-length", (const uint8_t[]) { 0 }, 0 },
	{ "flags cut in half", BYTES(0x00) },
	{ "flags 0: speed announced, missing", BYTES(0x00, 0x00) },
	{ "flags 0: speed cut in half", BYTES(0x00, 0x00, 0xE8) },
	{ "§3.3 JetBlack Volt minus its last byte",
	  BYTES(0x64, 0x02, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00) },
	{ "§3.3 Elite Direto XR minus elapsed time",
	  BYTES(0x54, 0x08, 0x6F, 0x05, 0x96, 0x00, 0x5C, 0x03, 0x00, 0x22, 0x00) },
	{ "distance announced, 2 of 3 bytes", BYTES(0x11, 0x00, 0x5C, 0x03) },
	{ "energy triple, last byte missing", BYTES(0x01, 0x01, 0x10, 0x00, 0x20, 0x00) },
	{ "every flag incl. RFU, no data", BYTES(0xFF, 0xFF) },
	{ "all 13 flags, 29 of 30 bytes",
	  BYTES(0xFE, 0x1F, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
		21, 22, 23, 24, 25, 26, 27) },
};

static void test_ibd_malformed(void **state)
{
	for (size_t i = 0; i < sizeof(ibd_bad) / sizeof(ibd_bad[0]); i++) {
		print_message("ibd bad: %s\n", ibd_bad[i].source);
		ASSERT_BAD(ftms_ibd_parse, struct ftms_indoor_bike_data, ibd_bad[i].bytes,
			   ibd_bad[i].len);
	}
}

static void ibd_fill(struct ftms_indoor_bike_data *d, uint16_t present, unsigned seed)
{
	memset(d, 0, sizeof(*d));
	d->present = present;
#define SET(bit, field, v)              \
	do {                            \
		if (present & (bit))    \
			d->field = (v); \
	} while (0)
	SET(FTMS_IBD_INST_SPEED, inst_speed, (uint16_t) (1391 + seed));
	SET(FTMS_IBD_AVG_SPEED, avg_speed, (uint16_t) (0xFFFF - seed));
	SET(FTMS_IBD_INST_CADENCE, inst_cadence, (uint16_t) (150 + seed));
	SET(FTMS_IBD_AVG_CADENCE, avg_cadence, 0x8001);
	SET(FTMS_IBD_TOTAL_DISTANCE, total_distance, 0xFFFFFF - seed);
	SET(FTMS_IBD_RESISTANCE, resistance, (int16_t) (-100 - (int) seed));
	SET(FTMS_IBD_INST_POWER, inst_power, (int16_t) (-32768 + (int) seed));
	SET(FTMS_IBD_AVG_POWER, avg_power, 32767);
	SET(FTMS_IBD_EXPENDED_ENERGY, total_energy, 0xFFFF);
	SET(FTMS_IBD_EXPENDED_ENERGY, energy_per_hour, (uint16_t) (700 + seed));
	SET(FTMS_IBD_EXPENDED_ENERGY, energy_per_minute, 0xFE);
	SET(FTMS_IBD_HEART_RATE, heart_rate, (uint8_t) (60 + seed));
	SET(FTMS_IBD_METABOLIC_EQUIVALENT, metabolic_equivalent, 0x81);
	SET(FTMS_IBD_ELAPSED_TIME, elapsed_time, (uint16_t) (916 + seed));
	SET(FTMS_IBD_REMAINING_TIME, remaining_time, 0xFF00);
#undef SET
}

static void ibd_assert_equal(const struct ftms_indoor_bike_data *a,
			     const struct ftms_indoor_bike_data *b)
{
	assert_int_equal(a->present, b->present);
	assert_int_equal(a->rfu_flags, b->rfu_flags);
	assert_int_equal(a->inst_speed, b->inst_speed);
	assert_int_equal(a->avg_speed, b->avg_speed);
	assert_int_equal(a->inst_cadence, b->inst_cadence);
	assert_int_equal(a->avg_cadence, b->avg_cadence);
	assert_int_equal(a->total_distance, b->total_distance);
	assert_int_equal(a->resistance, b->resistance);
	assert_int_equal(a->inst_power, b->inst_power);
	assert_int_equal(a->avg_power, b->avg_power);
	assert_int_equal(a->total_energy, b->total_energy);
	assert_int_equal(a->energy_per_hour, b->energy_per_hour);
	assert_int_equal(a->energy_per_minute, b->energy_per_minute);
	assert_int_equal(a->heart_rate, b->heart_rate);
	assert_int_equal(a->metabolic_equivalent, b->metabolic_equivalent);
	assert_int_equal(a->elapsed_time, b->elapsed_time);
	assert_int_equal(a->remaining_time, b->remaining_time);
}

/* Every one of the 2^13 flag combinations: encode -> parse, and split over two fragments. */
static void test_ibd_round_trip_all_flags(void **state)
{
	for (unsigned present = 0; present <= FTMS_IBD_ALL; present++) {
		struct ftms_indoor_bike_data in, out, merged, part;
		struct ftms_ibd_merger m;
		uint8_t buf[64], small[64];
		uint16_t first = (uint16_t) (present & 0x0AAA); /* no speed: More Data = 1 */
		int n;

		ibd_fill(&in, (uint16_t) present, present % 7);
		n = ftms_ibd_encode(&in, buf, sizeof(buf));
		assert_int_equal(n, ftms_ibd_size(in.present));
		assert_true(n <= 30);
		assert_int_equal(buf[0] & 1, (present & FTMS_IBD_INST_SPEED) ? 0 : 1);
		assert_int_equal(ftms_ibd_parse(buf, (size_t) n, &out), 0);
		ibd_assert_equal(&in, &out);

		/* One byte short for the encoder: -ENOBUFS, buffer untouched. */
		memset(small, PATTERN, sizeof(small));
		assert_int_equal(ftms_ibd_encode(&in, small, (size_t) n - 1), -ENOBUFS);
		for (size_t i = 0; i < sizeof(small); i++)
			assert_int_equal(small[i], PATTERN);

		/* Two fragments: the record completes with the one that carries the speed. */
		ftms_ibd_merger_init(&m);
		ibd_fill(&part, first, present % 7);
		n = ftms_ibd_encode(&part, buf, sizeof(buf));
		assert_true(n > 0);
		assert_int_equal(ftms_ibd_merger_feed(&m, buf, (size_t) n, &merged), 0);
		ibd_fill(&part, (uint16_t) ((present & ~first) | FTMS_IBD_INST_SPEED), present % 7);
		n = ftms_ibd_encode(&part, buf, sizeof(buf));
		assert_int_equal(ftms_ibd_merger_feed(&m, buf, (size_t) n, &merged), 1);
		ibd_fill(&in, (uint16_t) (present | FTMS_IBD_INST_SPEED), present % 7);
		ibd_assert_equal(&in, &merged);
		assert_int_equal(m.fragments, 0);
	}
}

static void test_ibd_encode_errors(void **state)
{
	struct ftms_indoor_bike_data d = { .present = FTMS_IBD_TOTAL_DISTANCE,
					   .total_distance = 0x1000000 };
	uint8_t buf[32];

	/* uint24 distance cannot carry 2^24 m. */
	assert_int_equal(ftms_ibd_encode(&d, buf, sizeof(buf)), -ERANGE);
	d.total_distance = 0xFFFFFF;
	assert_int_equal(ftms_ibd_encode(&d, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, ((const uint8_t[]) { 0x11, 0x00, 0xFF, 0xFF, 0xFF }), 5);
	/* Reference T5: a full record is 30 bytes. */
	assert_int_equal(ftms_ibd_size(FTMS_IBD_ALL), 30);
	assert_int_equal(ftms_ibd_size(0), 2);
}

static void test_ibd_merger(void **state)
{
	struct ftms_indoor_bike_data d, ref;
	struct ftms_ibd_merger m;

	ftms_ibd_merger_init(&m);
	/* Reference §3.2: fragment 1 (More Data = 1): cadence 80 rpm + power 120 W. */
	assert_int_equal(ftms_ibd_merger_feed(&m, BYTES(0x45, 0x00, 0xA0, 0x00, 0x78, 0x00), &d),
			 0);
	/* A malformed fragment changes nothing. */
	memset(&d, PATTERN, sizeof(d));
	memset(&ref, PATTERN, sizeof(ref));
	assert_int_equal(ftms_ibd_merger_feed(&m, BYTES(0x21, 0x00, 0x05), &d), -EBADMSG);
	assert_memory_equal(&d, &ref, sizeof(d));
	assert_int_equal(m.fragments, 1);
	/* Fragment 2 (More Data = 1): resistance arrives later (§12.4); power overridden. */
	assert_int_equal(ftms_ibd_merger_feed(&m, BYTES(0x61, 0x00, 0x05, 0x00, 0x7D, 0x00), &d),
			 0);
	/* Fragment 3 (More Data = 0): speed + HR close the record. */
	assert_int_equal(ftms_ibd_merger_feed(&m, BYTES(0x00, 0x02, 0x10, 0x09, 0x5A), &d), 1);
	assert_int_equal(d.present, FTMS_IBD_INST_SPEED | FTMS_IBD_INST_CADENCE |
					    FTMS_IBD_RESISTANCE | FTMS_IBD_INST_POWER |
					    FTMS_IBD_HEART_RATE);
	assert_int_equal(d.inst_speed, 2320);
	assert_int_equal(d.inst_cadence, 160);
	assert_int_equal(d.resistance, 5);
	assert_int_equal(d.inst_power, 125);
	assert_int_equal(d.heart_rate, 90);
	/* The merger starts over: a single-notification record stands alone. */
	assert_int_equal(ftms_ibd_merger_feed(&m, BYTES(0x00, 0x00, 0xE8, 0x03), &d), 1);
	assert_int_equal(d.present, FTMS_IBD_INST_SPEED);
	assert_int_equal(d.inst_power, 0);
}

/*
 * A machine that sets More Data in every notification (backride-sim --quirk more-data-always):
 * no fragment ever ends a record, so one that brings nothing new ends the one before.
 */
static void test_ibd_merger_more_data_always(void **state)
{
	struct ftms_indoor_bike_data d;
	struct ftms_ibd_merger m;

	ftms_ibd_merger_init(&m);
	/* More Data = 1, cadence 80 rpm + power 120 W; then cadence 81 rpm + power 125 W. */
	assert_int_equal(ftms_ibd_merger_feed(&m, BYTES(0x45, 0x00, 0xA0, 0x00, 0x78, 0x00), &d),
			 0);
	assert_false(m.unterminated);
	assert_int_equal(ftms_ibd_merger_feed(&m, BYTES(0x45, 0x00, 0xA2, 0x00, 0x7D, 0x00), &d),
			 1);
	assert_true(m.unterminated);
	assert_int_equal(d.present, FTMS_IBD_INST_CADENCE | FTMS_IBD_INST_POWER);
	assert_int_equal(d.inst_cadence, 160);
	assert_int_equal(d.inst_power, 120);
	/* The second one waits for its successor, which may add a field first. */
	assert_int_equal(m.fragments, 1);
	assert_int_equal(ftms_ibd_merger_feed(&m, BYTES(0x21, 0x00, 0x05, 0x00), &d), 0);
	assert_int_equal(ftms_ibd_merger_feed(&m, BYTES(0x41, 0x00, 0x80, 0x00), &d), 1);
	assert_int_equal(d.present,
			 FTMS_IBD_INST_CADENCE | FTMS_IBD_INST_POWER | FTMS_IBD_RESISTANCE);
	assert_int_equal(d.inst_power, 125);
	assert_int_equal(d.resistance, 5);
	/* A record that ends as the specification says still ends at once. */
	assert_int_equal(ftms_ibd_merger_feed(&m, BYTES(0x00, 0x00, 0xE8, 0x03), &d), 1);
	assert_int_equal(d.present, FTMS_IBD_INST_SPEED | FTMS_IBD_INST_POWER);
	assert_int_equal(d.inst_power, 128);
}

/*
 * The cadence bit as the v1.0 table's erratum has it, 0 = present (Life Fitness bikes,
 * reference §3.1; backride-sim --quirk cadence-flag-inverted): the length tells.
 */
static void test_ibd_cadence_flag_inverted(void **state)
{
	struct ftms_indoor_bike_data d;
	struct ftms_ibd_merger m;

	ftms_ibd_merger_init(&m);
	/* Flags 0x0040 (power), yet speed 23.2 km/h, cadence 80 rpm and power 120 W follow. */
	assert_int_equal(
		ftms_ibd_merger_feed(&m, BYTES(0x40, 0x00, 0x10, 0x09, 0xA0, 0x00, 0x78, 0x00), &d),
		1);
	assert_true(m.cadence_inverted);
	assert_int_equal(d.present,
			 FTMS_IBD_INST_SPEED | FTMS_IBD_INST_CADENCE | FTMS_IBD_INST_POWER);
	assert_int_equal(d.inst_cadence, 160);
	assert_int_equal(d.inst_power, 120);
	/* Flags 0x0044 (cadence, power) with no cadence on the wire: speed and power only. */
	assert_int_equal(ftms_ibd_merger_feed(&m, BYTES(0x44, 0x00, 0x10, 0x09, 0x78, 0x00), &d),
			 1);
	assert_int_equal(d.present, FTMS_IBD_INST_SPEED | FTMS_IBD_INST_POWER);
	assert_int_equal(d.inst_power, 120);
	/* A frame whose length fits its flags is read as it says (Schwinn 800IC, §3.3). */
	ftms_ibd_merger_init(&m);
	assert_int_equal(
		ftms_ibd_merger_feed(
			&m, BYTES(0x44, 0x02, 0xAA, 0x05, 0x2E, 0x00, 0x18, 0x00, 0x46), &d),
		1);
	assert_false(m.cadence_inverted);
	assert_int_equal(d.inst_cadence, 46);
	assert_int_equal(d.inst_power, 24);
}

/* ---- Treadmill Data ----------------------------------------------------------------------- */

static void test_treadmill_vectors(void **state)
{
	struct ftms_treadmill_data d;

	/*
	 * Reference T7 + §4 notes (constructed): 12 km/h, incline -2.5 %, ramp N/A, inst pace
	 * 0.2 km/min (raw 2, "12 km/h => 0.2 km/min").
	 */
	assert_int_equal(ftms_treadmill_parse(
				 BYTES(0x28, 0x00, 0xB0, 0x04, 0xE7, 0xFF, 0xFF, 0x7F, 0x02), &d),
			 0);
	assert_int_equal(d.present, FTMS_TM_INST_SPEED | FTMS_TM_INCLINATION | FTMS_TM_INST_PACE);
	assert_int_equal(d.inst_speed, 1200);
	assert_int_equal(d.inclination, -25);
	assert_int_equal(d.ramp_angle, FTMS_NA_S16);
	assert_int_equal(d.inst_pace, 2);

	/* Reference §4 notes: the pairs travel together (elevation 0.1 m, force/power signed). */
	assert_int_equal(
		ftms_treadmill_parse(
			BYTES(0x11, 0x10, 0x0A, 0x00, 0x05, 0x00, 0xF6, 0xFF, 0xCE, 0xFF), &d),
		0);
	assert_int_equal(d.present, FTMS_TM_ELEVATION_GAIN | FTMS_TM_FORCE_AND_POWER);
	assert_int_equal(d.pos_elevation_gain, 10);
	assert_int_equal(d.neg_elevation_gain, 5);
	assert_int_equal(d.force_on_belt, -10);
	assert_int_equal(d.power_output, -50);

	/* Reference §4: bit 13 (pyftms' "step count") is RFU: reported, not decoded. */
	assert_int_equal(ftms_treadmill_parse(BYTES(0x00, 0x20, 0x64, 0x00, 0x01, 0x02, 0x03), &d),
			 0);
	assert_int_equal(d.rfu_flags, 0x2000);
	assert_int_equal(d.inst_speed, 100);

	/* Reference T7: energy triple, HR, MET (0.1, D3), elapsed, remaining. */
	assert_int_equal(ftms_treadmill_parse(BYTES(0x81, 0x0F, 0x2C, 0x01, 0xFF, 0xFF, 0xFF, 0x8C,
						    0x55, 0x10, 0x0E, 0x58, 0x02),
					      &d),
			 0);
	assert_int_equal(d.total_energy, 300);
	assert_int_equal(d.energy_per_hour, FTMS_NA_U16);
	assert_int_equal(d.energy_per_minute, FTMS_NA_U8);
	assert_int_equal(d.heart_rate, 140);
	assert_int_equal(d.metabolic_equivalent, 85);
	assert_int_equal(d.elapsed_time, 3600);
	assert_int_equal(d.remaining_time, 600);
}

static const struct bad_vector tm_bad[] = {
	{ "zero-length", (const uint8_t[]) { 0 }, 0 },
	{ "flags cut in half", BYTES(0x00) },
	{ "speed announced, missing", BYTES(0x00, 0x00) },
	/* flutter_ftms-style bug: a parser that forgets the second field of a pair. */
	{ "§4 inclination pair, ramp missing", BYTES(0x09, 0x00, 0xE7, 0xFF) },
	{ "§4 elevation pair, one missing", BYTES(0x11, 0x00, 0x0A, 0x00) },
	{ "§4 force/power pair, power missing", BYTES(0x01, 0x10, 0xF6, 0xFF) },
	{ "every flag incl. RFU, no data", BYTES(0xFF, 0xFF) },
	{ "all 13 flags, 33 of 34 bytes",
	  BYTES(0xFE, 0x1F, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
		21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31) },
};

static void test_treadmill_malformed(void **state)
{
	for (size_t i = 0; i < sizeof(tm_bad) / sizeof(tm_bad[0]); i++) {
		print_message("treadmill bad: %s\n", tm_bad[i].source);
		ASSERT_BAD(ftms_treadmill_parse, struct ftms_treadmill_data, tm_bad[i].bytes,
			   tm_bad[i].len);
	}
}

static void tm_fill(struct ftms_treadmill_data *d, uint16_t present, unsigned seed)
{
	memset(d, 0, sizeof(*d));
	d->present = present;
#define SET(bit, field, v)              \
	do {                            \
		if (present & (bit))    \
			d->field = (v); \
	} while (0)
	SET(FTMS_TM_INST_SPEED, inst_speed, (uint16_t) (1200 + seed));
	SET(FTMS_TM_AVG_SPEED, avg_speed, (uint16_t) (0xFFFF - seed));
	SET(FTMS_TM_TOTAL_DISTANCE, total_distance, 0xABCDEF);
	SET(FTMS_TM_INCLINATION, inclination, (int16_t) (-25 - (int) seed));
	SET(FTMS_TM_INCLINATION, ramp_angle, FTMS_NA_S16);
	SET(FTMS_TM_ELEVATION_GAIN, pos_elevation_gain, (uint16_t) (10 + seed));
	SET(FTMS_TM_ELEVATION_GAIN, neg_elevation_gain, 0x8000);
	SET(FTMS_TM_INST_PACE, inst_pace, (uint8_t) (2 + seed));
	SET(FTMS_TM_AVG_PACE, avg_pace, 0xFF);
	SET(FTMS_TM_EXPENDED_ENERGY, total_energy, (uint16_t) (300 + seed));
	SET(FTMS_TM_EXPENDED_ENERGY, energy_per_hour, 0xFFFF);
	SET(FTMS_TM_EXPENDED_ENERGY, energy_per_minute, 0x07);
	SET(FTMS_TM_HEART_RATE, heart_rate, 0xC8);
	SET(FTMS_TM_METABOLIC_EQUIVALENT, metabolic_equivalent, (uint8_t) (85 + seed));
	SET(FTMS_TM_ELAPSED_TIME, elapsed_time, 0x0E10);
	SET(FTMS_TM_REMAINING_TIME, remaining_time, (uint16_t) (600 + seed));
	SET(FTMS_TM_FORCE_AND_POWER, force_on_belt, (int16_t) (-10 - (int) seed));
	SET(FTMS_TM_FORCE_AND_POWER, power_output, -32768);
#undef SET
}

static void tm_assert_equal(const struct ftms_treadmill_data *a,
			    const struct ftms_treadmill_data *b)
{
	assert_int_equal(a->present, b->present);
	assert_int_equal(a->rfu_flags, b->rfu_flags);
	assert_int_equal(a->inst_speed, b->inst_speed);
	assert_int_equal(a->avg_speed, b->avg_speed);
	assert_int_equal(a->total_distance, b->total_distance);
	assert_int_equal(a->inclination, b->inclination);
	assert_int_equal(a->ramp_angle, b->ramp_angle);
	assert_int_equal(a->pos_elevation_gain, b->pos_elevation_gain);
	assert_int_equal(a->neg_elevation_gain, b->neg_elevation_gain);
	assert_int_equal(a->inst_pace, b->inst_pace);
	assert_int_equal(a->avg_pace, b->avg_pace);
	assert_int_equal(a->total_energy, b->total_energy);
	assert_int_equal(a->energy_per_hour, b->energy_per_hour);
	assert_int_equal(a->energy_per_minute, b->energy_per_minute);
	assert_int_equal(a->heart_rate, b->heart_rate);
	assert_int_equal(a->metabolic_equivalent, b->metabolic_equivalent);
	assert_int_equal(a->elapsed_time, b->elapsed_time);
	assert_int_equal(a->remaining_time, b->remaining_time);
	assert_int_equal(a->force_on_belt, b->force_on_belt);
	assert_int_equal(a->power_output, b->power_output);
}

static void test_treadmill_round_trip_all_flags(void **state)
{
	for (unsigned present = 0; present <= FTMS_TM_ALL; present++) {
		struct ftms_treadmill_data in, out, merged, part;
		struct ftms_treadmill_merger m;
		uint8_t buf[64];
		uint16_t first = (uint16_t) (present & 0x1554); /* no speed: More Data = 1 */
		int n;

		tm_fill(&in, (uint16_t) present, present % 5);
		n = ftms_treadmill_encode(&in, buf, sizeof(buf));
		assert_int_equal(n, ftms_treadmill_size(in.present));
		assert_true(n <= 34);
		assert_int_equal(ftms_treadmill_parse(buf, (size_t) n, &out), 0);
		tm_assert_equal(&in, &out);
		assert_int_equal(ftms_treadmill_encode(&in, buf, (size_t) n - 1), -ENOBUFS);

		ftms_treadmill_merger_init(&m);
		tm_fill(&part, first, present % 5);
		n = ftms_treadmill_encode(&part, buf, sizeof(buf));
		assert_int_equal(ftms_treadmill_merger_feed(&m, buf, (size_t) n, &merged), 0);
		tm_fill(&part, (uint16_t) ((present & ~first) | FTMS_TM_INST_SPEED), present % 5);
		n = ftms_treadmill_encode(&part, buf, sizeof(buf));
		assert_int_equal(ftms_treadmill_merger_feed(&m, buf, (size_t) n, &merged), 1);
		tm_fill(&in, (uint16_t) (present | FTMS_TM_INST_SPEED), present % 5);
		tm_assert_equal(&in, &merged);
	}
	/* Reference T7: a full record is 34 bytes. */
	assert_int_equal(ftms_treadmill_size(FTMS_TM_ALL), 34);
}

static void test_rfu_flags_round_trip(void **state)
{
	struct ftms_treadmill_data t = { .present = FTMS_TM_INST_SPEED,
					 .rfu_flags = 0xE000,
					 .inst_speed = 5 };
	struct ftms_indoor_bike_data b = { .present = 0, .rfu_flags = 0x8000 };
	uint8_t buf[8];

	/* Simulator fault injection: RFU flag bits are written as given. */
	assert_int_equal(ftms_treadmill_encode(&t, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, ((const uint8_t[]) { 0x00, 0xE0, 0x05, 0x00 }), 4);
	assert_int_equal(ftms_ibd_encode(&b, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, ((const uint8_t[]) { 0x01, 0x80 }), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ibd_real_frames),
		cmocka_unit_test(test_ibd_quirks),
		cmocka_unit_test(test_ibd_malformed),
		cmocka_unit_test(test_ibd_round_trip_all_flags),
		cmocka_unit_test(test_ibd_encode_errors),
		cmocka_unit_test(test_ibd_merger),
		cmocka_unit_test(test_ibd_merger_more_data_always),
		cmocka_unit_test(test_ibd_cadence_flag_inverted),
		cmocka_unit_test(test_treadmill_vectors),
		cmocka_unit_test(test_treadmill_malformed),
		cmocka_unit_test(test_treadmill_round_trip_all_flags),
		cmocka_unit_test(test_rfu_flags_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
