/* SPDX-License-Identifier: MIT */
/* The session engine on a fake clock: the session rules (pain, heart rate, cadence,
 * no pedalling, implausible data, the safety key and a lost link). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test-session-engine.h"

static void test_pain(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);

	rig_run(r, 400, 1);
	assert_int_equal(rig_target(r, P), 45);
	assert_int_equal(session_report_pain(r->s, r->now, 2), 0);
	rig_run(r, 420, 1);
	assert_int_equal(rig_target(r, P), 45);
	assert_int_equal(rig_count(r, SESSION_EVENT_PAIN), 1);
	assert_int_equal(rig_count(r, SESSION_EVENT_REDUCE), 0);

	assert_int_equal(session_report_pain(r->s, r->now, 4), 0);
	rig_run(r, 430, 1);
	assert_int_equal(rig_target(r, P), 38); /* 85 % of 45 */
	assert_int_equal(rig_find(r, SESSION_EVENT_REDUCE, 0)->value, 38);
	rig_run(r, 1000, 1);
	assert_int_equal(r->max_target[P], 45);
	assert_int_equal(rig_target(r, P), 38); /* held: no ramping up */

	assert_int_equal(session_report_pain(r->s, r->now, 7), 0);
	rig_step(r, S(1001));
	assert_int_equal(r->out.phase, SESSION_PHASE_COOLDOWN);
	assert_int_equal(r->out.end, SESSION_END_PAIN);
	assert_int_equal(r->out.remaining_usec, S(299));
	rig_run(r, 1150, 1);
	assert_true(abs(rig_target(r, P) - 33) <= 1); /* 38 -> 27 over 5 min */
	rig_run(r, 1400, 1);
	assert_true(r->out.done);
	assert_int_equal(rig_count(r, SESSION_EVENT_STRETCH), 0);
	assert_int_equal(session_get_end(r->s), SESSION_END_PAIN);
	assert_int_equal(session_get_pain_max(r->s), 7);
	assert_int_equal(session_report_pain(r->s, r->now, 11), -EINVAL);
	assert_int_equal(session_report_pain(r->s, r->now, -1), -EINVAL);
	rig_free(r);
}

/* A plan above the cap: the reduction is of what the bike really does (the cap), so the
 * rider feels it at once. */
static void test_pain_reduces_from_the_capped_level(void **state)
{
	struct session_machine m = rig_bike(true);
	struct plan_params p;
	struct rig *r;

	plan_params_default(SESSION_KIND_BIKE, &p);
	p.power_w = 150; /* the default cap is 100 W */
	r = rig_new(&m, NULL, &p);
	rig_run(r, 600, 1);
	assert_int_equal(rig_target(r, P), 100);
	assert_int_equal(session_report_pain(r->s, r->now, 4), 0);
	rig_run(r, 620, 1);
	assert_int_equal(rig_find(r, SESSION_EVENT_REDUCE, 0)->value, 85); /* 85 % of 100 */
	assert_int_equal(rig_target(r, P), 85);
	assert_int_equal(r->max_target[P], 100);
	rig_free(r);
}

static void test_pain_in_warmup(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);

	rig_run(r, 150, 1); /* 36 W */
	assert_int_equal(session_report_pain(r->s, r->now, 5), 0);
	rig_run(r, 600, 1);
	assert_int_equal(rig_target(r, P), 31); /* 85 % of 36, and the ramp stops */
	rig_free(r);
}

static void test_heart_rate(void **state)
{
	struct session_machine m = rig_bike(true);
	struct session_rules ru;
	struct rig *r;

	session_rules_default(&ru);
	ru.hr_max_bpm = 120;
	r = rig_new(&m, &ru, NULL);
	rig_run(r, 400, 1);
	/* Stale heart rate never drives control. */
	r->in.hr_bpm = 150;
	r->in.hr_present = false;
	rig_run(r, 500, 1);
	assert_int_equal(rig_target(r, P), 45);
	/* Above for 9 s: nothing; 10 s: reduce. First seen at 501. */
	r->in.hr_present = true;
	rig_run(r, 510, 1);
	assert_int_equal(rig_target(r, P), 45);
	assert_int_equal(rig_count(r, SESSION_EVENT_HEART_RATE), 0);
	rig_run(r, 511, 1);
	assert_int_equal(rig_target(r, P), 41); /* 90 % of 45 = 40.5 */
	assert_int_equal(rig_find(r, SESSION_EVENT_HEART_RATE, 0)->value, 150);
	/* Still above: reduce again 10 s later. A stale spell resets the count. */
	rig_run(r, 515, 1);
	r->in.hr_present = false;
	rig_run(r, 516, 1);
	r->in.hr_present = true;
	rig_run(r, 526, 1);
	assert_int_equal(rig_count(r, SESSION_EVENT_HEART_RATE), 1);
	rig_run(r, 527, 1);
	assert_int_equal(rig_count(r, SESSION_EVENT_HEART_RATE), 2);
	assert_int_equal(rig_target(r, P), 36);
	r->in.hr_bpm = 100;
	rig_run(r, 1000, 1);
	assert_int_equal(rig_target(r, P), 36);
	rig_free(r);

	assert_int_equal(session_hr_cap_from_age(50), 119);
	assert_int_equal(session_hr_cap_from_age(95), 90);
	assert_int_equal(session_hr_cap_from_age(12), 145);
	assert_int_equal(session_hr_cap_from_age(5), 0);
}

