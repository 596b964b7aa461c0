/* SPDX-License-Identifier: MIT */
/*
 * gen-history: fill a backride database with synthetic sessions for tests and benchmarks.
 * One session a day from --start (UTC), bike on most days and treadmill every third day, at
 * 1 Hz with warm-up, steady and cool-down phases, phase, pain and pause events, and a
 * session ended early for pain now and then. Deterministic for a given --seed.
 *
 *   gen-history --database FILE [--days N] [--minutes M] [--start YYYY-MM-DD] [--seed S]
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "macro.h"
#include "rng.h"
#include "storage.h"

#define DAY 86400

struct gen {
	struct storage *st;
	struct rng rng;
	unsigned days;
	unsigned minutes;
	int64_t start;
	int64_t bike_id, treadmill_id;
	uint64_t n_samples;
};

/* Deterministic and good enough for noise. */
static uint32_t rnd(struct gen *g)
{
	return (uint32_t) (rng_next(&g->rng) >> 32);
}

/* Return: a uniform integer in [lo, hi]. */
static int rnd_range(struct gen *g, int lo, int hi)
{
	return lo + (int) (rnd(g) % (uint32_t) (hi - lo + 1));
}

/* What one day's session looks like before it is recorded. */
struct day_plan {
	int64_t started_at;
	enum storage_kind kind;
	uint32_t planned_s, warmup_s, cooldown_s;
	int32_t target; /* W for the bike, 0.01 km/h for the treadmill */
	int32_t pain_before;
	uint32_t pain_at; /* t of the mid-session pain report */
	int32_t pain_value;
	uint32_t pause_at; /* 0: no pause */
	uint32_t stop_at;  /* < planned_s: ended early for pain */
};

static void plan_day(struct gen *g, unsigned day, struct day_plan *p)
{
	/* Pain eases over the weeks; targets grow slowly. */
	int ease = (int) MIN(day / 14, 3u);

	p->started_at = g->start + (int64_t) day * DAY + 8 * 3600 + rnd_range(g, 0, 7200);
	p->kind = day % 3 == 2 ? STORAGE_KIND_TREADMILL : STORAGE_KIND_BIKE;
	p->planned_s = g->minutes * 60;
	p->warmup_s = p->planned_s / 6;
	p->cooldown_s = p->planned_s / 6;
	p->target = p->kind == STORAGE_KIND_BIKE ? 60 + (int32_t) MIN(day, 60u) / 2
						 : 300 + (int32_t) MIN(day, 60u) * 2;
	p->pain_before = CLAMP(5 - ease + rnd_range(g, -1, 1), 0, 10);
	p->pain_at = p->warmup_s + (p->planned_s - p->warmup_s - p->cooldown_s) / 2;
	p->pain_value = CLAMP(p->pain_before + rnd_range(g, -1, 1), 0, 10);
	p->pause_at = day % 4 == 1 ? p->warmup_s + 60 : 0;
	p->stop_at = p->planned_s;
	if (day % 7 == 5) {
		/* A bad day: pain rises, the session ends at the report. */
		p->pain_value = 7;
		p->stop_at = p->pain_at + 1;
	}
}

static uint8_t phase_of(const struct day_plan *p, uint32_t t)
{
	if (t < p->warmup_s)
		return 1;
	return t < p->planned_s - p->cooldown_s ? 2 : 3;
}

/* The target at t: a ramp up over the warm-up, steady, a ramp down over the cool-down. */
static int32_t target_at(const struct day_plan *p, uint32_t t, int32_t floor)
{
	int32_t span = p->target - floor;

	if (t < p->warmup_s)
		return floor + span * (int32_t) t / (int32_t) MAX(p->warmup_s, 1u);
	if (t >= p->planned_s - p->cooldown_s)
		return p->target - span * (int32_t) (t - (p->planned_s - p->cooldown_s)) /
					   (int32_t) MAX(p->cooldown_s, 1u);
	return p->target;
}

struct state {
	double distance;
	double hr;
};

static void fill_sample(struct gen *g, const struct day_plan *p, uint32_t t, bool paused,
			struct state *s, struct storage_sample *x)
{
	double speed_kmh, effort;

