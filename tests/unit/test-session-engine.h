/* SPDX-License-Identifier: MIT */
#pragma once

/* A fake clock and a fake machine for the session engine tests. */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"

#define S(x)	   ((uint64_t) (1000000.0 * (x)))
#define EVENTS_MAX 2048

struct rig {
	struct session_engine *s;
	uint64_t now;
	struct session_input in;
	struct session_output out;
	bool mirror_speed; /* the belt follows the commanded speed (times speed_factor) */
	bool refuse;	   /* the machine refuses every target (Invalid Parameter) */
	double speed_factor;
	size_t n_events;
	struct session_event events[EVENTS_MAX];
	int32_t max_target[_SESSION_CH_MAX];
};

static inline struct session_machine rig_bike(bool erg)
{
	struct session_machine m = { .kind = SESSION_KIND_BIKE };

	m.has[SESSION_CH_POWER] = erg;
	m.range[SESSION_CH_POWER] = (struct ftms_range) { 0, 800, 1 };
	m.has[SESSION_CH_RESISTANCE] = true;
	m.range[SESSION_CH_RESISTANCE] = (struct ftms_range) { 0, 1000, 10 };
	return m;
}

static inline struct session_machine rig_treadmill(void)
{
	struct session_machine m = { .kind = SESSION_KIND_TREADMILL };

	m.has[SESSION_CH_SPEED] = true;
	m.range[SESSION_CH_SPEED] = (struct ftms_range) { 100, 1800, 10 };
	m.has[SESSION_CH_INCLINE] = true;
	m.range[SESSION_CH_INCLINE] = (struct ftms_range) { 0, 150, 5 };
	return m;
}

static inline void rig_step(struct rig *r, uint64_t now)
{
	r->now = now;
	if (r->mirror_speed)
		r->in.speed_ckmh = (int32_t) (r->out.target[SESSION_CH_SPEED] * r->speed_factor);
	(void) session_advance(r->s, now, &r->in, &r->out);
	/* A machine that accepts every target at once (r->refuse: refuses them all). */
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++)
		if ((r->out.changed | r->out.retry) & (1u << c))
			session_target_result(r->s, (enum session_channel) c, !r->refuse);
	for (size_t i = 0; i < r->out.n_events && r->n_events < EVENTS_MAX; i++)
		r->events[r->n_events++] = r->out.events[i];
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++)
		if (r->out.target[c] > r->max_target[c])
			r->max_target[c] = r->out.target[c];
}

/* Advance in steps of `step` until `until` (inclusive). */
static inline void rig_run(struct rig *r, double until, double step)
{
	uint64_t end = S(until), dt = S(step);

	while (r->now + dt <= end)
		rig_step(r, r->now + dt);
	if (r->now < end)
		rig_step(r, end);
}

static inline size_t rig_count(const struct rig *r, enum session_event_type type)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_events; i++)
		n += r->events[i].type == type;
	return n;
}

static inline const struct session_event *rig_find(const struct rig *r,
						   enum session_event_type type, size_t nth)
{
	for (size_t i = 0; i < r->n_events; i++)
		if (r->events[i].type == type && nth-- == 0)
			return &r->events[i];
	return NULL;
}

static inline int32_t rig_target(const struct rig *r, enum session_channel c)
{
	return r->out.target[c];
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define P  SESSION_CH_POWER
#define R  SESSION_CH_RESISTANCE
#define SP SESSION_CH_SPEED
#define IN SESSION_CH_INCLINE

static inline enum session_channel main_of(const struct session_machine *m)
{
	if (m->kind == SESSION_KIND_TREADMILL)
		return SP;
	return m->has[P] ? P : R;
}

/* A rig whose machine reports its power (0 W) from before the first step, as a connected
 * bike does by the time a session starts. */
static bool rig_power_reported;

static inline struct rig *rig_new(const struct session_machine *m,
				  const struct session_rules *rules, const struct plan_params *plan)
{
	struct rig *r = calloc(1, sizeof(*r));
	struct envelope_limits l;
	struct session_rules ru;
	struct plan_params p;

	assert_non_null(r);
	envelope_limits_default(&l);
	session_rules_default(&ru);
	plan_params_default(m->kind, &p);
	assert_int_equal(session_new(plan ? plan : &p, &l, rules ? rules : &ru, m, 2, &r->s), 0);
	r->in = (struct session_input) { .link_up = true };
	if (m->kind == SESSION_KIND_BIKE) {
		r->in.cadence_present = true;
		r->in.cadence_hrpm = 160; /* 80 rpm */
		r->in.power_present = rig_power_reported;
	} else {
		r->in.speed_present = true;
		r->mirror_speed = true;
		r->speed_factor = 1.0;
	}
	rig_step(r, 0);
	return r;
}

static inline void rig_free(struct rig *r)
{
	session_free(r->s);
	free(r);
}
