/* SPDX-License-Identifier: MIT */
/*
 * Guided mode in the session engine: the same plan as advice, nothing written, a guided belt
 * never started by the engine; targets the measured value does not follow are sent once more,
 * then guided.
 */
#include <errno.h>

#include "test-session-engine.h"

static bool has_advice(const struct rig *r, const char *prefix)
{
	for (size_t i = 0; i < r->n_events; i++)
		if (r->events[i].type == SESSION_EVENT_ADVICE &&
		    strncmp(r->events[i].text, prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

/* Step until @until, asserting that nothing is written and the machine is never started. */
static void run_guided(struct rig *r, double until)
{
	while (r->now < S(until)) {
		rig_step(r, r->now + S(1));
		assert_int_equal(r->out.changed, 0);
		assert_false(r->out.run);
		assert_false(r->out.run_changed);
		assert_int_equal(r->out.retry, 0);
	}
}

static void test_guided_bike(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);
	const struct session_event *e;

	assert_int_equal(session_guide(r->s, r->now, 1u << P, "asked"), 0);
	assert_int_equal(session_get_guided(r->s), 1u << P);
	run_guided(r, 60);
	e = rig_find(r, SESSION_EVENT_GUIDED, 0);
	assert_non_null(e);
	assert_string_equal(e->text, "asked");
	/* Warm-up from 60 % of 45 W: 27 W, said as about 25 W. */
	e = rig_find(r, SESSION_EVENT_ADVICE, 0);
	assert_non_null(e);
	assert_string_equal(e->text, "pedal easy, about 25 W at 80 rpm");
	assert_string_equal(
		r->out.advice,
		rig_find(r, SESSION_EVENT_ADVICE, rig_count(r, SESSION_EVENT_ADVICE) - 1)->text);
	run_guided(r, 11 * 60);
	assert_string_equal(r->out.advice, "pedal easy, about 45 W at 80 rpm");
	/* The pain rule as advice: 85 % of 45 W. */
	assert_int_equal(session_report_pain(r->s, r->now, 5), 0);
	run_guided(r, 11 * 60 + 5);
	assert_string_equal(r->out.advice, "ease off: about 40 W at 80 rpm");
	/* Asking for less, guided: the advice eases one more step (85 % of 38.25 W: 32.5 W, said
	 * as about 35 W). */
	assert_int_equal(session_ease(r->s, r->now), 0);
	run_guided(r, 11 * 60 + 10);
	assert_string_equal(r->out.advice, "ease off: about 35 W at 80 rpm");
	run_guided(r, 30 * 60);
	assert_int_equal(session_get_phase(r->s), SESSION_PHASE_DONE);
	assert_int_equal(session_get_end(r->s), SESSION_END_COMPLETED);
	/* A few words a minute at most: a 25-minute plan, ramps included. */
	assert_in_range(rig_count(r, SESSION_EVENT_ADVICE), 5, 25);
	assert_string_equal(r->out.advice, "");
	rig_free(r);
}

/* A bike that measures no power (a speed and cadence sensor alone): the advice names a cadence,
 * lower for a lower level, never watts. */
static void test_guided_cadence_only(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r;

	m.cadence_only = true;
	r = rig_new(&m, NULL, NULL);
	assert_int_equal(session_guide(r->s, r->now, 1u << P, "no-control-point"), 0);
	run_guided(r, 60);
	/* Warm-up from 60 % of the steady 45 W: 60 rpm (the floor of 50 + 10) + 60 % of 20. */
	assert_string_equal(rig_find(r, SESSION_EVENT_ADVICE, 0)->text,
			    "pedal easy at about 70 rpm, light resistance");
	run_guided(r, 11 * 60);
	assert_string_equal(r->out.advice, "pedal easy at about 80 rpm, light resistance");
	/* Pain 5: 85 % of the level, 77 rpm, said as about 75. */
	assert_int_equal(session_report_pain(r->s, r->now, 5), 0);
	run_guided(r, 11 * 60 + 5);
	assert_string_equal(r->out.advice, "ease off: pedal at about 75 rpm, light resistance");
	for (size_t i = 0; i < r->n_events; i++)
		if (r->events[i].type == SESSION_EVENT_ADVICE)
			assert_null(strstr(r->events[i].text, " W"));
	rig_free(r);
}

static void test_guided_treadmill(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);

	r->mirror_speed = false;
	r->in.speed_ckmh = 0;
	assert_int_equal(session_guide(r->s, r->now, 1u << SP, "no control point"), 0);
	/* Guiding the belt guides the incline too. */
	assert_int_equal(session_get_guided(r->s), (1u << SP) | (1u << IN));
	run_guided(r, 300);
	assert_int_equal(session_get_phase(r->s), SESSION_PHASE_WAITING);
	assert_string_equal(r->out.advice, "start the belt yourself; walk at about 2.1 km/h");
	/* The rider starts the belt: warm-up from the speed it runs at. */
	r->in.speed_ckmh = 150;
	run_guided(r, 302);
	assert_int_equal(session_get_phase(r->s), SESSION_PHASE_WARMUP);
	r->mirror_speed = true;
	run_guided(r, 302 + 6 * 60);
	assert_int_equal(session_get_phase(r->s), SESSION_PHASE_STEADY);
	assert_string_equal(r->out.advice, "walk at 3.5 km/h");
	assert_int_equal(session_stop(r->s, r->now, SESSION_END_USER_STOP), 0);
	run_guided(r, 302 + 8 * 60);
	assert_true(has_advice(r, "slow the belt to"));
	assert_true(has_advice(r, "stop the belt"));
	assert_int_equal(session_get_phase(r->s), SESSION_PHASE_DONE);
	rig_free(r);
}

/* The link comes back to a guided belt that stopped: paused for a confirmation, given by the
 * rider starting the belt again. */
static void test_guided_belt_after_link_loss(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);

	r->mirror_speed = false;
	assert_int_equal(session_guide(r->s, r->now, ~0u, "asked"), 0);
	r->in.speed_ckmh = 200;
	run_guided(r, 120);
	assert_int_equal(session_get_phase(r->s), SESSION_PHASE_WARMUP);
	r->in.link_up = false;
	run_guided(r, 130);
	r->in.link_up = true;
	r->in.speed_ckmh = 0;
	run_guided(r, 131);
	assert_true(session_get_paused(r->s) & SESSION_PAUSE_CONFIRM);
	run_guided(r, 140);
	assert_true(session_get_paused(r->s) & SESSION_PAUSE_CONFIRM);
	r->in.speed_ckmh = 150;
	run_guided(r, 142);
	assert_int_equal(session_get_paused(r->s), 0);
	rig_free(r);
}

