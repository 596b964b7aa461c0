/* SPDX-License-Identifier: MIT */
/* The coach: one session at a time, from StartSession to the last sample. */
#include "coach.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coach-internal.h"
#include "log.h"
#include "machines.h"
#include "macro.h"
#include "storage.h"
#include "wallclock.h"

#define SHUTDOWN_LIMIT_MS 10000 /* SIGTERM waits at most this long (real time) */
#define DRAIN_MS	  300	/* let the last control point writes go out before exiting */
#define CLOSE_RETRY_MS	  10000 /* a session end the full disk refused is tried again */
#define CATCH_UP_MAX	  8	/* session seconds stepped per tick when the loop was late */

static uint64_t real_usec(void)
{
	return uv_hrtime() / 1000;
}

static uint64_t session_now(const struct coach *co)
{
	return (real_usec() - co->t0_usec) * co->config->time_scale;
}

void coach_emit_event(struct coach *co, const char *type, const char *detail)
{
	if (co->cb.event)
		co->cb.event(co->userdata, type, detail);
}

static void session_changed(struct coach *co)
{
	if (co->cb.session_changed)
		co->cb.session_changed(co->userdata);
}

static void state_changed(struct coach *co)
{
	if (co->cb.state_changed)
		co->cb.state_changed(co->userdata);
}

const struct machine_driver *coach_driver(const struct coach *co)
{
	return machines_driver(co->machines);
}

bool coach_link_up(const struct coach *co)
{
	return driver_ready(coach_driver(co));
}

/* ---- driving the machine -------------------------------------------------------------- */

int coach_write_target(struct coach *co, enum session_channel c, int32_t v)
{
	static const enum driver_target targets[_SESSION_CH_MAX] = {
		[SESSION_CH_POWER] = DRIVER_TARGET_POWER,
		[SESSION_CH_RESISTANCE] = DRIVER_TARGET_RESISTANCE,
		[SESSION_CH_SPEED] = DRIVER_TARGET_SPEED,
		[SESSION_CH_INCLINE] = DRIVER_TARGET_INCLINATION,
	};

	if ((unsigned) c >= _SESSION_CH_MAX)
		return -EINVAL;
	return driver_set_target(coach_driver(co), targets[c], v);
}

static void write_target(struct coach *co, enum session_channel c, int32_t v)
{
	/* Never write speed 0: the client clamps it to the machine's least speed, and some
	 * treadmills start on a target. The belt stops with Stop (run_changed). */
	if (c == SESSION_CH_SPEED && v <= 0)
		return;
	/* mph firmware: the engine's true km/h as mph, never faster than asked. */
	if (c == SESSION_CH_SPEED && coach_learn_speed_wire(co, v, &v) < 0)
		return;
	(void) coach_write_target(co, c, v);
}

static void apply(struct coach *co, const struct session_output *out)
{
	bool start = out->run_changed && out->run, halt = out->run_changed && !out->run;
	uint32_t changed = out->changed;

	co->run = out->run;
	if (!coach_link_up(co))
		return;
	if (start)
		(void) driver_start(coach_driver(co));
	if (start && co->targets_refused) /* refused while stopped: every one after Start */
		changed |= out->channels;
	if (start)
		co->targets_refused = false;
	/* A target the machine did not follow: control and the target once more, even unchanged
	 * (an explicit Request Control makes the client send targets again). */
	if (out->retry)
		(void) driver_request_control(coach_driver(co));
	for (int c = 0; c < _SESSION_CH_MAX; c++)
		if ((changed | out->retry) & (1u << c))
			write_target(co, (enum session_channel) c, out->target[c]);
	if (halt)
		(void) driver_stop(coach_driver(co), !out->done && out->end == SESSION_END_NONE);
}

