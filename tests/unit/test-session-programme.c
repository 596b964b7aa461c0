/* SPDX-License-Identifier: MIT */
/*
 * Programmes: the baseline, 70 % of it, weekly steps, holds and lowering by the morning
 * check-in, flare-ups (said and from bad mornings) and the rebuild, rest days, the programme
 * file's keys, and the safety property: no programme setting or history raises a target above
 * a cap or a change above its rate limit.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "macro.h"
#include "programme.h"
#include "rng.h"

#define N_MAX 400

struct hist {
	struct programme_session s[N_MAX];
	size_t n;
	int32_t flares[16];
	size_t nf;
};

static void add(struct hist *h, int32_t day, uint32_t active_s, int32_t before, int32_t checkin)
{
	assert_true(h->n < N_MAX);
	h->s[h->n++] = (struct programme_session) {
		.day = day,
		.active_s = active_s,
		.pain_before = before,
		.pain_max = before + 1,
		.checkin_pain = checkin,
		.intensity_pct = BR_NONE,
		.end = SESSION_END_COMPLETED,
	};
}

static void status(const struct programme_config *c, const struct hist *h, int32_t today,
		   struct programme_status *st)
{
	struct programme_input in = {
		.start_day = 100,
		.today = today,
		.sessions = h->s,
		.n_sessions = h->n,
		.flare_days = h->flares,
		.n_flares = h->nf,
	};

	assert_int_equal(programme_status(c, &in, st), 0);
	assert_true(strlen(st->why) > 10);
}

/* A baseline of 10, 12 and 11 min on days 100-102: the steps start on day 103. */
static void baseline(struct hist *h)
{
	add(h, 100, 600, 2, 2);
	add(h, 101, 720, 2, 2);
	add(h, 102, 660, 2, 2);
}

/* Five good sessions (Mon, Tue, Thu, Fri, Sat) in the week starting @day, each @len long. */
static void good_week(struct hist *h, int32_t day, uint32_t len)
{
	static const int32_t days[] = { 0, 1, 3, 4, 5 };

	for (size_t i = 0; i < 5; i++)
		add(h, day + days[i], len, 2, 2);
}

static uint32_t up(uint32_t d)
{
	uint32_t n = d * 110 / 100;

	return n - n % 10;
}

static void test_baseline(void **state)
{
	struct programme_config c;
	struct programme_status st;
	struct hist h = { 0 };

	programme_config_default(&c);
	status(&c, &h, 100, &st);
	assert_int_equal(st.phase, PROGRAMME_PHASE_BASELINE);
	assert_int_equal(st.reason, PROGRAMME_REASON_BASELINE);
	assert_int_equal(st.goal_s, 1800); /* 150 min in 5 sessions */
	assert_int_equal(st.session_s, 1800);
	assert_int_equal(st.remaining_this_week, 3);
	add(&h, 100, 600, 2, 2);
	add(&h, 101, 720, 2, 2);
	status(&c, &h, 101, &st);
	assert_int_equal(st.phase, PROGRAMME_PHASE_BASELINE);
	assert_int_equal(st.baseline_done, 2);
	assert_true(st.rest_today); /* one session a day */
	assert_int_equal(st.next_day, 102);
	add(&h, 102, 660, 2, 2);
	status(&c, &h, 103, &st);
	assert_int_equal(st.phase, PROGRAMME_PHASE_STEPS);
	assert_int_equal(st.reason, PROGRAMME_REASON_START);
	assert_int_equal(st.baseline_avg_s, 660);
	assert_int_equal(st.start_s, 460); /* 70 % of 11:00 = 7:42, in 10 s */
	assert_int_equal(st.session_s, 460);
	assert_int_equal(st.week, 1);
	assert_int_equal(st.weeks[1].start_day, 103);
	/* Three days in a row: a rest day (max_days_in_a_row = 3). */
	assert_true(st.rest_today);
	assert_int_equal(st.next_day, 104);
}

