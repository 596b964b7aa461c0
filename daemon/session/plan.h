/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Session plans: the first, conservative plan and the progression from history.
 * Pure: history comes in as plan_history entries the manager converts from storage.
 *
 * Progression (README.md, "Progression"), from the latest session of the same kind:
 *  - pain_max >= 7, ended for pain, or a check-in after it 3+ points above the pain before it:
 *    reduce (steady time -20 %, intensity -10 %, never below half the first plan);
 *  - pain_max 5..6 or a check-in after it higher than the pain before it: hold;
 *  - ended early (not completed, or under 90 % of the planned time active): hold;
 *  - otherwise a good session: duration first (+duration_step_s, up to max_steady_s), then
 *    intensity (+intensity_step_pct, at most 5 %), both never more than weekly_pct (at most
 *    10 %) above the plan of a week ago.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "envelope.h"
#include "session-types.h"

struct plan_params {
	enum session_kind kind;
	uint32_t warmup_s;   /* default 300 */
	uint32_t steady_s;   /* default 900 (the first session) */
	uint32_t cooldown_s; /* default 300 */
	bool stretches;	     /* default true */
	uint32_t start_pct;  /* warm-up starts at this % of the steady target, default 60 */
	/* Steady targets; the engine uses the one the machine supports. */
	int32_t power_w;	/* bike with ERG, default 45 */
	int32_t resistance_pct; /* bike without ERG, % of its range, default 20 */
	int32_t speed_ckmh;	/* treadmill, default 350 (3.5 km/h) */
	int32_t incline_dpct;	/* treadmill, default 0 */
};

/* The built-in first-session plan for a kind; the daemon overrides fields from config. */
void plan_params_default(enum session_kind kind, struct plan_params *ret);

/*
 * Clamp every field into its bounds (README.md): warm-up and cool-down 60..900 s, steady
 * 60..3600 s, start 20..100 %, targets 10..200 W, 1..60 %, 1.0..6.5 km/h, 0..5.0 %.
 * Return: the number of fields that had to be changed.
 */
int plan_params_bound(struct plan_params *p);

/* How plans progress; the daemon fills it from config. */
struct plan_config {
	struct plan_params first;    /* the first session, and warm-up/cool-down/stretches of all */
	uint32_t max_steady_s;	     /* default 1800, bounds 60..3600 */
	uint32_t duration_step_s;    /* default 90, bounds 60..120 */
	uint32_t intensity_step_pct; /* default 5, bounds 1..5 */
	uint32_t weekly_pct;	     /* default 10, bounds 1..10 */
};

void plan_config_default(enum session_kind kind, struct plan_config *ret);

/*
 * Clamp the config (and its first plan) into bounds.
 * Return: the number of fields that had to be changed.
 */
int plan_config_bound(struct plan_config *c);

#define PLAN_WHEN_MAX 20 /* "YYYY-MM-DD HH:MM" + NUL */

/* One past session, converted from storage by the manager. */
struct plan_history {
	int64_t started_at; /* unix seconds */
	int64_t ended_at;   /* unix seconds */
	enum session_kind kind;
	uint32_t steady_s;	/* planned steady time */
	uint32_t planned_s;	/* planned warm-up + steady + cool-down */
	uint32_t active_s;	/* time actually exercised */
	int32_t power_w;	/* planned steady targets, BR_NONE if unused */
	int32_t resistance_pct; /* BR_NONE if unused */
	int32_t speed_ckmh;
	int32_t incline_dpct;
	int32_t pain_before; /* 0-10 or BR_NONE */
	int32_t pain_max;
	int32_t pain_after;
	enum session_end end;
	/* The latest check-in after the session, up to the end of the next (local) day:
	 * the same evening or the next morning (the pain-monitoring model: pain that has not
	 * settled by then means the load was too much). */
	int32_t checkin_pain;		  /* 0-10, BR_NONE if none */
	int32_t checkin_delta;		  /* checkin_pain - pain_before (worse is positive), or
					   * BR_NONE if either is missing */
	int64_t checkin_at;		  /* unix seconds, 0 if none */
	int64_t checkin_until;		  /* end of the window: unix seconds */
	char checkin_when[PLAN_WHEN_MAX]; /* checkin_at in local time, "" if none */
	char ended_when[PLAN_WHEN_MAX];	  /* when the session ended, local time */
};

enum plan_reason_code {
	PLAN_REASON_FIRST,	     /* no history of this kind */
	PLAN_REASON_DURATION,	     /* good session: longer */
	PLAN_REASON_INTENSITY,	     /* good session at max duration: harder */
	PLAN_REASON_AT_MAX,	     /* good session, nothing left to add */
	PLAN_REASON_WEEKLY_LIMIT,    /* good session, but already +10 % this week */
	PLAN_REASON_HOLD_PAIN,	     /* pain 5-6 */
	PLAN_REASON_REDUCE_PAIN,     /* pain >= 7 or ended for pain */
	PLAN_REASON_HOLD_CHECKIN,    /* a check-in after it higher than the pain before it */
	PLAN_REASON_REDUCE_CHECKIN,  /* ... 3+ points higher */
	PLAN_REASON_HOLD_INCOMPLETE, /* ended early */
	PLAN_REASON_PROGRAMME,	     /* a programme chose the length (programme.h) */
	_PLAN_REASON_MAX,
};

#define PLAN_REASON_TEXT_MAX 192

struct plan_reason {
	enum plan_reason_code code;
	char text[PLAN_REASON_TEXT_MAX]; /* one or two English sentences for `backride plan` */
	/* The check-in the plan looked at, from the latest session (all "" / 0 / BR_NONE
	 * before the first session): a sentence saying which and what it did, and the data. */
	char checkin[PLAN_REASON_TEXT_MAX];
	int32_t checkin_pain;
	int64_t checkin_at;
	int64_t checkin_until;
	int64_t last_ended_at; /* unix seconds */
};

/*
 * A stable machine-readable name for a reason ("first", "duration", "hold-pain"...).
 * Return: a static string, "unknown" out of range.
 */
const char *plan_reason_code_to_string(enum plan_reason_code code);

/*
 * The next plan of kind cfg->first.kind from history (any order; other kinds are ignored).
 * cfg is bounded on a copy; targets never exceed the envelope caps in `caps` (bounded too).
 * Warm-up, cool-down, stretches and start come from cfg->first; steady time and targets
 * progress from the latest session.
 * Return: 0; -EINVAL if a history entry has an invalid kind.
 */
int plan_next(const struct plan_config *cfg, const struct envelope_limits *caps,
	      const struct plan_history *h, size_t n, int64_t now, struct plan_params *ret,
	      struct plan_reason *why);
