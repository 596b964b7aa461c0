/* SPDX-License-Identifier: MIT */
/*
 * The coach acts on what the BlueZ client reports, never on how an event is worded: the
 * safety key ends a treadmill session and BlueZ coming back reconnects the machine a crash
 * left driven, whatever sentence goes with them. The machines registry, the BlueZ client and
 * the API are replaced by fakes or left out; storage is a real database in a temporary file.
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
static enum bluez_link_state link_state = BLUEZ_LINK_IDLE;
static const char fake_address[] = "AA:BB:CC:DD:EE:01";

struct bluez *machines_bluez(struct machines *mc)
{
	return NULL;
}

bool machines_data_implausible(struct machines *mc)
{
	return false;
}

int machines_connect(struct machines *mc, const char *address, bluez_done_fn done, void *userdata)
{
	n_connects++;
	return 0;
}

int machines_connect_request(struct machines *mc, const struct machines_connect_request *req,
			     bluez_done_fn done, void *userdata)
{
	done(userdata, 0, NULL);
	return 0;
}

int machines_disconnect(struct machines *mc, const char *address)
{
	return 0;
}

enum bluez_link_state bluez_link_state(const struct bluez *b, enum bluez_role role,
				       const char **ret_address)
{
	if (ret_address)
		*ret_address = link_state == BLUEZ_LINK_IDLE ? NULL : fake_address;
	return link_state;
}

int bluez_set_target_power(struct bluez *b, int32_t watts)
{
	return 0;
}

int bluez_set_target_resistance(struct bluez *b, int32_t level_d)
{
	return 0;
}

int bluez_set_target_speed(struct bluez *b, int32_t ckmh)
{
	return 0;
}

int bluez_set_target_inclination(struct bluez *b, int32_t dpct)
{
	return 0;
}

int bluez_start_resume(struct bluez *b)
{
	return 0;
}

int bluez_stop_pause(struct bluez *b, bool pause)
{
	return 0;
}

int bluez_release_control(struct bluez *b)
{
	return 0;
}

const char *bluez_event_type_to_string(enum bluez_event_type t)
{
	return t == BLUEZ_EVENT_BLUEZ ? "bluez" : "control";
}

void bluez_link_set_expect_data(struct bluez *b, enum bluez_role role, bool expect)
{
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
	link_state = BLUEZ_LINK_IDLE;
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
	struct bluez_machine_info info = {
		.address = fake_address,
		.name = "Treadmill",
		.kind = BLUEZ_KIND_TREADMILL,
		.features = { .machine = 0, .target = FTMS_TARGET_SPEED },
	};

	info.ranges[FTMS_RANGE_SPEED] = (struct ftms_range){ 100, 2000, 10 };
	info.has_range[FTMS_RANGE_SPEED] = true;
	link_state = BLUEZ_LINK_READY;
	coach_machine_ready(f->coach, &info);
	coach_link_changed(f->coach, BLUEZ_ROLE_MACHINE, BLUEZ_LINK_READY);
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
		.pain_before = SESSION_NONE,
		.stretches = -1,
	};
	int error = 1;

	coach_start_fixture(f);
	treadmill_ready(f);
	assert_int_equal(coach_start(f->coach, &o, started, &error), 0);
	assert_int_equal(error, 0);
	assert_true(coach_running(f->coach));

	/* A sentence alone changes nothing, however it is worded. */
	coach_event(f->coach, &(struct bluez_event){ BLUEZ_EVENT_CONTROL, true,
						     "AA:BB:CC:DD:EE:01: machine status 0x03" });
	assert_int_equal(coach_report_pain(f->coach, 2), 0);
	assert_true(coach_running(f->coach));

	coach_machine_status(
		f->coach, &(struct ftms_machine_status){ .op = FTMS_STATUS_STOPPED_BY_SAFETY_KEY });
	coach_event(f->coach, &(struct bluez_event){ BLUEZ_EVENT_CONTROL, true,
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
		.target_speed_ckmh = STORAGE_NONE,
		.target_resistance_d = STORAGE_NONE,
		.target_incline_dpct = STORAGE_NONE,
		.pain_before = STORAGE_NONE,
	};
	int64_t id;

	assert_int_equal(storage_session_begin(f->storage, &plan, &id), 0);
	coach_start_fixture(f);
	assert_int_equal(n_connects, 1); /* at once, in case BlueZ is there */

	coach_event(f->coach, &(struct bluez_event){ BLUEZ_EVENT_BLUEZ, false, "up: :1.42" });
	coach_bluez_changed(f->coach, false);
	assert_int_equal(n_connects, 1);

	coach_bluez_changed(f->coach, true);
	coach_event(f->coach, &(struct bluez_event){ BLUEZ_EVENT_BLUEZ, false, "BlueZ is back" });
	assert_int_equal(n_connects, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_safety_key_ends_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bluez_up_reconnects_after_crash, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
