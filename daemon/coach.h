/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The coach runs one gentle session at a time: it wires the pure session engine
 * (daemon/session) to the BlueZ client (targets, live data, link state), to storage (one sample
 * per session second, every event) and to org.backride.Session1. Session time comes from a uv
 * timer and the monotonic clock scaled by [daemon] time_scale; the engine only sees it.
 * Owned by the manager. Behaviour: daemon/session/README-wiring.md.
 */

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "bluez.h"
#include "config.h"
#include "engine.h"
#include "plan.h"
#include "plausible.h"

struct api;
struct machines;
struct storage;
struct coach;

/* StartSession options, already checked by the API. */
struct coach_start_options {
	int kind;	  /* -1: the connected machine's kind, else enum session_kind */
	uint32_t minutes; /* 0: the plan's own length, else 3..90 minutes in total */
	char address[BLUEZ_ADDRESS_MAX]; /* "": [machine] address or the preferred machine */
	int32_t pain_before;		 /* 0..10 or BR_NONE */
	int stretches;			 /* -1: the plan's, 0 or 1 */
};

/* What Session1 shows; strings are static or inside the struct. */
struct coach_view {
	int64_t id;
	const char *kind;
	const char *phase;
	uint32_t elapsed_s, planned_s, remaining_s;
	uint32_t channels; /* bits of enum session_channel */
	int32_t target[_SESSION_CH_MAX];
	struct br_sample live;			  /* BR_NONE for absent values */
	int32_t pain_before, pain_max, last_pain; /* BR_NONE: none */
	int paused;
	char pause_reason[64];			    /* "user,link" or "" */
	const char *end_reason;			    /* "" while it runs */
	char message[160];			    /* what the user should know now, or "" */
	uint32_t implausible[_PLAUSIBLE_FIELD_MAX]; /* values dropped in this session */
};

/*
 * Create the coach: ends sessions a crash left open (storage_sessions_recover(): logged, an
 * event each) and then reconnects the machine to bring it to a safe state.
 * Return: 0 and *ret, or -errno.
 */
int coach_new(uv_loop_t *loop, const struct config *config, struct storage *storage,
	      struct machines *machines, struct api *api, struct coach **ret);

/* Close a running session as shut down and free (the timers close asynchronously). */
void coach_free(struct coach *co);

/* Called once when a start finishes: 0 with the session running, or -errno and a sentence. */
typedef void (*coach_done_fn)(void *userdata, int error, const char *message);

/*
 * Start a session: connect the machine if needed (another machine connected now, idle, is
 * given up: control back, then disconnected), plan from history and config, begin.
 * Return: 0 started (@done follows, maybe at once), -EBUSY a session runs or starts,
 * -EINVAL, -ENOENT nothing to connect to, -ENODEV.
 */
int coach_start(struct coach *co, const struct coach_start_options *o, coach_done_fn done,
		void *userdata);

/*
 * Commands on the running session. Return: 0, -ENOTCONN no session, or the engine's error;
 * resume: -EBADMSG while the machine sends implausible data.
 */
int coach_pause(struct coach *co);
int coach_resume(struct coach *co);
int coach_stop(struct coach *co, int32_t pain_after);
int coach_report_pain(struct coach *co, int32_t pain);
int coach_confirm_belt(struct coach *co);

/*
 * SIGTERM: stop a running session, bring the machine to a safe state, close the session, then
 * call @done (at most ~10 s real time later).
 * Return: 1 waiting (@done follows), 0 nothing runs (@done is not called).
 */
int coach_shutdown(struct coach *co, void (*done)(void *userdata), void *userdata);

/* Return: the view of the current (or last) session, NULL before the first one. */
const struct coach_view *coach_view(const struct coach *co);

/* Return: whether a session runs (not done). */
bool coach_running(const struct coach *co);

/* Return: whether a session runs or starts: its machine must stay connected. */
bool coach_busy(const struct coach *co);

/*
 * The next plan for @kind from history and config, and why.
 * Return: 0 or -errno.
 */
int coach_next_plan(struct coach *co, enum session_kind kind, struct plan_params *ret,
		    struct plan_reason *why);

/* The daily pain check-in for today (local date). Return: 0, -EINVAL, -errno. */
int coach_checkin(struct coach *co, int32_t pain);

/* Shared with org.backride.Debug1 (api/debug-iface.c), whose targets pass the same envelope. */

/* [safety] as envelope caps and rates; bounded (envelope_limits_bound()). */
void coach_limits(const struct config *c, struct envelope_limits *ret);

/*
 * What the engine needs of the connected machine.
 * Return: 0; -EPROTO a machine kind backride cannot drive.
 */
int coach_machine(const struct bluez_machine_info *info, struct session_machine *ret);

/* From machines.c. */
void coach_machine_ready(struct coach *co, const struct bluez_machine_info *info);
/* A sample, implausible values already absent: @dropped fields (plausible.h), the last
 * one as people read it in @example ("power 32155 W"). */
void coach_sample(struct coach *co, const struct br_sample *s, uint32_t dropped,
		  const char *example);
/* A control point result: 3 final failures in a row stop the session (end 'fault'). */
void coach_cp_result(struct coach *co, int outcome, bool final);
void coach_link_changed(struct coach *co, enum bluez_role role, enum bluez_link_state st);
void coach_event(struct coach *co, const char *type, const char *detail);
