/* SPDX-License-Identifier: MIT */
/* The session engine on a fake clock: phases, ramps, stopping, pausing and resistance. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test-session-engine.h"

static void test_bike_whole_session(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);
	static const enum session_phase order[] = {
		SESSION_PHASE_WARMUP,	SESSION_PHASE_STEADY,	 SESSION_PHASE_COOLDOWN,
		SESSION_PHASE_STOPPING, SESSION_PHASE_STRETCHES, SESSION_PHASE_DONE,
	};
	static const int32_t stretch_s[] = { 25, 25, 30, 50 };
	int32_t prev;

	assert_int_equal(session_get_main_channel(r->s), P);
	assert_int_equal(r->out.phase, SESSION_PHASE_WARMUP);
	assert_int_equal(r->out.channels, 1u << P);
	assert_int_equal(r->out.changed, 1u << P);
	assert_true(r->out.run && r->out.run_changed);
	assert_int_equal(rig_target(r, P), 27); /* 60 % of 45 W */
	assert_int_equal(r->out.remaining_usec, S(1500));
	/* Warm-up: a straight ramp 27 -> 45 W over 5 min. */
	prev = 27;
	for (int t = 1; t <= 300; t++) {
		rig_run(r, t, 1);
		assert_true(rig_target(r, P) >= prev);
		assert_true(abs(rig_target(r, P) - (int) lround(27 + 18.0 * t / 300)) <= 1);
		prev = rig_target(r, P);
	}
	assert_int_equal(r->out.phase, SESSION_PHASE_STEADY);
	assert_int_equal(rig_target(r, P), 45);
	rig_run(r, 1199, 1);
	assert_int_equal(rig_target(r, P), 45);
	assert_int_equal(r->out.remaining_usec, S(301));
	rig_run(r, 1350, 1);
	assert_int_equal(r->out.phase, SESSION_PHASE_COOLDOWN);
	assert_int_equal(rig_target(r, P), 36);
	rig_run(r, 1499, 1);
	assert_int_equal(rig_target(r, P), 27);
	rig_run(r, 1510, 1);
	assert_int_equal(r->out.phase, SESSION_PHASE_STRETCHES);
	assert_int_equal(rig_target(r, P), 0); /* the floor */
	assert_int_equal(session_get_end(r->s), SESSION_END_COMPLETED);
	rig_run(r, 2000, 1);
	assert_true(r->out.done);
	assert_false(r->out.run);
	assert_int_equal(r->out.elapsed_usec, S(1500 + 130));
	assert_int_equal(rig_count(r, SESSION_EVENT_PHASE), ARRAY_SIZE(order));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		assert_int_equal(rig_find(r, SESSION_EVENT_PHASE, i)->value, order[i]);
	assert_int_equal(rig_count(r, SESSION_EVENT_STRETCH), 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(rig_find(r, SESSION_EVENT_STRETCH, i)->value, stretch_s[i]);
	assert_string_equal(rig_find(r, SESSION_EVENT_STRETCH, 2)->text, "child's pose");
	assert_int_equal(rig_find(r, SESSION_EVENT_STRETCH, 1)->t_usec, S(1525));
	assert_int_equal(rig_find(r, SESSION_EVENT_END, 0)->value, SESSION_END_COMPLETED);
	assert_int_equal(session_advance(r->s, S(3000), &r->in, &r->out), 1);
	assert_int_equal(r->out.changed, 0);
	assert_int_equal(r->max_target[P], 45);
	/* Pain after the session is recorded as such. */
	assert_int_equal(session_report_pain(r->s, S(3000), 1), 0);
	assert_int_equal(session_get_pain_before(r->s), 2);
	assert_int_equal(session_get_pain_after(r->s), 1);
	assert_int_equal(session_get_pain_max(r->s), 2);
	rig_free(r);
}

/*
 * Main targets at each whole second of a session with pain, a pause, a link loss and no
 * pedalling. Commands and inputs change at whole seconds; a step sees an input change at its
 * end, so in the few seconds after one the step size shows (see settling()).
 */
