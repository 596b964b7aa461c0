/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A programme: graded activity over weeks (docs/coach.md, "Programmes").
 * Pure: the days, sessions, check-ins and flare-ups come in from the caller; nothing here reads
 * a clock. Days are local day numbers (any monotonic numbering of calendar days).
 *
 *  - Baseline: the first baseline_sessions sessions, as long as comfortable at the gentle
 *    intensity, up to the goal session length. The steps start at start_pct % of their average
 *    active time (graded activity: BMC Public Health 2007;7:254).
 *  - Steps: each week the session length rises by step_pct % (pre-set, time-based), up to the
 *    goal session (weekly_minutes / sessions_per_week).
 *  - Pain (the pain-monitoring model): a session ended for pain, or a next-morning check-in
 *    bad_points or more above the pain before it, is a bad morning: the week's next step is held.
 *    lower_points or more above it lowers the next session by one step at once.
 *  - Flare-up: `backride flare`, or flare_mornings bad mornings in a row: the session length
 *    drops to flare_pct % and rebuilds by the same weekly steps.
 *  - Rest: one programme session a day, sessions_per_week a week, and a rest day after
 *    max_days_in_a_row session days in a row.
 *
 * The programme chooses durations only; targets stay those of the plan it is given, under the
 * envelope's caps (programme_plan()).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "envelope.h"
#include "plan.h"
#include "session-types.h"

enum programme_kind {
	PROGRAMME_KIND_BIKE,
	PROGRAMME_KIND_TREADMILL,
	PROGRAMME_KIND_EITHER,
	_PROGRAMME_KIND_MAX,
};

struct programme_config {
	enum programme_kind kind;   /* default either */
	uint32_t weekly_minutes;    /* goal, default 150, 30..420 */
	uint32_t sessions_per_week; /* default 5, 1..7 */
	uint32_t weeks;		    /* weeks of steps after the baseline, default 12, 1..52 */
	uint32_t baseline_sessions; /* default 3, 0 (no baseline) or 2..5 */
	uint32_t start_pct;	    /* of the baseline's average, default 70, 30..100 */
	uint32_t start_minutes;	    /* the first step without a baseline, default 10, 3..60 */
	uint32_t step_pct;	    /* weekly step, default 10, 1..10 */
	uint32_t min_minutes;	    /* the shortest session, default 5, 3..30 */
	uint32_t max_days_in_a_row; /* then a rest day, default 3, 1..7 */
	uint32_t bad_points;	    /* check-in this much above the pain before: hold, 1, 1..5 */
	uint32_t lower_points;	    /* ... this much above: one step down, default 3, 1..10 */
	uint32_t flare_pct;	    /* drop to this share on a flare-up, default 60, 30..90 */
	uint32_t flare_mornings;    /* bad mornings in a row that are a flare-up, 2, 2..5 */
};

void programme_config_default(struct programme_config *ret);

/*
 * Clamp every field into its bounds (above).
 * Return: the number of fields that had to be changed.
 */
int programme_config_bound(struct programme_config *c);

/* The programme file's keys: section, key, and how to read the value. */
#define PROGRAMME_ERROR_MAX 160

/*
 * Set one key of the programme file ([programme] kind, weekly_minutes, sessions_per_week,
 * weeks, baseline_sessions; [steps] start_pct, start_minutes, step_pct, min_minutes;
 * [rest] max_days_in_a_row; [pain] bad_points, lower_points; [flare] share_pct, mornings).
 * A value out of bounds is an error, not clamped: a clinician's setting is never changed
 * silently.
 * Return: 0; -ENOENT unknown section or key, -EBADMSG not a number/kind, -ERANGE out of bounds;
 * on error @err holds a sentence naming the key and its bounds.
 */
int programme_config_set(struct programme_config *c, const char *section, const char *key,
			 const char *value, char err[PROGRAMME_ERROR_MAX]);

/*
 * The config as a programme file (every key, in the sections above), for storage and display.
 * Return: the length written (truncated like snprintf), or -ERANGE.
 */
int programme_config_format(const struct programme_config *c, char *buf, size_t size);

/* Machine-independent names: "bike", "treadmill", "either". Return: 0 or -EBADMSG. */
const char *programme_kind_to_string(enum programme_kind k);
int programme_kind_from_string(const char *s, enum programme_kind *ret);

/* One past session of the programme's kind, oldest first. */
struct programme_session {
	int32_t day;	       /* local day of its start */
	uint32_t active_s;     /* time exercised */
	int32_t pain_before;   /* 0-10 or BR_NONE */
	int32_t pain_max;      /* 0-10 or BR_NONE */
	int32_t checkin_pain;  /* the next-morning check-in, BR_NONE if none */
	int32_t intensity_pct; /* of the gentle first plan, for the report; BR_NONE */
	enum session_end end;
};