static void test_no_baseline(void **state)
{
	struct programme_config c;
	struct programme_status st;
	struct hist h = { 0 };

	programme_config_default(&c);
	c.baseline_sessions = 0;
	status(&c, &h, 100, &st);
	assert_int_equal(st.phase, PROGRAMME_PHASE_STEPS);
	assert_int_equal(st.session_s, 600);
	assert_false(st.rest_today);
}

static void test_steps(void **state)
{
	struct programme_config c;
	struct programme_status st;
	struct hist h = { 0 };
	uint32_t d = 460;

	programme_config_default(&c);
	baseline(&h);
	for (int32_t w = 0; w < 6; w++) {
		status(&c, &h, 103 + 7 * w, &st);
		assert_int_equal(st.week, w + 1);
		assert_int_equal(st.session_s, d);
		assert_int_equal(st.reason, w ? PROGRAMME_REASON_STEP : PROGRAMME_REASON_START);
		assert_int_equal(st.remaining_this_week, 5);
		good_week(&h, 103 + 7 * w, d);
		d = up(d);
	}
	/* 460 500 550 600 660 720 -> 790 */
	assert_int_equal(d, 790);
	status(&c, &h, 103 + 7 * 5 + 6, &st);
	assert_int_equal(st.done_this_week, 5);
	assert_int_equal(st.remaining_this_week, 0);
	assert_true(st.rest_today);
	assert_int_equal(st.next_day, 103 + 7 * 6);
	assert_int_equal(st.weeks[6].sessions, 5);
	assert_int_equal(st.weeks[6].active_s, 5 * 720);
	/* The weeks ahead as if they go well, up to the goal. */
	assert_int_equal(st.n_weeks, 13);
	assert_int_equal(st.weeks[7].session_s, 790);
	assert_int_equal(st.weeks[12].session_s, 1240);
	for (size_t w = 2; w < st.n_weeks; w++)
		assert_true(st.weeks[w].session_s <= st.weeks[w - 1].session_s * 110 / 100);
}

static void test_goal_and_done(void **state)
{
	struct programme_config c;
	struct programme_status st;
	struct hist h = { 0 };

	programme_config_default(&c);
	c.baseline_sessions = 0;
	c.start_minutes = 28;
	c.weeks = 3;
	status(&c, &h, 107, &st);
	assert_int_equal(st.session_s, 1840 > 1800 ? 1800 : 1840);
	assert_int_equal(st.reason, PROGRAMME_REASON_STEP);
	status(&c, &h, 114, &st);
	assert_int_equal(st.reason, PROGRAMME_REASON_AT_GOAL);
	status(&c, &h, 121, &st);
	assert_int_equal(st.phase, PROGRAMME_PHASE_DONE);
	assert_int_equal(st.reason, PROGRAMME_REASON_DONE);
	assert_int_equal(st.session_s, 1800);
}

static void test_hold_and_lower(void **state)
{
	struct programme_config c;
	struct programme_status st;
	struct hist h = { 0 };

	programme_config_default(&c);
	baseline(&h);
	good_week(&h, 103, 460);
	/* Week 2 at 8:20: one morning 1 point worse holds week 3's step. */
	add(&h, 110, 500, 2, 3);
	status(&c, &h, 111, &st);
	assert_int_equal(st.reason, PROGRAMME_REASON_HOLD);
	assert_int_equal(st.session_s, 500); /* within the week nothing changes */
	add(&h, 111, 500, 2, 2);
	status(&c, &h, 117, &st);
	assert_int_equal(st.reason, PROGRAMME_REASON_HOLD);
	assert_int_equal(st.week, 3);
	assert_int_equal(st.session_s, 500);
	assert_int_equal(st.weeks[2].bad_mornings, 1);
	assert_false(st.weeks[2].flags & PROGRAMME_WEEK_HELD);
	assert_true(st.weeks[3].flags & PROGRAMME_WEEK_HELD);
	/* 3 points worse: one step down at once. */
	add(&h, 117, 500, 2, 5);
	status(&c, &h, 118, &st);
	assert_int_equal(st.reason, PROGRAMME_REASON_LOWER);
	assert_int_equal(st.session_s, 450); /* 500 / 1.1 in 10 s */
	assert_true(st.weeks[3].flags & PROGRAMME_WEEK_LOWERED);
	assert_non_null(strstr(st.why, "5/10"));
	/* A week without a bad morning steps up again. */
	add(&h, 118, 450, 2, 2);
	status(&c, &h, 124, &st);
	assert_int_equal(st.reason, PROGRAMME_REASON_HOLD); /* week 3 had bad mornings */
	add(&h, 124, 450, 2, 2);
	status(&c, &h, 131, &st);
	assert_int_equal(st.reason, PROGRAMME_REASON_STEP);
	assert_int_equal(st.session_s, 490);
}

