/* SPDX-License-Identifier: MIT */
/* The exporters: FIT header, definitions and CRC; TCX escaping and structure; CSV and JSON. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "export.h"

#define START 1767605400 /* 2026-01-05T09:30:00Z */

static struct storage_session session(enum storage_kind kind)
{
	return (struct storage_session) {
		.id = 42,
		.machine_name = "Tom's <Bike> & \"Co\"",
		.kind = kind,
		.profile = "gentle",
		.started_at = START,
		.ended_at = START + 4,
		.duration_s = 4,
		.end_reason = "completed",
		.pain_before = 3,
		.pain_max = 4,
		.pain_after = 2,
		.distance_m = 20,
		.energy_j = 400,
		.avg_power_w = 100,
		.max_power_w = 110,
		.avg_speed_ckmh = 1800,
		.avg_hr_bpm = 90,
		.max_hr_bpm = 92,
		.target_power_w = 100,
		.target_speed_ckmh = BR_NONE,
	};
}

/* Four seconds: two of warm-up, two steady. */
static void samples(struct storage_sample x[4])
{
	for (int i = 0; i < 4; i++) {
		storage_sample_init(&x[i]);
		x[i].session_id = 42;
		x[i].t = (uint32_t) i;
		x[i].phase = i < 2 ? EXPORT_PHASE_WARMUP : EXPORT_PHASE_STEADY;
		x[i].power_w = 90 + 5 * i;
		x[i].cadence_hrpm = 121; /* 60.5 rpm */
		x[i].speed_ckmh = 1800;	 /* 5 m/s */
		x[i].distance_m = 5 * (i + 1);
		x[i].hr_bpm = 88 + i;
		x[i].target_power_w = 100;
	}
}

static void render(enum export_format f, enum storage_kind kind, struct export_buf *b)
{
	struct storage_session s = session(kind);
	struct storage_sample x[4];
	struct storage_event e[] = {
		{ .session_id = 42, .t = 1, .type = "pause", .value = BR_NONE },
		{ .session_id = 42, .t = 2, .type = "resume", .value = BR_NONE },
		{ .session_id = 42, .t = 3, .type = "pain", .value = 4 },
	};
	struct export_input in = {
		.session = &s, .samples = x, .n_samples = 4, .events = e, .n_events = 3
	};

	samples(x);
	*b = (struct export_buf) {};
	assert_int_equal(export_render(f, &in, b), 0);
	assert_true(b->len > 0);
}

/* A bit-by-bit CRC-16/ARC (poly 0x8005 reflected = 0xa001, init 0) to check the table one. */
static uint16_t crc_bitwise(const uint8_t *p, size_t n)
{
	uint16_t crc = 0;

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xa001 : crc >> 1;
	}
	return crc;
}

static void test_fit_crc(void **state)
{
	/* The CRC catalogue's check value of CRC-16/ARC: "123456789" -> 0xbb3d. */
	assert_int_equal(export_fit_crc(0, "123456789", 9), 0xbb3d);
	assert_int_equal(export_fit_crc(0, "", 0), 0);
	/* Incremental equals one pass. */
	assert_int_equal(export_fit_crc(export_fit_crc(0, "1234", 4), "56789", 5), 0xbb3d);
	/*
	 * A FIT 2.0 header worked by hand: size 14, protocol 0x20, profile 2132 (0x0854), data
	 * size 0x1234, ".FIT". Its CRC is that of the first 12 bytes.
	 */
	const uint8_t hdr[12] = { 14, 0x20, 0x54, 0x08, 0x34, 0x12, 0, 0, '.', 'F', 'I', 'T' };

	assert_int_equal(export_fit_crc(0, hdr, sizeof(hdr)), crc_bitwise(hdr, sizeof(hdr)));
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t) (p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t) p[3] << 24;
}

static void test_fit_header(void **state)
{
	struct export_buf b;
	const uint8_t *p;

	render(EXPORT_FIT, STORAGE_KIND_BIKE, &b);
	p = b.data;
	assert_int_equal(p[0], 14);
	assert_int_equal(p[1], 0x20);
	assert_int_equal(le16(p + 2), 2132);
	assert_int_equal(le32(p + 4), b.len - 14 - 2);
	assert_memory_equal(p + 8, ".FIT", 4);
	assert_int_equal(le16(p + 12), export_fit_crc(0, p, 12));
	/* The file CRC covers everything before it; a CRC over all of it is 0. */
	assert_int_equal(le16(p + b.len - 2), export_fit_crc(0, p, b.len - 2));
	assert_int_equal(export_fit_crc(0, p, b.len), 0);
	export_buf_free(&b);
}