static void test_guide_errors(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);

	assert_int_equal(session_guide(r->s, r->now, 1u << SP, "x"), -EINVAL);
	assert_int_equal(session_guide(r->s, r->now, 0, "x"), -EINVAL);
	assert_int_equal(session_guide(r->s, r->now, ~0u, "x"), 0);
	assert_int_equal(session_guide(r->s, r->now, ~0u, "x"), -EALREADY);
	assert_int_equal(session_stop(r->s, r->now, SESSION_END_USER_STOP), 0);
	rig_run(r, r->now / 1e6 + 5, 1);
	assert_int_equal(session_guide(r->s, r->now, ~0u, "x"), -ESTALE);
	rig_free(r);
}

/* A belt that stays still while its target rises: sent again once after 15 s, guided 15 s
 * later; the machine is not stopped (the rider is on it), nothing is written after. */
static void test_ignored_speed(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);
	const struct session_event *e;
	uint64_t retry_at = 0, guided_at = 0;

	r->mirror_speed = false;
	r->in.speed_ckmh = 0;
	assert_int_equal(session_confirm_belt(r->s, r->now), 0);
	while (r->now < S(120) && !guided_at) {
		rig_step(r, r->now + S(0.5));
		if (r->out.retry) {
			assert_int_equal(r->out.retry, 1u << SP);
			retry_at = r->now;
		}
		if (r->out.guided) {
			guided_at = r->now;
			assert_false(r->out.run_changed);
		}
	}
	assert_true(retry_at > 0);
	assert_true(guided_at > retry_at);
	assert_in_range(guided_at - retry_at, S(15), S(16));
	assert_int_equal(rig_count(r, SESSION_EVENT_RETRY), 1);
	e = rig_find(r, SESSION_EVENT_GUIDED, 0);
	assert_non_null(e);
	assert_string_equal(e->text, "the machine ignores its speed target");
	assert_int_equal(r->out.guided, (1u << SP) | (1u << IN));
	run_guided(r, 200);
	assert_true(has_advice(r, "walk at") || has_advice(r, "speed the belt up to"));
	rig_free(r);
}

