/* SPDX-License-Identifier: MIT */
/*
 * Property test of the path a machine's data takes before anything uses it: random frames
 * (random length and bytes), clean frames of a plausible ride or walk, and clean frames with a
 * byte damaged, go through the FTMS codec (the More Data mergers), become a sample as the
 * BlueZ client makes them (daemon/bluez/gatt.c), pass the plausibility filter, and drive a
 * session engine as the coach does. Whatever comes in:
 * - no value that goes through is outside the physical bounds or the machine's ranges;
 * - a counter that goes through continues the last one, starts again from 0, or ends a run
 *   of values that continue each other;
 * - the filter calls it persistent garbage exactly when more than half of the >= 3 records of
 *   the last 10 s had a value dropped (recomputed here);
 * - the engine pauses implausible-data only when told, always when told while exercising,
 *   and the rules never see a value the filter dropped.
 *
 * BACKRIDE_PLAUSIBLE_SEED and BACKRIDE_PLAUSIBLE_RUNS override the seed and the runs.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "ftms.h"
#include "plausible.h"
#include "rng.h"

#define DEFAULT_SEED   0x706c617573696201ULL
#define DEFAULT_RUNS   300
#define FRAMES_PER_RUN 400
#define S(x)	       (1000000ULL * (uint64_t) (x))
#define NONE	       BR_NONE
#define HISTORY	       512

static struct rng rng;

static struct {
	uint64_t frames, records, values, dropped[_PLAUSIBLE_FIELD_MAX], persistent, pauses,
		restarts, reanchors;
} stats;

/* ---- the machine ------------------------------------------------------------------------- */

struct machine {
	struct session_machine m;
	/* The ride or walk the clean frames tell. */
	double distance, elapsed;
	int32_t speed, cadence, power, hr, incline, resistance;
};

static void random_machine(struct machine *x)
{
	struct session_machine *m = &x->m;

	memset(x, 0, sizeof(*x));
	m->kind = rng_chance(&rng, 500) ? SESSION_KIND_BIKE : SESSION_KIND_TREADMILL;
	if (m->kind == SESSION_KIND_BIKE) {
		m->has[SESSION_CH_POWER] = true;
		m->range[SESSION_CH_POWER] =
			(struct ftms_range) { 10, (int32_t) rng_between(&rng, 400, 2000), 1 };
		m->has[SESSION_CH_RESISTANCE] = rng_chance(&rng, 700);
		m->range[SESSION_CH_RESISTANCE] =
			(struct ftms_range) { (int32_t) rng_between(&rng, 0, 10),
					      (int32_t) rng_between(&rng, 100, 1000), 10 };
	} else {
		m->has[SESSION_CH_SPEED] = true;
		m->range[SESSION_CH_SPEED] =
			rng_chance(&rng, 800)
				? (struct ftms_range) { 80, (int32_t) rng_between(&rng, 1000, 2500),
							10 }
				: (struct ftms_range) { 100, 100, 10 };
		m->has[SESSION_CH_INCLINE] = rng_chance(&rng, 600);
		m->range[SESSION_CH_INCLINE] =
			(struct ftms_range) { (int32_t) rng_between(&rng, -50, 0),
					      (int32_t) rng_between(&rng, 50, 300), 5 };
	}
	x->distance = (double) rng_between(&rng, 0, 5000);
	x->elapsed = (double) rng_between(&rng, 0, 600);
}

