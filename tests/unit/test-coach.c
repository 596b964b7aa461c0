/* SPDX-License-Identifier: MIT */
/*
 * The coach with a fake machines registry and a fake machine driver; the API is left out and
 * storage is a real database in a temporary file.
 * - It acts on what the BlueZ client reports, never on how an event is worded: the safety key
 *   ends a treadmill session and BlueZ coming back reconnects the machine a crash left driven,
 *   whatever sentence goes with them.
 * - Debug1's targets reach the machine through the driver a session drives, ramped by the
 *   session's envelope on the coach's timer, and never while a session has the machine.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "coach-internal.h"
#include "machines.h"
#include "storage.h"

/* ---- fakes ---------------------------------------------------------------------------- */

static unsigned n_connects;
static enum link_state link_state = LINK_STATE_IDLE;
static const char fake_address[] = "AA:BB:CC:DD:EE:01";

void machines_listen(struct machines *mc, const struct machines_listener *l, void *userdata)
{
}

bool machines_data_implausible(struct machines *mc)
{
	return false;
}

bool machines_data_still_bad(struct machines *mc)
{
	return false;
}

int machines_connect(struct machines *mc, const char *address, driver_done_fn done, void *userdata)
{
	n_connects++;
	return 0;
}

int machines_connect_request(struct machines *mc, const struct machines_connect_request *req,
			     driver_done_fn done, void *userdata)
{
	done(userdata, 0, NULL);
	return 0;
}

int machines_disconnect(struct machines *mc, const char *address)
{
	return 0;
}

static enum driver_link fake_link(void *data)
{
	return link_state == LINK_STATE_READY  ? DRIVER_LINK_READY
	       : link_state == LINK_STATE_IDLE ? DRIVER_LINK_IDLE
					       : DRIVER_LINK_PENDING;
}

static int32_t sent[DRIVER_TARGET_INCLINATION + 1]; /* the last target of each, or -1 */
static unsigned n_sent;

/* As the BlueZ client: 1 (skipped) for the target the machine has already. */
static int fake_set_target(void *data, enum driver_target t, int32_t value)
{
	if (sent[t] == value)
		return 1;
	sent[t] = value;
	n_sent++;
	return 0;
}

static int fake_start(void *data)
{
	return 0;
}

static int fake_stop(void *data, bool pause)
{
	return 0;
}

static const struct machine_driver_ops fake_ops = {
	.link = fake_link,
	.set_target = fake_set_target,
	.start = fake_start,
	.stop = fake_stop,
};

static const struct machine_driver fake_driver = { .ops = &fake_ops };

const struct machine_driver *machines_driver(const struct machines *mc)
{
	return &fake_driver;
}

/* ---- fixture -------------------------------------------------------------------------- */

struct fixture {
	char path[64];
	uv_loop_t loop;
	struct config config;
	struct storage *storage;
	struct coach *coach;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int fd;

