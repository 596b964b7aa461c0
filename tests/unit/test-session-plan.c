/* SPDX-License-Identifier: MIT */
/* Plans: the first session, progression from history, holds and reductions, bounds. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "plan.h"

#define DAY	 (24 * 3600)
#define T0	 1767225600 /* 2026-01-01 00:00 UTC */
#define HIST_MAX 400

static struct plan_history good(const struct plan_params *p, int64_t at)
{
	uint32_t planned = p->warmup_s + p->steady_s + p->cooldown_s;

	return (struct plan_history) {
		.started_at = at,
		.kind = p->kind,
		.steady_s = p->steady_s,
		.planned_s = planned,
		.active_s = planned,
		.power_w = p->kind == SESSION_KIND_BIKE ? p->power_w : BR_NONE,
		.resistance_pct = p->kind == SESSION_KIND_BIKE ? p->resistance_pct : BR_NONE,
		.speed_ckmh = p->kind == SESSION_KIND_TREADMILL ? p->speed_ckmh : BR_NONE,
		.incline_dpct = p->kind == SESSION_KIND_TREADMILL ? p->incline_dpct : BR_NONE,
		.pain_before = 2,
		.pain_max = 3,
		.pain_after = 2,
		.end = SESSION_END_COMPLETED,
		.checkin_delta = BR_NONE,
	};
}

static void next(enum session_kind kind, const struct plan_history *h, size_t n, int64_t now,
		 struct plan_params *p, struct plan_reason *why)
{
	struct envelope_limits caps;
	struct plan_config cfg;

	envelope_limits_default(&caps);
	plan_config_default(kind, &cfg);
	assert_int_equal(plan_next(&cfg, &caps, h, n, now, p, why), 0);
	assert_true(strlen(why->text) > 10);
}

static void test_first(void **state)
{
	struct plan_reason why;
	struct plan_params p;

	next(SESSION_KIND_BIKE, NULL, 0, T0, &p, &why);
	assert_int_equal(why.code, PLAN_REASON_FIRST);
	assert_string_equal(plan_reason_code_to_string(why.code), "first");
	assert_int_equal(p.kind, SESSION_KIND_BIKE);
	assert_int_equal(p.warmup_s, 300);
	assert_int_equal(p.steady_s, 900);
	assert_int_equal(p.cooldown_s, 300);
	assert_true(p.stretches);
	assert_int_equal(p.power_w, 45); /* 40-50 W */
	assert_int_equal(p.resistance_pct, 20);

	next(SESSION_KIND_TREADMILL, NULL, 0, T0, &p, &why);
	assert_int_equal(why.code, PLAN_REASON_FIRST);
	assert_int_equal(p.speed_ckmh, 350);
	assert_int_equal(p.incline_dpct, 0);
	assert_int_equal(p.steady_s, 900);
}

/* The plan a week before `now` in a history of consecutive plans. */
static const struct plan_history *week_ago(const struct plan_history *h, size_t n, int64_t now)
{
	const struct plan_history *ref = &h[0];

	for (size_t i = 0; i < n; i++)
		if (h[i].started_at <= now - 7 * DAY)
			ref = &h[i];
	return ref;
}

/* Good sessions every other day: duration first to 30 min, then intensity to the 100 W cap;
 * never +2 min a session, +5 % a session, nor +10 % on a week. */
