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

#include "config.h"
#include "driver.h"
#include "engine.h"
#include "plan.h"
#include "plausible.h"

struct machines;
struct storage;
struct coach;

/* What the coach reports upward (the manager passes it on to the D-Bus API). */
struct coach_callbacks {
	/* A session began: Session1 shows it from now on. Return: 0 or -errno. */
	int (*session_begun)(void *userdata);
	/* The view of the session changed (every session second, and on commands). */
	void (*session_changed)(void *userdata);
	/* coach_running() changed. */
	void (*state_changed)(void *userdata);
	/* Something for people: type ("session", "fault") and a sentence. */
	void (*event)(void *userdata, const char *type, const char *detail);
};

/* StartSession options, already checked by the API. */
struct coach_start_options {
	int kind;	  /* -1: the connected machine's kind, else enum session_kind */
	uint32_t minutes; /* 0: the plan's own length, else 3..90 minutes in total */
	char address[MACHINE_ADDRESS_MAX]; /* "": [machine] address or the preferred machine */
	int32_t pain_before;		   /* 0..10 or BR_NONE */
	int stretches;			   /* -1: the plan's, 0 or 1 */
	int guided;			   /* 1: guide the rider, write nothing to the machine */
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
	int guided;				    /* the rider sets the machine (some of it) */
	char advice[SESSION_EVENT_TEXT_MAX];	    /* guided: what to do now, or "" */
	uint32_t implausible[_PLAUSIBLE_FIELD_MAX]; /* values dropped in this session */
	uint32_t hr_cap_bpm;			    /* the heart-rate cap; 0: none */
};

/*
 * Create the coach: ends sessions a crash left open (storage_sessions_recover(): logged, an
 * event each) and then reconnects the machine to bring it to a safe state.
 * Return: 0 and *ret, or -errno.
 */
int coach_new(uv_loop_t *loop, const struct config *config, struct storage *storage,
	      struct machines *machines, const struct coach_callbacks *cb, void *userdata,
	      struct coach **ret);

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
/* Ease the target one step (session_ease()): -EAGAIN paused, -ESTALE not exercising. */
int coach_ease(struct coach *co);
/*
 * After a speed-units pause: the user confirms the unit the treadmill reads speed targets in
 * (@mph, else km/h). Stored for the machine; the session converts from now on and resumes.
 * Return: 0; -ENOTCONN (no session); -EALREADY (no speed-units pause to answer);
 * -EOPNOTSUPP (not a treadmill).
 */
int coach_set_speed_unit(struct coach *co, bool mph);

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

/*
 * The next plan for @kind from the history in @st and config @c, and why (as coach_next_plan(),
 * without a coach: History1.Progress).
 * Return: 0 or -errno.
 */
int coach_plan_next(struct storage *st, const struct config *c, enum session_kind kind,
		    struct plan_params *ret, struct plan_reason *why);

/* The daily pain check-in for today (local date). Return: 0, -EINVAL, -errno. */
int coach_checkin(struct coach *co, int32_t pain);

/* ---- org.backride.Debug1: targets through the session's driver, envelope and timer ---- */

/* Whether Debug1 may drive the machine now. */
enum coach_debug_status {
	COACH_DEBUG_USABLE,
	COACH_DEBUG_SESSION,	 /* a session drives the machine */
	COACH_DEBUG_NOT_READY,	 /* no machine link is ready */
	COACH_DEBUG_NO_ENVELOPE, /* the machine cannot be driven within the safety envelope */
	COACH_DEBUG_TAKEN,	 /* a session drove it since its link became ready */
	COACH_DEBUG_UNSUPPORTED, /* the machine has no such target */
};

enum coach_debug_command {
	COACH_DEBUG_REQUEST_CONTROL,
	COACH_DEBUG_START,
	COACH_DEBUG_STOP,
	COACH_DEBUG_PAUSE,
	COACH_DEBUG_RESET,
};

/* Return: "power", "resistance", "speed" or "inclination". */
const char *coach_channel_name(enum session_channel c);

