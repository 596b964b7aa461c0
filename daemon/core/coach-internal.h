/* SPDX-License-Identifier: MIT */
#pragma once

/* Between coach.c (the running session) and coach-plan.c (config, plans, machines). */

#include "coach.h"
#include "driver.h"
#include "envelope.h"
#include "learn.h"
#include "storage.h"

/* Debug1's envelope on the machine whose link is ready (coach-debug.c). */
struct coach_debug {
	bool ready;  /* the envelope belongs to the machine whose link is ready */
	int why_not; /* when not ready: -EBUSY (a session took the machine) or envelope_init()'s */
	char address[MACHINE_ADDRESS_MAX];
	struct envelope env;
	uint64_t t0;			/* real µs at envelope time 0 */
	int32_t value[_SESSION_CH_MAX]; /* the envelope's last value: sent, or the primed floor */
	int32_t goal[_SESSION_CH_MAX];	/* the request, clamped, capped and rounded */
	bool ramp[_SESSION_CH_MAX];	/* still stepping toward goal */
};

/* What the coach learned about the machine of the session (coach-learn.c). */
struct coach_learn {
	struct storage_learned stored; /* as stored for the machine, updated as it is learned */
	uint32_t missing;	       /* 1 << enum session_channel: offered without a range */
	uint32_t defaulted;	       /* of those, driven on a default range */
	struct range_learn learn[_SESSION_CH_MAX];
	bool mph;		      /* speed targets converted for mph firmware */
	struct ftms_range speed_wire; /* the machine's speed range in its own unit */
};

/* One per daemon (coach.c); the parts below share it. */
struct coach {
	uv_loop_t *loop;
	const struct config *config;
	struct storage *storage;
	struct machines *machines;
	struct coach_callbacks cb;
	void *userdata;
	uv_timer_t tick;  /* a session's steps; else Debug1's ramps, a session end to retry */
	unsigned tick_ms; /* its period */
	uv_timer_t guard; /* SIGTERM: the 10 s bound, then the drain */
	uv_timer_t idle;  /* after a session: [machine] idle_disconnect_s, then disconnect */
	unsigned open_handles;
	bool freeing;

	/* The connected machine, from machine_ready. */
	bool has_info;
	struct machine_info info;
	char address[MACHINE_ADDRESS_MAX];
	char name[STORAGE_NAME_MAX];
	struct br_sample last;
	bool has_sample;
	bool safety_key; /* Machine Status "stopped by safety key" since the last step */
	bool make_safe;	 /* drive the machine to a safe state once it is ready again */
	char safe_address[MACHINE_ADDRESS_MAX]; /* that machine ("": whichever connects) */

	/* A StartSession waiting for the machine. */
	bool starting;
	struct coach_start_options opts;
	coach_done_fn start_done;
	void *start_userdata;

	/* The session. */
	struct session_engine *engine;
	bool running;
	int64_t id;
	int64_t started_at;   /* unix s */
	uint64_t t0_usec;     /* monotonic real µs at session time 0 */
	uint64_t next_step;   /* session µs of the next 1 s step */
	uint64_t now;	      /* session µs of the last step */
	int32_t distance0;    /* the machine's distance when the session began */
	int32_t pain_after;   /* from Stop, or BR_NONE */
	unsigned cp_failures; /* final control point failures in a row */
	bool needs_start;     /* a target refused as if not started: Start at the next step */
	bool start_tried;     /* and it was tried since the last success */
	bool run;	      /* the session wants the machine to run (the last step's) */
	bool targets_refused; /* a target refused while the machine was stopped */
	bool fault;	      /* stop the session as 'fault' at the next tick */
	/* Values the plausibility filter dropped since the last 'implausible' event. */
	uint32_t implausible_pending[_PLAUSIBLE_FIELD_MAX];
	uint64_t implausible_at; /* session µs of that event; UINT64_MAX: none yet */
	char implausible_example[64];
	bool disk_full; /* storage said -ENOSPC: rows wait in its memory queue */
	bool rows_lost; /* storage said -ENOBUFS: its queue was full, rows dropped */
	/* A session whose end could not be written (disk full): retried from the tick. */
	struct {
		int64_t id, ended;
		const char *reason;
		int32_t pain;
		uint64_t tried_usec; /* real µs of the last try */
	} close;
	struct coach_learn learn;
	/* Guided mode (coach-guided.c). */
	int control_refused; /* the FTMS result of a refused Request Control since ready, or 0 */
	char guided_why[STORAGE_WORD_MAX]; /* why the session is guided, "" if driven */
	char guided_message[160];	   /* the sentence that names the cause */
	char start_message[192];	   /* why a start was refused (a programme's rest day) */
	bool has_view;
	struct coach_view view;
	char note[160];	     /* what the user should know for a while (a target held...) */
	uint64_t note_until; /* session µs: the view shows the note until then */
	struct coach_debug debug;

	void (*shutdown_done)(void *userdata);
	void *shutdown_userdata;
};

/* Tell the layer above: an event for people (coach_callbacks.event). */
void coach_emit_event(struct coach *co, const char *type, const char *detail);

/* The plan a session starts with (coach_plan_next()), unless a programme rests today: then
 * -EAGAIN with the reason in *msg (coach-plan.c). Return: 0 or -errno. */
int coach_plan_start(struct coach *co, enum session_kind kind, struct plan_params *ret,
		     struct plan_reason *why, const char **msg);