static void test_cadence_floor_erg(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);
	int32_t prev;

	rig_run(r, 400, 1);
	r->in.cadence_hrpm = 80; /* 40 rpm, under the 50 rpm floor, first seen at 401 */
	rig_run(r, 403, 1);
	assert_int_equal(rig_target(r, P), 45);
	rig_run(r, 404, 1);
	assert_int_equal(rig_target(r, P), 41); /* lower the target, never raise it */
	assert_int_equal(rig_find(r, SESSION_EVENT_CADENCE_LOW, 0)->value, 40);
	rig_run(r, 407, 1);
	assert_int_equal(rig_target(r, P), 36);
	assert_int_equal(rig_count(r, SESSION_EVENT_CADENCE_LOW), 1);
	/* Back above the floor: hold 10 s, then ramp back gently (20 % of 45 W per minute). */
	r->in.cadence_hrpm = 160;
	rig_run(r, 417, 1);
	assert_int_equal(rig_target(r, P), 36);
	prev = 36;
	for (int t = 418; t <= 500; t++) {
		rig_run(r, t, 1);
		assert_true(rig_target(r, P) >= prev && rig_target(r, P) <= prev + 1);
		prev = rig_target(r, P);
	}
	assert_true(abs(prev - 45) <= 1);
	rig_free(r);

	/* Without ERG there is no spiral: low cadence changes nothing. */
	m = rig_bike(false);
	r = rig_new(&m, NULL, NULL);
	rig_run(r, 400, 1);
	assert_int_equal(rig_target(r, R), 200); /* 20 % of 0..100 */
	r->in.cadence_hrpm = 60;
	rig_run(r, 460, 1);
	assert_int_equal(rig_target(r, R), 200);
	rig_free(r);
}

static void test_no_pedalling(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);
	uint64_t elapsed;
	int32_t prev;

	rig_run(r, 400, 1);
	r->in.cadence_hrpm = 0;
	rig_run(r, 410, 1);
	assert_int_equal(r->out.paused, 0);
	rig_run(r, 411, 1);
	assert_int_equal(r->out.paused, SESSION_PAUSE_NO_PEDALLING);
	assert_int_equal(rig_find(r, SESSION_EVENT_PAUSE, 0)->value, SESSION_PAUSE_NO_PEDALLING);
	rig_run(r, 420, 1);
	assert_int_equal(rig_target(r, P), 0);
	elapsed = r->out.elapsed_usec;
	rig_run(r, 600, 1);
	assert_int_equal(r->out.elapsed_usec, elapsed);
	/* The user pedals again: resume, and re-ramp gently from the floor. */
	r->in.cadence_hrpm = 120;
	rig_run(r, 601, 1);
	assert_int_equal(r->out.paused, 0);
	assert_int_equal(rig_count(r, SESSION_EVENT_RESUME), 1);
	prev = rig_target(r, P);
	assert_true(prev <= 1);
	for (int t = 602; t <= 800; t++) {
		rig_run(r, t, 1);
		assert_true(rig_target(r, P) >= prev && rig_target(r, P) <= prev + 1);
		prev = rig_target(r, P);
	}
	assert_int_equal(prev, 45);
	rig_free(r);
}

static void test_speed_units(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);

	assert_int_equal(session_confirm_belt(r->s, 0), 0);
	rig_run(r, 200, 1);
	r->speed_factor = 1.609;
	rig_run(r, 204, 1);
	assert_int_equal(r->out.paused, 0);
	rig_run(r, 206, 1);
	assert_int_equal(r->out.paused, SESSION_PAUSE_SPEED_UNITS);
	assert_non_null(rig_find(r, SESSION_EVENT_SPEED_UNITS, 0));
	rig_run(r, 240, 1);
	assert_int_equal(rig_target(r, SP), 0); /* ramped down and stopped */
	assert_false(r->out.run);
	r->speed_factor = 1.0;
	assert_int_equal(session_resume(r->s, r->now), 0);
	rig_run(r, 300, 1);
	assert_int_equal(r->out.paused, 0);
	assert_true(rig_target(r, SP) > 0);
	rig_free(r);
}

