/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The running programme (daemon/session/programme.h) against storage and the daemon's clock:
 * the programme file, where it stands today in local days, a flare-up said by the user, and
 * the plan of the next session. Shared by StartSession, History1.Programme and Programme1.
 */

#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "programme.h"
#include "storage.h"

#define PROGRAMME_SESSIONS_MAX 1000 /* a year of daily sessions, and more */

/*
 * Read a programme file (INI, libinih) over the defaults; a key given twice keeps the last.
 * Every key is checked (programme_config_set()): the first bad line stops it.
 * Return: 0; -EBADMSG (or the key's error) with "line N: ..." in @err.
 */
int programme_file_parse(const char *text, struct programme_config *ret, char *err,
			 size_t err_size);

/* The local calendar day of @ts as a day number (days since 1970-01-01 in local time). */
int32_t programme_day(int64_t ts);

/* The local date "YYYY-MM-DD" of day number @day into @buf (11 bytes). */
void programme_day_string(int32_t day, char buf[11]);

struct programme_view {
	struct storage_programme row;
	struct programme_config config;
	struct programme_status status;
	int32_t today;
};

/*
 * Where the running programme stands at @now: its sessions since it began (of its kind),
 * the next-morning check-in after each, and the flare-ups said.
 * Return: 0; -ENOENT no programme runs; -EBADMSG stored settings unreadable; -errno.
 */
int programme_view_load(struct storage *st, int64_t now, struct programme_view *ret);

/*
 * Begin a programme from a programme file's text (checked as programme_file_parse()); the one
 * running ends. Return: 0; -EBADMSG/-ERANGE/-ENOENT with @err set; -errno.
 */
int programme_begin(struct storage *st, const char *text, int64_t now, char *err, size_t err_size);

/* Record a flare-up of the running programme. Return: 0; -ENOENT none runs; -EINVAL note. */
int programme_flare(struct storage *st, int64_t now, const char *note);

/*
 * Whether today is a rest day of the programme running for @kind (one session a day, the
 * week's sessions, a rest day after days in a row): a session is refused then.
 * Return: 0 (no programme, or a session is due); -EAGAIN a rest day, with a sentence in @msg;
 * -errno.
 */
int programme_rest(struct storage *st, int64_t now, enum session_kind kind, char *msg, size_t size);

/*
 * The plan of the next session of @kind when a programme runs for it: the programme's length
 * over @targets (the planner's plan, or the gentle first plan in the baseline), capped by @caps.
 * Return: 1 and *ret, *why (reason "programme-...") when a programme chose it; 0 when no
 * programme runs for @kind (nothing changed); -errno.
 */
int programme_plan_next(struct storage *st, int64_t now, enum session_kind kind,
			const struct plan_params *targets, const struct plan_params *first,
			const struct envelope_limits *caps, struct plan_params *ret,
			struct plan_reason *why);