static void scripted_run(const struct session_machine *m, double step, int32_t *out, int n)
{
	struct rig *r = rig_new(m, NULL, NULL);
	enum session_channel c = session_get_main_channel(r->s);

	if (m->kind == SESSION_KIND_TREADMILL)
		assert_int_equal(session_confirm_belt(r->s, 0), 0);
	for (int t = 1; t < n; t++) {
		rig_run(r, t, step);
		out[t] = rig_target(r, c);
		if (t == 400)
			assert_int_equal(session_report_pain(r->s, r->now, 4), 0);
		if (t == 500)
			assert_int_equal(session_pause(r->s, r->now), 0);
		if (t == 530)
			assert_int_equal(session_resume(r->s, r->now), 0);
		r->in.link_up = !(t >= 700 && t < 760);
		r->in.cadence_hrpm = t >= 900 && t < 920 ? 0 : 160;
	}
	rig_free(r);
}

static bool settling(int t)
{
	static const int changes[] = { 500, 530, 700, 760, 900, 920 };

	for (size_t i = 0; i < ARRAY_SIZE(changes); i++)
		if (t > changes[i] && t <= changes[i] + 3)
			return true;
	return false;
}

/* Equal within one increment, give or take one second (a detection seen one step later):
 * a[t] lies between b[t - 1] and b[t + 1]. */
static bool near(const int32_t *a, const int32_t *b, int t, int inc)
{
	int32_t lo = b[t], hi = b[t];

	for (int d = -1; d <= 1; d += 2) {
		lo = b[t + d] < lo ? b[t + d] : lo;
		hi = b[t + d] > hi ? b[t + d] : hi;
	}
	return a[t] >= lo - inc && a[t] <= hi + inc;
}

static void test_step_size_invariance(void **state)
{
	enum { N = 1800 };
	static int32_t a[N], b[N], c[N];
	struct session_machine machines[] = { rig_bike(true), rig_bike(false), rig_treadmill() };

	for (size_t i = 0; i < ARRAY_SIZE(machines); i++) {
		scripted_run(&machines[i], 1.0, a, N);
		scripted_run(&machines[i], 0.1, b, N);
		scripted_run(&machines[i], 0.25, c, N);
		for (int t = 2; t < N - 1; t++) {
			int inc = (int) machines[i].range[main_of(&machines[i])].increment;

			if (settling(t))
				continue;
			if (!near(a, b, t, inc) || !near(a, c, t, inc))
				fail_msg("machine %zu t=%d: %d %d %d (%d %d %d) (%d %d %d)", i, t,
					 a[t], b[t], c[t], a[t - 1], b[t - 1], c[t - 1], a[t + 1],
					 b[t + 1], c[t + 1]);
		}
	}
}