/* Converting for mph, a belt at 0.62 x the target is a km/h machine after all: detected again;
 * a belt that follows the converted target is not. */
static void test_speed_units_kmh_after_all(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);

	session_set_speed_mph(r->s, true);
	assert_int_equal(session_confirm_belt(r->s, 0), 0);
	rig_run(r, 200, 1); /* the belt follows the converted targets */
	assert_int_equal(r->out.paused, 0);
	r->speed_factor =
		1.609; /* what made the caller convert: no longer the mistake looked for */
	rig_run(r, 210, 1);
	assert_int_equal(r->out.paused, 0);
	r->speed_factor = 1.0;
	rig_run(r, 240, 1);
	r->speed_factor = 1 / 1.609;
	rig_run(r, 246, 1);
	assert_int_equal(r->out.paused, SESSION_PAUSE_SPEED_UNITS);
	assert_non_null(rig_find(r, SESSION_EVENT_SPEED_UNITS, 0));
	rig_free(r);
}

/* The machine refused values: the range narrows at once, the target is sent again inside it,
 * and it never widens. */
static void test_narrow(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);

	rig_run(r, 2, 1);
	assert_true(rig_target(r, SESSION_CH_POWER) < 35);
	assert_int_equal(session_narrow(r->s, SESSION_CH_POWER, 35, 800), 0);
	rig_run(r, 3, 1);
	assert_int_equal(rig_target(r, SESSION_CH_POWER), 35);
	assert_true(r->out.changed & (1u << SESSION_CH_POWER));
	assert_int_equal(session_narrow(r->s, SESSION_CH_POWER, 0, 800), 0); /* not wider */
	rig_run(r, 600, 1);
	assert_true(r->max_target[SESSION_CH_POWER] <= 100);
	assert_int_equal(session_narrow(r->s, SESSION_CH_POWER, 120, 800), -ERANGE); /* > cap */
	assert_int_equal(session_narrow(r->s, SESSION_CH_SPEED, 0, 100), -EINVAL);
	rig_free(r);
}

/* Persistent garbage from the machine: paused like the user would, until the user resumes. */
static void test_implausible_data(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);

	assert_int_equal(session_confirm_belt(r->s, 0), 0);
	rig_run(r, 200, 1);
	r->in.implausible = true;
	rig_run(r, 201, 1);
	assert_int_equal(r->out.paused, SESSION_PAUSE_IMPLAUSIBLE);
	assert_non_null(rig_find(r, SESSION_EVENT_PAUSE, 0));
	assert_int_equal(rig_find(r, SESSION_EVENT_PAUSE, 0)->value, SESSION_PAUSE_IMPLAUSIBLE);
	assert_string_equal(rig_find(r, SESSION_EVENT_PAUSE, 0)->text, "implausible-data");
	rig_run(r, 240, 1);
	assert_int_equal(rig_target(r, SP), 0); /* ramped down and stopped */
	assert_false(r->out.run);
	/* Plausible again: the belt still waits for the user. */
	r->in.implausible = false;
	rig_run(r, 300, 1);
	assert_int_equal(r->out.paused, SESSION_PAUSE_IMPLAUSIBLE);
	assert_int_equal(rig_target(r, SP), 0);
	assert_int_equal(session_resume(r->s, r->now), 0);
	rig_run(r, 360, 1);
	assert_int_equal(r->out.paused, 0);
	assert_true(rig_target(r, SP) > 0);
	/* Resumed into garbage: paused again at the next step. */
	r->in.implausible = true;
	rig_run(r, 361, 1);
	assert_int_equal(r->out.paused, SESSION_PAUSE_IMPLAUSIBLE);
	rig_free(r);

	/* A bike goes to its floor; the user may still stop. */
	m = rig_bike(true);
	r = rig_new(&m, NULL, NULL);
	rig_run(r, 400, 1);
	r->in.implausible = true;
	rig_run(r, 401, 1);
	assert_int_equal(r->out.paused, SESSION_PAUSE_IMPLAUSIBLE);
	rig_run(r, 410, 1);
	assert_int_equal(rig_target(r, P), 0);
	assert_int_equal(session_stop(r->s, r->now, SESSION_END_USER_STOP), 0);
	rig_run(r, 420, 1);
	assert_true(r->out.done);
	assert_int_equal(r->out.end, SESSION_END_USER_STOP);
	rig_free(r);
}

