/* SPDX-License-Identifier: MIT */
/* The coach's records (samples, events) and the view Session1 shows. */
#include "coach-internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "macro.h"
#include "storage.h"

/* ---- recording ------------------------------------------------------------------------ */

void coach_record_event(struct coach *co, const char *type, int32_t value, const char *detail)
{
	struct storage_event e = {
		.session_id = co->id,
		.ts_usec = co->started_at * (int64_t) USEC_PER_SEC + (int64_t) co->now,
		.t = (int32_t) (co->now / USEC_PER_SEC),
		.type = type,
		.value = value,
		.detail = detail && *detail ? detail : NULL,
	};
	int r;

	r = storage_event_add(co->storage, &e);
	coach_storage_result(co, r);
	if (r < 0 && r != -ENOSPC && r != -ENOBUFS)
		log_warning("Cannot record a session event (%s).", strerror(-r));
}

#define DISK_FULL_MESSAGE                                                                    \
	"The disk is full: the session goes on and is kept in memory (up to an hour) until " \
	"there is space again."

void coach_storage_result(struct coach *co, int r)
{
	if (r == -ENOSPC || r == -ENOBUFS) {
		if (r == -ENOBUFS && !co->rows_lost) {
			co->rows_lost = true;
			log_error("The disk is still full and an hour of the session is waiting in "
				  "memory; newer samples are being lost.");
			coach_emit_event(co, "fault",
					 "storage: disk full for an hour, samples are being lost");
		}
		if (co->disk_full)
			return;
		co->disk_full = true;
		log_error("Cannot write the database: the disk is full. The session goes on; its "
			  "samples wait in memory (up to an hour) until there is space.");
		coach_emit_event(co, "fault",
				 "storage: the disk is full; samples wait in memory until there "
				 "is space");
		return;
	}
	if (r < 0 || !co->disk_full)
		return;
	co->disk_full = false;
	log_info("The database has space again; recording resumed%s.",
		 co->rows_lost ? " (some samples were lost)" : " with nothing lost");
	coach_emit_event(co, "fault",
			 co->rows_lost ? "storage: recording resumed; some samples were lost"
				       : "storage: recording resumed; nothing lost");
	co->rows_lost = false;
}

static int32_t metric(struct coach *co, int32_t v)
{
	return co->has_sample && coach_link_up(co) && v != BR_NONE ? v : BR_NONE;
}

static int32_t target_of(const struct session_output *out, enum session_channel c)
{
	return out->channels & (1u << c) ? out->target[c] : BR_NONE;
}

void coach_record_sample(struct coach *co, uint64_t t, const struct session_output *out)
{
	struct storage_sample x;
	int32_t d = metric(co, co->last.distance_m);
	int r;

	if (co->distance0 == BR_NONE)
		co->distance0 = d == BR_NONE ? BR_NONE : d; /* the first value seen */
	storage_sample_init(&x);
	x.session_id = co->id;
	x.t = (uint32_t) (t / USEC_PER_SEC);
	x.phase = (uint8_t) out->phase;
	x.power_w = metric(co, co->last.power_w);
	x.cadence_hrpm = metric(co, co->last.cadence_hrpm);
	x.speed_ckmh = metric(co, co->last.speed_ckmh);
	if (d != BR_NONE && co->distance0 != BR_NONE)
		x.distance_m = MAX(d - co->distance0, 0);
	x.hr_bpm = metric(co, co->last.hr_bpm);
	x.incline_dpct = metric(co, co->last.incline_dpct);
	x.resistance_d = metric(co, co->last.resistance);
	x.target_power_w = target_of(out, SESSION_CH_POWER);
	x.target_resistance_d = target_of(out, SESSION_CH_RESISTANCE);
	x.target_speed_ckmh = target_of(out, SESSION_CH_SPEED);
	x.target_incline_dpct = target_of(out, SESSION_CH_INCLINE);
	r = storage_sample_append(co->storage, &x);
	coach_storage_result(co, r);
	if (r < 0 && r != -ENOSPC && r != -ENOBUFS)
		log_warning("Cannot record a sample (%s).", strerror(-r));
}