	x->t = t;
	/* Samples keep the engine's phase numbers (enum session_phase: warm-up 2, steady 3,
	 * cool-down 4), as the daemon records them. */
	x->phase = (uint8_t) (phase_of(p, t) + 1);
	if (p->kind == STORAGE_KIND_BIKE) {
		x->target_power_w = target_at(p, t, 30);
		x->power_w = paused ? 0 : MAX(0, x->target_power_w + rnd_range(g, -4, 4));
		x->cadence_hrpm = paused ? 0 : 2 * rnd_range(g, 58, 68) + rnd_range(g, 0, 1);
		speed_kmh = paused ? 0 : 10 + x->power_w * 0.12 + rnd_range(g, -5, 5) / 10.0;
		x->resistance_d = 20 + x->target_power_w / 5;
		effort = x->power_w / 120.0;
	} else {
		x->target_speed_ckmh = target_at(p, t, 200);
		speed_kmh = paused ? 0 : (x->target_speed_ckmh + rnd_range(g, -5, 5)) / 100.0;
		x->incline_dpct = phase_of(p, t) == 2 ? 10 : 0;
		x->target_incline_dpct = x->incline_dpct;
		effort = speed_kmh / 5.0;
	}
	x->speed_ckmh = (int32_t) (speed_kmh * 100 + 0.5);
	s->distance += speed_kmh / 3.6;
	x->distance_m = (int32_t) s->distance;
	/* Heart rate follows effort with a lag of about half a minute. */
	s->hr += ((70 + 45 * effort) - s->hr) / 30.0;
	x->hr_bpm = (int32_t) (s->hr + 0.5) + rnd_range(g, -1, 1);
}

static int add_event(struct gen *g, int64_t id, const struct day_plan *p, uint32_t t,
		     const char *type, int32_t value, const char *detail)
{
	struct storage_event e = {
		.session_id = id,
		.ts_usec = (p->started_at + t) * (int64_t) USEC_PER_SEC,
		.t = (int32_t) t,
		.type = type,
		.value = value,
		.detail = detail,
	};

	return storage_event_add(g->st, &e);
}

static int phase_event(struct gen *g, int64_t id, const struct day_plan *p, uint32_t t)
{
	static const char *const names[] = { "", "warm-up", "steady", "cool-down" };
	uint8_t ph = phase_of(p, t);

	if (t > 0 && ph == phase_of(p, t - 1))
		return 0;
	return add_event(g, id, p, t, "phase", ph, names[ph]);
}

static int record_events(struct gen *g, int64_t id, const struct day_plan *p, uint32_t t)
{
	int r;

	r = phase_event(g, id, p, t);
	if (r >= 0 && t == p->pain_at)
		r = add_event(g, id, p, t, "pain", p->pain_value, NULL);
	if (r >= 0 && p->pause_at && t == p->pause_at)
		r = add_event(g, id, p, t, "pause", BR_NONE, "rest");
	if (r >= 0 && p->pause_at && t == p->pause_at + 60)
		r = add_event(g, id, p, t, "resume", BR_NONE, NULL);
	return r;
}

static int gen_day(struct gen *g, unsigned day)
{
	struct storage_session_plan sp;
	struct day_plan p;
	struct state s = { .hr = 68 };
	int64_t id;
	int r;

	plan_day(g, day, &p);
	sp = (struct storage_session_plan) {
		.machine_id = p.kind == STORAGE_KIND_BIKE ? g->bike_id : g->treadmill_id,
		.kind = p.kind,
		.profile = "gentle",
		.started_at = p.started_at,
		.planned_s = p.planned_s,
		.warmup_s = p.warmup_s,
		.cooldown_s = p.cooldown_s,
		.target_power_w = p.kind == STORAGE_KIND_BIKE ? p.target : BR_NONE,
		.target_speed_ckmh = p.kind == STORAGE_KIND_BIKE ? BR_NONE : p.target,
		.target_resistance_d = BR_NONE,
		.target_incline_dpct = BR_NONE,
		.pain_before = p.pain_before,
	};
	r = storage_session_begin(g->st, &sp, &id);
	if (r < 0)
		return r;
	for (uint32_t t = 0; t < p.stop_at; t++) {
		struct storage_sample x;
		bool paused = p.pause_at && t >= p.pause_at && t < p.pause_at + 60;

		storage_sample_init(&x);
		x.session_id = id;
		fill_sample(g, &p, t, paused, &s, &x);
		r = record_events(g, id, &p, t);
		if (r >= 0)
			r = storage_sample_append(g->st, &x);
		if (r < 0)
			return r;
	}
	g->n_samples += p.stop_at;
	return storage_session_end(g->st, id, p.started_at + p.stop_at,
				   p.stop_at < p.planned_s ? "pain" : "completed",
				   p.stop_at < p.planned_s ? 6 : MAX(p.pain_before - 1, 0));
}

