/* SPDX-License-Identifier: MIT */
/*
 * FIT activity file (FIT protocol 2.0, little endian): header, file_id, a timer start event,
 * records (1 Hz) with pause/resume as timer stop/start events, a lap after each phase's records
 * (laps.c: warm-up, steady, cool-down, stretches, each with its intensity),
 * session, activity, and the file CRC. Message and field numbers are those of the FIT SDK
 * profile (Profile.xlsx); the comments name each field.
 */
#include "export-internal.h"

#include <errno.h>
#include <string.h>

#define FIT_EPOCH	631065600 /* 1989-12-31T00:00:00Z in unix seconds */
#define FIT_HEADER_SIZE 14
#define FIT_PROTOCOL	0x20 /* 2.0 */
#define FIT_PROFILE	2132 /* 21.32 */

/* Base types. */
enum {
	ENUM = 0x00,
	U8 = 0x02,
	U16 = 0x84,
	U32 = 0x86,
	U32Z = 0x8c,
};

/* Global message numbers. */
enum {
	MESG_FILE_ID = 0,
	MESG_SESSION = 18,
	MESG_LAP = 19,
	MESG_RECORD = 20,
	MESG_EVENT = 21,
	MESG_ACTIVITY = 34,
};

/* Local message types: each global message keeps one. */
enum {
	LOCAL_FILE_ID,
	LOCAL_EVENT,
	LOCAL_RECORD,
	LOCAL_LAP,
	LOCAL_SESSION,
	LOCAL_ACTIVITY,
};

struct fit_field {
	uint8_t num;
	uint8_t size;
	uint8_t type;
};

/* clang-format 14 and 19 break these differently: */
/* clang-format off */
#define F(n, t) { n, t == ENUM || t == U8 ? 1 : t == U16 ? 2 : 4, t }
/* clang-format on */

static const struct fit_field file_id_fields[] = {
	F(0, ENUM), /* type: 4 activity */
	F(1, U16),  /* manufacturer: 255 development */
	F(2, U16),  /* product */
	F(3, U32Z), /* serial_number */
	F(4, U32),  /* time_created */
};

static const struct fit_field event_fields[] = {
	F(253, U32), /* timestamp */
	F(0, ENUM),  /* event: 0 timer */
	F(1, ENUM),  /* event_type: 0 start, 1 stop, 4 stop_all */
};

static const struct fit_field record_fields[] = {
	F(253, U32), /* timestamp */
	F(3, U8),    /* heart_rate, bpm */
	F(4, U8),    /* cadence, rpm */
	F(5, U32),   /* distance, 1/100 m */
	F(6, U16),   /* speed, mm/s */
	F(7, U16),   /* power, W */
};

/* Shared by lap (19) and session (18): the same meaning, different field numbers. */
enum {
	SUM_TIMESTAMP,
	SUM_EVENT,
	SUM_EVENT_TYPE,
	SUM_START_TIME,
	SUM_SPORT,
	SUM_SUB_SPORT,
	SUM_ELAPSED,
	SUM_TIMER,
	SUM_DISTANCE,
	SUM_CALORIES,
	SUM_AVG_SPEED,
	SUM_MAX_SPEED,
	SUM_AVG_HR,
	SUM_MAX_HR,
	SUM_AVG_CADENCE,
	SUM_MAX_CADENCE,
	SUM_AVG_POWER,
	SUM_MAX_POWER,
	SUM_MESSAGE_INDEX,
	_SUM_SHARED,
	SUM_INTENSITY = _SUM_SHARED, /* lap only */
	SUM_FIRST_LAP = _SUM_SHARED, /* session only */
	SUM_NUM_LAPS,		     /* session only */
	_SUM_MAX,
};

static const struct fit_field lap_fields[_SUM_SHARED + 1] = {
	[SUM_TIMESTAMP] = F(253, U32),	   [SUM_EVENT] = F(0, ENUM),
	[SUM_EVENT_TYPE] = F(1, ENUM),	   [SUM_START_TIME] = F(2, U32),
	[SUM_SPORT] = F(25, ENUM),	   [SUM_SUB_SPORT] = F(39, ENUM),
	[SUM_ELAPSED] = F(7, U32),	   [SUM_TIMER] = F(8, U32),
	[SUM_DISTANCE] = F(9, U32),	   [SUM_CALORIES] = F(11, U16),
	[SUM_AVG_SPEED] = F(13, U16),	   [SUM_MAX_SPEED] = F(14, U16),
	[SUM_AVG_HR] = F(15, U8),	   [SUM_MAX_HR] = F(16, U8),
	[SUM_AVG_CADENCE] = F(17, U8),	   [SUM_MAX_CADENCE] = F(18, U8),
	[SUM_AVG_POWER] = F(19, U16),	   [SUM_MAX_POWER] = F(20, U16),
	[SUM_MESSAGE_INDEX] = F(254, U16), [SUM_INTENSITY] = F(23, ENUM),
};