	assert_non_null(f);
	(void) snprintf(f->path, sizeof(f->path), "/tmp/test-coach-events-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	(void) close(fd);
	assert_int_equal(storage_open(f->path, &f->storage), 0);
	assert_int_equal(config_init(&f->config), 0);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	n_connects = 0;
	n_sent = 0;
	for (size_t i = 0; i < sizeof(sent) / sizeof(sent[0]); i++)
		sent[i] = -1;
	link_state = LINK_STATE_IDLE;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	coach_free(f->coach);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	storage_free(f->storage);
	config_done(&f->config);
	(void) unlink(f->path);
	free(f);
	return 0;
}

static const struct coach_callbacks callbacks = { 0 };

static void coach_start_fixture(struct fixture *f)
{
	assert_int_equal(
		coach_new(&f->loop, &f->config, f->storage, NULL, &callbacks, NULL, &f->coach), 0);
}

/* A treadmill that connected: speed 1-20 km/h, incline -1..+15 %. */
static void treadmill_ready(struct fixture *f)
{
	struct machine_info info = {
		.address = fake_address,
		.name = "Treadmill",
		.kind = MACHINE_KIND_TREADMILL,
		.features = { .machine = 0, .target = FTMS_TARGET_SPEED },
		.has_control = true,
	};

	info.ranges[FTMS_RANGE_SPEED] = (struct ftms_range) { 100, 2000, 10 };
	info.has_range[FTMS_RANGE_SPEED] = true;
	link_state = LINK_STATE_READY;
	coach_machine_ready(f->coach, &info);
	coach_link_changed(f->coach, LINK_ROLE_MACHINE, LINK_STATE_READY);
}

static void started(void *userdata, int error, const char *message)
{
	*(int *) userdata = error;
}

/* ---- tests ---------------------------------------------------------------------------- */

/* A Machine Status "stopped by safety key" ends the session, whatever the event says. */
static void test_safety_key_ends_session(void **state)
{
	struct fixture *f = *state;
	struct coach_start_options o = {
		.kind = -1,
		.pain_before = BR_NONE,
		.stretches = -1,
	};
	int error = 1;

	coach_start_fixture(f);
	treadmill_ready(f);
	assert_int_equal(coach_start(f->coach, &o, started, &error), 0);
	assert_int_equal(error, 0);
	assert_true(coach_running(f->coach));

	/* A sentence alone changes nothing, however it is worded. */
	coach_event(f->coach, &(struct driver_event) { DRIVER_EVENT_CONTROL, true,
						       "AA:BB:CC:DD:EE:01: machine status 0x03" });
	assert_int_equal(coach_report_pain(f->coach, 2), 0);
	assert_true(coach_running(f->coach));

	coach_machine_status(f->coach, &(struct ftms_machine_status) {
					       .op = FTMS_STATUS_STOPPED_BY_SAFETY_KEY });
	coach_event(f->coach, &(struct driver_event) { DRIVER_EVENT_CONTROL, true,
						       "treadmill stopped by its safety key" });
	assert_int_equal(coach_report_pain(f->coach, 2), 0);
	assert_false(coach_running(f->coach));
	assert_string_equal(coach_view(f->coach)->end_reason, "safety-key");
}

/* BlueZ coming back reconnects the machine an interrupted session left driven. */
static void test_bluez_up_reconnects_after_crash(void **state)
{
	struct fixture *f = *state;
	struct storage_session_plan plan = {
		.kind = STORAGE_KIND_BIKE,
		.profile = "gentle",
		.started_at = 1700000000,
		.planned_s = 1200,
		.target_power_w = 60,
		.target_speed_ckmh = BR_NONE,
		.target_resistance_d = BR_NONE,
		.target_incline_dpct = BR_NONE,
		.pain_before = BR_NONE,
	};
	int64_t id;

	assert_int_equal(storage_session_begin(f->storage, &plan, &id), 0);
	coach_start_fixture(f);
	assert_int_equal(n_connects, 1); /* at once, in case BlueZ is there */

	coach_event(f->coach, &(struct driver_event) { DRIVER_EVENT_BLUEZ, false, "up: :1.42" });
	coach_bluez_changed(f->coach, false);
	assert_int_equal(n_connects, 1);

	coach_bluez_changed(f->coach, true);
	coach_event(f->coach,
		    &(struct driver_event) { DRIVER_EVENT_BLUEZ, false, "BlueZ is back" });
	assert_int_equal(n_connects, 2);
}

/* Debug1: a big step of speed (within the [safety] cap) reaches the machine as a ramp the coach's
 * timer steps. */
static void test_debug_target_ramps_through_driver(void **state)
{
	struct fixture *f = *state;
	int why = 0;

	f->config.debug_targets = 1;
	f->config.time_scale = 1000;
	coach_start_fixture(f);
	assert_int_equal(coach_debug_status(f->coach, SESSION_CH_SPEED, &why),
			 COACH_DEBUG_NOT_READY);
	treadmill_ready(f);
	assert_int_equal(coach_debug_status(f->coach, SESSION_CH_SPEED, &why), COACH_DEBUG_USABLE);
	assert_int_equal(coach_debug_status(f->coach, SESSION_CH_POWER, &why),
			 COACH_DEBUG_UNSUPPORTED);

	assert_int_equal(coach_debug_target(f->coach, SESSION_CH_SPEED, 400), 1);
	assert_true(sent[DRIVER_TARGET_SPEED] < 400); /* not at once: the envelope's rate */
	while (sent[DRIVER_TARGET_SPEED] != 400) {
		assert_true(uv_loop_alive(&f->loop)); /* the timer runs until the goal */
		(void) uv_run(&f->loop, UV_RUN_ONCE);
	}
	assert_true(n_sent > 1); /* stepped there */
	/* At the goal the timer stops: the loop has nothing left to wait for. */
	assert_false(uv_loop_alive(&f->loop));
	assert_int_equal(coach_debug_target(f->coach, SESSION_CH_SPEED, 400), 0);
	assert_int_equal(coach_debug_command(f->coach, COACH_DEBUG_STOP), 0);
}

/* Debug1 sends nothing while a session drives the machine, nor after it on the same link. */
static void test_debug_waits_for_session(void **state)
{
	struct fixture *f = *state;
	struct coach_start_options o = {
		.kind = -1,
		.pain_before = BR_NONE,
		.stretches = -1,
	};
	int error = 1, why = 0;

	f->config.debug_targets = 1;
	f->config.time_scale = 1000;
	coach_start_fixture(f);
	treadmill_ready(f);
	assert_int_equal(coach_start(f->coach, &o, started, &error), 0);
	assert_int_equal(error, 0);
	assert_int_equal(coach_debug_status(f->coach, SESSION_CH_SPEED, &why), COACH_DEBUG_SESSION);
	assert_int_equal(coach_debug_command(f->coach, COACH_DEBUG_START), -EBUSY);

	assert_int_equal(coach_stop(f->coach, BR_NONE), 0);
	while (coach_running(f->coach)) {
		assert_true(uv_loop_alive(&f->loop));
		(void) uv_run(&f->loop, UV_RUN_ONCE);
	}
	assert_int_equal(coach_debug_status(f->coach, SESSION_CH_SPEED, &why), COACH_DEBUG_TAKEN);
	link_state = LINK_STATE_BACKOFF;
	coach_link_changed(f->coach, LINK_ROLE_MACHINE, LINK_STATE_BACKOFF);
	treadmill_ready(f);
	assert_int_equal(coach_debug_status(f->coach, SESSION_CH_SPEED, &why), COACH_DEBUG_USABLE);
}

/* ---- guided mode ---------------------------------------------------------------------- */

static const struct coach_start_options any_start = {
	.kind = -1,
	.pain_before = BR_NONE,
	.stretches = -1,
};

/* A bike that reports power and cadence but offers no target (or has no control point). */
static void bike_ready(struct fixture *f, bool control, uint32_t targets)
{
	struct machine_info info = {
		.address = fake_address,
		.name = "Bike",
		.kind = MACHINE_KIND_BIKE,
		.features = { .machine = FTMS_FEAT_POWER | FTMS_FEAT_CADENCE, .target = targets },
		.has_control = control,
	};

	info.ranges[FTMS_RANGE_POWER] = (struct ftms_range) { 0, 800, 1 };
	info.has_range[FTMS_RANGE_POWER] = true;
	link_state = LINK_STATE_READY;
	coach_machine_ready(f->coach, &info);
	coach_link_changed(f->coach, LINK_ROLE_MACHINE, LINK_STATE_READY);
}

/* Session seconds go by: the coach's timer steps the engine. */
static void run_ticks(struct fixture *f, unsigned n)
{
	for (unsigned i = 0; i < n && coach_running(f->coach); i++)
		(void) uv_run(&f->loop, UV_RUN_ONCE);
}

static void assert_guided(struct fixture *f, const char *why, const char *message)
{
	const struct coach_view *v = coach_view(f->coach);
	struct storage_session x;

	assert_non_null(v);
	assert_true(v->guided);
	assert_non_null(strstr(v->message, message));
	assert_int_equal(storage_session_get(f->storage, v->id, &x), 0);
	assert_string_equal(x.guided, why);
}

/*
 * A bike whose Feature offers no target backride can set: before guided mode the engine said
 * -EINVAL with no sentence, which the API turned into "Option 'machine' must be an address".
 * Now it is guided on its power, and nothing is written to it.
 */
static void test_no_target_is_guided(void **state)
{
	struct fixture *f = *state;
	int error = 1;

	f->config.time_scale = 1000;
	coach_start_fixture(f);
	bike_ready(f, true, 0);
	assert_int_equal(coach_start(f->coach, &any_start, started, &error), 0);
	assert_int_equal(error, 0);
	assert_true(coach_running(f->coach));
	assert_guided(f, "no-target",
		      "This bike does not let backride set its power or resistance");
	run_ticks(f, 20);
	assert_non_null(strstr(coach_view(f->coach)->advice, "W at 80 rpm"));
	assert_int_equal(n_sent, 0);
	assert_int_equal(coach_stop(f->coach, BR_NONE), 0);
	run_ticks(f, 50);
	assert_false(coach_running(f->coach));
	assert_int_equal(n_sent, 0);
}

static void test_no_control_point_is_guided(void **state)
{
	struct fixture *f = *state;
	int error = 1;

	coach_start_fixture(f);
	bike_ready(f, false, FTMS_TARGET_POWER);
	assert_int_equal(coach_start(f->coach, &any_start, started, &error), 0);
	assert_int_equal(error, 0);
	assert_guided(f, "no-control-point", "(it has no FTMS control point)");
	assert_int_equal(n_sent, 0);
}

/* Request Control refused during the session: guided, and the refusals that follow (what was
 * queued before) never stop it as a fault. */
static void test_control_refused_guides(void **state)
{
	struct fixture *f = *state;
	int error = 1;

	coach_start_fixture(f);
	treadmill_ready(f);
	assert_int_equal(coach_start(f->coach, &any_start, started, &error), 0);
	assert_false(coach_view(f->coach)->guided);
	coach_cp_result(f->coach, FTMS_CP_REQUEST_CONTROL, FTMS_CP_CONTROL_NOT_PERMITTED, true);
	assert_guided(f, "control-refused", "This treadmill refuses control (");
	for (int i = 0; i < 5; i++)
		coach_cp_result(f->coach, FTMS_CP_START_RESUME, FTMS_CP_CONTROL_NOT_PERMITTED,
				true);
	run_ticks(f, 3);
	assert_true(coach_running(f->coach));
}

/* Refused as the link came up, before the session began: guided from its start. */
static void test_control_refused_before_start(void **state)
{
	struct fixture *f = *state;
	int error = 1;

	coach_start_fixture(f);
	treadmill_ready(f);
	coach_cp_result(f->coach, FTMS_CP_REQUEST_CONTROL, FTMS_CP_OPERATION_FAILED, true);
	assert_int_equal(coach_start(f->coach, &any_start, started, &error), 0);
	assert_guided(f, "control-refused", "refuses control");
}

/* Without any of those causes three refusals in a row still stop the session as a fault. */
static void test_driven_refusals_fault(void **state)
{
	struct fixture *f = *state;
	int error = 1;

	f->config.time_scale = 1000;
	coach_start_fixture(f);
	treadmill_ready(f);
	assert_int_equal(coach_start(f->coach, &any_start, started, &error), 0);
	for (int i = 0; i < 3; i++)
		coach_cp_result(f->coach, FTMS_CP_SET_TARGET_SPEED, FTMS_CP_OPERATION_FAILED, true);
	run_ticks(f, 50);
	assert_false(coach_running(f->coach));
	assert_string_equal(coach_view(f->coach)->end_reason, "fault");
	assert_false(coach_view(f->coach)->guided);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_safety_key_ends_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bluez_up_reconnects_after_crash, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_debug_target_ramps_through_driver, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_debug_waits_for_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_target_is_guided, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_control_point_is_guided, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_refused_guides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_refused_before_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_driven_refusals_fault, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