/* ---- implausible data ----------------------------------------------------------------- */

#define IMPLAUSIBLE_EVENT_USEC (60 * USEC_PER_SEC)

void coach_implausible_count(struct coach *co, uint32_t dropped, const char *example)
{
	for (int f = 0; f < _PLAUSIBLE_FIELD_MAX; f++)
		if (dropped & (1u << f)) {
			co->view.implausible[f]++;
			co->implausible_pending[f]++;
		}
	(void) snprintf(co->implausible_example, sizeof(co->implausible_example), "%s",
			example ? example : "");
	if (co->implausible_at == UINT64_MAX ||
	    co->now - co->implausible_at >= IMPLAUSIBLE_EVENT_USEC)
		coach_implausible_record(co);
}

void coach_implausible_record(struct coach *co)
{
	/* Room for every field with a 10-digit count and the example: never truncated. */
	char detail[24 + _PLAUSIBLE_FIELD_MAX * 28 + sizeof(co->implausible_example) + 16];
	int32_t total = 0;
	size_t n = 0;

	for (int f = 0; f < _PLAUSIBLE_FIELD_MAX; f++) {
		if (!co->implausible_pending[f])
			continue;
		n += (size_t) snprintf(detail + n, sizeof(detail) - n, "%s %s %u",
				       total ? "," : "dropped as implausible:",
				       plausible_field_to_string((enum plausible_field) f),
				       co->implausible_pending[f]);
		total += (int32_t) co->implausible_pending[f];
		co->implausible_pending[f] = 0;
	}
	if (!total)
		return;
	(void) snprintf(detail + n, sizeof(detail) - n, " (last: %s)", co->implausible_example);
	co->implausible_at = co->now;
	coach_record_event(co, "implausible", total, detail);
}

void coach_implausible_fault(struct coach *co)
{
	char text[128];

	coach_implausible_record(co);
	(void) snprintf(text, sizeof(text), "the machine sends implausible data (%s); paused",
			co->implausible_example);
	log_warning("Session %lld: %s.", (long long) co->id, text);
	coach_record_event(co, "fault", BR_NONE, text);
	coach_emit_event(co, "fault", text);
}

/* ---- the view Session1 shows ---------------------------------------------------------- */

static const char *pause_message(uint32_t paused, bool mph)
{
	if ((paused & SESSION_PAUSE_SPEED_UNITS) && mph)
		return "The belt runs at about 0.6 times the target: the treadmill reads km/h "
		       "after all? 'backride speed-unit kmh' if so, else 'backride resume'.";
	if (paused & SESSION_PAUSE_SPEED_UNITS)
		return "The treadmill seems to read speeds in mph (1.6 times too fast): "
		       "'backride speed-unit mph' if so, else check it and 'backride resume'.";
	if (paused & SESSION_PAUSE_LINK)
		return "The machine's link is lost; reconnecting. The session goes on at a lower "
		       "level once it is back.";
	if (paused & SESSION_PAUSE_MACHINE)
		return "Stopped at the machine: the session is paused. Start the machine, or "
		       "'backride resume', to go on gently.";
	if (paused & SESSION_PAUSE_CONFIRM)
		return "The belt stopped; make sure you stand safely, then 'backride resume'.";
	if (paused & SESSION_PAUSE_NO_PEDALLING)
		return "Paused: no pedalling. Pedal again to go on.";
	if (paused & SESSION_PAUSE_USER)
		return "Paused. 'backride resume' goes on gently.";
	return "";
}

static void view_pauses(struct coach_view *v, uint32_t paused)
{
	size_t n = 0;

	v->pause_reason[0] = '\0';
	for (uint32_t bit = 1; bit <= SESSION_PAUSE_MACHINE; bit <<= 1)
		if (paused & bit)
			n += (size_t) snprintf(v->pause_reason + n, sizeof(v->pause_reason) - n,
					       "%s%s", n ? "," : "",
					       session_pause_to_string((enum session_pause) bit));
	v->paused = paused != 0;
}