static void test_flare_user(void **state)
{
	struct programme_config c;
	struct programme_status st;
	struct hist h = { 0 };
	uint32_t d = 460;

	programme_config_default(&c);
	baseline(&h);
	for (int32_t w = 0; w < 4; w++) {
		good_week(&h, 103 + 7 * w, d);
		d = up(d);
	}
	/* Week 5 at 11:00; a flare-up said on its second day. */
	add(&h, 131, d, 2, 2);
	h.flares[h.nf++] = 132;
	status(&c, &h, 132, &st);
	assert_int_equal(st.phase, PROGRAMME_PHASE_REBUILD);
	assert_int_equal(st.reason, PROGRAMME_REASON_FLARE_USER);
	assert_int_equal(st.session_s, 390); /* 60 % of 660 */
	assert_int_equal(st.rebuild_to_s, 660);
	assert_int_equal(st.flares, 1);
	assert_int_equal(st.last_flare_day, 132);
	assert_true(st.weeks[5].flags & PROGRAMME_WEEK_FLARE);
	/* Rebuild: the weekly steps from 6:30, back to steps once 11:00 is reached. */
	d = up(390);
	for (int32_t w = 5; w < 11; w++) {
		status(&c, &h, 103 + 7 * w, &st);
		assert_int_equal(st.session_s, d);
		if (d < 660)
			assert_int_equal(st.phase, PROGRAMME_PHASE_REBUILD);
		good_week(&h, 103 + 7 * w, d);
		d = up(d);
	}
	assert_int_equal(st.phase, PROGRAMME_PHASE_STEPS);
}

static void test_flare_mornings(void **state)
{
	struct programme_config c;
	struct programme_status st;
	struct hist h = { 0 };

	programme_config_default(&c);
	baseline(&h);
	good_week(&h, 103, 460);
	add(&h, 110, 500, 2, 3);
	add(&h, 111, 500, 2, BR_NONE); /* no check-in: neither breaks nor adds to the row */
	status(&c, &h, 112, &st);
	assert_int_equal(st.phase, PROGRAMME_PHASE_STEPS);
	add(&h, 113, 500, 3, 4);
	status(&c, &h, 114, &st);
	assert_int_equal(st.phase, PROGRAMME_PHASE_REBUILD);
	assert_int_equal(st.reason, PROGRAMME_REASON_FLARE_MORNINGS);
	assert_int_equal(st.session_s, 300);
	assert_int_equal(st.flares, 1);
	/* A session ended for pain is a bad morning too, and a good one breaks the row. */
	programme_config_default(&c);
	h.n = 0;
	baseline(&h);
	good_week(&h, 103, 460);
	add(&h, 110, 300, 2, BR_NONE);
	h.s[h.n - 1].end = SESSION_END_PAIN;
	add(&h, 111, 500, 2, 2);
	add(&h, 113, 500, 2, 3);
	status(&c, &h, 114, &st);
	assert_int_equal(st.phase, PROGRAMME_PHASE_STEPS);
	assert_int_equal(st.reason, PROGRAMME_REASON_HOLD);
	assert_int_equal(st.weeks[2].bad_mornings, 2);
}

