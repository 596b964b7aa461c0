/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdio.h>

/*
 * backrided's configuration: one INI file read with libinih into a table of
 * {section, key, parser, offset}. Defaults live in config_init(); command-line
 * options are applied after the file, so they win.
 */
enum config_sensor_value {
	CONFIG_SENSOR_POWER = 1u << 0,
	CONFIG_SENSOR_CADENCE = 1u << 1,
	CONFIG_SENSOR_SPEED = 1u << 2,
};

enum config_speed_unit {
	CONFIG_SPEED_AUTO,
	CONFIG_SPEED_KMH,
	CONFIG_SPEED_MPH,
};

struct config {
	char *api_bus;	    /* [daemon] api_bus: system, session or a D-Bus address */
	char *bluez_bus;    /* [daemon] bluez_bus */
	char *database;	    /* [daemon] database: path of the SQLite file */
	int log_level;	    /* [daemon] log_level: a syslog priority */
	char *access_group; /* [access] group: who may use the API besides root */
	/* [bluez] */
	char *bluez_adapter;	     /* adapter: hciN */
	int bluez_pair;		     /* pair: enum config_pair */
	unsigned scan_seconds;	     /* scan_seconds: default scan length */
	unsigned cp_timeout_ms;	     /* cp_timeout_ms: wait for a control point response */
	unsigned cp_retries;	     /* cp_retries: tries after the first */
	unsigned reconnect_min_ms;   /* reconnect_min_ms: first reconnect delay */
	unsigned reconnect_max_ms;   /* reconnect_max_ms: longest reconnect delay */
	unsigned connect_timeout_ms; /* connect_timeout_ms: ServicesResolved and GATT setup */
	unsigned hr_stale_s;	     /* hr_stale_s: heart rate older than this is absent */
	/* [machine] */
	char *machine_address; /* address: the preferred machine, NULL: the remembered one */
	/* idle_disconnect_s: after a session, give the link up after this long without one (scaled
	 * by time_scale as session time is); 0 keeps it */
	unsigned idle_disconnect_s;
	/* speed_unit: the unit the treadmill's firmware reads speed targets in; auto: what
	 * backride learned (detected and confirmed), else km/h as the specification says */
	int speed_unit; /* enum config_speed_unit */
	/* wheel_mm: a sensor bike's wheel circumference (speed and distance from its wheel
	 * revolutions), 500..3500 mm; 2105 is a 700x25C road wheel */
	unsigned wheel_mm;
	/* [sensor] address: a power meter or speed and cadence sensor that connects beside the
	 * machine; NULL: none */
	char *sensor_address;
	/* replace: the values it gives even when the machine has its own, CONFIG_SENSOR_* bits;
	 * the values the machine lacks it gives anyway */
	unsigned sensor_replace;
	/* [debug] */
	int debug_targets; /* targets: export org.backride.Debug1 (tests only) */
	/* [daemon] time_scale: run session time this many times faster (simulations) */
	unsigned time_scale;
	/* [session] and [safety] (daemon/session/README.md); the engine's units, bounded again
	 * by the session library's *_bound() before use */
	struct config_session {
		unsigned warmup_s, steady_s, cooldown_s;
		int stretches;
		unsigned start_pct, bike_power_w, bike_resistance_pct;
		unsigned treadmill_speed_ckmh, treadmill_incline_dpct;
		unsigned max_steady_s, duration_step_s, intensity_step_pct, weekly_pct;
		unsigned countdown_s, resume_pct, reramp_pct_min;
	} session;
	struct config_safety {
		unsigned max_power_w, max_resistance_pct, max_speed_ckmh, max_incline_dpct;
		unsigned power_up, power_down;		 /* W per min */
		unsigned resistance_up, resistance_down; /* % of range per min */
		unsigned speed_up, speed_down;		 /* 0.01 km/h per min */
		unsigned incline_up, incline_down;	 /* 0.1 % per min */
		unsigned max_heart_rate;		 /* 0: off */
		unsigned age;				 /* 0: unset */
		unsigned cadence_floor_rpm, no_pedalling_s, link_timeout_s;
	} safety;
};

/* Values of [bluez] pair. */
enum config_pair {
	CONFIG_PAIR_AUTO,
	CONFIG_PAIR_ALWAYS,
	CONFIG_PAIR_NEVER,
};

/* Fill @c with the defaults. Return: 0 or -ENOMEM. */
int config_init(struct config *c);

void config_done(struct config *c);

/*
 * Read @path into @c. A missing file is not an error when @must_exist is 0.
 * Unknown keys are reported to @err as warnings ("file:line: message"); a bad
 * value is reported the same way and fails the load. @c is left unchanged on
 * failure.
 * Return: 0, -ENOENT (missing and @must_exist), -EINVAL (a bad value or a syntax
 * error) or another -errno.
 */
int config_load(struct config *c, const char *path, int must_exist, FILE *err);

/*
 * Set one key as the file would, e.g. from the command line.
 * Return: 0, -ENOENT (unknown key) or -EINVAL (bad value, explained in @err).
 */
int config_set(struct config *c, const char *section, const char *key, const char *value,
	       FILE *err);

/* Parse a log level name (error, warning, notice, info, debug). Return: level or -EINVAL. */
int config_parse_log_level(const char *s);
