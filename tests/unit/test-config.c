/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <cmocka.h>

#include "backride-build.h"
#include "config.h"

struct fixture {
	char dir[64];
	char path[128];
	char *err;
	size_t err_len;
	FILE *errf;
	struct config c;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/backride-config-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/backride.conf", f->dir);
	f->errf = open_memstream(&f->err, &f->err_len);
	assert_non_null(f->errf);
	assert_int_equal(config_init(&f->c), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	config_done(&f->c);
	fclose(f->errf);
	free(f->err);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void write_file(struct fixture *f, const char *text)
{
	FILE *fp = fopen(f->path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static const char *errors(struct fixture *f)
{
	fflush(f->errf);
	return f->err ? f->err : "";
}

static void test_defaults(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(f->c.api_bus, "system");
	assert_string_equal(f->c.bluez_bus, "system");
	assert_string_equal(f->c.database, BACKRIDE_DB_FILE);
	assert_int_equal(f->c.log_level, LOG_INFO);
	assert_string_equal(f->c.access_group, "backride");
}

static void test_all_keys(void **state)
{
	struct fixture *f = *state;

	write_file(f, "# comment\n[daemon]\napi_bus = session\n"
		      "bluez_bus = unix:path=/run/x/bus\n"
		      "database = /srv/br.db\nlog_level = debug\n[access]\ngroup = wheel\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), 0);
	assert_string_equal(f->c.api_bus, "session");
	assert_string_equal(f->c.bluez_bus, "unix:path=/run/x/bus");
	assert_string_equal(f->c.database, "/srv/br.db");
	assert_int_equal(f->c.log_level, LOG_DEBUG);
	assert_string_equal(f->c.access_group, "wheel");
	assert_string_equal(errors(f), "");
}

static void test_unknown_key_warns(void **state)
{
	struct fixture *f = *state;
	char want[256];

	write_file(f, "[daemon]\nlog_level = notice\n\n[daemon]\nfrobnicate = 3\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), 0);
	assert_int_equal(f->c.log_level, LOG_NOTICE);
	snprintf(want, sizeof(want),
		 "%s:5: unknown key 'frobnicate' in section [daemon], ignored\n", f->path);
	assert_string_equal(errors(f), want);
}

static void test_bad_value_rejects_and_changes_nothing(void **state)
{
	struct fixture *f = *state;
	char want[256];

	write_file(f, "[daemon]\napi_bus = session\nlog_level = loud\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s:3: bad value for 'log_level': must be one of error, warning, notice, "
		 "info, debug\n",
		 f->path);
	assert_string_equal(errors(f), want);
	/* Nothing from the rejected file was applied. */
	assert_string_equal(f->c.api_bus, "system");
	assert_int_equal(f->c.log_level, LOG_INFO);
}

static void test_bad_bus_and_path(void **state)
{
	struct fixture *f = *state;

	write_file(f, "[daemon]\nbluez_bus = nonsense\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), -EINVAL);
	assert_non_null(strstr(errors(f), ":2: bad value for 'bluez_bus'"));
	write_file(f, "[daemon]\ndatabase = relative.db\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), -EINVAL);
	assert_non_null(strstr(errors(f), ":2: bad value for 'database': must be an absolute"));
	write_file(f, "[daemon]\ndatabase =\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), -EINVAL);
	assert_string_equal(f->c.database, BACKRIDE_DB_FILE);
}

static void test_syntax_error(void **state)
{
	struct fixture *f = *state;
	char want[256];

	write_file(f, "[daemon]\nlog_level = debug\nthis line has no equals sign\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), -EINVAL);
	snprintf(want, sizeof(want), "%s:3: syntax error\n", f->path);
	assert_string_equal(errors(f), want);
	assert_int_equal(f->c.log_level, LOG_INFO);
}

/* A line longer than inih's buffer is rejected with its own line number; its tail is never
 * read as a line of its own (here it would set a key). */
static void test_line_too_long(void **state)
{
	struct fixture *f = *state;
	char text[2048], want[256];
	const char *e;
	int n, lines = 0;

	n = snprintf(text, sizeof(text), "[daemon]\nlog_level = debug\n# ");
	memset(text + n, 'x', 1000);
	snprintf(text + n + 1000, sizeof(text) - (size_t) n - 1000,
		 "log_level = error\n[safety]\nmax_power_w = 90\n");
	write_file(f, text);
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), -EINVAL);
	e = errors(f);
	snprintf(want, sizeof(want), "%s:3: line too long (at most ", f->path);
	assert_memory_equal(e, want, strlen(want));
	/* Only that error (the tail was not read as a line), and nothing applied. */
	for (; *e; e++)
		lines += *e == '\n';
	assert_int_equal(lines, 1);
	assert_int_equal(f->c.log_level, LOG_INFO);
}

static void test_missing_file(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(config_load(&f->c, "/nonexistent/backride.conf", 0, f->errf), 0);
	assert_string_equal(errors(f), "");
	assert_int_equal(config_load(&f->c, "/nonexistent/backride.conf", 1, f->errf), -ENOENT);
	assert_non_null(strstr(errors(f), "/nonexistent/backride.conf: cannot read"));
}

static void test_set_overrides(void **state)
{
	struct fixture *f = *state;

	write_file(f, "[daemon]\nlog_level = error\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), 0);
	assert_int_equal(config_set(&f->c, "daemon", "log_level", "debug", f->errf), 0);
	assert_int_equal(f->c.log_level, LOG_DEBUG);
	assert_int_equal(config_set(&f->c, "daemon", "nope", "1", f->errf), -ENOENT);
	assert_int_equal(config_set(&f->c, "daemon", "api_bus", "bad", f->errf), -EINVAL);
	assert_string_equal(f->c.api_bus, "system");
}

static void test_shipped_example_is_valid(void **state)
{
	struct fixture *f = *state;
	char path[512];
	const char *src = getenv("BACKRIDE_SOURCE_ROOT");

	if (!src)
		skip();
	snprintf(path, sizeof(path), "%s/config/backride.conf", src);
	assert_int_equal(config_load(&f->c, path, 1, f->errf), 0);
	assert_string_equal(errors(f), "");
}

static void test_bluez_keys(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(f->c.bluez_adapter, "hci0");
	assert_int_equal(f->c.bluez_pair, CONFIG_PAIR_AUTO);
	assert_int_equal(f->c.scan_seconds, 10);
	assert_int_equal(f->c.cp_timeout_ms, 2000);
	assert_int_equal(f->c.cp_retries, 2);
	assert_int_equal(f->c.reconnect_min_ms, 500);
	assert_int_equal(f->c.reconnect_max_ms, 30000);
	assert_int_equal(f->c.connect_timeout_ms, 20000);
	assert_int_equal(f->c.hr_stale_s, 5);
	assert_null(f->c.machine_address);
	assert_int_equal(f->c.idle_disconnect_s, 60);
	write_file(f, "[bluez]\nadapter = hci1\npair = never\nscan_seconds = 4\n"
		      "cp_timeout_ms = 300\ncp_retries = 0\nreconnect_min_ms = 100\n"
		      "reconnect_max_ms = 800\nconnect_timeout_ms = 5000\nhr_stale_s = 3\n"
		      "[machine]\naddress = C0:FF:EE:00:00:01\nidle_disconnect_s = 0\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), 0);
	assert_string_equal(errors(f), "");
	assert_string_equal(f->c.bluez_adapter, "hci1");
	assert_int_equal(f->c.bluez_pair, CONFIG_PAIR_NEVER);
	assert_int_equal(f->c.scan_seconds, 4);
	assert_int_equal(f->c.cp_timeout_ms, 300);
	assert_int_equal(f->c.cp_retries, 0);
	assert_int_equal(f->c.reconnect_min_ms, 100);
	assert_int_equal(f->c.reconnect_max_ms, 800);
	assert_int_equal(f->c.connect_timeout_ms, 5000);
	assert_int_equal(f->c.hr_stale_s, 3);
	assert_string_equal(f->c.machine_address, "C0:FF:EE:00:00:01");
	assert_int_equal(f->c.idle_disconnect_s, 0);
}

static void test_bluez_bad_values(void **state)
{
	static const char *const bad[][2] = {
		{ "adapter", "wlan0" },	   { "adapter", "hci" },
		{ "adapter", "hci0x" },	   { "pair", "sometimes" },
		{ "scan_seconds", "0" },   { "scan_seconds", "-1" },
		{ "cp_timeout_ms", "2s" }, { "cp_timeout_ms", "" },
		{ "cp_retries", "11" },	   { "reconnect_max_ms", "99999999" },
		{ "hr_stale_s", "x" },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(config_set(&f->c, "bluez", bad[i][0], bad[i][1], NULL), -EINVAL);
	assert_int_equal(config_set(&f->c, "machine", "address", "C0:FF:EE:00:00", NULL), -EINVAL);
	assert_int_equal(config_set(&f->c, "machine", "idle_disconnect_s", "3601", NULL), -EINVAL);
	assert_int_equal(config_set(&f->c, "machine", "idle_disconnect_s", "-1", NULL), -EINVAL);
	assert_int_equal(f->c.wheel_mm, 2105);
	assert_int_equal(config_set(&f->c, "machine", "wheel_mm", "2096", NULL), 0);
	assert_int_equal(f->c.wheel_mm, 2096);
	assert_int_equal(f->c.sensor_replace, 0);
	assert_null(f->c.sensor_address);
	assert_int_equal(config_set(&f->c, "sensor", "replace", "power, cadence", NULL), 0);
	assert_int_equal(f->c.sensor_replace, CONFIG_SENSOR_POWER | CONFIG_SENSOR_CADENCE);
	assert_int_equal(config_set(&f->c, "sensor", "replace", "speed", NULL), 0);
	assert_int_equal(f->c.sensor_replace, CONFIG_SENSOR_SPEED);
	for (size_t i = 0; i < 5; i++) {
		static const char *const bad_replace[] = { "watts", "power,", "", ",power",
							   "power;speed" };

		assert_int_equal(config_set(&f->c, "sensor", "replace", bad_replace[i], NULL),
				 -EINVAL);
	}
	assert_int_equal(f->c.sensor_replace, CONFIG_SENSOR_SPEED);
	assert_int_equal(config_set(&f->c, "sensor", "replace", "none", NULL), 0);
	assert_int_equal(f->c.sensor_replace, 0);
	assert_int_equal(config_set(&f->c, "sensor", "address", "C0:FF:EE:00:00:04", NULL), 0);
	assert_string_equal(f->c.sensor_address, "C0:FF:EE:00:00:04");
	assert_int_equal(config_set(&f->c, "sensor", "address", "C0:FF:EE", NULL), -EINVAL);
	assert_int_equal(config_set(&f->c, "machine", "wheel_mm", "499", NULL), -EINVAL);
	assert_int_equal(config_set(&f->c, "machine", "wheel_mm", "3501", NULL), -EINVAL);
	assert_int_equal(config_set(&f->c, "machine", "wheel_mm", "2.1", NULL), -EINVAL);
	assert_int_equal(f->c.wheel_mm, 2096);
	assert_int_equal(config_set(&f->c, "machine", "address", "C0:FF:EE:00:00:01x", NULL),
			 -EINVAL);
	write_file(f, "[bluez]\ncp_retries = many\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), -EINVAL);
	assert_non_null(strstr(errors(f), "backride.conf:2: bad value for 'cp_retries'"));
	assert_int_equal(f->c.cp_retries, 2);
}

static void test_debug_targets(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->c.debug_targets, 0);
	assert_int_equal(config_set(&f->c, "debug", "targets", "yes", NULL), 0);
	assert_int_equal(f->c.debug_targets, 1);
	assert_int_equal(config_set(&f->c, "debug", "targets", "off", NULL), 0);
	assert_int_equal(f->c.debug_targets, 0);
	assert_int_equal(config_set(&f->c, "debug", "targets", "maybe", NULL), -EINVAL);
}

static void test_session_keys(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->c.time_scale, 1);
	assert_int_equal(f->c.session.warmup_s, 300);
	assert_int_equal(f->c.session.steady_s, 900);
	assert_int_equal(f->c.session.stretches, 1);
	assert_int_equal(f->c.session.treadmill_speed_ckmh, 350);
	assert_int_equal(f->c.safety.max_power_w, 100);
	assert_int_equal(f->c.safety.max_speed_ckmh, 500);
	assert_int_equal(f->c.safety.max_incline_dpct, 20);
	assert_int_equal(f->c.safety.max_heart_rate, 0);
	assert_int_equal(f->c.safety.link_timeout_s, 300);
	write_file(f, "[daemon]\ntime_scale = 60\n"
		      "[session]\nwarmup_min = 3\nsteady_min = 10\ncooldown_min = 4\n"
		      "stretches = no\nstart_percent = 50\nbike_power_w = 40\n"
		      "bike_resistance_percent = 15\ntreadmill_speed_kmh = 3.25\n"
		      "treadmill_incline_percent = 1.5\nmax_steady_min = 40\n"
		      "duration_step_s = 60\nintensity_step_percent = 3\nweekly_percent = 8\n"
		      "countdown_s = 5\nresume_percent = 60\nreramp_percent_per_min = 10\n"
		      "[safety]\nmax_power_w = 80\nmax_resistance_percent = 30\n"
		      "max_speed_kmh = 4\nmax_incline_percent = 1.0\npower_up_w_per_min = 20\n"
		      "power_down_w_per_min = 300\nresistance_up_percent_per_min = 5\n"
		      "resistance_down_percent_per_min = 50\nspeed_up_kmh_per_min = 0.5\n"
		      "speed_down_kmh_per_min = 6\nincline_up_percent_per_min = 0.5\n"
		      "incline_down_percent_per_min = 1\nmax_heart_rate = 120\nage = 60\n"
		      "cadence_floor_rpm = 40\nno_pedalling_s = 20\nlink_timeout_s = 60\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), 0);
	assert_string_equal(errors(f), "");
	assert_int_equal(f->c.time_scale, 60);
	assert_int_equal(f->c.session.warmup_s, 180);
	assert_int_equal(f->c.session.steady_s, 600);
	assert_int_equal(f->c.session.cooldown_s, 240);
	assert_int_equal(f->c.session.stretches, 0);
	assert_int_equal(f->c.session.start_pct, 50);
	assert_int_equal(f->c.session.bike_power_w, 40);
	assert_int_equal(f->c.session.bike_resistance_pct, 15);
	assert_int_equal(f->c.session.treadmill_speed_ckmh, 325);
	assert_int_equal(f->c.session.treadmill_incline_dpct, 15);
	assert_int_equal(f->c.session.max_steady_s, 2400);
	assert_int_equal(f->c.session.duration_step_s, 60);
	assert_int_equal(f->c.session.intensity_step_pct, 3);
	assert_int_equal(f->c.session.weekly_pct, 8);
	assert_int_equal(f->c.session.countdown_s, 5);
	assert_int_equal(f->c.session.resume_pct, 60);
	assert_int_equal(f->c.session.reramp_pct_min, 10);
	assert_int_equal(f->c.safety.max_power_w, 80);
	assert_int_equal(f->c.safety.max_resistance_pct, 30);
	assert_int_equal(f->c.safety.max_speed_ckmh, 400);
	assert_int_equal(f->c.safety.max_incline_dpct, 10);
	assert_int_equal(f->c.safety.power_up, 20);
	assert_int_equal(f->c.safety.power_down, 300);
	assert_int_equal(f->c.safety.resistance_up, 5);
	assert_int_equal(f->c.safety.resistance_down, 50);
	assert_int_equal(f->c.safety.speed_up, 50);
	assert_int_equal(f->c.safety.speed_down, 600);
	assert_int_equal(f->c.safety.incline_up, 5);
	assert_int_equal(f->c.safety.incline_down, 10);
	assert_int_equal(f->c.safety.max_heart_rate, 120);
	assert_int_equal(f->c.safety.age, 60);
	assert_int_equal(f->c.safety.cadence_floor_rpm, 40);
	assert_int_equal(f->c.safety.no_pedalling_s, 20);
	assert_int_equal(f->c.safety.link_timeout_s, 60);
	assert_int_equal(config_set(&f->c, "safety", "max_heart_rate", "0", NULL), 0);
	assert_int_equal(f->c.safety.max_heart_rate, 0);
}

static void test_session_bad_values(void **state)
{
	/* Outside the engine's bounds (daemon/session/README.md), or not a number. */
	static const char *const bad[][3] = {
		{ "daemon", "time_scale", "0" },
		{ "daemon", "time_scale", "1001" },
		{ "session", "warmup_min", "0" },
		{ "session", "steady_min", "61" },
		{ "session", "cooldown_min", "16" },
		{ "session", "stretches", "2" },
		{ "session", "start_percent", "19" },
		{ "session", "bike_power_w", "201" },
		{ "session", "treadmill_speed_kmh", "6.6" },
		{ "session", "treadmill_speed_kmh", "0.9" },
		{ "session", "treadmill_speed_kmh", "3.255" },
		{ "session", "treadmill_speed_kmh", "3,5" },
		{ "session", "treadmill_speed_kmh", "-3" },
		{ "session", "treadmill_incline_percent", "5.1" },
		{ "session", "duration_step_s", "59" },
		{ "session", "intensity_step_percent", "6" },
		{ "session", "weekly_percent", "11" },
		{ "session", "countdown_s", "11" },
		{ "session", "resume_percent", "29" },
		{ "session", "reramp_percent_per_min", "51" },
		{ "safety", "max_power_w", "2000" },
		{ "safety", "max_resistance_percent", "61" },
		{ "safety", "max_speed_kmh", "10" },
		{ "safety", "max_incline_percent", "6" },
		{ "safety", "power_up_w_per_min", "61" },
		{ "safety", "power_down_w_per_min", "119" },
		{ "safety", "speed_down_kmh_per_min", "5.9" },
		{ "safety", "max_heart_rate", "79" },
		{ "safety", "max_heart_rate", "191" },
		{ "safety", "age", "9" },
		{ "safety", "cadence_floor_rpm", "81" },
		{ "safety", "no_pedalling_s", "4" },
		{ "safety", "link_timeout_s", "29" },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = config_set(&f->c, bad[i][0], bad[i][1], bad[i][2], NULL);

		if (r != -EINVAL)
			fail_msg("[%s] %s = %s was accepted", bad[i][0], bad[i][1], bad[i][2]);
	}
	write_file(f, "[safety]\nmax_power_w = 150\nmax_speed_kmh = 7.0\n");
	assert_int_equal(config_load(&f->c, f->path, 1, f->errf), -EINVAL);
	assert_non_null(strstr(errors(f), "backride.conf:3: bad value for 'max_speed_kmh'"));
	assert_int_equal(f->c.safety.max_power_w, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_key_warns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_value_rejects_and_changes_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_bus_and_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_overrides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shipped_example_is_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bluez_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bluez_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debug_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_bad_values, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