struct fit_counts {
	unsigned defs[256];
	unsigned data[256];
	uint32_t first_record_ts;
	uint32_t last_distance;
	uint8_t record_hr[8];
	uint16_t record_power[8];
	uint8_t sport;
	uint8_t lap_intensity[8];
	uint32_t lap_elapsed[8];
	uint32_t session_elapsed;
};

/* Walk the records: every data message must have a definition; count messages per global. */
static void fit_walk(const uint8_t *p, size_t len, struct fit_counts *c)
{
	struct {
		uint16_t global;
		uint8_t n;
		uint8_t num[32], size[32];
	} def[16] = {};
	size_t off = 14, end = 14 + le32(p + 4);
	unsigned records = 0;

	assert_int_equal(end + 2, len);
	while (off < end) {
		uint8_t h = p[off++];
		unsigned local = h & 0x0f;

		assert_int_equal(h & 0x80, 0); /* no compressed timestamps */
		if (h & 0x40) {
			assert_int_equal(p[off], 0);	 /* reserved */
			assert_int_equal(p[off + 1], 0); /* little endian */
			def[local].global = le16(p + off + 2);
			def[local].n = p[off + 4];
			assert_true(def[local].n <= 32);
			for (unsigned i = 0; i < def[local].n; i++) {
				def[local].num[i] = p[off + 5 + 3 * i];
				def[local].size[i] = p[off + 6 + 3 * i];
			}
			c->defs[def[local].global & 0xff]++;
			off += 5 + 3u * def[local].n;
			continue;
		}
		assert_true(def[local].n > 0);
		c->data[def[local].global & 0xff]++;
		for (unsigned i = 0; i < def[local].n; i++) {
			const uint8_t *v = p + off;

			if (def[local].global == 20 && def[local].num[i] == 253 && records == 0)
				c->first_record_ts = le32(v);
			if (def[local].global == 20 && def[local].num[i] == 5)
				c->last_distance = le32(v);
			if (def[local].global == 20 && def[local].num[i] == 3 && records < 8)
				c->record_hr[records] = v[0];
			if (def[local].global == 20 && def[local].num[i] == 7 && records < 8)
				c->record_power[records] = le16(v);
			if (def[local].global == 18 && def[local].num[i] == 5)
				c->sport = v[0];
			if (def[local].global == 18 && def[local].num[i] == 7)
				c->session_elapsed = le32(v);
			if (def[local].global == 19 && def[local].num[i] == 23 && c->data[19] <= 8)
				c->lap_intensity[c->data[19] - 1] = v[0];
			if (def[local].global == 19 && def[local].num[i] == 7 && c->data[19] <= 8)
				c->lap_elapsed[c->data[19] - 1] = le32(v);
			off += def[local].size[i];
		}
		if (def[local].global == 20)
			records++;
	}
	assert_int_equal(off, end);
}

static void test_fit_messages(void **state)
{
	struct fit_counts c = {};
	struct export_buf b;

	render(EXPORT_FIT, STORAGE_KIND_BIKE, &b);
	fit_walk(b.data, b.len, &c);
	/* One definition each for file_id, event, record, lap, session, activity. */
	assert_int_equal(c.defs[0], 1);
	assert_int_equal(c.defs[20], 1);
	assert_int_equal(c.defs[19], 1);
	assert_int_equal(c.defs[18], 1);
	assert_int_equal(c.defs[34], 1);
	assert_int_equal(c.data[0], 1);		 /* file_id */
	assert_int_equal(c.data[20], 4);	 /* a record per second */
	assert_int_equal(c.data[19], 2);	 /* a lap per phase */
	assert_int_equal(c.lap_intensity[0], 2); /* warmup */
	assert_int_equal(c.lap_intensity[1], 0); /* active */
	assert_int_equal(c.data[18], 1);	 /* session */
	assert_int_equal(c.data[34], 1);	 /* activity */
	/* timer start, pause (stop), resume (start), stop_all */
	assert_int_equal(c.data[21], 4);
	assert_int_equal(c.first_record_ts, START - 631065600);
	assert_int_equal(c.last_distance, 2000); /* 20 m in cm */
	assert_int_equal(c.record_hr[0], 88);
	assert_int_equal(c.record_hr[3], 91);
	assert_int_equal(c.record_power[1], 95);
	assert_int_equal(c.sport, 2); /* cycling */
	export_buf_free(&b);

	c = (struct fit_counts) {};
	render(EXPORT_FIT, STORAGE_KIND_TREADMILL, &b);
	fit_walk(b.data, b.len, &c);
	assert_int_equal(c.sport, 11); /* walking */
	export_buf_free(&b);
}