/* The machine left alone (no session): bike to its floor, belt stopped. Never starts one. */
static void drive_safe(struct coach *co)
{
	const struct machine_info *i = &co->info;

	if (!co->has_info)
		return;
	if (i->kind == MACHINE_KIND_TREADMILL) {
		(void) driver_stop(coach_driver(co), false);
		return;
	}
	if (i->has_range[FTMS_RANGE_POWER] && (i->features.target & FTMS_TARGET_POWER))
		(void) coach_write_target(co, SESSION_CH_POWER, i->ranges[FTMS_RANGE_POWER].min);
	else if (i->has_range[FTMS_RANGE_RESISTANCE])
		(void) coach_write_target(co, SESSION_CH_RESISTANCE,
					  i->ranges[FTMS_RANGE_RESISTANCE].min);
	/* Offered without a range: what was learned, or the default's least (coach-learn.c). */
	else if (i->features.target & FTMS_TARGET_POWER)
		(void) coach_write_target(co, SESSION_CH_POWER,
					  coach_learn_floor(co, SESSION_CH_POWER));
	else if (i->features.target & FTMS_TARGET_RESISTANCE)
		(void) coach_write_target(co, SESSION_CH_RESISTANCE,
					  coach_learn_floor(co, SESSION_CH_RESISTANCE));
}

/* ---- after a session ------------------------------------------------------------------ */

static void on_idle(uv_timer_t *t)
{
	struct coach *co = t->data;

	if (coach_busy(co) || driver_link(coach_driver(co)) == DRIVER_LINK_IDLE)
		return;
	log_info("Disconnecting %s: no session for %u s ([machine] idle_disconnect_s).",
		 co->address, co->config->idle_disconnect_s);
	(void) machines_disconnect(co->machines, "");
}

/*
 * The session is over: give control back when @give_back, so that the console (and other
 * apps) can drive the machine again, and let the link go after [machine] idle_disconnect_s,
 * as most machines take one connection (which also ends control). That time is scaled like
 * session time, so a simulation runs it fast.
 */
static void release(struct coach *co, bool give_back)
{
	unsigned s = co->config->idle_disconnect_s, scale = MAX(co->config->time_scale, 1u);

	if (!coach_link_up(co))
		return;
	if (give_back)
		(void) driver_release(coach_driver(co));
	if (s > 0)
		(void) uv_timer_start(&co->idle, on_idle, MAX((uint64_t) s * 1000 / scale, 1), 0);
}

/* ---- steps ---------------------------------------------------------------------------- */

static void finish(struct coach *co, const struct session_output *out);

static void fill_input(struct coach *co, struct session_input *in)
{
	const struct br_sample *s = &co->last;
	bool fresh = co->has_sample && coach_link_up(co);

	*in = (struct session_input) {
		.link_up = coach_link_up(co),
		.safety_key = co->safety_key,
		.power_present = fresh && s->power_w != BR_NONE,
		.power_w = s->power_w,
		.cadence_present = fresh && s->cadence_hrpm != BR_NONE,
		.cadence_hrpm = s->cadence_hrpm,
		.speed_present = fresh && s->speed_ckmh != BR_NONE,
		.speed_ckmh = s->speed_ckmh,
		.hr_present = fresh && s->hr_bpm != BR_NONE,
		.hr_bpm = s->hr_bpm,
		.implausible = fresh && machines_data_implausible(co->machines),
	};
	co->safety_key = false;
}

static void events(struct coach *co, const struct session_output *out)
{
	char line[160];

	for (size_t i = 0; i < out->n_events; i++) {
		const struct session_event *e = &out->events[i];
		const char *type = session_event_type_to_string(e->type);

		coach_record_event(co, type, e->value, e->text);
		coach_guided_event(co, e);
		if (e->type == SESSION_EVENT_PAUSE && e->value == SESSION_PAUSE_IMPLAUSIBLE)
			coach_implausible_fault(co);
		if (e->type == SESSION_EVENT_PAIN)
			co->view.last_pain = e->value;
		if (e->type == SESSION_EVENT_STRETCH)
			(void) snprintf(co->view.message, sizeof(co->view.message),
					"Stretch: %s, %d s.", e->text, e->value);
		if (e->type == SESSION_EVENT_COUNTDOWN || e->type == SESSION_EVENT_STRETCH)
			continue;
		(void) snprintf(line, sizeof(line), "session %lld: %s %d%s%s", (long long) co->id,
				type, e->value, *e->text ? ", " : "", e->text);
		coach_emit_event(co, "session", line);
	}
}

