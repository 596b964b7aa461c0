/* SPDX-License-Identifier: MIT */
/*
 * Property test of the session engine: random machines, limits (absurd ones too), plans,
 * rules, commands, pain, heart rate, cadence, link faults, safety keys and step sizes, from a
 * seeded PRNG. Whatever happens, no target ever exceeds a cap or the machine's range, no
 * change is faster than its rate limit (one increment of rounding allowed), and a belt never
 * gets a non-zero speed before the first confirmation or after a safety-key stop.
 *
 * BACKRIDE_SESSION_SEED and BACKRIDE_SESSION_RUNS override the seed and the number of runs.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "engine.h"
#include "rng.h"

#define DEFAULT_SEED 0x6261636b72696465ULL /* "backride" */
#define DEFAULT_RUNS 5000
#define STEPS_MAX    3000

static struct rng rng;

/* What the runs went through, to show the test is not vacuous. */
static struct {
	uint64_t steps, changes, refused;
	unsigned ends[_SESSION_END_MAX];
	unsigned phases[_SESSION_PHASE_MAX];
} stats;

static struct session_machine random_machine(void)
{
	struct session_machine m = { .kind = rng_chance(&rng, 500) ? SESSION_KIND_BIKE
								   : SESSION_KIND_TREADMILL };
	int32_t lo;

	if (m.kind == SESSION_KIND_BIKE) {
		m.has[SESSION_CH_POWER] = rng_chance(&rng, 700);
		m.has[SESSION_CH_RESISTANCE] = !m.has[SESSION_CH_POWER] || rng_chance(&rng, 500);
	} else {
		m.has[SESSION_CH_SPEED] = true;
		m.has[SESSION_CH_INCLINE] = rng_chance(&rng, 600);
	}
	lo = (int32_t) rng_between(&rng, 0, 60);
	m.range[SESSION_CH_POWER] =
		(struct ftms_range) { lo, lo + (int32_t) rng_between(&rng, 50, 2000),
				      (uint32_t) rng_between(&rng, 1, 10) };
	lo = (int32_t) rng_between(&rng, 0, 100);
	m.range[SESSION_CH_RESISTANCE] =
		(struct ftms_range) { lo, lo + (int32_t) rng_between(&rng, 10, 2000),
				      (uint32_t) rng_between(&rng, 1, 20) };
	m.range[SESSION_CH_SPEED] = (struct ftms_range) { (int32_t) rng_between(&rng, 30, 200),
							  (int32_t) rng_between(&rng, 600, 2500),
							  (uint32_t) rng_between(&rng, 1, 20) };
	m.range[SESSION_CH_INCLINE] = (struct ftms_range) { (int32_t) rng_between(&rng, -50, 0),
							    (int32_t) rng_between(&rng, 30, 200),
							    (uint32_t) rng_between(&rng, 1, 10) };
	if (rng_chance(&rng, 20)) /* a zero increment from broken firmware */
		m.range[SESSION_CH_POWER].increment = 0;
	return m;
}

static void random_limits(struct envelope_limits *l)
{
	envelope_limits_default(l);
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++) {
		if (rng_chance(&rng, 300))
			l->ch[c].cap = (int32_t) rng_between(&rng, -100, 5000);
		if (rng_chance(&rng, 300))
			l->ch[c].up_per_min = (int32_t) rng_between(&rng, -10, 100000);
		if (rng_chance(&rng, 300))
			l->ch[c].down_per_min = (int32_t) rng_between(&rng, -10, 100000);
	}
}

static void random_plan(enum session_kind kind, struct plan_params *p)
{
	plan_params_default(kind, p);
	p->warmup_s = (uint32_t) rng_between(&rng, 0, 400);
	p->steady_s = (uint32_t) rng_between(&rng, 0, 900);
	p->cooldown_s = (uint32_t) rng_between(&rng, 0, 400);
	p->stretches = rng_chance(&rng, 500);
	p->start_pct = (uint32_t) rng_between(&rng, 0, 150);
	p->power_w = (int32_t) rng_between(&rng, -50, rng_chance(&rng, 100) ? 3000 : 150);
	p->resistance_pct = (int32_t) rng_between(&rng, -5, 120);
	p->speed_ckmh = (int32_t) rng_between(&rng, -100, rng_chance(&rng, 100) ? 3000 : 600);
	p->incline_dpct = (int32_t) rng_between(&rng, -20, 200);
}

static void random_rules(struct session_rules *r)
{
	session_rules_default(r);
	r->hr_max_bpm = rng_chance(&rng, 500) ? (uint32_t) rng_between(&rng, 0, 250) : 0;
	r->cadence_floor_rpm = (uint32_t) rng_between(&rng, 0, 100);
	r->no_pedal_s = (uint32_t) rng_between(&rng, 0, 70);
	r->link_timeout_s = (uint32_t) rng_between(&rng, 0, 400);
	r->resume_pct = (uint32_t) rng_between(&rng, 0, 150);
	r->reramp_pct_min = (uint32_t) rng_between(&rng, 0, 100);
	r->countdown_s = (uint32_t) rng_between(&rng, 0, 12);
}