static void progression(enum session_kind kind, int32_t cap)
{
	static struct plan_history h[HIST_MAX];
	struct plan_params p, prev;
	struct plan_reason why;
	size_t n = 0;
	bool intensity_started = false;

	next(kind, NULL, 0, T0, &prev, &why);
	h[n++] = good(&prev, T0);
	for (int64_t now = T0 + 2 * DAY; n < HIST_MAX; now += 2 * DAY) {
		const struct plan_history *ref = week_ago(h, n, now);
		int32_t cur = kind == SESSION_KIND_BIKE ? prev.power_w : prev.speed_ckmh;
		int32_t refv = kind == SESSION_KIND_BIKE ? ref->power_w : ref->speed_ckmh;
		int32_t v;

		next(kind, h, n, now, &p, &why);
		v = kind == SESSION_KIND_BIKE ? p.power_w : p.speed_ckmh;
		assert_true(p.steady_s >= prev.steady_s);
		assert_true(p.steady_s <= prev.steady_s + 120);
		assert_true((uint64_t) p.steady_s * 100 <= (uint64_t) ref->steady_s * 110);
		assert_true(v >= cur);
		assert_true(v * 100 <= cur * 105);
		assert_true(v * 100 <= refv * 110);
		assert_true(v <= cap);
		if (p.steady_s < 1800) {
			assert_int_equal(v, cur); /* duration first */
			assert_true(why.code == PLAN_REASON_DURATION ||
				    why.code == PLAN_REASON_WEEKLY_LIMIT);
		}
		if (why.code == PLAN_REASON_DURATION)
			assert_true(p.steady_s >= prev.steady_s + 60 || p.steady_s == 1800);
		if (why.code == PLAN_REASON_INTENSITY)
			intensity_started = true;
		h[n++] = good(&p, now);
		prev = p;
		if (why.code == PLAN_REASON_AT_MAX)
			break;
	}
	assert_true(intensity_started);
	assert_int_equal(why.code, PLAN_REASON_AT_MAX);
	assert_int_equal(p.steady_s, 1800);
	assert_int_equal(kind == SESSION_KIND_BIKE ? p.power_w : p.speed_ckmh, cap);
	assert_true(n > 20 && n < HIST_MAX);
}

static void test_progression_bike(void **state)
{
	progression(SESSION_KIND_BIKE, 100);
}

static void test_progression_treadmill(void **state)
{
	progression(SESSION_KIND_TREADMILL, 500);
}

static void test_first_progressions(void **state)
{
	struct plan_history h[2];
	struct plan_reason why;
	struct plan_params p, first;

	next(SESSION_KIND_BIKE, NULL, 0, T0, &first, &why);
	h[0] = good(&first, T0);
	next(SESSION_KIND_BIKE, h, 1, T0 + DAY, &p, &why);
	assert_int_equal(why.code, PLAN_REASON_DURATION);
	assert_string_equal(plan_reason_code_to_string(why.code), "duration");
	assert_int_equal(p.steady_s, 990); /* +1.5 min */
	assert_int_equal(p.power_w, 45);
	/* A second session in the same week would pass +10 %: hold. */
	h[1] = good(&p, T0 + DAY);
	next(SESSION_KIND_BIKE, h, 2, T0 + 2 * DAY, &p, &why);
	assert_int_equal(why.code, PLAN_REASON_WEEKLY_LIMIT);
	assert_int_equal(p.steady_s, 990);
	/* A week after the first, it grows again. */
	next(SESSION_KIND_BIKE, h, 2, T0 + 8 * DAY, &p, &why);
	assert_int_equal(why.code, PLAN_REASON_DURATION);
	assert_int_equal(p.steady_s, 1080);
}

static struct plan_params after(struct plan_history last, struct plan_reason *why)
{
	struct plan_history h[2];
	struct plan_params p;

	/* An older, good session of the other kind does not count. */
	h[0] = last;
	h[0].kind = SESSION_KIND_TREADMILL;
	h[0].started_at += DAY;
	h[1] = last;
	next(SESSION_KIND_BIKE, h, 2, last.started_at + 2 * DAY, &p, why);
	return p;
}

static void test_hold_and_reduce(void **state)
{
	struct plan_history last;
	struct plan_params base, p;
	struct plan_reason why;

	plan_params_default(SESSION_KIND_BIKE, &base);
	base.steady_s = 1200;
	base.power_w = 60;
	last = good(&base, T0);

	last.pain_max = 4; /* <= 4 is still a good session */
	p = after(last, &why);
	assert_int_equal(why.code, PLAN_REASON_DURATION);

	last.pain_max = 5;
	p = after(last, &why);
	assert_int_equal(why.code, PLAN_REASON_HOLD_PAIN);
	assert_int_equal(p.steady_s, 1200);
	assert_int_equal(p.power_w, 60);

	last.pain_max = 7;
	p = after(last, &why);
	assert_int_equal(why.code, PLAN_REASON_REDUCE_PAIN);
	assert_int_equal(p.steady_s, 960);
	assert_int_equal(p.power_w, 54);
	assert_int_equal(p.resistance_pct, 18);

	last.pain_max = 6;
	last.end = SESSION_END_PAIN;
	p = after(last, &why);
	assert_int_equal(why.code, PLAN_REASON_REDUCE_PAIN);
	assert_string_equal(plan_reason_code_to_string(why.code), "reduce-pain");

	last = good(&base, T0);
	last.checkin_delta = 1; /* any higher than before the session holds */
	p = after(last, &why);
	assert_int_equal(why.code, PLAN_REASON_HOLD_CHECKIN);
	last.checkin_delta = 2;
	p = after(last, &why);
	assert_int_equal(why.code, PLAN_REASON_HOLD_CHECKIN);
	assert_int_equal(p.steady_s, 1200);
	last.checkin_delta = 3;
	p = after(last, &why);
	assert_int_equal(why.code, PLAN_REASON_REDUCE_CHECKIN);
	assert_int_equal(p.steady_s, 960);
	last.checkin_delta = 0; /* as before the session: fine */
	p = after(last, &why);
	assert_int_equal(why.code, PLAN_REASON_DURATION);
	last.checkin_delta = -4; /* better the next day: fine */
	p = after(last, &why);
	assert_int_equal(why.code, PLAN_REASON_DURATION);

	last = good(&base, T0);
	last.end = SESSION_END_USER_STOP;
	p = after(last, &why);
	assert_int_equal(why.code, PLAN_REASON_HOLD_INCOMPLETE);
	assert_int_equal(p.steady_s, 1200);
	last.end = SESSION_END_COMPLETED;
	last.active_s = last.planned_s * 8 / 10;
	p = after(last, &why);
	assert_int_equal(why.code, PLAN_REASON_HOLD_INCOMPLETE);
}