static void test_fit_no_samples(void **state)
{
	struct storage_session s = session(STORAGE_KIND_BIKE);
	struct export_input in = { .session = &s };
	struct fit_counts c = {};
	struct export_buf b = {};

	assert_int_equal(export_render(EXPORT_FIT, &in, &b), 0);
	fit_walk(b.data, b.len, &c);
	assert_int_equal(c.data[20], 0);
	assert_int_equal(c.data[19], 1);
	assert_int_equal(c.data[18], 1);
	assert_int_equal(export_fit_crc(0, b.data, b.len), 0);
	export_buf_free(&b);
}

static void test_xml_escape(void **state)
{
	struct export_buf b = {};

	export_buf_xml_escape(&b, "a&b<c>d\"e'f\x01g\th");
	export_buf_put(&b, "", 1);
	assert_string_equal((char *) b.data, "a&amp;b&lt;c&gt;d&quot;e&apos;fg\th");
	export_buf_free(&b);
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_tcx_structure(void **state)
{
	struct export_buf b;
	const char *s;

	render(EXPORT_TCX, STORAGE_KIND_BIKE, &b);
	export_buf_put(&b, "", 1);
	s = (const char *) b.data;
	assert_true(strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 38) == 0);
	assert_non_null(strstr(s, "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/"
				  "xmlschemas/TrainingCenterDatabase/v2\""));
	assert_non_null(strstr(s, "<Activity Sport=\"Biking\">\n   <Id>2026-01-05T09:30:00Z</Id>"));
	assert_int_equal(count(s, "<Lap StartTime="), 2);
	assert_non_null(strstr(s, "<Lap StartTime=\"2026-01-05T09:30:02Z\">"));
	assert_int_equal(count(s, "<Trackpoint>"), 4);
	/* The pause (second 1) has its own Track: warm-up 0 | 1, steady 2-3. */
	assert_int_equal(count(s, "<Track>"), 3);
	assert_int_equal(count(s, "<Intensity>Active</Intensity>"), 2);
	assert_int_equal(count(s, "</Trackpoint>"), 4);
	assert_non_null(strstr(s, "<Time>2026-01-05T09:30:03Z</Time>"));
	assert_non_null(strstr(s, "<HeartRateBpm><Value>91</Value></HeartRateBpm>"));
	assert_non_null(strstr(s, "<Cadence>61</Cadence>")); /* 60.5 rounds up */
	assert_non_null(strstr(s, "<Speed>5.000</Speed><Watts>105</Watts>"));
	assert_non_null(strstr(s, "<TPX xmlns=\"http://www.garmin.com/xmlschemas/"
				  "ActivityExtension/v2\">"));
	/* The machine's name is escaped in the notes. */
	assert_non_null(strstr(s, "Tom&apos;s &lt;Bike&gt; &amp; &quot;Co&quot;"));
	assert_null(strstr(s, "Tom's"));
	/* Lap elements in schema order. */
	assert_true(strstr(s, "<TotalTimeSeconds>") < strstr(s, "<DistanceMeters>"));
	assert_true(strstr(s, "<Calories>") < strstr(s, "<Intensity>"));
	assert_true(strstr(s, "<Intensity>") < strstr(s, "<TriggerMethod>"));
	assert_true(strstr(s, "<TriggerMethod>") < strstr(s, "<Track>"));
	/* The first lap: 2 s, one of them paused. */
	assert_non_null(strstr(s, "<TotalTimeSeconds>1</TotalTimeSeconds>"));
	assert_true(strcmp(s + strlen(s) - 26, "</TrainingCenterDatabase>\n") == 0);
	export_buf_free(&b);

	render(EXPORT_TCX, STORAGE_KIND_TREADMILL, &b);
	export_buf_put(&b, "", 1);
	assert_non_null(strstr((char *) b.data, "<Activity Sport=\"Other\">"));
	export_buf_free(&b);
}

