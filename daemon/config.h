/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdio.h>

/*
 * backrided's configuration: one INI file read with libinih into a table of
 * {section, key, parser, offset}. Defaults live in config_init(); command-line
 * options are applied after the file, so they win.
 */
struct config {
	char *api_bus;   /* [daemon] api_bus: system, session or a D-Bus address */
	char *bluez_bus; /* [daemon] bluez_bus */
	char *database;  /* [daemon] database: path of the SQLite file */
	int log_level;   /* [daemon] log_level: a syslog priority */
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
	/* [debug] */
	int debug_targets; /* targets: export org.backride.Debug1 (tests only) */
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