static void test_treadmill_confirmation(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);
	const struct session_event *e;

	assert_int_equal(r->out.phase, SESSION_PHASE_WAITING);
	assert_int_equal(r->out.channels, (1u << SP) | (1u << IN));
	rig_run(r, 60, 0.5);
	assert_int_equal(r->out.phase, SESSION_PHASE_WAITING);
	assert_int_equal(r->max_target[SP], 0);
	assert_false(r->out.run);
	assert_int_equal(r->out.elapsed_usec, 0);
	/* Pausing while waiting means nothing; resuming neither. */
	assert_int_equal(session_pause(r->s, r->now), -EALREADY);
	assert_int_equal(session_resume(r->s, r->now), -EALREADY);

	assert_int_equal(session_confirm_belt(r->s, r->now), 0);
	rig_step(r, S(60));
	assert_int_equal(r->out.phase, SESSION_PHASE_COUNTDOWN);
	e = rig_find(r, SESSION_EVENT_COUNTDOWN, 0);
	assert_non_null(e);
	assert_int_equal(e->value, 3);
	rig_run(r, 62.5, 0.5);
	assert_int_equal(rig_count(r, SESSION_EVENT_COUNTDOWN), 3);
	assert_int_equal(rig_find(r, SESSION_EVENT_COUNTDOWN, 2)->value, 1);
	assert_int_equal(r->max_target[SP], 0);
	rig_run(r, 63, 0.5);
	assert_int_equal(r->out.phase, SESSION_PHASE_WARMUP);
	assert_true(r->out.run);
	/* The belt starts at its least speed once the rate allows it (1.0 km/h at 0.1 km/h/s). */
	rig_run(r, 72, 0.5);
	assert_int_equal(rig_target(r, SP), 0);
	rig_run(r, 72.5, 0.5);
	assert_int_equal(rig_target(r, SP), 100);
	rig_run(r, 73.5, 0.5);
	assert_int_equal(rig_target(r, SP), 110);
	rig_run(r, 63 + 150, 0.5);
	assert_int_equal(rig_target(r, SP), 280); /* caught up with the ramp: 2.1 -> 3.5 km/h */
	rig_run(r, 63 + 300, 0.5);
	assert_int_equal(rig_target(r, SP), 350);
	assert_int_equal(rig_target(r, IN), 0);
	assert_int_equal(session_confirm_belt(r->s, r->now), -EALREADY);
	rig_free(r);
}

static void test_treadmill_incline(void **state)
{
	struct session_machine m = rig_treadmill();
	struct plan_params p;
	struct rig *r;

	plan_params_default(SESSION_KIND_TREADMILL, &p);
	p.incline_dpct = 45; /* 4.5 %: capped at 2 % by default */
	r = rig_new(&m, NULL, &p);
	assert_int_equal(session_confirm_belt(r->s, 0), 0);
	rig_run(r, 400, 1);
	assert_int_equal(r->out.phase, SESSION_PHASE_STEADY);
	assert_int_equal(rig_target(r, IN), 20);
	assert_int_equal(r->max_target[IN], 20);
	/* Stopping waits for the belt, not for the incline. */
	assert_int_equal(session_stop(r->s, r->now, SESSION_END_SHUTDOWN), 0);
	rig_run(r, 420, 1);
	assert_true(r->out.done);
	assert_int_equal(rig_target(r, SP), 0);
	assert_true(rig_target(r, IN) < 20);
	rig_free(r);
}

static void test_stop_treadmill(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);
	int32_t prev;

	assert_int_equal(session_confirm_belt(r->s, 0), 0);
	rig_run(r, 400, 0.1);
	assert_int_equal(rig_target(r, SP), 350);
	assert_int_equal(session_stop(r->s, r->now, SESSION_END_USER_STOP), 0);
	assert_int_equal(session_stop(r->s, r->now, SESSION_END_USER_STOP), -EALREADY);
	prev = 350;
	/* Belt ramps down at 0.2 km/h/s to 1.0 km/h (11.5 s), then stops (5 s later). */
	for (double t = 400.1; t < 420; t += 0.1) {
		rig_step(r, S(t));
		assert_int_equal(r->out.phase,
				 r->out.target[SP] ? SESSION_PHASE_STOPPING : SESSION_PHASE_DONE);
		assert_true(rig_target(r, SP) <= prev);
		prev = rig_target(r, SP);
		if (t < 411)
			assert_true(prev > 100);
	}
	assert_int_equal(prev, 0);
	assert_true(r->out.done);
	assert_false(r->out.run);
	assert_int_equal(r->out.end, SESSION_END_USER_STOP);
	assert_int_equal(rig_count(r, SESSION_EVENT_STRETCH), 0);
	rig_free(r);
}