static void test_csv(void **state)
{
	struct export_buf b;
	const char *s;

	render(EXPORT_CSV, STORAGE_KIND_BIKE, &b);
	export_buf_put(&b, "", 1);
	s = (const char *) b.data;
	assert_true(strncmp(s,
			    "time,t,phase,power_w,cadence_rpm,speed_kmh,distance_m,hr_bpm,"
			    "incline_pct,resistance,target_power_w,target_speed_kmh,"
			    "target_resistance,target_incline_pct\n",
			    146) == 0);
	assert_int_equal(count(s, "\n"), 5);
	assert_non_null(
		strstr(s, "\n2026-01-05T09:30:01Z,1,warmup,95,60.5,18.00,10,89,,,100,,,\n"));
	assert_non_null(strstr(s, "\n2026-01-05T09:30:02Z,2,steady,100,"));
	export_buf_free(&b);
}

static void test_json(void **state)
{
	struct export_buf b;
	const char *s;

	render(EXPORT_JSON, STORAGE_KIND_BIKE, &b);
	export_buf_put(&b, "", 1);
	s = (const char *) b.data;
	assert_non_null(
		strstr(s, "{\"session\":{\"id\":42,\"machine\":\"Tom's <Bike> & \\\"Co\\\"\""));
	assert_non_null(strstr(s, "\"start\":\"2026-01-05T09:30:00Z\""));
	assert_non_null(strstr(s,
			       "{\"t\":1,\"phase\":\"warmup\",\"power_w\":95,\"cadence_rpm\":60.5,"
			       "\"speed_kmh\":18.00,\"distance_m\":10,\"hr_bpm\":89,"
			       "\"target_power_w\":100}"));
	assert_non_null(strstr(s, "\"type\":\"pain\",\"value\":4}"));
	export_buf_free(&b);
}

/* A guided session says why; a driven one has no such key. */
static void test_json_guided(void **state)
{
	struct storage_session x = session(STORAGE_KIND_BIKE);
	struct export_input in = { .session = &x };
	struct export_buf b = {};

	(void) snprintf(x.guided, sizeof(x.guided), "no-control-point");
	assert_int_equal(export_render(EXPORT_JSON, &in, &b), 0);
	export_buf_put(&b, "", 1);
	assert_non_null(strstr((const char *) b.data,
			       "\"end_reason\":\"completed\",\"guided\":\"no-control-point\"}"));
	export_buf_free(&b);

	render(EXPORT_JSON, STORAGE_KIND_BIKE, &b);
	export_buf_put(&b, "", 1);
	assert_null(strstr((const char *) b.data, "\"guided\""));
	export_buf_free(&b);
}

/* A whole session as the engine records it: waiting and countdown (treadmill), warm-up, steady,
 * cool-down, stopping, stretches, done; one second each but two of steady. */
static const uint8_t whole[] = {
	EXPORT_PHASE_WAITING,  EXPORT_PHASE_COUNTDOWN, EXPORT_PHASE_WARMUP,
	EXPORT_PHASE_STEADY,   EXPORT_PHASE_STEADY,    EXPORT_PHASE_COOLDOWN,
	EXPORT_PHASE_STOPPING, EXPORT_PHASE_STRETCHES, EXPORT_PHASE_DONE,
};

static void render_whole(enum export_format f, struct export_buf *b)
{
	struct storage_session s = session(STORAGE_KIND_TREADMILL);
	struct storage_sample x[ARRAY_SIZE(whole)];
	struct export_input in = { .session = &s, .samples = x, .n_samples = ARRAY_SIZE(whole) };

	s.duration_s = ARRAY_SIZE(whole);
	for (size_t i = 0; i < ARRAY_SIZE(whole); i++) {
		storage_sample_init(&x[i]);
		x[i].t = (uint32_t) i;
		x[i].phase = whole[i];
		x[i].speed_ckmh = 300;
	}
	*b = (struct export_buf) {};
	assert_int_equal(export_render(f, &in, b), 0);
	export_buf_put(b, "", 1);
}

/* Waiting and countdown go with the warm-up lap, stopping and done with the lap before them:
 * no one-second laps. Each lap has its intensity. */