/* What the checks need: effective caps, grid and rates in machine units. */
struct bounds {
	int64_t lo[_SESSION_CH_MAX], hi[_SESSION_CH_MAX];
	int64_t inc[_SESSION_CH_MAX], up[_SESSION_CH_MAX], down[_SESSION_CH_MAX];
};

static void bounds_of(const struct session_machine *m, const struct envelope_limits *limits,
		      struct bounds *b)
{
	struct envelope_limits l = *limits;

	(void) envelope_limits_bound(&l);
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++) {
		const struct ftms_range *r = &m->range[c];
		int64_t span = r->max - r->min, cap = l.ch[c].cap;
		int64_t up = l.ch[c].up_per_min, down = l.ch[c].down_per_min;

		if (c == SESSION_CH_RESISTANCE) {
			cap = r->min + cap * span / 100;
			up = up * span / 100 > 1 ? up * span / 100 : 1;
			down = down * span / 100 > 1 ? down * span / 100 : 1;
		}
		b->lo[c] = c == SESSION_CH_INCLINE && r->min < 0 ? 0 : r->min;
		b->hi[c] = cap < r->max ? cap : r->max;
		b->inc[c] = r->increment ? r->increment : 1;
		b->up[c] = up;
		b->down[c] = down;
	}
}

struct run_state {
	int32_t last[_SESSION_CH_MAX];
	uint64_t last_t[_SESSION_CH_MAX];
	bool have[_SESSION_CH_MAX];
	bool confirmed;
	bool key_pulled;
	bool done;
	uint64_t elapsed;
	uint32_t planned_s;
};

static void check_step(const struct session_machine *m, const struct bounds *b,
		       struct run_state *st, uint64_t now, const struct session_input *in,
		       const struct session_output *out)
{
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++) {
		int64_t v = out->target[c], d, rate;

		if (!(out->channels & (1u << c)))
			continue;
		assert_true(m->has[c]);
		if (!(c == SESSION_CH_SPEED && v == 0)) {
			if (v < b->lo[c] || v > b->hi[c])
				fail_msg("%s %" PRId64 " outside [%" PRId64 ", %" PRId64 "]",
					 session_channel_to_string(c), v, b->lo[c], b->hi[c]);
		}
		/* Nothing was commanded before the first write: it is the baseline. */
		if (!st->have[c] && !(out->changed & (1u << c)))
			continue;
		if (out->rebased & (1u << c) || !st->have[c]) {
			st->have[c] = true;
			st->last[c] = (int32_t) v;
			st->last_t[c] = now;
			continue;
		}
		if (v == st->last[c])
			continue;
		stats.changes++;
		d = v - st->last[c];
		rate = d > 0 ? b->up[c] : b->down[c];
		/* |d| <= rate * dt + one increment (rounding), in exact integers */
		if ((d < 0 ? -d : d) * 60000000 >
		    rate * (int64_t) (now - st->last_t[c]) + b->inc[c] * 60000000)
			fail_msg("%s %d -> %" PRId64 " in %" PRIu64 " us: faster than %" PRId64
				 "/min",
				 session_channel_to_string(c), st->last[c], v, now - st->last_t[c],
				 rate);
		st->last[c] = (int32_t) v;
		st->last_t[c] = now;
	}
	if (m->kind == SESSION_KIND_TREADMILL) {
		if (!st->confirmed || st->key_pulled)
			assert_int_equal(out->target[SESSION_CH_SPEED], 0);
		if (out->phase == SESSION_PHASE_WAITING || out->phase == SESSION_PHASE_COUNTDOWN ||
		    (out->paused & SESSION_PAUSE_CONFIRM))
			assert_int_equal(out->target[SESSION_CH_SPEED], 0);
	}
	if (st->done)
		assert_int_equal(out->changed & ~out->rebased, 0);
	stats.phases[out->phase]++;
	/* Nothing is written over a link that is down. */
	if (!in->link_up)
		assert_int_equal(out->changed, 0);
	/* Session time never exceeds the plan (a pain cool-down only shortens it) + stretches. */
	assert_true(out->elapsed_usec <= (uint64_t) (st->planned_s + 130) * 1000000);
	assert_true(out->elapsed_usec >= st->elapsed);
	st->elapsed = out->elapsed_usec;
	st->done = out->done;
}

static void commands(struct session_engine *s, struct run_state *st, uint64_t now)
{
	if (rng_chance(&rng, 3))
		(void) session_report_pain(s, now, (int32_t) rng_between(&rng, 0, 10));
	if (rng_chance(&rng, 2))
		(void) session_pause(s, now);
	if (rng_chance(&rng, 5))
		(void) session_resume(s, now);
	if (rng_chance(&rng, 1))
		(void) session_stop(s, now,
				    (enum session_end) rng_between(&rng, 0, _SESSION_END_MAX));
	if (rng_chance(&rng, 10) && session_confirm_belt(s, now) == 0)
		st->confirmed = true;
}