struct programme_input {
	int32_t start_day; /* the day the programme was started */
	int32_t today;
	const struct programme_session *sessions; /* oldest first */
	size_t n_sessions;
	const int32_t *flare_days; /* `backride flare`, oldest first */
	size_t n_flares;
};

enum programme_phase {
	PROGRAMME_PHASE_BASELINE,
	PROGRAMME_PHASE_STEPS,
	PROGRAMME_PHASE_REBUILD, /* after a flare-up, until the length before it is back */
	PROGRAMME_PHASE_DONE,	 /* every week has passed: the last length is kept */
	_PROGRAMME_PHASE_MAX,
};

/* Why the next session is as long as it is. */
enum programme_reason {
	PROGRAMME_REASON_BASELINE,	 /* a baseline session: as long as comfortable */
	PROGRAMME_REASON_START,		 /* the first week: start_pct % of the baseline */
	PROGRAMME_REASON_STEP,		 /* a new week: one step up */
	PROGRAMME_REASON_AT_GOAL,	 /* the goal length is reached */
	PROGRAMME_REASON_HOLD,		 /* a bad morning (or pain) this week held the step */
	PROGRAMME_REASON_LOWER,		 /* a check-in lower_points worse: one step down */
	PROGRAMME_REASON_FLARE_USER,	 /* `backride flare` */
	PROGRAMME_REASON_FLARE_MORNINGS, /* flare_mornings bad mornings in a row */
	PROGRAMME_REASON_REBUILD,	 /* rebuilding after a flare-up: one step up */
	PROGRAMME_REASON_DONE,		 /* the programme's weeks are over */
	_PROGRAMME_REASON_MAX,
};

/* What happened in a week, for the weeks list and the report. */
enum {
	PROGRAMME_WEEK_HELD = 1 << 0, /* a bad morning the week before held its step */
	PROGRAMME_WEEK_LOWERED = 1 << 1,
	PROGRAMME_WEEK_FLARE = 1 << 2,
};

struct programme_week {
	int32_t start_day;
	uint32_t session_s; /* the length at the week's start (planned: ahead) */
	uint32_t sessions;  /* done */
	uint32_t active_s;  /* done */
	uint32_t bad_mornings;
	uint32_t flags; /* PROGRAMME_WEEK_* */
};

#define PROGRAMME_WEEKS_MAX 53 /* the baseline's days are week 0 */
#define PROGRAMME_TEXT_MAX  224

struct programme_status {
	enum programme_phase phase;
	enum programme_reason reason;
	char why[PROGRAMME_TEXT_MAX]; /* one or two English sentences */
	uint32_t baseline_done;
	uint32_t baseline_avg_s; /* 0 before the baseline is done */
	uint32_t start_s;	 /* the first step */
	uint32_t goal_s;	 /* the goal session: weekly_minutes / sessions_per_week */
	uint32_t week;		 /* 1.. in the steps, 0 in the baseline */
	uint32_t session_s;	 /* the next session's length */
	uint32_t done_this_week;
	uint32_t remaining_this_week;
	uint32_t active_this_week_s;
	int32_t next_day;	/* the first day a session is due (today, or after rest) */
	bool rest_today;	/* today is a rest day (or this week's sessions are done) */
	uint32_t flares;	/* flare-ups so far */
	int32_t last_flare_day; /* BR_NONE if none */
	uint32_t rebuild_to_s;	/* in REBUILD: the length before the flare-up */
	/* weeks[0] is the baseline; weeks[1..n_weeks - 1] the steps, planned ahead from now
	 * (as if every week goes well). */
	struct programme_week weeks[PROGRAMME_WEEKS_MAX];
	size_t n_weeks;
};

/* Stable names for D-Bus and the CLI. Return: a static string, "unknown" out of range. */
const char *programme_phase_to_string(enum programme_phase p);
const char *programme_reason_to_string(enum programme_reason r);

/*
 * Where the programme stands today. cfg is bounded on a copy.
 * Return: 0; -EINVAL sessions or flare-ups not oldest first.
 */
int programme_status(const struct programme_config *cfg, const struct programme_input *in,
		     struct programme_status *ret);

/*
 * The next session's plan: @targets (the planner's next plan, or the first plan in the
 * baseline) with the programme's length, warm-up and cool-down shortened to fit a short
 * session. Every target is bounded (plan_params_bound()) and capped by @caps (bounded too):
 * the programme never raises a target.
 * Return: 0.
 */
int programme_plan(const struct programme_status *st, const struct plan_params *targets,
		   const struct envelope_limits *caps, struct plan_params *ret);