static void test_stop_bike_and_shutdown(void **state)
{
	struct session_machine m = rig_bike(true);
	struct rig *r = rig_new(&m, NULL, NULL);

	rig_run(r, 400, 1);
	assert_int_equal(session_stop(r->s, r->now, SESSION_END_COMPLETED), -EINVAL);
	assert_int_equal(session_stop(r->s, r->now, SESSION_END_SHUTDOWN), 0);
	rig_run(r, 405, 1);
	assert_int_equal(rig_target(r, P), 0);
	assert_true(r->out.done);
	assert_int_equal(r->out.end, SESSION_END_SHUTDOWN);
	assert_int_equal(session_pause(r->s, r->now), -ESTALE);
	rig_free(r);

	/* With the link down nothing can be commanded: done at once. */
	r = rig_new(&m, NULL, NULL);
	rig_run(r, 100, 1);
	r->in.link_up = false;
	rig_run(r, 110, 1);
	assert_int_equal(session_stop(r->s, r->now, SESSION_END_FAULT), 0);
	rig_step(r, S(111));
	assert_true(r->out.done);
	assert_int_equal(r->out.end, SESSION_END_FAULT);
	rig_free(r);
}

static void test_user_pause(void **state)
{
	struct session_machine m = rig_treadmill();
	struct rig *r = rig_new(&m, NULL, NULL);
	uint64_t elapsed;

	assert_int_equal(session_confirm_belt(r->s, 0), 0);
	rig_run(r, 400, 1);
	assert_int_equal(session_pause(r->s, r->now), 0);
	assert_int_equal(session_pause(r->s, r->now), -EALREADY);
	rig_run(r, 440, 1);
	assert_int_equal(rig_target(r, SP), 0);
	assert_int_equal(r->out.paused, SESSION_PAUSE_USER);
	elapsed = r->out.elapsed_usec;
	rig_run(r, 900, 1);
	assert_int_equal(r->out.elapsed_usec, elapsed);
	assert_int_equal(session_resume(r->s, r->now), 0);
	assert_int_equal(session_resume(r->s, r->now), -EALREADY);
	rig_run(r, 1000, 1);
	assert_int_equal(r->out.phase, SESSION_PHASE_STEADY);
	assert_int_equal(r->out.elapsed_usec, elapsed + S(100));
	assert_true(rig_target(r, SP) > 250);
	/* Pause during the countdown: back to waiting. */
	rig_free(r);
	r = rig_new(&m, NULL, NULL);
	assert_int_equal(session_confirm_belt(r->s, 0), 0);
	rig_run(r, 1, 1);
	assert_int_equal(r->out.phase, SESSION_PHASE_COUNTDOWN);
	assert_int_equal(session_pause(r->s, r->now), 0);
	rig_run(r, 30, 1);
	assert_int_equal(r->out.phase, SESSION_PHASE_WAITING);
	assert_int_equal(r->max_target[SP], 0);
	rig_free(r);
}

static void test_new_errors(void **state)
{
	struct session_machine m = rig_bike(true);
	struct session_engine *s = NULL;
	struct envelope_limits l;
	struct session_rules ru;
	struct plan_params p;

	envelope_limits_default(&l);
	session_rules_default(&ru);
	plan_params_default(SESSION_KIND_TREADMILL, &p);
	assert_int_equal(session_new(&p, &l, &ru, &m, BR_NONE, &s), -EINVAL);
	plan_params_default(SESSION_KIND_BIKE, &p);
	assert_int_equal(session_new(&p, &l, &ru, &m, 11, &s), -EINVAL);
	/* A bike whose least power is over the cap falls back to resistance, else fails. */
	m.range[P].min = 150;
	assert_int_equal(session_new(&p, &l, &ru, &m, BR_NONE, &s), 0);
	assert_int_equal(session_get_main_channel(s), R);
	assert_int_equal(session_confirm_belt(s, 0), -EOPNOTSUPP);
	session_free(s);
	m.has[R] = false;
	assert_int_equal(session_new(&p, &l, &ru, &m, BR_NONE, &s), -ERANGE);
	m.has[P] = false;
	assert_int_equal(session_new(&p, &l, &ru, &m, BR_NONE, &s), -EINVAL);
	session_free(NULL);
	/* Absurd rules are bounded. */
	ru = (struct session_rules) { .hr_max_bpm = 20, .link_timeout_s = 999999 };
	assert_int_equal(session_rules_bound(&ru), 6);
	assert_int_equal(ru.hr_max_bpm, 80);
	assert_int_equal(ru.link_timeout_s, 1800);
}