/* One engine step at session time @t; a sample when @sample (the 1 Hz steps). */
static void advance(struct coach *co, uint64_t t, bool sample)
{
	struct session_input in;
	struct session_output out;

	co->now = MAX(co->now, t);
	if (co->needs_start) {
		co->needs_start = false;
		session_machine_needs_start(co->engine);
	}
	fill_input(co, &in);
	(void) session_advance(co->engine, co->now, &in, &out);
	apply(co, &out);
	/* Only a machine the session drives must keep notifying; a stopped one may go quiet. */
	driver_expect_data(coach_driver(co), out.run);
	events(co, &out);
	/* The second of this step, even when a command stepped the engine further between two
	 * late ticks: every second keeps its sample. */
	if (sample)
		coach_record_sample(co, t, &out);
	coach_view_update(co, &out);
	if (out.done)
		finish(co, &out);
	else if (sample)
		session_changed(co);
}

/* Close the session whose end could not be written because the disk was full. */
static void close_retry(struct coach *co)
{
	int r;

	co->close.tried_usec = real_usec();
	r = storage_session_end(co->storage, co->close.id, co->close.ended, co->close.reason,
				co->close.pain);
	if (r == -ENOSPC)
		return;
	if (r < 0)
		log_warning("Cannot close session %lld (%s).", (long long) co->close.id,
			    strerror(-r));
	else
		log_info("Session %lld closed now that the disk has space.",
			 (long long) co->close.id);
	co->close.id = 0;
	coach_storage_result(co, r);
	coach_tick_update(co);
}

static void on_tick(uv_timer_t *t)
{
	struct coach *co = t->data;
	uint64_t now = session_now(co);

	/* Half the period: the timer is due on the loop's cached clock, a bit early for ours. */
	if (co->close.id && real_usec() - co->close.tried_usec >= CLOSE_RETRY_MS * 500ULL)
		close_retry(co);

	if (co->fault && co->running) {
		co->fault = false;
		(void) session_stop(co->engine, co->now, SESSION_END_FAULT);
	}
	for (int n = 0; co->running && co->next_step <= now && n < CATCH_UP_MAX; n++) {
		advance(co, co->next_step, true);
		co->next_step += USEC_PER_SEC;
	}
	if (!co->running && !coach_debug_step(co))
		coach_tick_update(co);
}

static void tick_start(struct coach *co, unsigned first_ms, unsigned ms)
{
	co->tick_ms = ms;
	(void) uv_timer_start(&co->tick, on_tick, first_ms, ms);
}

void coach_tick_update(struct coach *co)
{
	unsigned ms;

	if (co->running)
		return; /* the session's steps */
	if (coach_debug_ramping(co)) {
		ms = coach_debug_period_ms(co);
		if (!uv_is_active((uv_handle_t *) &co->tick) || co->tick_ms != ms)
			tick_start(co, ms, ms);
	} else if (co->close.id) {
		if (!uv_is_active((uv_handle_t *) &co->tick) || co->tick_ms != CLOSE_RETRY_MS)
			tick_start(co, CLOSE_RETRY_MS, CLOSE_RETRY_MS);
	} else
		(void) uv_timer_stop(&co->tick);
}

static void on_guard(uv_timer_t *t);