static void test_reduce_floor(void **state)
{
	struct plan_history h[40];
	struct plan_params p;
	struct plan_reason why;

	/* Bad session after bad session: never below half the first plan. */
	next(SESSION_KIND_BIKE, NULL, 0, T0, &p, &why);
	for (size_t i = 0; i < 40; i++) {
		h[i] = good(&p, T0 + (int64_t) i * DAY);
		h[i].pain_max = 8;
		next(SESSION_KIND_BIKE, h, i + 1, T0 + (int64_t) (i + 1) * DAY, &p, &why);
		assert_int_equal(why.code, PLAN_REASON_REDUCE_PAIN);
	}
	assert_int_equal(p.steady_s, 450);
	assert_int_equal(p.power_w, 22);
	assert_int_equal(p.resistance_pct, 10);
}

static void test_absurd_inputs(void **state)
{
	struct envelope_limits caps;
	struct plan_config cfg;
	struct plan_history h;
	struct plan_params p;
	struct plan_reason why;

	envelope_limits_default(&caps);
	caps.ch[SESSION_CH_POWER].cap = 5000; /* bounded to the hard ceiling */
	plan_config_default(SESSION_KIND_BIKE, &cfg);
	cfg.max_steady_s = 100000;
	cfg.intensity_step_pct = 50;
	cfg.weekly_pct = 80;
	cfg.first.power_w = 900;
	cfg.first.warmup_s = 0;
	{
		struct plan_config c = cfg;

		assert_int_equal(plan_config_bound(&c), 5);
	}
	assert_int_equal(plan_next(&cfg, &caps, NULL, 0, T0, &p, &why), 0);
	assert_int_equal(p.power_w, ENVELOPE_HARD_MAX_POWER_W);
	assert_int_equal(p.warmup_s, 60);

	/* History from a corrupt database. */
	h = good(&p, T0);
	h.steady_s = 99999;
	h.power_w = 5000;
	h.resistance_pct = -3;
	assert_int_equal(plan_next(&cfg, &caps, &h, 1, T0 + 9 * DAY, &p, &why), 0);
	assert_int_equal(p.steady_s, 3600);
	assert_int_equal(p.power_w, ENVELOPE_HARD_MAX_POWER_W);
	assert_int_equal(p.resistance_pct, 1);
	assert_true(p.steady_s <= 3600);

	h.kind = 7;
	assert_int_equal(plan_next(&cfg, &caps, &h, 1, T0, &p, &why), -EINVAL);

	p.kind = 9;
	p.start_pct = 0;
	p.speed_ckmh = 2000;
	assert_int_equal(plan_params_bound(&p), 3);
	assert_int_equal(p.speed_ckmh, ENVELOPE_HARD_MAX_SPEED_CKMH);
	assert_string_equal(plan_reason_code_to_string(_PLAN_REASON_MAX), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first),
		cmocka_unit_test(test_first_progressions),
		cmocka_unit_test(test_progression_bike),
		cmocka_unit_test(test_progression_treadmill),
		cmocka_unit_test(test_hold_and_reduce),
		cmocka_unit_test(test_reduce_floor),
		cmocka_unit_test(test_absurd_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