static void test_rest(void **state)
{
	struct programme_config c;
	struct programme_status st;
	struct hist h = { 0 };

	programme_config_default(&c);
	c.baseline_sessions = 0;
	add(&h, 100, 600, 2, 2);
	status(&c, &h, 100, &st);
	assert_true(st.rest_today);
	assert_int_equal(st.next_day, 101);
	add(&h, 101, 600, 2, 2);
	status(&c, &h, 102, &st);
	assert_false(st.rest_today);
	c.max_days_in_a_row = 2;
	status(&c, &h, 102, &st);
	assert_true(st.rest_today);
	assert_int_equal(st.next_day, 103);
	assert_int_equal(st.done_this_week, 2);
	assert_int_equal(st.remaining_this_week, 3);
}

static void test_order(void **state)
{
	struct programme_config c;
	struct programme_status st;
	struct hist h = { 0 };
	struct programme_input in = { .start_day = 100, .today = 110, .sessions = h.s };

	programme_config_default(&c);
	add(&h, 101, 600, 2, 2);
	add(&h, 100, 600, 2, 2);
	in.n_sessions = h.n;
	assert_int_equal(programme_status(&c, &in, &st), -EINVAL);
}

static void test_file_keys(void **state)
{
	char err[PROGRAMME_ERROR_MAX], buf[1024], *line, *save, section[32] = "";
	struct programme_config c, d;

	programme_config_default(&c);
	assert_int_equal(programme_config_set(&c, "programme", "weeks", "6", err), 0);
	assert_int_equal(c.weeks, 6);
	assert_int_equal(programme_config_set(&c, "programme", "kind", "treadmill", err), 0);
	assert_int_equal(c.kind, PROGRAMME_KIND_TREADMILL);
	assert_int_equal(programme_config_set(&c, "programme", "kind", "rowing", err), -EBADMSG);
	assert_non_null(strstr(err, "[programme] kind"));
	assert_int_equal(programme_config_set(&c, "programme", "sessions_per_week", "0", err),
			 -ERANGE);
	assert_string_equal(err, "[programme] sessions_per_week: '0' is not a whole number from 1 "
				 "to 7");
	assert_int_equal(programme_config_set(&c, "steps", "step_pct", "15", err), -ERANGE);
	assert_int_equal(programme_config_set(&c, "steps", "step_pct", "-1", err), -EBADMSG);
	assert_int_equal(programme_config_set(&c, "steps", "step_pct", "5%", err), -EBADMSG);
	assert_int_equal(programme_config_set(&c, "steps", "step_pct", "", err), -EBADMSG);
	assert_int_equal(programme_config_set(&c, "steps", "step_pct", "99999999999999999999", err),
			 -ERANGE);
	assert_int_equal(programme_config_set(&c, "programme", "baseline_sessions", "1", err),
			 -ERANGE);
	assert_int_equal(programme_config_set(&c, "flare", "speed", "1", err), -ENOENT);
	assert_string_equal(err, "[flare] speed: unknown key");
	assert_int_equal(programme_config_set(&c, "flare", "share_pct", "50", err), 0);
	assert_int_equal(c.weeks, 6); /* a failed key changed nothing */
	assert_int_equal(c.step_pct, 10);

	/* The formatted file reads back the same. */
	assert_true(programme_config_format(&c, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "[flare]\nshare_pct = 50\n"));
	programme_config_default(&d);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char key[40], value[40];

		if (sscanf(line, "[%31[^]]]", section) == 1)
			continue;
		assert_int_equal(sscanf(line, "%39s = %39s", key, value), 2);
		assert_int_equal(programme_config_set(&d, section, key, value, err), 0);
	}
	assert_memory_equal(&c, &d, sizeof(c));
}

/* ---- Safety: random settings, histories, caps and plans. ---- */

static struct rng rng;

static void random_config(struct programme_config *c)
{
	uint32_t *f = &c->weekly_minutes;

	programme_config_default(c);
	c->kind = (enum programme_kind) rng_between(&rng, -1, 4);
	/* Every field after kind is a uint32_t: absurd values too. */
	for (size_t i = 0; i < (sizeof(*c) - offsetof(struct programme_config, weekly_minutes)) /
				       sizeof(uint32_t);
	     i++)
		if (rng_chance(&rng, 400))
			f[i] = rng_chance(&rng, 100) ? (uint32_t) rng_next(&rng)
						     : (uint32_t) rng_between(&rng, 0, 500);
}