static int parse_date(const char *s, int64_t *ret)
{
	struct tm tm = {};
	char *end;

	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end)
		return -EINVAL;
	*ret = timegm(&tm);
	return 0;
}

static int parse_args(int argc, char **argv, struct gen *g, const char **db)
{
	static const struct option opts[] = { { "database", required_argument, NULL, 'd' },
					      { "days", required_argument, NULL, 'n' },
					      { "minutes", required_argument, NULL, 'm' },
					      { "start", required_argument, NULL, 's' },
					      { "seed", required_argument, NULL, 'r' },
					      { "help", no_argument, NULL, 'h' },
					      {} };
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) >= 0) {
		switch (c) {
		case 'd':
			*db = optarg;
			break;
		case 'n':
			g->days = (unsigned) strtoul(optarg, NULL, 10);
			break;
		case 'm':
			g->minutes = (unsigned) strtoul(optarg, NULL, 10);
			break;
		case 's':
			if (parse_date(optarg, &g->start) < 0) {
				fprintf(stderr, "gen-history: --start wants YYYY-MM-DD\n");
				return -EINVAL;
			}
			break;
		case 'r':
			g->rng.state = strtoull(optarg, NULL, 0) * 0x9e3779b97f4a7c15ULL + 1;
			break;
		case 'h':
			printf("Usage: gen-history --database FILE [--days N] [--minutes M]"
			       " [--start YYYY-MM-DD] [--seed S]\n");
			exit(0);
		default:
			return -EINVAL;
		}
	}
	if (!*db || g->days == 0 || g->minutes < 2 || g->minutes > 1000) {
		fprintf(stderr,
			"gen-history: need --database, --days >= 1, 2 <= --minutes <= 1000\n");
		return -EINVAL;
	}
	return 0;
}

static int gen_all(struct gen *g)
{
	int r;

	r = storage_machine_upsert(g->st, "C0:FF:EE:00:00:01", "Kettler \"Tour\" & Co's <bike>",
				   STORAGE_KIND_BIKE, g->start, &g->bike_id);
	if (r >= 0)
		r = storage_machine_upsert(g->st, "C0:FF:EE:00:00:02", "Horizon T101",
					   STORAGE_KIND_TREADMILL, g->start, &g->treadmill_id);
	if (r < 0)
		return r;
	r = storage_bulk_begin(g->st);
	for (unsigned d = 0; r >= 0 && d < g->days; d++)
		r = gen_day(g, d);
	if (r < 0) {
		(void) storage_bulk_end(g->st, false);
		return r;
	}
	return storage_bulk_end(g->st, true);
}

int main(int argc, char **argv)
{
	struct gen g = { .rng = { 0x9e3779b97f4a7c16ULL }, .days = 14, .minutes = 30 };
	const char *db = NULL;
	struct timespec t0, t1;
	double s;
	int r;

	(void) parse_date("2026-01-05", &g.start);
	if (parse_args(argc, argv, &g, &db) < 0)
		return 2;
	r = storage_open(db, &g.st);
	if (r < 0) {
		fprintf(stderr, "gen-history: %s\n", storage_open_error());
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = gen_all(&g);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	storage_free(g.st);
	if (r < 0) {
		fprintf(stderr, "gen-history: %s\n", strerror(-r));
		return 1;
	}
	s = (double) (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr,
		"gen-history: %u sessions, %" PRIu64 " samples in %.2f s (%.0f sessions/s)\n",
		g.days, g.n_samples, s, g.days / MAX(s, 1e-9));
	return 0;
}