static void finish(struct coach *co, const struct session_output *out)
{
	int32_t pain =
		co->pain_after != BR_NONE ? co->pain_after : session_get_pain_after(co->engine);
	int64_t ended = co->started_at + (int64_t) (co->now / USEC_PER_SEC) + 1;
	int r;

	coach_implausible_record(co);
	co->running = false;
	(void) uv_timer_stop(&co->tick);
	driver_expect_data(coach_driver(co), false);
	if (!coach_link_up(co)) {
		co->make_safe = true; /* nothing could be written: do it when it is back */
		memcpy(co->safe_address, co->address, sizeof(co->safe_address));
	}
	r = storage_session_end(co->storage, co->id, ended, session_end_to_string(out->end),
				pain == BR_NONE ? BR_NONE : pain);
	if (r == -ENOSPC) {
		/* Its samples wait in storage's memory queue: close it once there is space. */
		co->close.id = co->id;
		co->close.ended = ended;
		co->close.reason = session_end_to_string(out->end);
		co->close.pain = pain == BR_NONE ? BR_NONE : pain;
		co->close.tried_usec = real_usec();
		log_error("Cannot close session %lld: the disk is full. It is closed when there "
			  "is space (every %d s).",
			  (long long) co->id, CLOSE_RETRY_MS / 1000);
		tick_start(co, CLOSE_RETRY_MS, CLOSE_RETRY_MS);
	} else if (r < 0)
		log_warning("Cannot close session %lld (%s).", (long long) co->id, strerror(-r));
	log_info("Session %lld ended: %s after %u s.", (long long) co->id,
		 session_end_to_string(out->end), co->view.elapsed_s);
	co->view.message[0] = '\0';
	co->view.pain_max = session_get_pain_max(co->engine);
	/* Not when the daemon exits: the link goes with it, and with the link control. Nor
	 * after a guided session: its belt is the rider's, and a Reset may stop a moving one;
	 * control goes with the link after idle_disconnect_s. */
	if (out->end != SESSION_END_SHUTDOWN)
		release(co, !coach_guided_main(co));
	session_changed(co);
	state_changed(co);
	if (co->shutdown_done)
		(void) uv_timer_start(&co->guard, on_guard, DRAIN_MS, 0);
}

/* ---- start ---------------------------------------------------------------------------- */

static int begin(struct coach *co, const char **msg)
{
	struct session_machine m;
	struct plan_params plan;
	struct plan_reason why;
	struct envelope_limits limits;
	struct session_rules rules;
	int r;

	if (!co->has_info)
		return -ENOTCONN;
	if (coach_machine(&co->info, &m) < 0) {
		*msg = "the connected machine is neither a bike nor a treadmill";
		return -EPROTO;
	}
	coach_learn_machine(co, &m);
	co->guided_why[0] = co->guided_message[0] = '\0';
	(void) coach_guided_start(co, &co->info, co->opts.guided, &m);
	if (co->opts.kind >= 0 && co->opts.kind != (int) m.kind) {
		*msg = m.kind == SESSION_KIND_BIKE ? "the connected machine is a bike"
						   : "the connected machine is a treadmill";
		return -EINVAL;
	}
	r = coach_plan_start(co, m.kind, &plan, &why, msg);
	if (r < 0)
		return r;
	coach_plan_override(&plan, co->opts.minutes, co->opts.stretches);
	coach_limits(co->config, &limits);
	coach_rules(co->config, &rules);
	session_free(co->engine);
	co->engine = NULL;
	r = session_new(&plan, &limits, &rules, &m, co->opts.pain_before, &co->engine);
	if (r == -ERANGE)
		*msg = "the machine cannot be driven within the safety caps";
	else if (r == -EINVAL) {
		/* Not an option's fault: -EINVAL would name one. Guided mode covers the
		 * machines without a target; this is what is left. */
		*msg = "backride cannot run a session on this machine";
		r = -EPROTO;
	}
	if (r < 0)
		return r;
	co->started_at = wallclock_now();
	r = coach_record_begin(co, &m, &plan);
	if (r < 0) {
		*msg = "cannot record the session in the database";
		return r;
	}
	coach_debug_machine(co, NULL); /* the session drives the machine now */
	log_info("Session %lld: %s, %u min planned (%s).", (long long) co->id,
		 session_kind_to_string(m.kind), session_get_planned_s(co->engine) / 60,
		 plan_reason_code_to_string(why.code));
	coach_guided_begin(co);
	coach_view_begin(co, &m);
	co->view.hr_cap_bpm = rules.hr_max_bpm;
	co->running = true;
	co->pain_after = BR_NONE;
	co->fault = false;
	co->cp_failures = 0;
	co->needs_start = co->start_tried = co->run = co->targets_refused = false;
	memset(co->implausible_pending, 0, sizeof(co->implausible_pending));
	co->implausible_at = UINT64_MAX;
	co->distance0 = co->has_sample ? co->last.distance_m : BR_NONE;
	co->t0_usec = real_usec();
	co->now = 0;
	co->note_until = 0;
	co->next_step = USEC_PER_SEC;
	coach_learn_begun(co);
	r = co->cb.session_begun ? co->cb.session_begun(co->userdata) : 0;
	if (r < 0)
		log_warning("Cannot export Session1 (%s).", strerror(-r));
	advance(co, 0, true);
	state_changed(co);
	co->tick_ms = MAX(1000 / co->config->time_scale / 2, 1u);
	return uv_timer_start(&co->tick, on_tick, 0, co->tick_ms);
}

