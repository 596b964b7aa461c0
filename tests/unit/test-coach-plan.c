/* SPDX-License-Identifier: MIT */
/* The coach's glue from config and the machine to the engine: nothing bypasses the bounds. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "coach-internal.h"
#include "plan-history.h"

static void test_config_defaults_match_engine(void **state)
{
	struct config c;
	struct plan_config pc, def;
	struct envelope_limits l, ldef;
	struct session_rules r, rdef;

	assert_int_equal(config_init(&c), 0);
	coach_plan_config(&c, SESSION_KIND_BIKE, &pc);
	plan_config_default(SESSION_KIND_BIKE, &def);
	assert_memory_equal(&pc, &def, sizeof(pc));
	coach_limits(&c, &l);
	envelope_limits_default(&ldef);
	assert_memory_equal(&l, &ldef, sizeof(l));
	coach_rules(&c, &r);
	session_rules_default(&rdef);
	assert_memory_equal(&r, &rdef, sizeof(r));
	config_done(&c);
}

/* A struct filled past the parsers (or a future parser bug) is still clamped. */
static void test_out_of_bounds_are_clamped(void **state)
{
	struct config c;
	struct envelope_limits l;
	struct session_rules r;
	struct plan_config pc;

	assert_int_equal(config_init(&c), 0);
	c.safety.max_power_w = 2000;
	c.safety.max_speed_ckmh = 2000;
	c.safety.power_down = 1;
	c.safety.max_heart_rate = 250;
	c.safety.link_timeout_s = 1;
	c.session.bike_power_w = 500;
	c.session.steady_s = 100000;
	coach_limits(&c, &l);
	assert_int_equal(l.ch[SESSION_CH_POWER].cap, ENVELOPE_HARD_MAX_POWER_W);
	assert_int_equal(l.ch[SESSION_CH_SPEED].cap, ENVELOPE_HARD_MAX_SPEED_CKMH);
	assert_int_equal(l.ch[SESSION_CH_POWER].down_per_min, 120);
	coach_rules(&c, &r);
	assert_int_equal(r.hr_max_bpm, 190);
	assert_int_equal(r.link_timeout_s, 30);
	coach_plan_config(&c, SESSION_KIND_BIKE, &pc);
	assert_int_equal(pc.first.power_w, 200);
	assert_int_equal(pc.first.steady_s, 3600);
	config_done(&c);
}

static void test_age_gives_a_cap(void **state)
{
	struct config c;
	struct session_rules r;

	assert_int_equal(config_init(&c), 0);
	c.safety.age = 60;
	coach_rules(&c, &r);
	assert_int_equal(r.hr_max_bpm, session_hr_cap_from_age(60));
	c.safety.max_heart_rate = 100;
	coach_rules(&c, &r);
	assert_int_equal(r.hr_max_bpm, 100);
	config_done(&c);
}

static void test_minutes_override(void **state)
{
	struct plan_params p;

	plan_params_default(SESSION_KIND_BIKE, &p);
	coach_plan_override(&p, 30, -1);
	assert_int_equal(p.warmup_s + p.steady_s + p.cooldown_s, 1800);
	assert_int_equal(p.warmup_s, 300);
	assert_true(p.stretches);
	plan_params_default(SESSION_KIND_BIKE, &p);
	coach_plan_override(&p, 6, 0);
	assert_int_equal(p.warmup_s, 60);
	assert_int_equal(p.cooldown_s, 60);
	assert_int_equal(p.steady_s, 240);
	assert_false(p.stretches);
	plan_params_default(SESSION_KIND_BIKE, &p);
	coach_plan_override(&p, 3, -1);
	assert_int_equal(p.warmup_s + p.steady_s + p.cooldown_s, 180);
	/* Beyond what the API allows: still bounded (steady at most 60 min). */
	plan_params_default(SESSION_KIND_BIKE, &p);
	coach_plan_override(&p, 1000, -1);
	assert_int_equal(p.steady_s, 3600);
}

static void test_machine(void **state)
{
	struct machine_info info = {
		.address = "C0:FF:EE:00:00:01",
		.name = "bike",
		.kind = MACHINE_KIND_BIKE,
		.features = { .target = FTMS_TARGET_POWER | FTMS_TARGET_RESISTANCE },
	};
	struct session_machine m;

	info.has_range[FTMS_RANGE_POWER] = true;
	info.ranges[FTMS_RANGE_POWER] = (struct ftms_range) { 10, 800, 1 };
	assert_int_equal(coach_machine(&info, &m), 0);
	assert_int_equal(m.kind, SESSION_KIND_BIKE);
	assert_true(m.has[SESSION_CH_POWER]);
	assert_false(m.has[SESSION_CH_RESISTANCE]); /* no range: cannot be driven */
	assert_int_equal(m.range[SESSION_CH_POWER].max, 800);
	info.kind = MACHINE_KIND_OTHER;
	assert_int_equal(coach_machine(&info, &m), -EPROTO);
}

