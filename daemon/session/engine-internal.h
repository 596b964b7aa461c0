/* SPDX-License-Identifier: MIT */
#pragma once

/* The session engine's state, shared by engine.c (phases, targets) and engine-rules.c
 * (pain, heart rate, cadence, treadmill and link rules, commands). */

#include "engine.h"

#define SEC(x) (1000000ULL * (uint64_t) (x))

/* Detection windows (README.md). */
#define HR_ABOVE_USEC	   SEC(10) /* heart rate above the cap this long: reduce */
#define CADENCE_LOW_USEC   SEC(3)  /* cadence below the floor this long: lower the target */
#define CADENCE_OK_USEC	   SEC(10) /* cadence back above the floor this long: ramp back */
#define SPEED_UNITS_USEC   SEC(5)  /* measured ~1.609 x commanded this long: pause */
#define PAIN_REDUCE_PCT	   85	   /* pain 4-5: the target drops to this % */
#define HR_REDUCE_PCT	   90	   /* heart rate above the cap: this % */
#define CADENCE_REDUCE_PCT 90	   /* cadence below the floor in ERG: this % */
/* Eased by the rider (session_ease()): one step, the same as for pain 4-5. */
#define EASE_PCT PAIN_REDUCE_PCT
/* Resistance without ERG, steered by the bike's power: the level moves by this fraction of
 * itself per second and per unit of relative power error (a time constant of ~10 s on a
 * typical brake, slow against the few seconds a brake takes to settle). */
#define TRIM_GAIN 0.2
/* A driven target the measured value does not follow this long is taken as ignored: sent once
 * more, then guided (README.md, "Guided mode"). */
#define IGNORED_USEC SEC(15)

struct session_engine {
	struct plan_params plan;
	struct session_rules rules;
	struct session_machine machine;
	struct envelope env;
	enum session_channel main; /* POWER, RESISTANCE or SPEED */
	uint32_t channels;	   /* bits of enum session_channel in use */

	/* Levels of the main channel are relative to origin (the resistance range minimum,
	 * else 0), in machine units. */
	double origin;
	double target;	/* steady */
	double start;	/* warm-up start */
	double incline; /* steady incline, 0.1 % */
	/* Resistance without ERG: the power the plan would ask of ERG at the steady level (W,
	 * within the power cap), and the trim the bike's reported power applies to the plan's
	 * level (machine units, <= 0: never harder than the plan). */
	double power_target;
	double power_cap;
	double trim;

	bool started;
	uint64_t now;	 /* time of the last step */
	uint64_t active; /* session time: warm-up to cool-down and stretches, pauses excluded */
	enum session_phase phase;
	uint64_t phase_at; /* active time (countdown: step time) when the phase began */
	uint32_t paused;
	enum session_end end;
	bool confirmed;
	bool link_up;
	uint64_t link_down_at;

	double level;		/* the last main level asked for while active */
	double ceiling;		/* pain and heart-rate ceiling, never raised */
	double cadence_ceiling; /* ERG low-cadence ceiling, lifted by a re-ramp */
	/* Targets lowered at the machine's console: ceilings (machine units) for the rest of
	 * the phase machine_phase. */
	double machine_ceiling[_SESSION_CH_MAX];
	enum session_phase machine_phase;
	bool rebase_speed; /* started at the machine: re-base on the belt's measured speed */
	bool reramp;
	double reramp_from;
	uint64_t reramp_at; /* active time */
	double cool_from;
	uint64_t cool_len;
	uint32_t countdown_left;
	unsigned stretch;

	bool hr_above, cad_low, cad_ok, no_pedal, mph;
	bool speed_mph; /* the caller converts speed targets for mph firmware */
	uint64_t hr_since, cad_low_since, cad_ok_since, no_pedal_since, mph_since;

	int32_t pain_before, pain_max, pain_after;

	int32_t sent[_SESSION_CH_MAX];
	uint32_t force;	  /* channels to write at the next step regardless */
	uint32_t changed; /* channels written in this step */
	uint32_t rebased; /* channels re-based since the last step */
	bool run_sent;

	/* Guided mode (engine-guided.c). */
	uint32_t guided;   /* channels the rider sets */
	uint32_t retry;	   /* channels to send again at this step */
	uint32_t retried;  /* channels sent again once already */
	uint32_t off;	   /* channels whose measured value is off the target */
	uint32_t accepted; /* channels whose last target the machine accepted */
	uint64_t off_since[_SESSION_CH_MAX];
	int32_t advised;   /* the main target last advised, BR_NONE: none yet */
	int advised_state; /* what the last advice was about (engine-guided.c) */
	char advice[SESSION_EVENT_TEXT_MAX];

	struct session_event queue[SESSION_EVENTS_MAX];
	size_t n_queue;
	unsigned lost;
};

/* engine.c */
void engine_event(struct session_engine *s, enum session_event_type type, int32_t value,
		  const char *text);
void engine_enter(struct session_engine *s, enum session_phase phase);
void engine_pause(struct session_engine *s, enum session_pause bit);
void engine_unpause(struct session_engine *s, uint32_t bits);
double engine_base_level(const struct session_engine *s);
bool engine_exercising(const struct session_engine *s);
void engine_cooldown_now(struct session_engine *s);

/* engine-machine.c */
double engine_machine_ceiling(const struct session_engine *s, enum session_channel c);
/* A belt started at the machine: once it moves, the speed re-bases on what it measures. */
void engine_machine_step(struct session_engine *s, uint64_t now, const struct session_input *in);

/* engine-rules.c */
void engine_power_trim(struct session_engine *s, uint64_t dt, const struct session_input *in);
void engine_rules_step(struct session_engine *s, uint64_t now, const struct session_input *in);
bool engine_link_step(struct session_engine *s, uint64_t now, const struct session_input *in);

/* engine-guided.c: after the targets of a step, the advice for guided channels and the
 * detection of ignored targets; a guided belt the rider started counts as confirmed. */
void engine_guided_step(struct session_engine *s, uint64_t now, const struct session_input *in);
