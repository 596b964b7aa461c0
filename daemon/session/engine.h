/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The session engine: phases, ramps and the pain, heart-rate, cadence, treadmill and
 * link rules. Pure: it never sees libuv, D-Bus, BlueZ or SQLite, and never reads a clock. The
 * daemon calls session_advance(s, now_usec, ...) from a timer with an injected monotonic time
 * (scaled for simulations); tests drive it with a fake clock. Every target goes through the
 * safety envelope (envelope.h). Rules and numbers: README.md beside this file.
 *
 * Commands (pain, pause, resume, stop, confirm) change the state at once, as of the last step
 * (their `now` is the caller's time of the command, not used for timing); their events and
 * targets come out of the next session_advance(), which the caller should run right away.
 * Commands before the first step are allowed (e.g. a confirmation given with Start).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "envelope.h"
#include "plan.h"
#include "session-types.h"

struct session_engine;

enum session_phase {
	SESSION_PHASE_WAITING,	 /* treadmill: the belt waits for session_confirm_belt() */
	SESSION_PHASE_COUNTDOWN, /* treadmill: a few seconds before the belt moves */
	SESSION_PHASE_WARMUP,
	SESSION_PHASE_STEADY,
	SESSION_PHASE_COOLDOWN,
	SESSION_PHASE_STOPPING, /* bringing the machine to a safe state: floor / belt ramped to 0 */
	SESSION_PHASE_STRETCHES,
	SESSION_PHASE_DONE,
	_SESSION_PHASE_MAX,
};

/* Why the session is paused; several can hold at once. */
enum session_pause {
	SESSION_PAUSE_USER = 1u << 0,	      /* session_pause() */
	SESSION_PAUSE_NO_PEDALLING = 1u << 1, /* bike: no pedalling for no_pedal_s */
	SESSION_PAUSE_LINK = 1u << 2,	      /* the caller reported the link down */
	SESSION_PAUSE_SPEED_UNITS = 1u << 3,  /* treadmill reports ~1.609 x the commanded speed */
	SESSION_PAUSE_CONFIRM = 1u << 4,      /* treadmill: belt stopped, needs a confirmation */
	SESSION_PAUSE_IMPLAUSIBLE = 1u << 5,  /* the machine's data is implausible (plausible.h) */
	SESSION_PAUSE_MACHINE = 1u << 6,      /* stopped or paused at the machine (its console, a
					       * reset): session_machine_stopped() */
};
/* The pauses only the user can clear (session_resume() or session_confirm_belt()). */
#define SESSION_PAUSE_USER_CLEARS                                                 \
	(SESSION_PAUSE_USER | SESSION_PAUSE_SPEED_UNITS | SESSION_PAUSE_CONFIRM | \
	 SESSION_PAUSE_IMPLAUSIBLE | SESSION_PAUSE_MACHINE)

enum session_event_type {
	SESSION_EVENT_PHASE,	   /* value: enum session_phase entered */
	SESSION_EVENT_COUNTDOWN,   /* value: seconds left before the belt starts */
	SESSION_EVENT_PAIN,	   /* value: the 0-10 rating reported */
	SESSION_EVENT_REDUCE,	   /* value: the new ceiling for the main target (machine units) */
	SESSION_EVENT_HEART_RATE,  /* value: bpm, above the cap for 10 s */
	SESSION_EVENT_CADENCE_LOW, /* value: rpm, below the floor in ERG */
	SESSION_EVENT_PAUSE,	   /* value: the enum session_pause bit just set */
	SESSION_EVENT_RESUME,	   /* value: the pause mask that held until now */
	SESSION_EVENT_LINK,	   /* value: 1 up, 0 down */
	SESSION_EVENT_SPEED_UNITS, /* value: measured speed, 0.01 km/h (mph firmware? or, with
				    * session_set_speed_mph(), km/h after all?) */
	SESSION_EVENT_SAFETY_KEY,  /* value: 0 */
	SESSION_EVENT_STRETCH,	   /* value: duration in s; text: the stretch */
	SESSION_EVENT_END,	   /* value: enum session_end */
	SESSION_EVENT_GUIDED,	   /* value: the channel bits now guided; text: why */
	SESSION_EVENT_ADVICE,	   /* value: the advised main target (machine units); text:
				    * what the rider should do */
	SESSION_EVENT_RETRY,	   /* value: the channel bit whose target is sent again */
	SESSION_EVENT_MACHINE_TARGET, /* value: the target set at the machine (machine units);
				       * text: adopted, or held at the session's */
	SESSION_EVENT_EASE,	      /* value: 0; text: why ("asked": session_ease()) */
	_SESSION_EVENT_MAX,
};

#define SESSION_EVENT_TEXT_MAX 64
#define SESSION_EVENTS_MAX     16

struct session_event {
	enum session_event_type type;
	int32_t value;
	uint64_t t_usec; /* session time (active, pauses excluded) when it happened */
	char text[SESSION_EVENT_TEXT_MAX];
};

/* Rules of a session; the daemon fills them from config ([session] and [safety]). */
struct session_rules {
	uint32_t hr_max_bpm;	    /* 0: no heart-rate cap; else bounds 80..190 */
	uint32_t cadence_floor_rpm; /* ERG: below this, lower the target. Default 50, 20..80 */
	uint32_t no_pedal_s;	    /* no pedalling this long: auto-pause. Default 10, 5..60 */
	uint32_t link_timeout_s;    /* link down this long: end, interrupted. Default 300,
				     * 30..1800 */
	uint32_t resume_pct;	    /* resume at this % of the target. Default 70, 30..100 */
	uint32_t reramp_pct_min;    /* then ramp back by this % of the target per minute.
				     * Default 20, 5..50 */
	uint32_t countdown_s;	    /* treadmill countdown. Default 3, 0..10 */
};

void session_rules_default(struct session_rules *ret);

/*
 * Clamp every rule into its bounds.
 * Return: the number of values that had to be changed.
 */
int session_rules_bound(struct session_rules *r);

/*
 * A gentle heart-rate cap from age: 70 % of (220 - age), within 90..170 bpm.
 * Return: the cap in bpm; 0 if age is outside 10..100.
 */
uint32_t session_hr_cap_from_age(uint32_t age);

/* What the caller saw since the last step. Absent values are never used for control. */
struct session_input {
	bool link_up;
	bool safety_key; /* the machine reported "stopped by safety key" */
	bool power_present;
	int32_t power_w;
	bool cadence_present;
	int32_t cadence_hrpm; /* 0.5 rpm */
	bool speed_present;
	int32_t speed_ckmh;
	bool hr_present; /* false when the last HR value is stale */
	int32_t hr_bpm;
	bool implausible; /* the machine sends persistent garbage (plausible_persistent()) */
};

struct session_output {
	enum session_phase phase;
	uint32_t paused;	 /* enum session_pause bits */
	enum session_end end;	 /* set once the session is ending or over */
	bool done;		 /* phase DONE: close the session */
	bool run;		 /* the machine should be started (FTMS Start/Resume): a bike from
				  * warm-up until safe, a belt while it should or still does move */
	bool run_changed;	 /* run differs from the last step: send Start or Stop/Pause */
	uint64_t elapsed_usec;	 /* active session time */
	uint64_t remaining_usec; /* planned active time left in warm-up, steady, cool-down */
	uint32_t channels;	 /* bit per enum session_channel this machine is driven by */
	uint32_t changed;	 /* bits: write these targets now */
	uint32_t rebased;	 /* bits: the envelope re-based on the machine's own state */
	uint32_t guided;	 /* bits: channels the rider sets (never written to the machine) */
	uint32_t retry;		 /* bits: the machine ignored these: request control again and
				  * send the target again, even unchanged */
	char advice[SESSION_EVENT_TEXT_MAX]; /* what the rider should do now ("" if driven) */
	int32_t target[_SESSION_CH_MAX];     /* machine units, current for every used channel */
	size_t n_events;
	unsigned events_lost; /* events dropped because the queue was full */
	struct session_event events[SESSION_EVENTS_MAX];
};

/*
 * Create a session. plan, limits and rules are bounded on copies. A bike uses ERG (power) if
 * the machine has it, otherwise resistance (steered toward the plan's power while the input
 * carries the bike's power); a treadmill uses speed and, if present, incline.
 * The session starts at the first session_advance(): a bike in warm-up, a treadmill waiting
 * for session_confirm_belt(). pain_before is 0..10 or BR_NONE.
 * Return: 0; -ENOMEM; -EINVAL (kinds differ, no usable channel, pain out of range); -ERANGE
 * (the machine cannot be driven within the caps, see envelope_init()).
 */
int session_new(const struct plan_params *plan, const struct envelope_limits *limits,
		const struct session_rules *rules, const struct session_machine *machine,
		int32_t pain_before, struct session_engine **ret);

/* Free a session (NULL is fine). */
void session_free(struct session_engine *s);

static inline void session_freep(struct session_engine **s)
{
	session_free(*s);
}

/*
 * One step at time now (µs, monotonic, injected; earlier times count as no time passing).
 * Fills *out: targets to send (out->changed), phase, times, the events since the last step.
 * Return: 0 while the session goes on, 1 when it is done (and on every later call).
 */
int session_advance(struct session_engine *s, uint64_t now, const struct session_input *in,
		    struct session_output *out);

/*
 * Report pain 0-10: <= 3 continue; 4-5 reduce the target about 15 % and stop ramping up;
 * >= 6 go straight to cool-down and end. Once done, it is recorded as pain after.
 * Return: 0, -EINVAL (out of 0..10).
 */
int session_report_pain(struct session_engine *s, uint64_t now, int32_t pain);

/*
 * The rider asks for less: the main target's ceiling drops one step (to 85 % of the current
 * level, as for pain 4-5) and it no longer ramps up; an EASE event ("asked") and a REDUCE
 * event say so. Guided, the advice eases. Never raises anything.
 * Return: 0, -EAGAIN (paused: nothing to ease now), -ESTALE (not warming up to cooling down:
 * waiting for the belt, counting down, stopping, stretches or done).
 */
int session_ease(struct session_engine *s, uint64_t now);

/*
 * Pause by the user (bike: target to its floor; treadmill: belt ramps down to 0).
 * Return: 0, -EALREADY (paused by the user already), -ESTALE (stopping or done).
 */
int session_pause(struct session_engine *s, uint64_t now);

/*
 * Resume after a user pause, a speed-units or implausible-data pause or a stopped belt; counts
 * as confirmation.
 * Pauses the user cannot clear (link, no pedalling) still hold. Ramps back up gently.
 * Return: 0, -EALREADY (nothing the user can resume), -ESTALE (stopping or done).
 */
int session_resume(struct session_engine *s, uint64_t now);

/*
 * Stop (reason: USER_STOP, SHUTDOWN or FAULT): the machine goes to a safe state first (phase
 * STOPPING), then the session is done. No stretches.
 * Return: 0, -EALREADY (already stopping or done), -EINVAL (another reason).
 */
int session_stop(struct session_engine *s, uint64_t now, enum session_end reason);

/*
 * The explicit confirmation that the belt may start (treadmill). Until the first one the
 * engine never asks for a non-zero speed.
 * Return: 0, -EOPNOTSUPP (a bike), -EALREADY (nothing waits for a confirmation).
 */
int session_confirm_belt(struct session_engine *s, uint64_t now);

/*
 * What the machine answered to the last target of channel @c it was sent: @accepted (Success),
 * or refused (or not answered). Whether the machine follows its target (ignored targets) is
 * judged only once it accepted it: a refused target is not an ignored one, and on a machine
 * whose answers come late (or a time-scaled session) the wait for the answer is not counted.
 */
void session_target_result(struct session_engine *s, enum session_channel c, bool accepted);

/*
 * The machine refused targets outside [@lo, @hi] of channel @c (machine units): narrow the
 * envelope (never wider; envelope_narrow()) and send the channel's target again. Whether the
 * machine follows its target (ignored targets) is judged afresh from then on.
 * Return: 0, -ERANGE (nothing would be left; unchanged), -EINVAL (a channel not driven).
 */
int session_narrow(struct session_engine *s, enum session_channel c, int32_t lo, int32_t hi);

/*
 * The caller converts speed targets for mph firmware (@mph) or not. The speed-units rule then
 * looks for the other mistake: a belt at about 0.62 x the target is a km/h machine after all.
 */
void session_set_speed_mph(struct session_engine *s, bool mph);

/*
 * Guided mode for @channels (bits of enum session_channel): the same plan, ramps and rules,
 * but nothing is written to the machine for them; the rider is told what to do (ADVICE events,
 * session_output.advice). Guiding the main channel guides them all, and the machine is never
 * started or stopped (a belt only ever moves when the rider starts it). @why is the cause, for
 * the GUIDED event. Channels the engine finds ignored (the measured value does not follow the
 * target: sent once more, then guided) are guided by the engine itself. Not undone.
 * Return: 0, -EINVAL (no channel of this session in @channels), -EALREADY (guided already),
 * -ESTALE (done).
 */
int session_guide(struct session_engine *s, uint64_t now, uint32_t channels, const char *why);

/* Return: the channels guided now (bits of enum session_channel). */
uint32_t session_get_guided(const struct session_engine *s);

/*
 * What the machine did by itself (Fitness Machine Status, its console): ftms-reference.md §9.
 *
 * session_machine_stopped(): stopped or paused at the machine, or a Reset stopped it. The
 * session pauses (SESSION_PAUSE_MACHINE) until the user resumes, here or at the machine; a
 * treadmill's belt has stopped: the speed re-bases on 0 and nothing restarts it.
 * Return: 0, -EALREADY (paused so already), -ESTALE (not exercising).
 *
 * session_machine_started(): started or resumed at the machine. Followed only if the session
 * waits for the user (a user or machine pause, a stopped belt, a belt waiting to start);
 * the pauses the rules set hold.
 * Return: 0 followed, -EALREADY (nothing waits for the user), -ESTALE (stopping or done).
 *
 * session_machine_target(): the target of channel @c was set to @v (machine units) at the
 * machine. Lower than the session's: adopted for the rest of the phase. Higher, or a channel
 * the session does not drive (_SESSION_CH_MAX: the machine left the session's mode, e.g. for
 * simulation): the session's targets are written again at the next step.
 * Return: 0 adopted, 1 held (written back), -EALREADY (the session's own value), -ESTALE (not
 * exercising: the session's targets are written again all the same).
 *
 * session_machine_lost_state(): the machine lost its targets (Reset, power cycle): every
 * target and Start or Resume go out again at the next step. A treadmill's belt has stopped
 * (session_machine_stopped()). With @reramp (a power cycle), the session resumes as after a
 * pause: a lower target and a new ramp.
 */
int session_machine_stopped(struct session_engine *s, uint64_t now);
int session_machine_started(struct session_engine *s, uint64_t now);
int session_machine_target(struct session_engine *s, uint64_t now, enum session_channel c,
			   int32_t v);
void session_machine_lost_state(struct session_engine *s, uint64_t now, bool reramp);

/*
 * The machine refused a target as if it were not started (a cold start): Start or Resume goes
 * out at the next step if the session wants the machine to run (a belt only once the user
 * confirmed it), then every target again.
 */
void session_machine_needs_start(struct session_engine *s);

/* Accessors. Return: the value named. */
enum session_phase session_get_phase(const struct session_engine *s);
uint32_t session_get_paused(const struct session_engine *s);
enum session_end session_get_end(const struct session_engine *s);
uint64_t session_get_elapsed_usec(const struct session_engine *s);
uint32_t session_get_planned_s(const struct session_engine *s); /* warm-up + steady + cool-down */
const struct plan_params *session_get_plan(const struct session_engine *s); /* as bounded */
int32_t session_get_target(const struct session_engine *s, enum session_channel c);
enum session_channel session_get_main_channel(const struct session_engine *s);

/*
 * Pain figures: before (as given), max (before, reports, after), after.
 * Return: 0-10 or BR_NONE.
 */
int32_t session_get_pain_before(const struct session_engine *s);
int32_t session_get_pain_max(const struct session_engine *s);
int32_t session_get_pain_after(const struct session_engine *s);

/*
 * Stable names ("warmup", "pause", ...) for D-Bus, storage and the CLI.
 * Return: a static string, "unknown" out of range.
 */
const char *session_phase_to_string(enum session_phase p);
const char *session_event_type_to_string(enum session_event_type t);
const char *session_pause_to_string(enum session_pause p);