static void test_laps_fold(void **state)
{
	struct fit_counts c = {};
	struct export_buf b;
	const char *s;

	render_whole(EXPORT_FIT, &b);
	fit_walk(b.data, b.len - 1, &c);
	assert_int_equal(c.data[19], 4);
	assert_int_equal(c.lap_intensity[0], 2); /* warmup: waiting, countdown, warm-up */
	assert_int_equal(c.lap_elapsed[0], 3000);
	assert_int_equal(c.lap_intensity[1], 0); /* active: steady */
	assert_int_equal(c.lap_elapsed[1], 2000);
	assert_int_equal(c.lap_intensity[2], 3); /* cooldown: cool-down, stopping */
	assert_int_equal(c.lap_elapsed[2], 2000);
	assert_int_equal(c.lap_intensity[3], 1); /* rest: stretches, done */
	assert_int_equal(c.lap_elapsed[3], 2000);
	assert_int_equal(c.session_elapsed, 9000); /* the laps add up to the session */
	export_buf_free(&b);

	render_whole(EXPORT_TCX, &b);
	s = (const char *) b.data;
	assert_int_equal(count(s, "<Lap StartTime="), 4);
	assert_int_equal(count(s, "<Intensity>Active</Intensity>"), 3);
	assert_int_equal(count(s, "<Intensity>Resting</Intensity>"), 1);
	export_buf_free(&b);

	render_whole(EXPORT_CSV, &b);
	s = (const char *) b.data;
	for (size_t i = 0; i < ARRAY_SIZE(whole); i++) {
		char cell[32];

		(void) snprintf(cell, sizeof(cell), ",%zu,%s,", i,
				export_phase_to_string(whole[i]));
		assert_non_null(strstr(s, cell));
	}
	export_buf_free(&b);
}

/* The names are the session engine's, for every phase it records. */
static void test_phase_names(void **state)
{
	for (unsigned p = 0; p < _EXPORT_PHASE_MAX; p++)
		assert_string_equal(export_phase_to_string(p), session_phase_to_string(p));
	assert_int_equal(_EXPORT_PHASE_MAX, _SESSION_PHASE_MAX);
	assert_string_equal(export_phase_to_string(_EXPORT_PHASE_MAX), "unknown");
}

/* A pause for a second reason while paused stops the FIT timer once; one resume starts it. */
static void test_fit_nested_pause(void **state)
{
	struct storage_session s = session(STORAGE_KIND_BIKE);
	struct storage_sample x[4];
	struct storage_event e[] = {
		{ .session_id = 42, .t = 1, .type = "pause", .value = 4 /* link */ },
		{ .session_id = 42, .t = 1, .type = "pause", .value = 1 /* user */ },
		{ .session_id = 42, .t = 3, .type = "resume", .value = 5 },
	};
	struct export_input in = {
		.session = &s, .samples = x, .n_samples = 4, .events = e, .n_events = 3
	};
	struct fit_counts c = {};
	struct export_buf b = {};

	samples(x);
	assert_int_equal(export_render(EXPORT_FIT, &in, &b), 0);
	fit_walk(b.data, b.len, &c);
	assert_int_equal(c.data[21], 4); /* start, stop, start, stop_all */
	export_buf_free(&b);
}

static void test_formats(void **state)
{
	struct export_buf b = {};
	struct export_input in = {};

	assert_int_equal(export_format_from_string("tcx"), EXPORT_TCX);
	assert_int_equal(export_format_from_string("fit"), EXPORT_FIT);
	assert_int_equal(export_format_from_string("csv"), EXPORT_CSV);
	assert_int_equal(export_format_from_string("json"), EXPORT_JSON);
	assert_int_equal(export_format_from_string("gpx"), -EINVAL);
	assert_int_equal(export_format_from_string(NULL), -EINVAL);
	assert_string_equal(export_format_to_string(EXPORT_FIT), "fit");
	assert_null(export_format_to_string(_EXPORT_FORMAT_MAX));
	/* No session: refused. */
	assert_int_equal(export_render(EXPORT_CSV, &in, &b), -EINVAL);
	assert_int_equal(b.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit_crc),	     cmocka_unit_test(test_fit_header),
		cmocka_unit_test(test_fit_messages), cmocka_unit_test(test_fit_no_samples),
		cmocka_unit_test(test_xml_escape),   cmocka_unit_test(test_tcx_structure),
		cmocka_unit_test(test_csv),	     cmocka_unit_test(test_json),
		cmocka_unit_test(test_formats),	     cmocka_unit_test(test_laps_fold),
		cmocka_unit_test(test_phase_names),  cmocka_unit_test(test_fit_nested_pause),
		cmocka_unit_test(test_json_guided),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
