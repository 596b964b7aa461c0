/* SPDX-License-Identifier: MIT */
#pragma once

/* Between coach.c (the running session) and coach-plan.c (config, plans, machines). */

#include "coach.h"

/* [session] as the planner's config for @kind; bounded (plan_config_bound()). */
void coach_plan_config(const struct config *c, enum session_kind kind, struct plan_config *ret);

/* [safety] as envelope caps and rates; bounded (envelope_limits_bound()). */
void coach_limits(const struct config *c, struct envelope_limits *ret);

/* [session] and [safety] as the engine's rules; bounded (session_rules_bound()). */
void coach_rules(const struct config *c, struct session_rules *ret);

/*
 * What the engine needs of the connected machine.
 * Return: 0; -EPROTO a machine kind backride cannot drive.
 */
int coach_machine(const struct bluez_machine_info *info, struct session_machine *ret);

/*
 * Apply StartSession's minutes and stretches to a plan, then bound it: @minutes is the whole
 * plan; warm-up and cool-down take a sixth each (at least 1 min, at most the plan's).
 */
void coach_plan_override(struct plan_params *p, uint32_t minutes, int stretches);

/* The next plan from history and config. Return: 0 or -errno. */
int coach_plan_next(struct storage *st, const struct config *c, enum session_kind kind,
		    struct plan_params *ret, struct plan_reason *why);
