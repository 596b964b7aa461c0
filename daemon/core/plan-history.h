/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Past sessions from storage as the session planner's history (daemon/session/plan.h): one
 * conversion, shared by History1.Progress (next_plan), `backride plan` and StartSession.
 */

#include <stddef.h>

#include "plan.h"
#include "storage.h"

#define PLAN_HISTORY_MAX 64 /* enough for the weekly limit: the planner looks back 7 days */

/*
 * Load the ended sessions of @kind, newest first, at most @max, each with the latest check-in
 * after it up to the end of the next local day.
 * Return: the number loaded into @h, or -errno.
 */
int plan_history_load(struct storage *st, enum session_kind kind, struct plan_history *h,
		      size_t max);

/*
 * The storage end reason as the engine's (a lost link ends like an interruption).
 * Return: the enum session_end.
 */
enum session_end plan_history_end_from_string(const char *s);

/*
 * The end of the check-in window of a session that ended at @t: the end of the next local day
 * (midnight two dates on), the next morning's check-in included.
 * Return: unix seconds.
 */
int64_t plan_history_checkin_until(int64_t t);
