/* SPDX-License-Identifier: MIT */
/* The coach's glue from config and the machine to the engine: nothing bypasses the bounds. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "coach-internal.h"

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
	struct bluez_machine_info info = {
		.address = "C0:FF:EE:00:00:01",
		.name = "bike",
		.kind = BLUEZ_KIND_BIKE,
		.features = { .target = FTMS_TARGET_POWER | FTMS_TARGET_RESISTANCE },
	};
	struct session_machine m;

	info.has_range[FTMS_RANGE_POWER] = true;
	info.ranges[FTMS_RANGE_POWER] = (struct ftms_range){ 10, 800, 1 };
	assert_int_equal(coach_machine(&info, &m), 0);
	assert_int_equal(m.kind, SESSION_KIND_BIKE);
	assert_true(m.has[SESSION_CH_POWER]);
	assert_false(m.has[SESSION_CH_RESISTANCE]); /* no range: cannot be driven */
	assert_int_equal(m.range[SESSION_CH_POWER].max, 800);
	info.kind = BLUEZ_KIND_OTHER;
	assert_int_equal(coach_machine(&info, &m), -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_defaults_match_engine),
		cmocka_unit_test(test_out_of_bounds_are_clamped),
		cmocka_unit_test(test_age_gives_a_cap),
		cmocka_unit_test(test_minutes_override),
		cmocka_unit_test(test_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