static void on_connected(void *userdata, int error, const char *message)
{
	struct coach *co = userdata;
	const char *msg = message;

	co->starting = false;
	if (co->freeing)
		return;
	if (error >= 0) {
		msg = NULL;
		error = begin(co, &msg);
		if (error < 0) /* connected for nothing (the kind does not fit...): as after one */
			release(co, true);
	}
	if (co->start_done)
		co->start_done(co->start_userdata, error, msg);
}

int coach_start(struct coach *co, const struct coach_start_options *o, coach_done_fn done,
		void *userdata)
{
	struct machines_connect_request req = {
		.kind = o->kind == SESSION_KIND_BIKE	    ? MACHINE_KIND_BIKE
			: o->kind == SESSION_KIND_TREADMILL ? MACHINE_KIND_TREADMILL
							    : MACHINE_KIND_UNKNOWN,
		.take_over = true, /* no session uses the machine connected now */
	};
	int r;

	if (co->running || co->starting)
		return -EBUSY;
	co->opts = *o;
	co->start_done = done;
	co->start_userdata = userdata;
	co->starting = true;
	(void) uv_timer_stop(&co->idle);
	memcpy(req.address, o->address, sizeof(req.address));
	r = machines_connect_request(co->machines, &req, on_connected, co);
	if (r < 0) {
		co->starting = false;
		return r == -EALREADY ? -EBUSY : r;
	}
	return 0;
}

/* ---- commands ------------------------------------------------------------------------- */

int coach_command(struct coach *co, int r)
{
	if (r >= 0)
		advance(co, session_now(co), false);
	return r;
}

int coach_pause(struct coach *co)
{
	return co->running ? coach_command(co, session_pause(co->engine, co->now)) : -ENOTCONN;
}

int coach_resume(struct coach *co)
{
	if (!co->running)
		return -ENOTCONN;
	/* Resuming into garbage would pause again at once: say so instead. Its latest records
	 * decide, however seldom they come. */
	if (machines_data_still_bad(co->machines))
		return -EBADMSG;
	return coach_command(co, session_resume(co->engine, co->now));
}

int coach_confirm_belt(struct coach *co)
{
	return co->running ? coach_command(co, session_confirm_belt(co->engine, co->now))
			   : -ENOTCONN;
}

int coach_report_pain(struct coach *co, int32_t pain)
{
	if (pain < 0 || pain > 10)
		return -EINVAL;
	return co->running ? coach_command(co, session_report_pain(co->engine, co->now, pain))
			   : -ENOTCONN;
}

int coach_ease(struct coach *co)
{
	return co->running ? coach_command(co, session_ease(co->engine, co->now)) : -ENOTCONN;
}

int coach_stop(struct coach *co, int32_t pain_after)
{
	int r;

	if (!co->running)
		return -ENOTCONN;
	if (pain_after != BR_NONE && (pain_after < 0 || pain_after > 10))
		return -EINVAL;
	r = session_stop(co->engine, co->now, SESSION_END_USER_STOP);
	if (r < 0 && r != -EALREADY)
		return r;
	if (pain_after != BR_NONE) {
		co->pain_after = pain_after;
		co->view.last_pain = pain_after;
		coach_record_event(co, "pain", pain_after, "after");
	}
	return coach_command(co, 0);
}