static void test_resistance_scaled(void **state)
{
	struct session_machine m = rig_bike(false);
	struct rig *r;

	/* Resistance 1.0..21.0 in steps of 0.2: 20 % of the range above its least is 5.0. */
	m.range[R] = (struct ftms_range) { 10, 210, 2 };
	r = rig_new(&m, NULL, NULL);
	assert_int_equal(session_get_main_channel(r->s), R);
	assert_int_equal(r->out.channels, 1u << R);
	assert_int_equal(rig_target(r, R), 34); /* 60 % of the way: 1.0 + 2.4 */
	rig_run(r, 400, 1);
	assert_int_equal(rig_target(r, R), 50);
	assert_int_equal(session_stop(r->s, r->now, SESSION_END_USER_STOP), 0);
	rig_run(r, 410, 1);
	assert_false(r->out.done); /* 100 % of the range per minute: 4.0 takes 12 s */
	rig_run(r, 413, 1);
	assert_true(r->out.done);
	assert_int_equal(rig_target(r, R), 10); /* the floor is the least resistance */
	rig_free(r);
}

/* A resistance brake as backride-sim models one: power = rpm x (0.5 + 0.013 x the level in
 * tenths), settling toward it with a time constant of 3 s. The bike reports it each second. */
static void brake(struct rig *r, double rpm, double *power, double dt)
{
	double want = rpm > 0 ? rpm * (0.5 + 0.013 * rig_target(r, R)) : 0;

	*power += (want - *power) * (1 - exp(-dt / 3.0));
	r->in.power_present = true;
	r->in.power_w = (int32_t) lround(*power);
	r->in.cadence_hrpm = (int32_t) lround(rpm * 2);
}

struct power_run {
	double steady_avg;
	int32_t max_w;		/* warm-up to cool-down */
	int32_t max_resistance; /* the highest target sent */
};

/* A whole default plan on a bike without ERG whose brake reports its power. */
static void power_run(struct rig *r, double rpm, struct power_run *ret)
{
	double power = 0, sum = 0;
	unsigned n = 0;

	*ret = (struct power_run) {};
	while (!r->out.done && r->now < S(3600)) {
		brake(r, rpm, &power, 1);
		rig_step(r, r->now + S(1));
		if (r->out.phase == SESSION_PHASE_STEADY) {
			sum += r->in.power_w;
			n++;
		}
		if (r->out.phase >= SESSION_PHASE_WARMUP && r->out.phase <= SESSION_PHASE_COOLDOWN)
			ret->max_w = r->in.power_w > ret->max_w ? r->in.power_w : ret->max_w;
	}
	ret->steady_avg = n ? sum / n : 0;
	ret->max_resistance = r->max_target[R];
}

/* Without ERG, a bike that reports power is kept at the power ERG would hold: the plan's 45 W,
 * not the ~80 W its 20 % of resistance gives at 80 rpm. */
static void test_resistance_power(void **state)
{
	struct session_machine m = rig_bike(false);
	struct power_run pr;
	struct rig *r;

	m.range[R] = (struct ftms_range) { 0, 200, 10 }; /* backride-sim: levels 0-20 */
	rig_power_reported = true;
	r = rig_new(&m, NULL, NULL);
	rig_power_reported = false;
	power_run(r, 80, &pr);
	assert_true(r->out.done);
	/* Levels 0 and 1.0 give 40 and 50 W at 80 rpm: the average lies between. */
	if (pr.steady_avg < 40 || pr.steady_avg > 47)
		fail_msg("steady average %.1f W, plan 45 W", pr.steady_avg);
	if (pr.max_w > 54)
		fail_msg("maximum %d W, plan 45 W (resistance up to %d)", pr.max_w,
			 pr.max_resistance);
	assert_true(pr.max_resistance <= 40); /* never above the plan's 20 % */
	rig_free(r);
}