static const struct fit_field session_fields[_SUM_MAX] = {
	[SUM_TIMESTAMP] = F(253, U32),	   [SUM_EVENT] = F(0, ENUM),
	[SUM_EVENT_TYPE] = F(1, ENUM),	   [SUM_START_TIME] = F(2, U32),
	[SUM_SPORT] = F(5, ENUM),	   [SUM_SUB_SPORT] = F(6, ENUM),
	[SUM_ELAPSED] = F(7, U32),	   [SUM_TIMER] = F(8, U32),
	[SUM_DISTANCE] = F(9, U32),	   [SUM_CALORIES] = F(11, U16),
	[SUM_AVG_SPEED] = F(14, U16),	   [SUM_MAX_SPEED] = F(15, U16),
	[SUM_AVG_HR] = F(16, U8),	   [SUM_MAX_HR] = F(17, U8),
	[SUM_AVG_CADENCE] = F(18, U8),	   [SUM_MAX_CADENCE] = F(19, U8),
	[SUM_AVG_POWER] = F(20, U16),	   [SUM_MAX_POWER] = F(21, U16),
	[SUM_MESSAGE_INDEX] = F(254, U16), [SUM_FIRST_LAP] = F(25, U16),
	[SUM_NUM_LAPS] = F(26, U16),
};

static const struct fit_field activity_fields[] = {
	F(253, U32), /* timestamp */
	F(0, U32),   /* total_timer_time, ms */
	F(1, U16),   /* num_sessions */
	F(2, ENUM),  /* type: 0 manual */
	F(3, ENUM),  /* event: 26 activity */
	F(4, ENUM),  /* event_type: 1 stop */
};

#undef F

uint16_t export_fit_crc(uint16_t crc, const void *p, size_t n)
{
	static const uint16_t table[16] = {
		0x0000, 0xcc01, 0xd801, 0x1400, 0xf001, 0x3c00, 0x2800, 0xe401,
		0xa001, 0x6c00, 0x7800, 0xb401, 0x5000, 0x9c01, 0x8801, 0x4400,
	};
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		uint16_t t = table[crc & 0xf];

		crc = ((crc >> 4) & 0x0fff) ^ t ^ table[b[i] & 0xf];
		t = table[crc & 0xf];
		crc = ((crc >> 4) & 0x0fff) ^ t ^ table[(b[i] >> 4) & 0xf];
	}
	return crc;
}

static void put_le(struct export_buf *b, uint32_t v, uint8_t size)
{
	uint8_t x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

	export_buf_put(b, x, size);
}

static void fit_define(struct export_buf *b, uint8_t local, uint16_t global,
		       const struct fit_field *f, size_t n)
{
	uint8_t head[] = { 0x40 | local, 0, 0 /* little endian */ };

	export_buf_put(b, head, sizeof(head));
	put_le(b, global, 2);
	put_le(b, (uint32_t) n, 1);
	for (size_t i = 0; i < n; i++)
		export_buf_put(b, &f[i], 3);
}

/* A data message: the values in the order of @f, each cut to its field's size. */
static void fit_data(struct export_buf *b, uint8_t local, const struct fit_field *f,
		     const uint32_t *v, size_t n)
{
	export_buf_put(b, &local, 1);
	for (size_t i = 0; i < n; i++)
		put_le(b, v[i], f[i].size);
}

/* Convert an optional value to a field, or the base type's "invalid". */
static uint32_t opt(int32_t v, uint8_t type, double scale)
{
	uint32_t invalid = type == U8 || type == ENUM ? 0xff : type == U16 ? 0xffff : 0xffffffff;
	double x;

	if (!export_has(v) || v < 0)
		return invalid;
	x = v * scale + 0.5;
	return x >= invalid ? invalid - 1 : (uint32_t) x;
}

static uint32_t fit_time(const struct export_input *in, uint32_t t)
{
	return (uint32_t) (in->session->started_at + t - FIT_EPOCH);
}