/*
 * End the sessions a crash left open (storage_sessions_recover(): logged, an event each); if
 * any, the machine of the newest must be brought to a safe state (make_safe, safe_address).
 */
void coach_recover(struct coach *co);

/* Return: the machine's driver; whether the machine's link is ready. */
const struct machine_driver *coach_driver(const struct coach *co);
bool coach_link_up(const struct coach *co);

/* Send target @v of channel @c to the machine. Return: as driver_set_target(). */
int coach_write_target(struct coach *co, enum session_channel c, int32_t v);

/* With no session, run the timer for what waits on it (Debug1's ramps, a session end to
 * retry), or stop it. */
void coach_tick_update(struct coach *co);

/* Debug1 (coach-debug.c): its envelope follows the machine (@info ready, NULL: not to be
 * driven); a timer step of its ramps (Return: whether some go on); whether some go on; the
 * timer's period. */
void coach_debug_machine(struct coach *co, const struct machine_info *info);
bool coach_debug_step(struct coach *co);
bool coach_debug_ramping(const struct coach *co);
unsigned coach_debug_period_ms(const struct coach *co);

/*
 * Note the result of a storage write: the first -ENOSPC/-ENOBUFS is logged and signalled
 * (Manager1.Event "fault", Session1.Message), and so is the first success after them.
 */
void coach_storage_result(struct coach *co, int r);

/* After a command to the engine that returned @r: when r >= 0, a step now (its targets go
 * out). Return: r. */
int coach_command(struct coach *co, int r);

/* The session's row, with its plan, as it begins (coach-record.c). Return: 0 or -errno. */
int coach_record_begin(struct coach *co, const struct session_machine *m,
		       const struct plan_params *p);

/* The view Session1 shows, as the session begins. */
void coach_view_begin(struct coach *co, const struct session_machine *m);

/* Record an event of the session at its current time (coach-record.c). */
void coach_record_event(struct coach *co, const char *type, int32_t value, const char *detail);

/* Record the sample of session second @t (µs) from the latest data and @out. */
void coach_record_sample(struct coach *co, uint64_t t, const struct session_output *out);

/*
 * Count the values of a sample the plausibility filter dropped; an 'implausible' event with
 * the counts is recorded at once the first time, then at most once a session minute.
 */
void coach_implausible_count(struct coach *co, uint32_t dropped, const char *example);

/* Record the counts not recorded yet as an 'implausible' event (value: how many). */
void coach_implausible_record(struct coach *co);

/* The session paused for implausible data: an event, a log line and a signal naming it. */
void coach_implausible_fault(struct coach *co);

/* Update the view Session1 shows from a step's output. */
void coach_view_update(struct coach *co, const struct session_output *out);

/* Return: the channels (1 << enum session_channel) whose target the machine offers without a
 * usable range. */
uint32_t coach_missing_ranges(const struct machine_info *info);

/* At a session's start: load what was learned about the machine, put default ranges (within
 * what was learned) on targets offered without a range, convert the speed range for mph. */
void coach_learn_machine(struct coach *co, struct session_machine *m);

/* The least target of channel @c for the connected machine: its range's minimum; without a
 * range, what was learned or the default's. Return: machine units. */
int32_t coach_learn_floor(const struct coach *co, enum session_channel c);

/* Once the engine and the record exist: tell the user once about missing ranges; mph. */
void coach_learn_begun(struct coach *co);

/* The speed to write for a true @ckmh. Return: 0 and *ret; -ERANGE (see
 * learn_speed_to_wire()). */
int coach_learn_speed_wire(const struct coach *co, int32_t ckmh, int32_t *ret);

/* A final control point result. Return: true if it was a refusal that narrowed a range (not
 * counted as a failure). */
bool coach_learn_result(struct coach *co, const struct ftms_cp_request *req, int outcome);

/* ---- guided mode (coach-guided.c) ---- */

/*
 * Whether a session on @info must be guided from the start, and why: asked (@asked), no control
 * point, control refused, or no target backride can set. If so, the cause goes to guided_why
 * and guided_message, and @m gets the channel the rider is guided on if the machine has none.
 * Return: true guided, false driven.
 */
bool coach_guided_start(struct coach *co, const struct machine_info *info, bool asked,
			struct session_machine *m);

/* The session just begun: guided from its start if coach_guided_start() said so. */
void coach_guided_begin(struct coach *co);

/* Guide the running session from now on (every channel): recorded, logged, told. */
void coach_guide(struct coach *co, const char *code, const char *text);

/* Request Control was refused with FTMS result @result: a running session is guided. */
void coach_control_refused(struct coach *co, int result);

/* Return: whether the running session's main channel is guided (nothing is written to the
 * machine); coach_guided_main(): the same of the current or last session. */
bool coach_guided_all(const struct coach *co);
bool coach_guided_main(const struct coach *co);

/* An engine event of guided mode (guided, advice, retry): recorded already; logged, told. */
void coach_guided_event(struct coach *co, const struct session_event *e);

/* [session] as the planner's config for @kind; bounded (plan_config_bound()). */
void coach_plan_config(const struct config *c, enum session_kind kind, struct plan_config *ret);

/* [session] and [safety] as the engine's rules; bounded (session_rules_bound()). */
void coach_rules(const struct config *c, struct session_rules *ret);

/*
 * Apply StartSession's minutes and stretches to a plan, then bound it: @minutes is the whole
 * plan; warm-up and cool-down take a sixth each (at least 1 min, at most the plan's).
 */
void coach_plan_override(struct plan_params *p, uint32_t minutes, int stretches);