bool coach_running(const struct coach *co)
{
	return co->running;
}

bool coach_busy(const struct coach *co)
{
	return co->running || co->starting;
}

const struct coach_view *coach_view(const struct coach *co)
{
	return co->has_view ? &co->view : NULL;
}

/* ---- shutdown ------------------------------------------------------------------------- */

static void on_guard(uv_timer_t *t)
{
	struct coach *co = t->data;
	void (*done)(void *) = co->shutdown_done;
	struct session_output out = { .end = SESSION_END_SHUTDOWN, .done = true };

	if (co->running) {
		/* The belt did not stop in time: stop it hard rather than leave it running. */
		log_warning("The machine did not reach a safe state in time; stopping it.");
		if (coach_link_up(co))
			drive_safe(co);
		finish(co, &out);
		return; /* finish() started the drain */
	}
	co->shutdown_done = NULL;
	if (done)
		done(co->shutdown_userdata);
}

int coach_shutdown(struct coach *co, void (*done)(void *userdata), void *userdata)
{
	int r;

	if (!co->running)
		return 0;
	if (co->shutdown_done)
		return 1;
	co->shutdown_done = done;
	co->shutdown_userdata = userdata;
	log_info("Bringing the machine to a safe state before exiting.");
	r = session_stop(co->engine, co->now, SESSION_END_SHUTDOWN);
	(void) coach_command(co, r == -EALREADY ? 0 : r);
	if (co->running)
		(void) uv_timer_start(&co->guard, on_guard, SHUTDOWN_LIMIT_MS, 0);
	return 1;
}

/* ---- from the BlueZ client ------------------------------------------------------------ */

void coach_machine_ready(struct coach *co, const struct machine_info *info)
{
	co->info = *info;
	(void) snprintf(co->address, sizeof(co->address), "%s", info->address);
	(void) snprintf(co->name, sizeof(co->name), "%s", info->name ? info->name : "");
	co->info.address = co->address;
	co->info.name = co->name;
	co->has_info = true;
	co->has_sample = false;
	co->control_refused = 0;
}

void coach_link_changed(struct coach *co, enum link_role role, enum link_state st)
{
	bool ready = st == LINK_STATE_READY && co->has_info;

	if (role != LINK_ROLE_MACHINE)
		return;
	/* Debug1 targets have their own envelope: never while a session has the machine. */
	coach_debug_machine(co, ready && !co->running ? &co->info : NULL);
	if (st != LINK_STATE_READY)
		return;
	/* Only the machine that was left driven: another one connecting first is not it. */
	if (!co->running && co->make_safe &&
	    (!*co->safe_address || strcmp(co->address, co->safe_address) == 0)) {
		log_info("Bringing %s to a safe state after an interrupted session.", co->address);
		drive_safe(co);
		co->make_safe = false;
		/* Left at its floor: the state is known then. Control goes with the link. */
		release(co, false);
	}
}

void coach_sample(struct coach *co, const struct br_sample *s, uint32_t dropped,
		  const char *example)
{
	co->last = *s;
	co->has_sample = true;
	if (dropped && co->running)
		coach_implausible_count(co, dropped, example);
}

static void noop_done(void *userdata, int error, const char *message);

void coach_bluez_changed(struct coach *co, bool up)
{
	/* After a crash coach_new() reconnects the machine, but BlueZ may not be known yet. */
	if (up && !co->running && co->make_safe)
		(void) machines_connect(co->machines, co->safe_address, noop_done, NULL);
}

void coach_event(struct coach *co, const struct driver_event *e)
{
	/* Control results, link and faults go with the session too; not status echoes, nor
	 * targets the machine accepted (the samples' target columns have them). */
	if (co->running && !e->echo && e->type != DRIVER_EVENT_BLUEZ)
		coach_record_event(co, driver_event_type_to_string(e->type), BR_NONE, e->detail);
}

/* ---- setup ---------------------------------------------------------------------------- */