/* ERG power that stays at what the rider makes of the bike's own resistance. */
static void test_ignored_power(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);

	r->in.power_present = true;
	r->in.power_w = 92;
	rig_run(r, 60, 1);
	assert_int_equal(rig_count(r, SESSION_EVENT_RETRY), 1);
	assert_int_equal(session_get_guided(r->s), 1u << P);
	assert_true(has_advice(r, "pedal easy, about"));
	rig_free(r);
}

/*
 * A machine without ranges refuses targets below its least power while the range is learned:
 * it keeps its last value because it said no, which is not ignoring a target, however long it
 * refuses. Once it accepts its targets, a target not followed is still found.
 */
static void test_refused_not_ignored(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);

	r->in.power_present = true;
	r->in.power_w = 92;
	r->refuse = true;
	for (int k = 0; k < 8; k++) {
		rig_run(r, r->now / S(1) + 10, 1);
		assert_int_equal(session_narrow(r->s, P, m.range[P].min + k + 1, m.range[P].max),
				 0);
	}
	rig_run(r, r->now / S(1) + 40, 1); /* refused, nothing learned from it */
	assert_int_equal(rig_count(r, SESSION_EVENT_RETRY), 0);
	assert_int_equal(session_get_guided(r->s), 0);
	r->refuse = false;
	rig_run(r, r->now / S(1) + 40, 1);
	assert_int_equal(rig_count(r, SESSION_EVENT_RETRY), 1);
	rig_free(r);
}

/* A machine that follows, within the lag of a belt or a brake, is never taken as ignoring. */
static void test_followed_not_ignored(void **state)
{
	struct session_machine b = rig_bike(true), t = rig_treadmill();
	struct rig *r = rig_new(&b, NULL, NULL);

	r->in.power_present = true;
	while (r->now < S(30 * 60)) {
		r->in.power_w = r->out.target[P] - 8; /* a brake a little behind */
		rig_step(r, r->now + S(1));
	}
	assert_int_equal(rig_count(r, SESSION_EVENT_RETRY), 0);
	assert_int_equal(session_get_guided(r->s), 0);
	rig_free(r);

	r = rig_new(&t, NULL, NULL);
	r->speed_factor = 0.9;
	assert_int_equal(session_confirm_belt(r->s, r->now), 0);
	rig_run(r, 30 * 60, 0.5);
	assert_int_equal(rig_count(r, SESSION_EVENT_RETRY), 0);
	assert_int_equal(session_get_guided(r->s), 0);
	assert_true(r->out.advice[0] == '\0');
	rig_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guided_bike),
		cmocka_unit_test(test_guided_cadence_only),
		cmocka_unit_test(test_guided_treadmill),
		cmocka_unit_test(test_guided_belt_after_link_loss),
		cmocka_unit_test(test_guide_errors),
		cmocka_unit_test(test_ignored_speed),
		cmocka_unit_test(test_ignored_power),
		cmocka_unit_test(test_followed_not_ignored),
		cmocka_unit_test(test_refused_not_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