/*
 * Whether Debug1 may drive channel @channel (-1: send a command) now; for
 * COACH_DEBUG_NO_ENVELOPE the envelope's error in *ret_error.
 * Return: the status.
 */
enum coach_debug_status coach_debug_status(const struct coach *co, int channel, int *ret_error);

/*
 * Pass @value through the envelope (after coach_debug_status() said usable): a step the rate
 * limits allow at once goes out now, the rest of the way on the coach's timer.
 * Return: 1 on its way (now or by the ramp), 0 nothing to do (the machine has this target or
 * is being stepped toward it), -errno as driver_set_target().
 */
int coach_debug_target(struct coach *co, enum session_channel c, int32_t value);

/* Send a command to the machine. Return: 0, -EBUSY a session runs, -errno of the driver. */
int coach_debug_command(struct coach *co, enum coach_debug_command cmd);

/* Shared by sessions and Debug1, whose targets pass the same envelope. */

/* [safety] as envelope caps and rates; bounded (envelope_limits_bound()). */
void coach_limits(const struct config *c, struct envelope_limits *ret);

/*
 * What the engine needs of the connected machine.
 * Return: 0; -EPROTO a machine kind backride cannot drive.
 */
int coach_machine(const struct machine_info *info, struct session_machine *ret);

/* What the machines registry reports (machines_listen(), registered by coach_new()). */
void coach_machine_ready(struct coach *co, const struct machine_info *info);
/* A sample, implausible values already absent: @dropped fields (plausible.h), the last
 * one as people read it in @example ("power 32155 W"). */
void coach_sample(struct coach *co, const struct br_sample *s, uint32_t dropped,
		  const char *example);
/*
 * A control point result of request @req: 3 final failures in a row stop the session (end
 * 'fault'); Request Control refused makes it guided; a refusal that narrows a range does not
 * count. A target refused with Operation Failed while the session wants the machine to run (a
 * machine that takes targets only once started, a "cold start"): Start or Resume and the
 * targets go out again at the next step, once a streak; a belt the user did not confirm is
 * never started.
 */
void coach_cp_result(struct coach *co, const struct ftms_cp_request *req, int outcome, bool final);
void coach_link_changed(struct coach *co, enum link_role role, enum link_state st);
/* BlueZ came (@up) or went: a machine an interrupted session left driven is reconnected. */
void coach_bluez_changed(struct coach *co, bool up);
/*
 * A Machine Status of the connected machine, not an echo of backride's own request: what was
 * done at the machine. Acted on by its meaning (coach_status_meaning()) while a session runs;
 * recorded with the session and told to the user.
 */
void coach_machine_status(struct coach *co, const struct ftms_machine_status *st);

/* What backride does about a Machine Status op code (docs/coach.md, "The machine's console"). */
enum coach_status_action {
	COACH_STATUS_RECORD,	   /* recorded only: backride does not use that target */
	COACH_STATUS_RESET,	   /* control and every target again (a belt waits for the user) */
	COACH_STATUS_STOPPED,	   /* stopped or paused by the user: the session pauses */
	COACH_STATUS_STARTED,	   /* started by the user: followed if the session waits */
	COACH_STATUS_SAFETY_KEY,   /* a treadmill's session ends */
	COACH_STATUS_TARGET,	   /* lower: adopted for the phase; higher: held, written back */
	COACH_STATUS_MODE,	   /* the machine left the session's mode: targets written again */
	COACH_STATUS_CONTROL_LOST, /* the BlueZ client requests control again */
};

struct coach_status_meaning {
	enum coach_status_action action;
	enum session_channel channel; /* COACH_STATUS_TARGET: the session's channel */
	int32_t value;		      /* COACH_STATUS_TARGET: the new target, machine units */
	const char *what;	      /* for people: "stopped at the machine"... */
};

/*
 * The meaning of Machine Status @st, for every op code FTMS v1.0 defines (RFU ones: record).
 * Return: 0.
 */
int coach_status_meaning(const struct ftms_machine_status *st, struct coach_status_meaning *ret);
/* An event of the BlueZ client: recorded with a running session unless it is an echo. */
void coach_event(struct coach *co, const struct driver_event *e);