static void test_safety_key(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);

	assert_int_equal(session_confirm_belt(r->s, 0), 0);
	rig_run(r, 400, 1);
	assert_int_equal(rig_target(r, SP), 350);
	r->in.safety_key = true;
	r->mirror_speed = false;
	r->in.speed_ckmh = 0;
	rig_step(r, S(401));
	assert_true(r->out.done);
	assert_int_equal(r->out.end, SESSION_END_SAFETY_KEY);
	assert_int_equal(rig_target(r, SP), 0);
	assert_true(r->out.changed & (1u << SP));
	assert_true(r->out.rebased & (1u << SP));
	assert_int_equal(rig_count(r, SESSION_EVENT_SAFETY_KEY), 1);
	/* Never resumed: not by time, the key, a resume or a confirmation. */
	r->in.safety_key = false;
	rig_run(r, 1000, 1);
	assert_int_equal(rig_target(r, SP), 0);
	assert_int_equal(session_resume(r->s, r->now), -ESTALE);
	assert_int_equal(session_confirm_belt(r->s, r->now), -EALREADY);
	rig_run(r, 1100, 1);
	assert_int_equal(rig_target(r, SP), 0);
	rig_free(r);
}

static void test_link_loss_bike(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);
	uint64_t elapsed;
	int32_t prev;

	rig_run(r, 400, 1);
	r->in.link_up = false;
	rig_step(r, S(401));
	assert_int_equal(r->out.paused, SESSION_PAUSE_LINK);
	assert_int_equal(rig_find(r, SESSION_EVENT_LINK, 0)->value, 0);
	elapsed = r->out.elapsed_usec;
	for (int t = 402; t < 460; t++) {
		rig_step(r, S(t));
		assert_int_equal(r->out.changed, 0);
	}
	assert_int_equal(r->out.elapsed_usec, elapsed);
	r->in.link_up = true;
	rig_step(r, S(460));
	assert_int_equal(r->out.paused, 0);
	assert_int_equal(rig_find(r, SESSION_EVENT_LINK, 1)->value, 1);
	assert_int_equal(r->out.changed, 1u << P); /* re-sent */
	rig_run(r, 465, 1);
	assert_int_equal(rig_target(r, P), 32); /* 70 % of 45 */
	prev = 32;
	for (int t = 466; t < 600; t++) {
		rig_run(r, t, 1);
		assert_true(rig_target(r, P) >= prev && rig_target(r, P) <= prev + 1);
		prev = rig_target(r, P);
	}
	assert_int_equal(prev, 45);
	/* Down for the full limit: interrupted. */
	r->in.link_up = false;
	rig_run(r, 899, 1);
	assert_false(r->out.done);
	rig_run(r, 900, 1);
	assert_true(r->out.done);
	assert_int_equal(r->out.end, SESSION_END_INTERRUPTED);
	rig_free(r);
}

static void test_link_loss_treadmill(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);

	assert_int_equal(session_confirm_belt(r->s, 0), 0);
	rig_run(r, 400, 1);
	/* The belt kept running: resume at a reduced speed. */
	r->in.link_up = false;
	rig_run(r, 430, 1);
	r->in.link_up = true;
	rig_step(r, S(431));
	assert_int_equal(r->out.paused, 0);
	assert_true(r->out.rebased & (1u << SP));
	rig_run(r, 436, 1);
	assert_int_equal(rig_target(r, SP), 250); /* 70 % of 3.5 km/h, then ramping back */
	rig_run(r, 500, 1);
	assert_int_equal(rig_target(r, SP), 330); /* 2.45 + 0.7 km/h per min x 69 s */
	/* The belt stopped on its own: it waits for a new confirmation. */
	r->in.link_up = false;
	rig_run(r, 520, 1);
	r->mirror_speed = false;
	r->in.speed_ckmh = 0;
	r->in.link_up = true;
	rig_step(r, S(521));
	assert_int_equal(r->out.paused, SESSION_PAUSE_CONFIRM);
	assert_int_equal(rig_target(r, SP), 0);
	r->mirror_speed = true;
	rig_run(r, 600, 1);
	assert_int_equal(rig_target(r, SP), 0);
	assert_int_equal(session_confirm_belt(r->s, r->now), 0);
	rig_run(r, 700, 1);
	assert_int_equal(r->out.paused, 0);
	assert_true(rig_target(r, SP) >= 200);
	/* Not knowing what the belt does counts as stopped. */
	r->in.link_up = false;
	rig_run(r, 710, 1);
	r->in.speed_present = false;
	r->in.link_up = true;
	rig_step(r, S(711));
	assert_int_equal(r->out.paused, SESSION_PAUSE_CONFIRM);
	assert_int_equal(rig_target(r, SP), 0);
	assert_true(r->out.changed & (1u << SP));
	rig_free(r);
}
/* The rider asks for less: one step down each time (as pain 4-5), never up again, and only
 * while exercising and not paused. */
