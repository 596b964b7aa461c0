/* SPDX-License-Identifier: MIT */
/*
 * The session engine and what the machine does by itself (Fitness Machine Status): stopped or
 * started at its console, a target set there, a reset or a power cycle.
 */
#include <errno.h>

#include "test-session-engine.h"

/* A bike at steady (45 W, ERG), or a treadmill at steady (3.5 km/h). */
static struct rig *steady_bike(void)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);

	rig_run(r, 400, 1);
	assert_int_equal(r->out.phase, SESSION_PHASE_STEADY);
	assert_int_equal(rig_target(r, P), 45);
	return r;
}

static struct rig *steady_treadmill(void)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);

	assert_int_equal(session_confirm_belt(r->s, r->now), 0);
	rig_run(r, 500, 1);
	assert_int_equal(r->out.phase, SESSION_PHASE_STEADY);
	assert_int_equal(rig_target(r, SP), 350);
	return r;
}

/* Stopped at the bike: paused until the user starts it again; no Stop and no Start from
 * the session on the way (the machine did both). */
static void test_stopped_and_started_bike(void **state)
{
	struct rig *r = steady_bike();

	assert_int_equal(session_machine_stopped(r->s, r->now), 0);
	rig_step(r, r->now + S(1));
	assert_true(r->out.paused & SESSION_PAUSE_MACHINE);
	assert_false(r->out.run);
	assert_false(r->out.run_changed);
	assert_int_equal(session_machine_stopped(r->s, r->now), -EALREADY);
	rig_run(r, 460, 1);
	assert_true(r->out.paused & SESSION_PAUSE_MACHINE);
	assert_int_equal(rig_target(r, P), 0); /* the floor */

	assert_int_equal(session_machine_started(r->s, r->now), 0);
	rig_step(r, r->now + S(1));
	assert_int_equal(r->out.paused, 0);
	assert_true(r->out.run);
	assert_false(r->out.run_changed);
	rig_run(r, 700, 1);
	assert_int_equal(rig_target(r, P), 45); /* ramped back */
	rig_free(r);
}

/* Stopped at the treadmill: the speed re-bases on 0 at once and nothing starts the belt, however
 * long; the user's start at the machine resumes, the belt ramps up again. */
static void test_stopped_treadmill_stays_stopped(void **state)
{
	struct rig *r = steady_treadmill();

	assert_int_equal(session_machine_stopped(r->s, r->now), 0);
	rig_step(r, r->now + S(1));
	assert_int_equal(rig_target(r, SP), 0);
	assert_true(r->out.rebased & (1u << SP));
	assert_false(r->out.run);
	assert_false(r->out.run_changed);
	for (int i = 0; i < 600; i++) {
		rig_step(r, r->now + S(1));
		assert_int_equal(rig_target(r, SP), 0);
		assert_false(r->out.run);
	}
	assert_int_equal(session_machine_started(r->s, r->now), 0);
	rig_run(r, 1400, 1);
	assert_true(r->out.run);
	assert_true(rig_target(r, SP) > 100);
	rig_free(r);
}

/* A start at the machine is followed only when the session waits for the user. */
static void test_started_only_when_waiting(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = steady_bike(), *t;

	assert_int_equal(session_machine_started(r->s, r->now), -EALREADY); /* nothing waits */
	r->in.cadence_hrpm = 0;
	rig_run(r, 420, 1);
	assert_true(r->out.paused & SESSION_PAUSE_NO_PEDALLING);
	assert_int_equal(session_machine_started(r->s, r->now), -EALREADY);
	assert_int_equal(session_machine_stopped(r->s, r->now), 0);
	assert_int_equal(session_machine_started(r->s, r->now), 0); /* the machine's pause ends */
	rig_step(r, r->now + S(1));
	assert_int_equal(r->out.paused, SESSION_PAUSE_NO_PEDALLING); /* the rule's holds */
	r->in.cadence_hrpm = 160;
	rig_step(r, r->now + S(1));

	/* Implausible data: only backride's resume clears it, not a button at the machine. */
	r->in.implausible = true;
	rig_step(r, r->now + S(1));
	r->in.implausible = false;
	assert_int_equal(session_machine_stopped(r->s, r->now), 0);
	assert_int_equal(session_machine_started(r->s, r->now), -EALREADY);
	rig_step(r, r->now + S(1));
	assert_true(r->out.paused & SESSION_PAUSE_IMPLAUSIBLE);
	assert_true(r->out.paused & SESSION_PAUSE_MACHINE);

	/* The user's pause waits for the user: followed. */
	assert_int_equal(session_resume(r->s, r->now), 0);
	assert_int_equal(session_pause(r->s, r->now), 0);
	assert_int_equal(session_machine_started(r->s, r->now), 0);
	rig_step(r, r->now + S(1));
	assert_int_equal(r->out.paused, 0);

	/* A belt waiting for its confirmation: a start at the machine is one. */
	t = rig_new(&m, NULL, NULL);
	rig_run(t, 60, 1);
	assert_int_equal(t->out.phase, SESSION_PHASE_WAITING);
	assert_int_equal(session_machine_started(t->s, t->now), 0);
	rig_step(t, t->now + S(1));
	assert_int_equal(t->out.phase, SESSION_PHASE_COUNTDOWN);

	assert_int_equal(session_stop(r->s, r->now, SESSION_END_USER_STOP), 0);
	assert_int_equal(session_machine_started(r->s, r->now), -ESTALE);
	rig_free(t);
	rig_free(r);
}