/* The bounds the README promises, worked out here from the machine. */
static void promised(const struct session_machine *m, int32_t lo[], int32_t hi[])
{
	const struct ftms_range *r;
	bool belt = m->kind == SESSION_KIND_TREADMILL;

	lo[PLAUSIBLE_POWER] = -500, hi[PLAUSIBLE_POWER] = 2500;
	lo[PLAUSIBLE_CADENCE] = 0, hi[PLAUSIBLE_CADENCE] = 500;
	lo[PLAUSIBLE_SPEED] = 0, hi[PLAUSIBLE_SPEED] = belt ? 3000 : 10000;
	lo[PLAUSIBLE_DISTANCE] = 0, hi[PLAUSIBLE_DISTANCE] = 0xFFFFFF;
	lo[PLAUSIBLE_HEART_RATE] = 25, hi[PLAUSIBLE_HEART_RATE] = 230;
	lo[PLAUSIBLE_INCLINE] = -150, hi[PLAUSIBLE_INCLINE] = 400;
	lo[PLAUSIBLE_RESISTANCE] = 0, hi[PLAUSIBLE_RESISTANCE] = 1000;
	lo[PLAUSIBLE_ELAPSED] = 0, hi[PLAUSIBLE_ELAPSED] = 0xFFFF;
	r = &m->range[SESSION_CH_SPEED];
	if (m->has[SESSION_CH_SPEED] && r->min < r->max &&
	    r->max + r->max / 10 < hi[PLAUSIBLE_SPEED])
		hi[PLAUSIBLE_SPEED] = r->max + r->max / 10;
	r = &m->range[SESSION_CH_INCLINE];
	if (m->has[SESSION_CH_INCLINE] && r->min < r->max) {
		lo[PLAUSIBLE_INCLINE] = r->min - 10 > -150 ? r->min - 10 : -150;
		hi[PLAUSIBLE_INCLINE] = r->max + 10 < 400 ? r->max + 10 : 400;
	}
	r = &m->range[SESSION_CH_RESISTANCE];
	if (m->has[SESSION_CH_RESISTANCE] && r->min < r->max) {
		/* Ranges here are not negative: levels or tenths, 0.1 .. 10 x. */
		int32_t a = r->min / 10, b = r->max * 10;

		lo[PLAUSIBLE_RESISTANCE] = a - (b - a) / 10;
		hi[PLAUSIBLE_RESISTANCE] = b + (b - a) / 10;
	}
}

/* ---- frames ------------------------------------------------------------------------------ */

static size_t clean_bike(struct machine *x, uint8_t *buf, size_t len)
{
	struct ftms_indoor_bike_data d = {
		.present = FTMS_IBD_INST_SPEED | FTMS_IBD_INST_CADENCE | FTMS_IBD_TOTAL_DISTANCE |
			   FTMS_IBD_INST_POWER | FTMS_IBD_HEART_RATE | FTMS_IBD_ELAPSED_TIME |
			   (x->m.has[SESSION_CH_RESISTANCE] ? FTMS_IBD_RESISTANCE : 0),
		.inst_speed = (uint16_t) x->speed,
		.inst_cadence = (uint16_t) x->cadence,
		.total_distance = (uint32_t) x->distance,
		.resistance = (int16_t) x->resistance,
		.inst_power = (int16_t) x->power,
		.heart_rate = (uint8_t) x->hr,
		.elapsed_time = (uint16_t) x->elapsed,
	};
	int n = ftms_ibd_encode(&d, buf, len);

	assert_true(n > 0);
	return (size_t) n;
}

static size_t clean_treadmill(struct machine *x, uint8_t *buf, size_t len)
{
	struct ftms_treadmill_data d = {
		.present = FTMS_TM_INST_SPEED | FTMS_TM_TOTAL_DISTANCE | FTMS_TM_HEART_RATE |
			   FTMS_TM_ELAPSED_TIME |
			   (x->m.has[SESSION_CH_INCLINE] ? FTMS_TM_INCLINATION : 0),
		.inst_speed = (uint16_t) x->speed,
		.total_distance = (uint32_t) x->distance,
		.inclination = (int16_t) x->incline,
		.ramp_angle = FTMS_NA_S16,
		.heart_rate = (uint8_t) x->hr,
		.elapsed_time = (uint16_t) x->elapsed,
	};
	int n = ftms_treadmill_encode(&d, buf, len);

	assert_true(n > 0);
	return (size_t) n;
}

