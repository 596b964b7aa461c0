/* SPDX-License-Identifier: MIT */
/*
 * Guided mode in the coach: when a session is guided and why (asked, no control point, control
 * refused, no target backride can set, a target the machine ignores), the sentence that names
 * the cause, the record, the log. The engine (daemon/session/engine-guided.c) runs the plan and
 * gives the advice.
 */
#include <stdio.h>
#include <string.h>

#include "coach-internal.h"
#include "log.h"
#include "macro.h"

#define BIT(c) (1u << (c))

static const char *machine_word(enum session_kind k)
{
	return k == SESSION_KIND_BIKE ? "bike" : "treadmill";
}

static const char *targets_word(enum session_kind k)
{
	return k == SESSION_KIND_BIKE ? "power or resistance" : "speed";
}

/* The channel a machine that offers none is guided on: its power (the watts most bikes show),
 * else its resistance levels; a belt's speed. Ranges are the machine's where it has them. */
static void guided_channel(const struct machine_info *info, struct session_machine *m)
{
	enum session_channel c = SESSION_CH_SPEED;
	enum ftms_range_kind k = FTMS_RANGE_SPEED;
	struct ftms_range fallback = { 100, 2000, 10 };

	if (m->kind == SESSION_KIND_BIKE) {
		if (m->has[SESSION_CH_POWER] || m->has[SESSION_CH_RESISTANCE])
			return;
		c = SESSION_CH_POWER;
		k = FTMS_RANGE_POWER;
		fallback = (struct ftms_range) { 0, 2000, 1 };
		if (!(info->features.machine & FTMS_FEAT_POWER) &&
		    info->has_range[FTMS_RANGE_RESISTANCE]) {
			c = SESSION_CH_RESISTANCE;
			k = FTMS_RANGE_RESISTANCE;
		}
	} else if (m->has[SESSION_CH_SPEED])
		return;
	m->has[c] = true;
	m->range[c] = info->has_range[k] ? info->ranges[k] : fallback;
}

static bool drivable(const struct session_machine *m)
{
	if (m->kind == SESSION_KIND_BIKE)
		return m->has[SESSION_CH_POWER] || m->has[SESSION_CH_RESISTANCE];
	return m->has[SESSION_CH_SPEED];
}

bool coach_guided_start(struct coach *co, const struct machine_info *info, bool asked,
			struct session_machine *m)
{
	const char *what = machine_word(m->kind), *set = targets_word(m->kind), *code;
	char *msg = co->guided_message;
	size_t n = sizeof(co->guided_message);

	if (asked) {
		code = "asked";
		(void) snprintf(msg, n,
				"Guided mode, as asked: backride sets nothing on the %s; "
				"follow the advice.",
				what);
	} else if (info->protocol == MACHINE_PROTOCOL_CYCLING_POWER ||
		   info->protocol == MACHINE_PROTOCOL_CSC) {
		code = "no-control-point";
		(void) snprintf(msg, n,
				"This bike has only %s, which backride reads but cannot set: "
				"guided mode, follow the advice.",
				info->protocol == MACHINE_PROTOCOL_CSC
					? "a speed and cadence sensor"
					: "a power meter");
	} else if (!info->has_control) {
		code = "no-control-point";
		(void) snprintf(msg, n,
				"This %s does not let backride set its %s (it has no FTMS "
				"control point): guided mode, follow the advice.",
				what, set);
	} else if (co->control_refused) {
		code = "control-refused";
		(void) snprintf(msg, n,
				"This %s refuses control (%s), so backride cannot set its %s: "
				"guided mode, follow the advice.",
				what, ftms_cp_result_to_string((uint8_t) co->control_refused), set);
	} else if (!drivable(m)) {
		code = "no-target";
		(void) snprintf(msg, n,
				"This %s does not let backride set its %s (it offers no such "
				"target): guided mode, follow the advice.",
				what, set);
	} else
		return false;
	(void) snprintf(co->guided_why, sizeof(co->guided_why), "%s", code);
	guided_channel(info, m);
	return true;
}

bool coach_guided_main(const struct coach *co)
{
	return co->engine &&
	       (session_get_guided(co->engine) & BIT(session_get_main_channel(co->engine)));
}

bool coach_guided_all(const struct coach *co)
{
	return co->running && coach_guided_main(co);
}

/* Record why the session is guided (once) and say so in the log. */
static void guided_record(struct coach *co, const char *code)
{
	int r;

	if (!co->guided_why[0])
		(void) snprintf(co->guided_why, sizeof(co->guided_why), "%s", code);
	r = storage_session_set_guided(co->storage, co->id, co->guided_why);
	if (r < 0)
		log_warning("Cannot mark session %lld guided (%s).", (long long) co->id,
			    strerror(-r));
	log_warning("Session %lld: %s", (long long) co->id, co->guided_message);
}

void coach_guided_begin(struct coach *co)
{
	if (!co->guided_why[0] || session_guide(co->engine, 0, ~0u, co->guided_why) < 0)
		return;
	guided_record(co, co->guided_why);
}

void coach_guide(struct coach *co, const char *code, const char *text)
{
	int r;

	if (!co->running)
		return;
	r = session_guide(co->engine, co->now, ~0u, code);
	if (r < 0)
		return; /* guided already, or over */
	(void) snprintf(co->guided_message, sizeof(co->guided_message), "%s", text);
	guided_record(co, code);
	/* Shown at once; the advice follows with the next step (not stepped from here: this may
	 * run inside the BlueZ client's callback). */
	co->view.guided = 1;
	(void) snprintf(co->view.message, sizeof(co->view.message), "%s", text);
}

void coach_control_refused(struct coach *co, int result)
{
	enum session_kind k;
	char text[160];

	co->control_refused = result;
	if (!co->running || coach_guided_all(co))
		return;
	k = co->info.kind == MACHINE_KIND_BIKE ? SESSION_KIND_BIKE : SESSION_KIND_TREADMILL;
	(void) snprintf(text, sizeof(text),
			"This %s refuses control (%s), so backride cannot set its %s: guided "
			"mode, follow the advice.",
			machine_word(k), ftms_cp_result_to_string((uint8_t) result),
			targets_word(k));
	coach_guide(co, "control-refused", text);
}

void coach_guided_event(struct coach *co, const struct session_event *e)
{
	enum session_kind k =
		co->info.kind == MACHINE_KIND_BIKE ? SESSION_KIND_BIKE : SESSION_KIND_TREADMILL;

	if (e->type == SESSION_EVENT_ADVICE || e->type == SESSION_EVENT_RETRY)
		log_info("Session %lld: %s.", (long long) co->id, e->text);
	/* Asked or found by the coach: told already. Else the engine found a target ignored. */
	if (e->type != SESSION_EVENT_GUIDED || co->guided_why[0])
		return;
	(void) snprintf(co->guided_message, sizeof(co->guided_message),
			"This %s ignores the %s backride sets (%s): guided mode, follow the "
			"advice.",
			machine_word(k), targets_word(k), e->text);
	guided_record(co, "target-ignored");
}