/* A lower target set at the machine holds for the rest of the phase, then the plan goes on. */
static void test_lower_target_adopted_for_the_phase(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);
	const struct session_event *e;

	rig_run(r, 150, 1); /* warm-up, on the way from 27 to 45 W */
	assert_int_equal(r->out.phase, SESSION_PHASE_WARMUP);
	assert_int_equal(session_machine_target(r->s, r->now, P, 30), 0);
	rig_step(r, r->now + S(1));
	assert_int_equal(rig_target(r, P), 30);
	/* The machine is there, but a write of the earlier target may be on its way: once more. */
	assert_true(r->out.changed & (1u << P));
	rig_step(r, r->now + S(1));
	assert_int_equal(rig_target(r, P), 30);
	assert_false(r->out.changed & (1u << P));
	e = rig_find(r, SESSION_EVENT_MACHINE_TARGET, 0);
	assert_non_null(e);
	assert_int_equal(e->value, 30);
	assert_non_null(strstr(e->text, "adopted"));
	rig_run(r, 299, 1);
	assert_int_equal(rig_target(r, P), 30);
	rig_run(r, 400, 1); /* steady: the plan's target again */
	assert_int_equal(r->out.phase, SESSION_PHASE_STEADY);
	assert_int_equal(rig_target(r, P), 45);
	assert_int_equal(session_machine_target(r->s, r->now, P, 45), -EALREADY);
	rig_free(r);
}

/* A higher target, or one the session does not drive, is written back at the next step. */
static void test_higher_target_held(void **state)
{
	struct rig *r = steady_bike();
	const struct session_event *e;

	assert_int_equal(session_machine_target(r->s, r->now, P, 150), 1);
	rig_step(r, r->now + S(1));
	assert_true(r->out.changed & (1u << P));
	assert_int_equal(rig_target(r, P), 45);
	e = rig_find(r, SESSION_EVENT_MACHINE_TARGET, 0);
	assert_non_null(e);
	assert_int_equal(e->value, 150);
	assert_non_null(strstr(e->text, "held at 45"));

	/* Resistance on a bike in ERG, or a mode the session does not use: power again. */
	assert_int_equal(session_machine_target(r->s, r->now, R, 50), 1);
	rig_step(r, r->now + S(1));
	assert_true(r->out.changed & (1u << P));
	assert_int_equal(session_machine_target(r->s, r->now, _SESSION_CH_MAX, 0), 1);
	rig_step(r, r->now + S(1));
	assert_true(r->out.changed & (1u << P));
	assert_int_equal(session_machine_target(r->s, r->now, _SESSION_CH_MAX + 1, 0), -EINVAL);
	rig_free(r);
}

/* A reset: every target and Start again, at the same level; a power cycle: a new ramp from a
 * lower level. A treadmill's belt stopped: it waits for the user. */
static void test_lost_state(void **state)
{
	struct rig *r = steady_bike(), *t = steady_treadmill();

	session_machine_lost_state(r->s, r->now, false);
	rig_step(r, r->now + S(1));
	assert_true(r->out.changed & (1u << P));
	assert_true(r->out.run && r->out.run_changed);
	assert_int_equal(rig_target(r, P), 45);

	session_machine_lost_state(r->s, r->now, true);
	rig_step(r, r->now + S(1));
	assert_true(r->out.run_changed);
	rig_run(r, r->now / 1e6 + 3, 1); /* down at the envelope's rate */
	assert_true(rig_target(r, P) <= 45 * 70 / 100 + 2);
	rig_run(r, r->now / 1e6 + 300, 1);
	assert_int_equal(rig_target(r, P), 45);

	session_machine_lost_state(t->s, t->now, true);
	rig_step(t, t->now + S(1));
	assert_true(t->out.paused & SESSION_PAUSE_MACHINE);
	assert_int_equal(rig_target(t, SP), 0);
	assert_false(t->out.run);
	rig_free(t);
	rig_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stopped_and_started_bike),
		cmocka_unit_test(test_stopped_treadmill_stays_stopped),
		cmocka_unit_test(test_started_only_when_waiting),
		cmocka_unit_test(test_lower_target_adopted_for_the_phase),
		cmocka_unit_test(test_higher_target_held),
		cmocka_unit_test(test_lost_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