/* The ride goes on for @dt µs; then a clean frame of it. */
static size_t clean_frame(struct machine *x, uint64_t dt, uint8_t *buf, size_t len)
{
	bool belt = x->m.kind == SESSION_KIND_TREADMILL;
	const struct ftms_range *r = &x->m.range[SESSION_CH_RESISTANCE];

	x->speed = belt ? (int32_t) rng_between(&rng, 100, 800)
			: (int32_t) rng_between(&rng, 1500, 3500);
	x->distance += x->speed / 360.0 * (double) dt / 1e6;
	x->elapsed += (double) dt / 1e6;
	x->cadence = (int32_t) rng_between(&rng, 120, 200);
	x->power = (int32_t) rng_between(&rng, 0, 300);
	x->hr = (int32_t) rng_between(&rng, 60, 180);
	x->incline = (int32_t) rng_between(&rng, 0, 20);
	x->resistance =
		(int32_t) rng_between(&rng, r->min, r->max) / 10; /* whole levels (XML-2017) */
	return belt ? clean_treadmill(x, buf, len) : clean_bike(x, buf, len);
}

static size_t garbage_frame(uint8_t *buf, size_t len)
{
	size_t n = (size_t) rng_between(&rng, 0, (int64_t) len);

	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t) rng_next(&rng);
	return n;
}

#define PICK(present, bit, v) (((present) & (bit)) ? (int32_t) (v) : NONE)

/* A complete record as a sample, as the BlueZ client makes it (daemon/bluez/gatt.c). */
static int feed(const struct machine *x, struct ftms_ibd_merger *ibd,
		struct ftms_treadmill_merger *tm, const uint8_t *buf, size_t len,
		struct plausible_sample *ret)
{
	struct plausible_sample s;
	int r;

	for (int f = 0; f < _PLAUSIBLE_FIELD_MAX; f++)
		s.v[f] = NONE;
	if (x->m.kind == SESSION_KIND_BIKE) {
		struct ftms_indoor_bike_data d;

		r = ftms_ibd_merger_feed(ibd, buf, len, &d);
		if (r <= 0)
			return r;
		s.v[PLAUSIBLE_POWER] = PICK(d.present, FTMS_IBD_INST_POWER, d.inst_power);
		s.v[PLAUSIBLE_CADENCE] = PICK(d.present, FTMS_IBD_INST_CADENCE, d.inst_cadence);
		s.v[PLAUSIBLE_SPEED] = PICK(d.present, FTMS_IBD_INST_SPEED, d.inst_speed);
		s.v[PLAUSIBLE_DISTANCE] =
			PICK(d.present, FTMS_IBD_TOTAL_DISTANCE, d.total_distance);
		s.v[PLAUSIBLE_RESISTANCE] = PICK(d.present, FTMS_IBD_RESISTANCE, d.resistance);
		s.v[PLAUSIBLE_ELAPSED] = PICK(d.present, FTMS_IBD_ELAPSED_TIME, d.elapsed_time);
		s.v[PLAUSIBLE_HEART_RATE] = PICK(d.present, FTMS_IBD_HEART_RATE, d.heart_rate);
	} else {
		struct ftms_treadmill_data d;

		r = ftms_treadmill_merger_feed(tm, buf, len, &d);
		if (r <= 0)
			return r;
		s.v[PLAUSIBLE_SPEED] = PICK(d.present, FTMS_TM_INST_SPEED, d.inst_speed);
		s.v[PLAUSIBLE_DISTANCE] = PICK(d.present, FTMS_TM_TOTAL_DISTANCE, d.total_distance);
		if ((d.present & FTMS_TM_INCLINATION) && d.inclination != FTMS_NA_S16)
			s.v[PLAUSIBLE_INCLINE] = d.inclination;
		if ((d.present & FTMS_TM_FORCE_AND_POWER) && d.power_output != FTMS_NA_S16)
			s.v[PLAUSIBLE_POWER] = d.power_output;
		s.v[PLAUSIBLE_ELAPSED] = PICK(d.present, FTMS_TM_ELAPSED_TIME, d.elapsed_time);
		s.v[PLAUSIBLE_HEART_RATE] = PICK(d.present, FTMS_TM_HEART_RATE, d.heart_rate);
	}
	*ret = s;
	return 1;
}

