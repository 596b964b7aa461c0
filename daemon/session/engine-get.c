/* SPDX-License-Identifier: MIT */
/* Session engine accessors and names. */
#include "engine.h"

#include "engine-internal.h"

enum session_phase session_get_phase(const struct session_engine *s)
{
	return s->phase;
}

uint32_t session_get_paused(const struct session_engine *s)
{
	return s->paused;
}

enum session_end session_get_end(const struct session_engine *s)
{
	return s->end;
}

uint64_t session_get_elapsed_usec(const struct session_engine *s)
{
	return s->active;
}

uint32_t session_get_planned_s(const struct session_engine *s)
{
	return s->plan.warmup_s + s->plan.steady_s + s->plan.cooldown_s;
}

const struct plan_params *session_get_plan(const struct session_engine *s)
{
	return &s->plan;
}

int32_t session_get_target(const struct session_engine *s, enum session_channel c)
{
	return (unsigned) c < _SESSION_CH_MAX ? s->sent[c] : 0;
}

enum session_channel session_get_main_channel(const struct session_engine *s)
{
	return s->main;
}

int32_t session_get_pain_before(const struct session_engine *s)
{
	return s->pain_before;
}

int32_t session_get_pain_max(const struct session_engine *s)
{
	return s->pain_max;
}

int32_t session_get_pain_after(const struct session_engine *s)
{
	return s->pain_after;
}

const char *session_phase_to_string(enum session_phase p)
{
	static const char *const names[_SESSION_PHASE_MAX] = {
		[SESSION_PHASE_WAITING] = "waiting",	 [SESSION_PHASE_COUNTDOWN] = "countdown",
		[SESSION_PHASE_WARMUP] = "warmup",	 [SESSION_PHASE_STEADY] = "steady",
		[SESSION_PHASE_COOLDOWN] = "cooldown",	 [SESSION_PHASE_STOPPING] = "stopping",
		[SESSION_PHASE_STRETCHES] = "stretches", [SESSION_PHASE_DONE] = "done",
	};

	return (unsigned) p < _SESSION_PHASE_MAX ? names[p] : "unknown";
}

const char *session_event_type_to_string(enum session_event_type t)
{
	static const char *const names[_SESSION_EVENT_MAX] = {
		[SESSION_EVENT_PHASE] = "phase",
		[SESSION_EVENT_COUNTDOWN] = "countdown",
		[SESSION_EVENT_PAIN] = "pain",
		[SESSION_EVENT_REDUCE] = "reduce",
		[SESSION_EVENT_HEART_RATE] = "heart-rate",
		[SESSION_EVENT_CADENCE_LOW] = "cadence-low",
		[SESSION_EVENT_PAUSE] = "pause",
		[SESSION_EVENT_RESUME] = "resume",
		[SESSION_EVENT_LINK] = "link",
		[SESSION_EVENT_SPEED_UNITS] = "speed-units",
		[SESSION_EVENT_SAFETY_KEY] = "safety-key",
		[SESSION_EVENT_STRETCH] = "stretch",
		[SESSION_EVENT_END] = "end",
		[SESSION_EVENT_GUIDED] = "guided",
		[SESSION_EVENT_ADVICE] = "advice",
		[SESSION_EVENT_RETRY] = "retry",
		[SESSION_EVENT_MACHINE_TARGET] = "machine-target",
		[SESSION_EVENT_EASE] = "ease",
	};

	return (unsigned) t < _SESSION_EVENT_MAX ? names[t] : "unknown";
}

const char *session_pause_to_string(enum session_pause p)
{
	switch (p) {
	case SESSION_PAUSE_USER:
		return "user";
	case SESSION_PAUSE_NO_PEDALLING:
		return "no-pedalling";
	case SESSION_PAUSE_LINK:
		return "link";
	case SESSION_PAUSE_SPEED_UNITS:
		return "speed-units";
	case SESSION_PAUSE_CONFIRM:
		return "confirm";
	case SESSION_PAUSE_IMPLAUSIBLE:
		return "implausible-data";
	case SESSION_PAUSE_MACHINE:
		return "machine";
	}
	return "unknown";
}