static void random_history(struct hist *h, int32_t *today)
{
	int32_t day = 100;

	h->n = h->nf = 0;
	while (h->n < N_MAX && rng_chance(&rng, 990)) {
		day += (int32_t) rng_between(&rng, 0, 3);
		add(h, day, (uint32_t) rng_between(&rng, 0, 7200),
		    (int32_t) rng_between(&rng, 0, 10),
		    rng_chance(&rng, 300) ? BR_NONE : (int32_t) rng_between(&rng, 0, 10));
		if (rng_chance(&rng, 50))
			h->s[h->n - 1].end = SESSION_END_PAIN;
		if (h->nf < 16 && rng_chance(&rng, 10))
			h->flares[h->nf++] = day;
	}
	*today = day + (int32_t) rng_between(&rng, 0, 20);
}

static void random_caps(struct envelope_limits *l)
{
	envelope_limits_default(l);
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++) {
		if (rng_chance(&rng, 500))
			l->ch[c].cap = (int32_t) rng_between(&rng, -100, 5000);
		if (rng_chance(&rng, 300))
			l->ch[c].up_per_min = (int32_t) rng_between(&rng, -10, 100000);
		if (rng_chance(&rng, 300))
			l->ch[c].down_per_min = (int32_t) rng_between(&rng, -10, 100000);
	}
}

static void random_targets(enum session_kind kind, struct plan_params *p)
{
	plan_params_default(kind, p);
	p->warmup_s = (uint32_t) rng_between(&rng, 0, 2000);
	p->cooldown_s = (uint32_t) rng_between(&rng, 0, 2000);
	p->start_pct = (uint32_t) rng_between(&rng, 0, 300);
	p->power_w = (int32_t) rng_between(&rng, -50, 3000);
	p->resistance_pct = (int32_t) rng_between(&rng, -5, 300);
	p->speed_ckmh = (int32_t) rng_between(&rng, -100, 3000);
	p->incline_dpct = (int32_t) rng_between(&rng, -20, 300);
}

/* A machine with wide ranges, so that the caps are what limits. */
static void wide_machine(enum session_kind kind, struct session_machine *m)
{
	*m = (struct session_machine) { .kind = kind };
	m->has[SESSION_CH_POWER] = m->has[SESSION_CH_RESISTANCE] = kind == SESSION_KIND_BIKE;
	m->has[SESSION_CH_SPEED] = m->has[SESSION_CH_INCLINE] = kind == SESSION_KIND_TREADMILL;
	m->range[SESSION_CH_POWER] = (struct ftms_range) { 0, 2000, 1 };
	m->range[SESSION_CH_RESISTANCE] = (struct ftms_range) { 0, 1000, 1 };
	m->range[SESSION_CH_SPEED] = (struct ftms_range) { 50, 2500, 1 };
	m->range[SESSION_CH_INCLINE] = (struct ftms_range) { 0, 150, 1 };
}

/* Run the engine on the programme's plan: every target under its cap, every change in its
 * rate (one increment of rounding). */