/* ---- checks ------------------------------------------------------------------------------ */

/* One counter's recent history, as the test sees it. */
struct history {
	bool have;
	int32_t good;
	uint64_t good_at;
	int32_t raw[2];
	uint64_t raw_at[2];
	bool raw_dropped[2];
	unsigned n_raw;
};

static bool follows(int32_t from, uint64_t at, int32_t v, uint64_t now, int64_t per_s_num,
		    int64_t per_s_den, unsigned margin_s)
{
	int64_t d = (int64_t) v - from;
	int64_t dt = (int64_t) (now - at) + (int64_t) S(margin_s);

	return d >= 0 && d <= dt * per_s_num / (per_s_den * 1000000);
}

/* @na: the counter's "not available", which is absent and never part of a run. */
static void check_counter(struct history *h, int32_t raw, int32_t out, uint64_t now, int64_t num,
			  int64_t den, int32_t na)
{
	if (raw == NONE || raw == na)
		return;
	if (out != NONE) {
		assert_int_equal(out, raw);
		if (h->have && !follows(h->good, h->good_at, out, now, num, den, 60)) {
			if (out < h->good && follows(0, h->good_at, out, now, num, den, 5)) {
				stats.restarts++;
			} else {
				/* A run of 3 that continue each other, the first two dropped. */
				assert_int_equal(h->n_raw, 2);
				assert_true(h->raw_dropped[0] && h->raw_dropped[1]);
				assert_true(follows(h->raw[0], h->raw_at[0], h->raw[1],
						    h->raw_at[1], num, den, 60));
				assert_true(
					follows(h->raw[1], h->raw_at[1], out, now, num, den, 60));
				stats.reanchors++;
			}
		}
		h->have = true;
		h->good = out;
		h->good_at = now;
	}
	if (h->n_raw == 2) {
		h->raw[0] = h->raw[1], h->raw_at[0] = h->raw_at[1];
		h->raw_dropped[0] = h->raw_dropped[1];
		h->n_raw = 1;
	}
	h->raw[h->n_raw] = raw, h->raw_at[h->n_raw] = now;
	h->raw_dropped[h->n_raw++] = out == NONE;
}

struct record_mark {
	uint64_t at;
	bool bad;
};

/* The window rule, recomputed: more than half of >= 3 records of the last 10 whole seconds. */
static bool window_says(const struct record_mark *m, size_t n, uint64_t now)
{
	uint64_t second = now / S(1);
	unsigned records = 0, bad = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t s = m[i].at / S(1);

		if (s <= second && s + 10 > second) {
			records++;
			bad += m[i].bad;
		}
	}
	return records >= 3 && 2 * bad > records;
}

struct run {
	struct machine x;
	struct plausible p;
	struct ftms_ibd_merger ibd;
	struct ftms_treadmill_merger tm;
	struct session_engine *engine;
	struct session_input in;
	struct history distance, elapsed;
	struct record_mark marks[HISTORY];
	size_t n_marks;
	int32_t lo[_PLAUSIBLE_FIELD_MAX], hi[_PLAUSIBLE_FIELD_MAX];
	uint64_t now, next_step;
};