static void test_ease(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);
	const struct session_event *e;

	rig_run(r, 400, 1);
	assert_int_equal(rig_target(r, P), 45);
	assert_int_equal(session_ease(r->s, r->now), 0);
	rig_run(r, 410, 1);
	assert_int_equal(rig_target(r, P), 38); /* 85 % of 45 */
	e = rig_find(r, SESSION_EVENT_EASE, 0);
	assert_non_null(e);
	assert_string_equal(e->text, "asked");
	e = rig_find(r, SESSION_EVENT_REDUCE, 0);
	assert_non_null(e);
	assert_int_equal(e->value, 38);
	assert_string_equal(e->text, "asked: target -15 %, no more ramping up");
	assert_int_equal(session_ease(r->s, r->now), 0);
	rig_run(r, 420, 1);
	/* 85 % of the level, 38.25 W before the 1 W grid: 32.5 W, the nearest grid point 33 W. */
	assert_int_equal(rig_target(r, P), 33);
	assert_int_equal(rig_count(r, SESSION_EVENT_EASE), 2);
	rig_run(r, 1000, 1);
	assert_int_equal(rig_target(r, P), 33); /* held */
	assert_int_equal(r->max_target[P], 45);
	/* Easing is not a pain report: the highest pain is still the one before. */
	assert_int_equal(session_get_pain_max(r->s), session_get_pain_before(r->s));

	assert_int_equal(session_pause(r->s, r->now), 0);
	rig_step(r, r->now + S(1));
	assert_int_equal(session_ease(r->s, r->now), -EAGAIN);
	assert_int_equal(session_resume(r->s, r->now), 0);
	rig_run(r, 1300, 1); /* cool-down eases too */
	assert_int_equal(r->out.phase, SESSION_PHASE_COOLDOWN);
	assert_int_equal(session_ease(r->s, r->now), 0);
	rig_run(r, 1530, 1); /* off the machine: nothing to ease */
	assert_int_equal(r->out.phase, SESSION_PHASE_STRETCHES);
	assert_int_equal(session_ease(r->s, r->now), -ESTALE);
	rig_run(r, 1700, 1);
	assert_true(r->out.done);
	assert_int_equal(session_ease(r->s, r->now), -ESTALE);
	assert_int_equal(rig_count(r, SESSION_EVENT_EASE), 3);
	rig_free(r);
}

/* A belt that waits for its confirmation, or counts down, has nothing to ease; a moving belt
 * slows within the envelope's down rate. */
static void test_ease_treadmill(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);
	int32_t before;

	rig_step(r, S(1));
	assert_int_equal(r->out.phase, SESSION_PHASE_WAITING);
	assert_int_equal(session_ease(r->s, r->now), -ESTALE);
	assert_int_equal(session_confirm_belt(r->s, r->now), 0);
	rig_step(r, S(2));
	assert_int_equal(r->out.phase, SESSION_PHASE_COUNTDOWN);
	assert_int_equal(session_ease(r->s, r->now), -ESTALE);
	rig_run(r, 600, 1);
	before = rig_target(r, SP);
	assert_int_equal(before, 350);
	assert_int_equal(session_ease(r->s, r->now), 0);
	rig_run(r, 630, 1);
	assert_true(rig_target(r, SP) < before);
	assert_true(rig_target(r, SP) >= before * 85 / 100 - 10);
	assert_int_equal(rig_count(r, SESSION_EVENT_EASE), 1);
	rig_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pain),
		cmocka_unit_test(test_pain_reduces_from_the_capped_level),
		cmocka_unit_test(test_pain_in_warmup),
		cmocka_unit_test(test_ease),
		cmocka_unit_test(test_ease_treadmill),
		cmocka_unit_test(test_heart_rate),
		cmocka_unit_test(test_cadence_floor_erg),
		cmocka_unit_test(test_no_pedalling),
		cmocka_unit_test(test_speed_units),
		cmocka_unit_test(test_speed_units_kmh_after_all),
		cmocka_unit_test(test_narrow),
		cmocka_unit_test(test_implausible_data),
		cmocka_unit_test(test_safety_key),
		cmocka_unit_test(test_link_loss_bike),
		cmocka_unit_test(test_link_loss_treadmill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