#define DATA(b, local, fields, ...)                                    \
	fit_data(b, local, fields, (const uint32_t[]) { __VA_ARGS__ }, \
		 ARRAY_SIZE(((const uint32_t[]) { __VA_ARGS__ })))

static void fit_record(struct export_buf *b, const struct export_input *in,
		       const struct storage_sample *x)
{
	DATA(b, LOCAL_RECORD, record_fields, fit_time(in, x->t),
	     opt(x->hr_bpm > 0 ? x->hr_bpm : BR_NONE, U8, 1), opt(x->cadence_hrpm, U8, 0.5),
	     opt(x->distance_m, U32, 100), opt(x->speed_ckmh, U16, 1000 / 360.0),
	     opt(x->power_w, U16, 1));
}

static void fit_event(struct export_buf *b, const struct export_input *in, uint32_t t, uint8_t type)
{
	DATA(b, LOCAL_EVENT, event_fields, fit_time(in, t), 0, type);
}

/* Sport (cycling 2 / walking 11) and sub-sport (indoor_cycling 6 / treadmill 1). */
static uint32_t fit_sport(const struct storage_session *s, bool sub)
{
	if (s->kind == STORAGE_KIND_BIKE)
		return sub ? 6 : 2;
	return sub ? 1 : 11;
}

/* Fill the lap/session values every summary shares. */
static void fit_summary(const struct export_input *in, const struct export_lap *l, uint32_t *v)
{
	v[SUM_TIMESTAMP] = fit_time(in, l->end_t);
	v[SUM_START_TIME] = fit_time(in, l->start_t);
	v[SUM_SPORT] = fit_sport(in->session, false);
	v[SUM_SUB_SPORT] = fit_sport(in->session, true);
	v[SUM_ELAPSED] = (l->end_t - l->start_t) * 1000;
	v[SUM_TIMER] = l->timer_s * 1000;
	v[SUM_DISTANCE] = opt(l->distance_m, U32, 100);
	v[SUM_CALORIES] = opt((int32_t) (l->energy_j / 1000), U16, 1);
	v[SUM_AVG_SPEED] = opt(l->avg_speed_ckmh, U16, 1000 / 360.0);
	v[SUM_MAX_SPEED] = opt(l->max_speed_ckmh, U16, 1000 / 360.0);
	v[SUM_AVG_HR] = opt(l->avg_hr_bpm, U8, 1);
	v[SUM_MAX_HR] = opt(l->max_hr_bpm, U8, 1);
	v[SUM_AVG_CADENCE] = opt(l->avg_cadence_hrpm, U8, 0.5);
	v[SUM_MAX_CADENCE] = opt(l->max_cadence_hrpm, U8, 0.5);
	v[SUM_AVG_POWER] = opt(l->avg_power_w, U16, 1);
	v[SUM_MAX_POWER] = opt(l->max_power_w, U16, 1);
}

/* The lap's intensity (FIT enum intensity): warmup 2, cooldown 3, the stretches off the
 * machine rest 1, the rest active 0. */
static uint32_t fit_intensity(uint8_t phase)
{
	switch (phase) {
	case EXPORT_PHASE_WARMUP:
		return 2;
	case EXPORT_PHASE_COOLDOWN:
		return 3;
	case EXPORT_PHASE_STRETCHES:
		return 1;
	default:
		return 0;
	}
}

static void fit_lap(struct export_buf *b, const struct export_input *in, const struct export_lap *l,
		    unsigned index)
{
	uint32_t v[_SUM_MAX] = {};

	fit_summary(in, l, v);
	v[SUM_EVENT] = 9;      /* lap */
	v[SUM_EVENT_TYPE] = 1; /* stop */
	v[SUM_MESSAGE_INDEX] = index;
	v[SUM_INTENSITY] = fit_intensity(l->phase);
	fit_data(b, LOCAL_LAP, lap_fields, v, ARRAY_SIZE(lap_fields));
}

static void fit_session(struct export_buf *b, const struct export_input *in, int n_laps)
{
	struct export_lap whole = { .end = in->n_samples, .end_t = export_session_end_t(in) };
	uint32_t v[_SUM_MAX] = {};

	export_lap_fill(in, &whole);
	fit_summary(in, &whole, v);
	v[SUM_EVENT] = 8;      /* session */
	v[SUM_EVENT_TYPE] = 1; /* stop */
	v[SUM_MESSAGE_INDEX] = 0;
	v[SUM_FIRST_LAP] = 0;
	v[SUM_NUM_LAPS] = (uint32_t) n_laps;
	fit_data(b, LOCAL_SESSION, session_fields, v, ARRAY_SIZE(session_fields));
}