static void check_record(struct run *r, const struct plausible_sample *raw)
{
	struct plausible_sample x = *raw;
	uint32_t dropped;

	dropped = plausible_check(&r->p, r->now, &x);
	stats.records++;
	for (int f = 0; f < _PLAUSIBLE_FIELD_MAX; f++) {
		if (raw->v[f] != NONE)
			stats.values++;
		if (dropped & (1u << f)) {
			stats.dropped[f]++;
			assert_int_equal(x.v[f], NONE);
		}
		if (x.v[f] == NONE)
			continue;
		assert_true(x.v[f] >= r->lo[f] && x.v[f] <= r->hi[f]);
		assert_false(f == PLAUSIBLE_HEART_RATE && x.v[f] == 0);
	}
	check_counter(&r->distance, raw->v[PLAUSIBLE_DISTANCE], x.v[PLAUSIBLE_DISTANCE], r->now,
		      r->hi[PLAUSIBLE_SPEED], 360, 0xFFFFFF);
	check_counter(&r->elapsed, raw->v[PLAUSIBLE_ELAPSED], x.v[PLAUSIBLE_ELAPSED], r->now, 1, 1,
		      0xFFFF);
	if (r->n_marks == HISTORY)
		memmove(r->marks, r->marks + 1, --r->n_marks * sizeof(r->marks[0]));
	r->marks[r->n_marks++] = (struct record_mark) { r->now, dropped != 0 };
	/* What the coach gives the engine: the latest values that went through. */
	r->in.power_present = x.v[PLAUSIBLE_POWER] != NONE;
	r->in.power_w = x.v[PLAUSIBLE_POWER];
	r->in.cadence_present = x.v[PLAUSIBLE_CADENCE] != NONE;
	r->in.cadence_hrpm = x.v[PLAUSIBLE_CADENCE];
	r->in.speed_present = x.v[PLAUSIBLE_SPEED] != NONE;
	r->in.speed_ckmh = x.v[PLAUSIBLE_SPEED];
	r->in.hr_present = x.v[PLAUSIBLE_HEART_RATE] != NONE;
	r->in.hr_bpm = x.v[PLAUSIBLE_HEART_RATE];
}

/* The engine's 1 Hz steps up to now, as the coach runs them. */
static void steps(struct run *r)
{
	while (r->next_step <= r->now) {
		struct session_output out;
		bool persistent = plausible_persistent(&r->p, r->next_step);
		enum session_phase before = session_get_phase(r->engine);
		uint32_t paused_before = session_get_paused(r->engine);

		assert_int_equal(persistent, window_says(r->marks, r->n_marks, r->next_step));
		stats.persistent += persistent;
		r->in.link_up = true;
		r->in.implausible = persistent;
		/* The rules only ever see values within the bounds. */
		assert_true(!r->in.power_present || (r->in.power_w >= r->lo[PLAUSIBLE_POWER] &&
						     r->in.power_w <= r->hi[PLAUSIBLE_POWER]));
		assert_true(!r->in.hr_present || (r->in.hr_bpm >= 25 && r->in.hr_bpm <= 230));
		(void) session_advance(r->engine, r->next_step, &r->in, &out);
		if (out.paused & SESSION_PAUSE_IMPLAUSIBLE)
			assert_true(persistent || (paused_before & SESSION_PAUSE_IMPLAUSIBLE));
		if (persistent && before >= SESSION_PHASE_WARMUP &&
		    before <= SESSION_PHASE_COOLDOWN && out.phase >= SESSION_PHASE_WARMUP &&
		    out.phase <= SESSION_PHASE_COOLDOWN)
			assert_true(out.paused & SESSION_PAUSE_IMPLAUSIBLE);
		if ((out.paused & SESSION_PAUSE_IMPLAUSIBLE) &&
		    !(paused_before & SESSION_PAUSE_IMPLAUSIBLE))
			stats.pauses++;
		/* The user resumes once the data is plausible again, as the coach allows. */
		if (!persistent && (out.paused & SESSION_PAUSE_IMPLAUSIBLE) &&
		    rng_chance(&rng, 300))
			assert_int_equal(session_resume(r->engine, r->next_step), 0);
		if (session_get_phase(r->engine) == SESSION_PHASE_WAITING)
			(void) session_confirm_belt(r->engine, r->next_step);
		r->next_step += S(1);
	}
}