static void on_machine_ready(void *userdata, const struct machine_info *info)
{
	coach_machine_ready(userdata, info);
}

static void on_link_changed(void *userdata, enum link_role role, enum link_state st)
{
	coach_link_changed(userdata, role, st);
}

static void on_sample(void *userdata, const struct br_sample *s, uint32_t dropped,
		      const char *example)
{
	coach_sample(userdata, s, dropped, example);
}

static void on_cp_result(void *userdata, const struct ftms_cp_request *req, int outcome, bool final)
{
	coach_cp_result(userdata, req, outcome, final);
}

static void on_bluez_changed(void *userdata, bool up)
{
	coach_bluez_changed(userdata, up);
}

static void on_machine_status(void *userdata, const struct ftms_machine_status *st)
{
	coach_machine_status(userdata, st);
}

static void on_event(void *userdata, const struct driver_event *e)
{
	coach_event(userdata, e);
}

static const struct machines_listener listener = {
	.machine_ready = on_machine_ready,
	.link_changed = on_link_changed,
	.sample = on_sample,
	.cp_result = on_cp_result,
	.bluez_changed = on_bluez_changed,
	.machine_status = on_machine_status,
	.event = on_event,
};

static void noop_done(void *userdata, int error, const char *message)
{
}

int coach_new(uv_loop_t *loop, const struct config *config, struct storage *storage,
	      struct machines *machines, const struct coach_callbacks *cb, void *userdata,
	      struct coach **ret)
{
	struct coach *co;

	co = calloc(1, sizeof(*co));
	if (!co)
		return -ENOMEM;
	co->loop = loop;
	co->config = config;
	co->storage = storage;
	co->machines = machines;
	co->cb = *cb;
	co->userdata = userdata;
	co->pain_after = BR_NONE;
	(void) uv_timer_init(loop, &co->tick);
	(void) uv_timer_init(loop, &co->guard);
	(void) uv_timer_init(loop, &co->idle);
	co->tick.data = co->guard.data = co->idle.data = co;
	co->open_handles = 3;
	coach_recover(co);
	/* Reconnect the machine a crash left driven, to bring it to a safe state. */
	if (co->make_safe)
		(void) machines_connect(machines, co->safe_address, noop_done, NULL);
	machines_listen(machines, &listener, co);
	*ret = co;
	return 0;
}

static void on_closed(uv_handle_t *h)
{
	struct coach *co = h->data;

	if (--co->open_handles == 0)
		free(co);
}

void coach_free(struct coach *co)
{
	if (!co)
		return;
	machines_listen(co->machines, NULL, NULL);
	if (co->running) {
		struct session_output out = { .end = SESSION_END_SHUTDOWN, .done = true };

		co->shutdown_done = NULL;
		finish(co, &out);
	}
	if (co->close.id)
		log_warning("Session %lld could not be closed (the disk is full); the next start "
			    "marks it interrupted.",
			    (long long) co->close.id);
	co->freeing = true;
	if (co->starting && co->start_done)
		co->start_done(co->start_userdata, -ECANCELED, "the daemon is stopping");
	co->start_done = NULL;
	session_free(co->engine);
	co->engine = NULL;
	uv_close((uv_handle_t *) &co->tick, on_closed);
	uv_close((uv_handle_t *) &co->guard, on_closed);
	uv_close((uv_handle_t *) &co->idle, on_closed);
}

int coach_checkin(struct coach *co, int32_t pain)
{
	time_t now = (time_t) wallclock_now();
	char day[STORAGE_DAY_MAX];
	struct tm tm;

	if (pain < 0 || pain > 10)
		return -EINVAL;
	if (!localtime_r(&now, &tm) || strftime(day, sizeof(day), "%Y-%m-%d", &tm) == 0)
		return -EINVAL;
	return storage_checkin_add(co->storage, day, pain, (int64_t) now);
}

int coach_next_plan(struct coach *co, enum session_kind kind, struct plan_params *ret,
		    struct plan_reason *why)
{
	return coach_plan_next(co->storage, co->config, kind, ret, why);
}