static void inputs(struct session_input *in, const struct session_output *out, double *factor)
{
	if (rng_chance(&rng, in->link_up ? 2 : 15))
		in->link_up = !in->link_up;
	if (rng_chance(&rng, 20)) {
		in->cadence_present = !rng_chance(&rng, 100);
		in->cadence_hrpm = rng_chance(&rng, 200) ? 0 : (int32_t) rng_between(&rng, 1, 240);
	}
	if (rng_chance(&rng, 20)) {
		in->hr_present = rng_chance(&rng, 700);
		in->hr_bpm = (int32_t) rng_between(&rng, 50, 220);
	}
	if (rng_chance(&rng, 5))
		*factor = rng_chance(&rng, 300) ? 1.609 : rng_chance(&rng, 200) ? 0 : 1.0;
	in->speed_present = !rng_chance(&rng, 20);
	in->speed_ckmh = (int32_t) (out->target[SESSION_CH_SPEED] * *factor);
	in->power_present = true;
	in->power_w = out->target[SESSION_CH_POWER];
	in->safety_key = rng_chance(&rng, 1);
}

static uint64_t random_step(void)
{
	switch (rng_between(&rng, 0, 9)) {
	case 0:
		return (uint64_t) rng_between(&rng, 0, 50000); /* up to 50 ms */
	case 1:
		return (uint64_t) rng_between(&rng, 1, 60) * 1000000; /* a stalled timer */
	default:
		return (uint64_t) rng_between(&rng, 50000, 2000000);
	}
}

static void one_run(void)
{
	struct session_machine m = random_machine();
	struct session_engine *s = NULL;
	struct session_input in = { .link_up = true, .cadence_present = true, .cadence_hrpm = 160 };
	struct session_output out = {};
	struct envelope_limits l;
	struct session_rules ru;
	struct plan_params p;
	struct run_state st = {};
	struct bounds b;
	double factor = 1.0;
	uint64_t now = (uint64_t) rng_between(&rng, 0, 1000000000);
	int r;

	random_limits(&l);
	random_plan(m.kind, &p);
	random_rules(&ru);
	bounds_of(&m, &l, &b);
	r = session_new(&p, &l, &ru, &m,
			rng_chance(&rng, 500) ? (int32_t) rng_between(&rng, 0, 10) : BR_NONE, &s);
	if (r < 0) {
		assert_true(r == -ERANGE || r == -EINVAL);
		stats.refused++;
		return;
	}
	st.planned_s = session_get_planned_s(s);
	if (rng_chance(&rng, 100) && session_confirm_belt(s, now) == 0)
		st.confirmed = true;
	if (rng_chance(&rng, 20)) /* commands before the first step */
		commands(s, &st, now);
	for (unsigned i = 0; i < STEPS_MAX; i++) {
		inputs(&in, &out, &factor);
		/* The key is seen with the link up (it comes over the link). */
		if (m.kind == SESSION_KIND_TREADMILL && in.safety_key && in.link_up && !st.done)
			st.key_pulled = true;
		now += random_step();
		r = session_advance(s, now, &in, &out);
		stats.steps++;
		check_step(&m, &b, &st, now, &in, &out);
		if (r == 1 && rng_chance(&rng, 50))
			break;
		commands(s, &st, now);
	}
	stats.ends[session_get_end(s)]++;
	session_free(s);
}

static void test_property(void **state)
{
	const char *e = getenv("BACKRIDE_SESSION_SEED");
	const char *n = getenv("BACKRIDE_SESSION_RUNS");
	uint64_t seed = e ? strtoull(e, NULL, 0) : DEFAULT_SEED;
	unsigned runs = n ? (unsigned) strtoul(n, NULL, 0) : DEFAULT_RUNS;

	printf("# session property test: seed 0x%016" PRIx64 ", %u runs\n", seed, runs);
	rng.state = seed ? seed : 1;
	for (unsigned i = 0; i < runs; i++)
		one_run();
	printf("# %u runs (%" PRIu64 " machines refused), %" PRIu64 " steps, %" PRIu64
	       " target changes: all within caps, ranges and rates\n",
	       runs, stats.refused, stats.steps, stats.changes);
	printf("# ends:");
	for (unsigned i = 0; i < _SESSION_END_MAX; i++)
		printf(" %s %u", session_end_to_string(i), stats.ends[i]);
	printf("\n# steps per phase:");
	for (unsigned i = 0; i < _SESSION_PHASE_MAX; i++)
		printf(" %s %u", session_phase_to_string(i), stats.phases[i]);
	printf("\n");
	/* Every kind of ending and every phase happened. */
	for (unsigned i = 1; i < _SESSION_END_MAX; i++)
		assert_true(stats.ends[i] > 0);
	for (unsigned i = 0; i < _SESSION_PHASE_MAX; i++)
		assert_true(stats.phases[i] > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_property),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