static void run_one(void)
{
	struct run r = { .now = S(rng_between(&rng, 0, 100000)) };
	struct plan_params plan;
	struct envelope_limits limits;
	struct session_rules rules;
	struct session_machine em;
	unsigned mode = 0; /* 0 clean, 1 garbage, 2 damaged clean frames */

	random_machine(&r.x);
	/* The engine needs a belt it can drive; the filter ignores a range without extent. */
	em = r.x.m;
	if (em.kind == SESSION_KIND_TREADMILL)
		em.range[SESSION_CH_SPEED] = (struct ftms_range) { 80, 1800, 10 };
	plausible_init(&r.p, &r.x.m);
	promised(&r.x.m, r.lo, r.hi);
	for (int f = 0; f < _PLAUSIBLE_FIELD_MAX; f++) {
		int32_t lo, hi;

		plausible_bounds(&r.p, (enum plausible_field) f, &lo, &hi);
		assert_int_equal(lo, r.lo[f]);
		assert_int_equal(hi, r.hi[f]);
	}
	ftms_ibd_merger_init(&r.ibd);
	ftms_treadmill_merger_init(&r.tm);
	plan_params_default(r.x.m.kind, &plan);
	plan.warmup_s = 60, plan.steady_s = 1800, plan.cooldown_s = 60;
	envelope_limits_default(&limits);
	session_rules_default(&rules);
	assert_int_equal(session_new(&plan, &limits, &rules, &em, BR_NONE, &r.engine), 0);
	(void) session_confirm_belt(r.engine, 0);
	r.next_step = r.now;
	for (int i = 0; i < FRAMES_PER_RUN; i++) {
		uint8_t buf[64];
		struct plausible_sample raw;
		uint64_t dt = (uint64_t) rng_between(&rng, 50000, 1500000);
		size_t n;

		if (rng_chance(&rng, 40))
			mode = (unsigned) rng_between(&rng, 0, 2);
		r.now += dt;
		if (mode == 1) {
			n = garbage_frame(buf, sizeof(buf));
			r.x.distance += 5 * (double) dt / 1e6; /* the machine goes on meanwhile */
			r.x.elapsed += (double) dt / 1e6;
		} else {
			n = clean_frame(&r.x, dt, buf, sizeof(buf));
			if (mode == 2 && n > 0)
				buf[rng_between(&rng, 0, (int64_t) n - 1)] ^=
					(uint8_t) rng_between(&rng, 1, 255);
		}
		stats.frames++;
		steps(&r);
		if (feed(&r.x, &r.ibd, &r.tm, buf, n, &raw) == 1)
			check_record(&r, &raw);
	}
	session_free(r.engine);
}

static void test_random_frames(void **state)
{
	const char *e;
	uint64_t seed = DEFAULT_SEED;
	unsigned runs = DEFAULT_RUNS;

	if ((e = getenv("BACKRIDE_PLAUSIBLE_SEED")))
		seed = strtoull(e, NULL, 0);
	if ((e = getenv("BACKRIDE_PLAUSIBLE_RUNS")))
		runs = (unsigned) strtoul(e, NULL, 0);
	rng.state = seed ? seed : 1;
	printf("# seed 0x%016" PRIx64 ", %u runs\n", seed, runs);
	for (unsigned i = 0; i < runs; i++)
		run_one();
	printf("# %" PRIu64 " frames, %" PRIu64 " records, %" PRIu64 " values, dropped:",
	       stats.frames, stats.records, stats.values);
	for (int f = 0; f < _PLAUSIBLE_FIELD_MAX; f++)
		printf(" %s %" PRIu64, plausible_field_to_string((enum plausible_field) f),
		       stats.dropped[f]);
	printf("\n# %" PRIu64 " persistent steps, %" PRIu64 " pauses, %" PRIu64
	       " counter restarts, %" PRIu64 " re-anchored\n",
	       stats.persistent, stats.pauses, stats.restarts, stats.reanchors);
	/* Not vacuous: garbage was dropped, paused sessions, and clean data went through. */
	assert_true(stats.frames >= 1000 && stats.records >= stats.frames / 4);
	for (int f = 0; f < _PLAUSIBLE_FIELD_MAX; f++)
		if (f != PLAUSIBLE_INCLINE && f != PLAUSIBLE_RESISTANCE)
			assert_true(stats.dropped[f] > 0);
	assert_true(stats.pauses > 0 && stats.persistent > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