#define SESSION_AT 1796547600 /* 2026-12-06 09:00 UTC */
#define HOUR	   3600

/* A completed 3-minute bike session at @at on machine @machine_id (0: none), pain 2 before it.
 * Return: its id. */
static int64_t session_at(struct storage *st, int64_t machine_id, int64_t at)
{
	struct storage_session_plan plan = {
		.machine_id = machine_id,
		.kind = STORAGE_KIND_BIKE,
		.profile = "gentle",
		.started_at = at,
		.planned_s = 180,
		.warmup_s = 60,
		.cooldown_s = 60,
		.target_power_w = 45,
		.target_speed_ckmh = BR_NONE,
		.target_resistance_d = BR_NONE,
		.target_incline_dpct = BR_NONE,
		.pain_before = 2,
	};
	struct storage_sample x;
	int64_t id;

	assert_int_equal(storage_session_begin(st, &plan, &id), 0);
	for (uint32_t t = 0; t < 180; t++) {
		storage_sample_init(&x);
		x.session_id = id;
		x.t = t;
		x.power_w = 45;
		assert_int_equal(storage_sample_append(st, &x), 0);
	}
	assert_int_equal(storage_session_end(st, id, at + 180, "completed", 2), 0);
	return id;
}

static void session_done(struct storage *st)
{
	(void) session_at(st, 0, SESSION_AT);
}

static void plan_ok(struct storage *st, const struct config *c, struct plan_reason *why)
{
	struct plan_params p;

	assert_int_equal(coach_plan_next(st, c, SESSION_KIND_BIKE, &p, why), 0);
}

/*
 * The pain-monitoring model: the latest check-in after a session, that evening or the next
 * morning (up to the end of the next day), higher than the pain before it holds the next plan
 * back; 3 points higher reduces it; one before the session or two days on does not count.
 */
static void test_checkin_after_session(void **state)
{
	char dir[] = "/tmp/test-coach-plan-XXXXXX", path[64], f[80];
	struct storage *st;
	struct plan_reason why;
	struct config c;

	assert_int_equal(setenv("TZ", "UTC", 1), 0);
	tzset();
	assert_non_null(mkdtemp(dir));
	(void) snprintf(path, sizeof(path), "%s/backride.db", dir);
	assert_int_equal(storage_open(path, &st), 0);
	assert_int_equal(config_init(&c), 0);
	/* Before the session: not after it, it does not count. */
	assert_int_equal(storage_checkin_add(st, "2026-12-06", 8, SESSION_AT - HOUR), 0);
	session_done(st);

	/* A good session (the only one, so the +10 % a week keeps the same plan). */
	plan_ok(st, &c, &why);
	assert_int_equal(why.code, PLAN_REASON_WEEKLY_LIMIT);
	assert_string_equal(why.checkin, "No check-in since the last session (ended 2026-12-06 "
					 "09:03); one up to the end of the next day counts.");
	assert_int_equal(why.checkin_until, SESSION_AT + 39 * HOUR);

	/* The same evening, higher than before: hold, and say which check-in. */
	assert_int_equal(storage_checkin_add(st, "2026-12-06", 4, SESSION_AT + 9 * HOUR), 0);
	plan_ok(st, &c, &why);
	assert_int_equal(why.code, PLAN_REASON_HOLD_CHECKIN);
	assert_string_equal(why.text, "Check-in 4/10 on 2026-12-06 18:00, higher than 2/10 before "
				      "the last session: holding at the last plan.");
	assert_int_equal(why.checkin_pain, 4);
	assert_int_equal(why.checkin_at, SESSION_AT + 9 * HOUR);

	/* Settled by the next morning: the latest counts, the plan goes on. */
	assert_int_equal(storage_checkin_add(st, "2026-12-07", 2, SESSION_AT + 23 * HOUR), 0);
	plan_ok(st, &c, &why);
	assert_int_equal(why.code, PLAN_REASON_WEEKLY_LIMIT);
	assert_string_equal(why.checkin, "Check-in 2/10 on 2026-12-07 08:00, not higher than 2/10 "
					 "before the last session: it does not hold the next plan "
					 "back.");

	/* One point higher the next evening: hold. */
	assert_int_equal(storage_checkin_add(st, "2026-12-07", 3, SESSION_AT + 35 * HOUR), 0);
	plan_ok(st, &c, &why);
	assert_int_equal(why.code, PLAN_REASON_HOLD_CHECKIN);

	/* Three points higher, still the next day: reduce. */
	assert_int_equal(storage_checkin_add(st, "2026-12-07", 5, SESSION_AT + 38 * HOUR), 0);
	plan_ok(st, &c, &why);
	assert_int_equal(why.code, PLAN_REASON_REDUCE_CHECKIN);
	assert_string_equal(why.checkin, "Check-in 5/10 on 2026-12-07 23:00, higher than 2/10 "
					 "before the last session: the next plan is shorter and "
					 "easier.");

	/* Two days on it no longer counts: the one of the day before still does. */
	assert_int_equal(storage_checkin_add(st, "2026-12-08", 0, SESSION_AT + 40 * HOUR), 0);
	plan_ok(st, &c, &why);
	assert_int_equal(why.code, PLAN_REASON_REDUCE_CHECKIN);

	config_done(&c);
	storage_free(st);
	for (const char *x = ""; x; x = *x ? NULL : "-wal") {
		(void) snprintf(f, sizeof(f), "%s%s", path, x);
		(void) unlink(f);
	}
	(void) snprintf(f, sizeof(f), "%s-shm", path);
	(void) unlink(f);
	assert_int_equal(rmdir(dir), 0);
}