void coach_view_update(struct coach *co, const struct session_output *out)
{
	struct coach_view *v = &co->view;

	v->phase = session_phase_to_string(out->phase);
	v->elapsed_s = (uint32_t) (out->elapsed_usec / USEC_PER_SEC);
	v->remaining_s = (uint32_t) ((out->remaining_usec + USEC_PER_SEC - 1) / USEC_PER_SEC);
	v->channels = out->channels;
	memcpy(v->target, out->target, sizeof(v->target));
	if (co->has_sample && coach_link_up(co))
		v->live = co->last;
	else
		br_sample_init(&v->live);
	v->pain_max = session_get_pain_max(co->engine);
	view_pauses(v, out->paused);
	v->end_reason = out->end == SESSION_END_NONE ? "" : session_end_to_string(out->end);
	v->guided = out->guided != 0;
	(void) snprintf(v->advice, sizeof(v->advice), "%s", out->advice);
	if (out->phase == SESSION_PHASE_WAITING && !out->paused && !out->guided)
		(void) snprintf(
			v->message, sizeof(v->message), "%s",
			"The belt waits for your confirmation: stand on the side rails, then "
			"'backride resume' starts it after a countdown.");
	else if (out->paused & SESSION_PAUSE_IMPLAUSIBLE)
		(void) snprintf(v->message, sizeof(v->message),
				"The machine sends implausible data (%s); paused. Check it, then "
				"'backride resume'.",
				co->implausible_example);
	else if (out->phase != SESSION_PHASE_DONE && out->phase != SESSION_PHASE_STRETCHES)
		(void) snprintf(v->message, sizeof(v->message), "%s",
				pause_message(out->paused, co->learn.mph));
	if (!v->message[0] && co->now < co->note_until)
		(void) snprintf(v->message, sizeof(v->message), "%s", co->note);
	if (v->guided && !v->message[0] && out->phase != SESSION_PHASE_DONE)
		(void) snprintf(v->message, sizeof(v->message), "%s", co->guided_message);
	if (co->disk_full && !v->message[0])
		(void) snprintf(v->message, sizeof(v->message), "%s", DISK_FULL_MESSAGE);
}

/* ---- a session begins ------------------------------------------------------------------ */

static int32_t resistance_units(const struct session_machine *m, int32_t pct)
{
	const struct ftms_range *r = &m->range[SESSION_CH_RESISTANCE];

	return r->min + (int32_t) ((int64_t) (r->max - r->min) * pct / 100);
}

int coach_record_begin(struct coach *co, const struct session_machine *m,
		       const struct plan_params *p)
{
	enum session_channel main = session_get_main_channel(co->engine);
	struct storage_machine sm;
	struct storage_session_plan sp = {
		.kind = m->kind == SESSION_KIND_BIKE ? STORAGE_KIND_BIKE : STORAGE_KIND_TREADMILL,
		.profile = "gentle",
		.started_at = co->started_at,
		.planned_s = session_get_planned_s(co->engine),
		.warmup_s = p->warmup_s,
		.cooldown_s = p->cooldown_s,
		.target_power_w = main == SESSION_CH_POWER ? p->power_w : BR_NONE,
		.target_resistance_d = main == SESSION_CH_RESISTANCE
					       ? resistance_units(m, p->resistance_pct)
					       : BR_NONE,
		.target_speed_ckmh = main == SESSION_CH_SPEED ? p->speed_ckmh : BR_NONE,
		.target_incline_dpct =
			m->has[SESSION_CH_INCLINE] && m->kind == SESSION_KIND_TREADMILL
				? p->incline_dpct
				: BR_NONE,
		.pain_before = co->opts.pain_before == BR_NONE ? BR_NONE : co->opts.pain_before,
	};

	if (storage_machine_get(co->storage, co->address, &sm) >= 0)
		sp.machine_id = sm.id;
	return storage_session_begin(co->storage, &sp, &co->id);
}

void coach_view_begin(struct coach *co, const struct session_machine *m)
{
	co->view = (struct coach_view) {
		.id = co->id,
		.kind = session_kind_to_string(m->kind),
		.planned_s = session_get_planned_s(co->engine),
		.pain_before = session_get_pain_before(co->engine),
		.last_pain = BR_NONE,
		.end_reason = "",
	};
	co->has_view = true;
}
