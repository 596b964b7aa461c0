/* SPDX-License-Identifier: MIT */
#pragma once

/* The client side of org.backride.History1, shared by the history verbs (history, show, progress,
 * export): its values in C structs, and their text and JSON forms. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <systemd/sd-bus.h>

#include "cli.h"
#include "macro.h"
#include "sample.h"

/* A session summary (History1 a{sv}); absent integers are BR_NONE, doubles NAN. */
struct summary {
	uint64_t id;
	char machine[256];
	char kind[16];
	char profile[32];
	char end_reason[32];
	char guided[32]; /* why the rider was guided, "" if driven */
	int64_t start, end;
	int64_t duration_s, active_s, planned_s, samples, distance_m, energy_j;
	int64_t avg_power_w, max_power_w, avg_hr_bpm, max_hr_bpm, target_power_w;
	int64_t pain_before, pain_max, pain_after;
	double avg_speed_kmh, target_speed_kmh;
};

/* Read one a{sv} summary from @m; unknown keys are skipped. Return: 0 or -errno. */
int summary_read(sd_bus_message *m, struct summary *ret);

/* Print @s as one JSON object (no newline). */
void summary_json(FILE *f, const struct summary *s);

/* Format unix time @t as local "YYYY-MM-DD HH:MM" into @buf (>= 17 bytes). Return: buf. */
char *format_time(int64_t t, char *buf, size_t size);

/* Format seconds as "M:SS" or "H:MM:SS". Return: buf. */
char *format_duration(int64_t s, char *buf, size_t size);

/* Parse a session id argument; print an error when it is not one.
 * Return: 0 and *ret, or -CLI_EXIT_USAGE. */
int parse_session_id(const char *verb, const char *s, uint64_t *ret);

/* Call History1.@method with the already-built message @m (args appended).
 * Return: 0 and *ret_reply, or a positive exit code (error printed). */
int history_call(struct cli *cli, sd_bus_message *m, const char *what, sd_bus_message **ret_reply);

/* Start a History1 method call on the CLI's bus. Return: 0 or a positive exit code. */
int history_new_call(struct cli *cli, const char *method, sd_bus_message **ret);

/* Parse "--help" and "--json" too, for verbs with their own options. Print the usage error.
 * Return: -CLI_EXIT_USAGE. */
int verb_usage_error(const struct verb *v, const char *fmt, ...) _printf_(2, 3);

/* Parse "YYYY-MM-DD" as local midnight. Return: 0 and *ret, or -EINVAL. */
int parse_local_date(const char *s, int64_t *ret);

/* Parse --help, --json and exactly one session ID for @v.
 * Return: 1 and *ret_id to go on, 0 after printing help, or -CLI_EXIT_USAGE. */
int verb_args_id(struct cli *cli, const struct verb *v, int argc, char **argv, uint64_t *ret_id);