static void run_engine(const struct plan_params *p, const struct envelope_limits *caps)
{
	_cleanup_(session_freep) struct session_engine *s = NULL;
	struct session_machine m;
	struct session_rules rules;
	struct envelope_limits l = *caps;
	int32_t last[_SESSION_CH_MAX] = { 0 };
	uint64_t last_t[_SESSION_CH_MAX] = { 0 };
	bool have[_SESSION_CH_MAX] = { 0 };

	(void) envelope_limits_bound(&l);
	wide_machine(p->kind, &m);
	session_rules_default(&rules);
	assert_int_equal(session_new(p, caps, &rules, &m, 2, &s), 0);
	if (p->kind == SESSION_KIND_TREADMILL)
		(void) session_confirm_belt(s, 0);
	for (uint64_t t = 0; t < 3 * 3600 * USEC_PER_SEC; t += USEC_PER_SEC) {
		struct session_input in = { .link_up = true,
					    .cadence_present = true,
					    .cadence_hrpm = 160 };
		struct session_output out;
		int r = session_advance(s, t, &in, &out);

		for (unsigned c = 0; c < _SESSION_CH_MAX; c++) {
			int64_t v = out.target[c], cap = l.ch[c].cap, d, rate;

			if (!(out.channels & (1u << c)))
				continue;
			if (c == SESSION_CH_RESISTANCE)
				cap = cap * 1000 / 100;
			assert_true(v <= cap);
			if (!have[c] || (out.rebased & (1u << c))) {
				have[c] = out.changed & (1u << c);
				last[c] = (int32_t) v, last_t[c] = t;
				continue;
			}
			if (v == last[c])
				continue;
			d = v - last[c];
			rate = d > 0 ? l.ch[c].up_per_min : l.ch[c].down_per_min;
			if (c == SESSION_CH_RESISTANCE)
				rate = MAX(rate * 1000 / 100, 1);
			assert_true((d < 0 ? -d : d) * 60000000 <=
				    rate * (int64_t) (t - last_t[c]) + 60000000);
			last[c] = (int32_t) v, last_t[c] = t;
		}
		if (r == 1)
			return;
	}
	fail_msg("the session never ended");
}

static void test_safety(void **state)
{
	static struct hist h;
	unsigned runs = 3000, engine_runs = 0;

	rng_seed(&rng, 0x70726f6772616d6dULL); /* "programm" */
	for (unsigned i = 0; i < runs; i++) {
		enum session_kind kind =
			rng_chance(&rng, 500) ? SESSION_KIND_BIKE : SESSION_KIND_TREADMILL;
		struct programme_config c;
		struct programme_status st;
		struct envelope_limits caps, l;
		struct plan_params targets, p, tb;
		int32_t today;

		random_config(&c);
		random_history(&h, &today);
		random_caps(&caps);
		random_targets(kind, &targets);
		status(&c, &h, today, &st);
		assert_true(st.session_s >= 180 && st.session_s <= 3600);
		/* No week is more than 10 % (the hard step) above the one before. */
		for (size_t w = 2; w < st.n_weeks; w++)
			assert_true((uint64_t) st.weeks[w].session_s * 100 <=
				    (uint64_t) st.weeks[w - 1].session_s * 110);
		assert_int_equal(programme_plan(&st, &targets, &caps, &p), 0);
		l = caps;
		(void) envelope_limits_bound(&l);
		tb = targets;
		(void) plan_params_bound(&tb);
		/* Never above a cap, never above what the planner chose. */
		assert_true(p.power_w <= l.ch[SESSION_CH_POWER].cap && p.power_w <= tb.power_w);
		assert_true(p.resistance_pct <= l.ch[SESSION_CH_RESISTANCE].cap &&
			    p.resistance_pct <= tb.resistance_pct);
		assert_true(p.speed_ckmh <= l.ch[SESSION_CH_SPEED].cap &&
			    p.speed_ckmh <= tb.speed_ckmh);
		assert_true(p.incline_dpct <= l.ch[SESSION_CH_INCLINE].cap &&
			    p.incline_dpct <= tb.incline_dpct);
		assert_true(p.start_pct <= 100);
		assert_true(p.warmup_s + p.steady_s + p.cooldown_s <= 3600);
		assert_int_equal(plan_params_bound(&p), 0);
		if (i % 10 == 0) {
			run_engine(&p, &caps);
			engine_runs++;
		}
	}
	print_message("%u programmes, %u run through the engine\n", runs, engine_runs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline),       cmocka_unit_test(test_no_baseline),
		cmocka_unit_test(test_steps),	       cmocka_unit_test(test_goal_and_done),
		cmocka_unit_test(test_hold_and_lower), cmocka_unit_test(test_flare_user),
		cmocka_unit_test(test_flare_mornings), cmocka_unit_test(test_rest),
		cmocka_unit_test(test_order),	       cmocka_unit_test(test_file_keys),
		cmocka_unit_test(test_safety),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