/* A rider too slow to reach the power keeps the plan's resistance: never harder than it. */
static void test_resistance_power_slow_rider(void **state)
{
	struct session_machine m = rig_bike(false);
	struct power_run pr;
	struct rig *r;

	m.range[R] = (struct ftms_range) { 0, 200, 10 };
	rig_power_reported = true;
	r = rig_new(&m, NULL, NULL);
	rig_power_reported = false;
	power_run(r, 40, &pr); /* 4.0 at 40 rpm: 41 W */
	assert_int_equal(pr.max_resistance, 40);
	if (pr.steady_avg < 39 || pr.steady_avg > 42)
		fail_msg("steady average %.1f W", pr.steady_avg);
	rig_free(r);
}

static void test_before_start(void **state)
{
	struct session_machine m = rig_treadmill();
	struct session_engine *s = NULL;
	struct session_input in = { .link_up = true, .speed_present = true };
	struct session_output out;
	struct envelope_limits l;
	struct session_rules ru;
	struct plan_params p;

	envelope_limits_default(&l);
	session_rules_default(&ru);
	plan_params_default(SESSION_KIND_TREADMILL, &p);
	/* Confirmed with Start: the countdown begins at the first step. */
	assert_int_equal(session_new(&p, &l, &ru, &m, BR_NONE, &s), 0);
	assert_int_equal(session_confirm_belt(s, 0), 0);
	assert_int_equal(session_confirm_belt(s, 0), -EALREADY);
	assert_int_equal(session_advance(s, S(5), &in, &out), 0);
	assert_int_equal(out.phase, SESSION_PHASE_COUNTDOWN);
	assert_int_equal(session_get_pain_max(s), BR_NONE);
	session_free(s);
	/* Pain 7 before the first step: never starts. */
	m = rig_bike(true);
	p.kind = SESSION_KIND_BIKE;
	assert_int_equal(session_new(&p, &l, &ru, &m, 3, &s), 0);
	assert_int_equal(session_report_pain(s, 0, 7), 0);
	assert_int_equal(session_advance(s, S(5), &in, &out), 1);
	assert_int_equal(out.end, SESSION_END_PAIN);
	assert_int_equal(out.target[P], 0);
	assert_int_equal(session_get_pain_max(s), 7);
	session_free(s);
}

static void test_names(void **state)
{
	assert_string_equal(session_phase_to_string(SESSION_PHASE_COOLDOWN), "cooldown");
	assert_string_equal(session_phase_to_string(_SESSION_PHASE_MAX), "unknown");
	assert_string_equal(session_event_type_to_string(SESSION_EVENT_STRETCH), "stretch");
	assert_string_equal(session_event_type_to_string(_SESSION_EVENT_MAX), "unknown");
	assert_string_equal(session_pause_to_string(SESSION_PAUSE_NO_PEDALLING), "no-pedalling");
	assert_string_equal(session_pause_to_string(SESSION_PAUSE_IMPLAUSIBLE), "implausible-data");
	assert_string_equal(session_end_to_string(SESSION_END_SAFETY_KEY), "safety-key");
	assert_string_equal(session_kind_to_string(SESSION_KIND_TREADMILL), "treadmill");
	assert_string_equal(session_channel_to_string(SESSION_CH_INCLINE), "incline");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bike_whole_session),
		cmocka_unit_test(test_step_size_invariance),
		cmocka_unit_test(test_treadmill_confirmation),
		cmocka_unit_test(test_treadmill_incline),
		cmocka_unit_test(test_stop_treadmill),
		cmocka_unit_test(test_stop_bike_and_shutdown),
		cmocka_unit_test(test_user_pause),
		cmocka_unit_test(test_new_errors),
		cmocka_unit_test(test_resistance_scaled),
		cmocka_unit_test(test_resistance_power),
		cmocka_unit_test(test_resistance_power_slow_rider),
		cmocka_unit_test(test_before_start),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