/*
 * A machine that can only be guided (a Keiser M3i: advertisements, no control point) gives a
 * bike no channel to drive, and its guided sessions count for the next bike plan as any bike
 * session does, and never for the treadmill's.
 */
static void test_guided_progression(void **state)
{
	char dir[] = "/tmp/test-coach-plan-XXXXXX", path[64], f[80];
	struct machine_info info = {
		.address = "C0:FF:EE:00:00:07",
		.name = "Keiser M3i #7",
		.kind = MACHINE_KIND_BIKE,
		.protocol = MACHINE_PROTOCOL_KEISER,
		.features = { .machine = FTMS_FEAT_CADENCE | FTMS_FEAT_POWER },
	};
	struct storage_machine sm;
	struct session_machine m;
	struct plan_reason why;
	struct plan_params p;
	struct storage *st;
	struct config c;
	int64_t id;

	assert_int_equal(coach_machine(&info, &m), 0);
	assert_int_equal(m.kind, SESSION_KIND_BIKE);
	for (int ch = 0; ch < _SESSION_CH_MAX; ch++)
		assert_false(m.has[ch]); /* nothing to drive: guided */

	assert_int_equal(setenv("TZ", "UTC", 1), 0);
	tzset();
	assert_non_null(mkdtemp(dir));
	(void) snprintf(path, sizeof(path), "%s/backride.db", dir);
	assert_int_equal(storage_open(path, &st), 0);
	assert_int_equal(config_init(&c), 0);
	assert_int_equal(storage_machine_upsert(st, info.address, info.name, STORAGE_KIND_BIKE,
						SESSION_AT, NULL),
			 0);
	assert_int_equal(storage_machine_set_protocol(st, info.address, "keiser"), 0);
	assert_int_equal(storage_machine_get(st, info.address, &sm), 0);
	assert_string_equal(sm.protocol, "keiser");

	assert_int_equal(coach_plan_next(st, &c, SESSION_KIND_BIKE, &p, &why), 0);
	assert_int_equal(why.code, PLAN_REASON_FIRST);
	/* A good guided session: it counts (the only one, so the +10 % a week keeps its plan,
	 * as for any bike: test_checkin_after_session). */
	id = session_at(st, sm.id, SESSION_AT);
	assert_int_equal(storage_session_set_guided(st, id, "no-control-point"), 0);
	assert_int_equal(coach_plan_next(st, &c, SESSION_KIND_BIKE, &p, &why), 0);
	assert_int_equal(why.code, PLAN_REASON_WEEKLY_LIMIT);
	assert_int_equal(p.steady_s, 60);
	assert_int_equal(p.power_w, 45);
	/* Not the treadmill's: its plan is still the first. */
	assert_int_equal(coach_plan_next(st, &c, SESSION_KIND_TREADMILL, &p, &why), 0);
	assert_int_equal(why.code, PLAN_REASON_FIRST);

	config_done(&c);
	storage_free(st);
	for (const char *x = ""; x; x = *x ? NULL : "-wal") {
		(void) snprintf(f, sizeof(f), "%s%s", path, x);
		(void) unlink(f);
	}
	(void) snprintf(f, sizeof(f), "%s-shm", path);
	(void) unlink(f);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_defaults_match_engine),
		cmocka_unit_test(test_out_of_bounds_are_clamped),
		cmocka_unit_test(test_age_gives_a_cap),
		cmocka_unit_test(test_minutes_override),
		cmocka_unit_test(test_machine),
		cmocka_unit_test(test_checkin_after_session),
		cmocka_unit_test(test_guided_progression),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