struct fit_timer {
	size_t next_event;
	bool stopped;
};

/* Timer stop/start for the 'pause'/'resume' events up to t, in the order they happened. A
 * pause for a second reason while paused (the link, then the user) stops nothing more. */
static void fit_pauses(struct export_buf *b, const struct export_input *in, struct fit_timer *tm,
		       uint32_t upto_t)
{
	for (; tm->next_event < in->n_events; tm->next_event++) {
		const struct storage_event *e = &in->events[tm->next_event];
		bool pause;

		if (!export_has(e->t) || e->t < 0 || !e->type)
			continue;
		if ((uint32_t) e->t > upto_t)
			break;
		pause = strcmp(e->type, "pause") == 0;
		if ((!pause && strcmp(e->type, "resume") != 0) || pause == tm->stopped)
			continue;
		fit_event(b, in, (uint32_t) e->t, pause ? 1 /* stop */ : 0 /* start */);
		tm->stopped = pause;
	}
}

static void fit_body(struct export_buf *b, const struct export_input *in,
		     const struct export_lap *laps, int n_laps)
{
	uint32_t end_t = laps[n_laps - 1].end_t;
	struct fit_timer tm = {};

	fit_define(b, LOCAL_FILE_ID, MESG_FILE_ID, file_id_fields, ARRAY_SIZE(file_id_fields));
	DATA(b, LOCAL_FILE_ID, file_id_fields, 4, 255, 0,
	     (uint32_t) (in->session->id & 0xffffffff) ?: 1, fit_time(in, 0));
	fit_define(b, LOCAL_EVENT, MESG_EVENT, event_fields, ARRAY_SIZE(event_fields));
	fit_event(b, in, 0, 0 /* start */);
	fit_define(b, LOCAL_RECORD, MESG_RECORD, record_fields, ARRAY_SIZE(record_fields));
	fit_define(b, LOCAL_LAP, MESG_LAP, lap_fields, ARRAY_SIZE(lap_fields));
	for (int l = 0; l < n_laps; l++) {
		for (size_t i = laps[l].first; i < laps[l].end; i++) {
			fit_pauses(b, in, &tm, in->samples[i].t);
			fit_record(b, in, &in->samples[i]);
		}
		fit_lap(b, in, &laps[l], (unsigned) l);
	}
	fit_pauses(b, in, &tm, end_t);
	fit_event(b, in, end_t, 4 /* stop_all */);
	fit_define(b, LOCAL_SESSION, MESG_SESSION, session_fields, ARRAY_SIZE(session_fields));
	fit_session(b, in, n_laps);
	fit_define(b, LOCAL_ACTIVITY, MESG_ACTIVITY, activity_fields, ARRAY_SIZE(activity_fields));
	DATA(b, LOCAL_ACTIVITY, activity_fields, fit_time(in, end_t),
	     (end_t - export_paused_s(in, 0, end_t)) * 1000, 1, 0, 26, 1);
}

int export_fit(const struct export_input *in, struct export_buf *out)
{
	_cleanup_free_ struct export_lap *laps = NULL;
	uint8_t header[FIT_HEADER_SIZE] = { FIT_HEADER_SIZE,
					    FIT_PROTOCOL,
					    FIT_PROFILE & 0xff,
					    FIT_PROFILE >> 8,
					    0,
					    0,
					    0,
					    0,
					    '.',
					    'F',
					    'I',
					    'T' };
	size_t start = out->len, size;
	uint16_t crc;
	int n;

	n = export_laps(in, &laps);
	if (n < 0)
		return n;
	export_buf_put(out, header, sizeof(header));
	fit_body(out, in, laps, n);
	if (out->err)
		return out->err;
	size = out->len - start - FIT_HEADER_SIZE;
	if (size > UINT32_MAX)
		return -EFBIG;
	for (int i = 0; i < 4; i++)
		out->data[start + 4 + i] = (size >> (8 * i)) & 0xff;
	crc = export_fit_crc(0, out->data + start, 12);
	out->data[start + 12] = crc & 0xff;
	out->data[start + 13] = crc >> 8;
	crc = export_fit_crc(0, out->data + start, out->len - start);
	put_le(out, crc, 2);
	return out->err;
}
