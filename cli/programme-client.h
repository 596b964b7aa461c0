/* SPDX-License-Identifier: MIT */
#pragma once

/* The programme as History1.Programme and Programme1 return it (dbus/org.backride.*.xml). */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <systemd/sd-bus.h>

#include "cli.h"

#define PROGRAMME_WEEKS_SHOWN 60

struct programme_week_view {
	uint32_t week, session_s, sessions, active_s, bad_mornings;
	char start[16];
	int held, lowered, flare, ahead;
};

struct programme_state {
	char kind[16], phase[16], reason[24], reason_text[256], next_day[16], last_flare_day[16];
	int64_t started_at;
	int rest_today;
	uint32_t weeks, week, weekly_minutes, sessions_per_week, baseline_sessions, baseline_done;
	uint32_t baseline_avg_s, start_s, goal_s, session_s, done_this_week, remaining_this_week;
	uint32_t active_this_week_s, flares, rebuild_to_s, flare_pct;
	struct programme_week_view w[PROGRAMME_WEEKS_SHOWN];
	size_t n_weeks;
};

/* Read a{sv} state from @m into @ret. Return: 0 or -errno. */
int programme_state_read(sd_bus_message *m, struct programme_state *ret);

/* Read aa{sv} weeks from @m into @ret. Return: 0 or -errno. */
int programme_weeks_read(sd_bus_message *m, struct programme_state *ret);

/* Print an a{sv} of basic types from @m as one JSON object. Return: 0 or -errno. */
int dict_json(FILE *f, sd_bus_message *m);

/*
 * Call History1.Programme. Return: 0 and *ret (with its weeks); 1 no programme runs (nothing
 * printed); > 1 an exit code after printing the error.
 */
int programme_get(struct cli *cli, struct programme_state *ret, sd_bus_message **ret_reply);

/* Print the weeks as a table, and the state in sentences. */
void programme_print_weeks(const struct programme_state *s);
/* Print the weeks so far as bars against the weekly goal (backride progress). */
void programme_print_progress(const struct programme_state *s, bool utf8);
void programme_print_state(const struct programme_state *s);
