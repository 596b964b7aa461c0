/* SPDX-License-Identifier: MIT */
/*
 * org.backride.Debug1 at /org/backride/debug, exported only with [debug] targets = yes:
 * control point commands straight to the connected machine, for integration tests of the
 * control point layer. Targets pass the safety envelope a session's do (envelope.h: [safety]
 * caps and rates, time scaled by [daemon] time_scale): one envelope per ready machine link,
 * every channel primed at its floor, so a big step reaches the machine as a ramp that a timer
 * steps once a (scaled) second. While a session drives the machine, and after one until the
 * link is ready again, Debug1 sends no targets: two envelopes on one machine would add up.
 */
#include "api-private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "backride-dbus.h"
#include "bluez.h"
#include "coach.h"
#include "log.h"
#include "machines.h"
#include "macro.h"
#include "manager.h"

#define STEP_MIN_MS 20 /* the ramp timer never fires more often than this (real time) */

struct api_debug {
	struct api *api;
	uv_timer_t tick; /* set up with the first machine, which brings the loop */
	bool has_tick;
	bool ready;  /* the envelope belongs to the machine whose link is ready */
	int why_not; /* when not ready: -EBUSY (a session took the machine) or envelope_init()'s */
	char address[BLUEZ_ADDRESS_MAX];
	struct envelope env;
	uint64_t t0;			/* real µs at envelope time 0 */
	int32_t value[_SESSION_CH_MAX]; /* the envelope's last value: sent, or the primed floor */
	int32_t goal[_SESSION_CH_MAX];	/* the request, clamped, capped and rounded */
	bool ramp[_SESSION_CH_MAX];	/* still stepping toward goal */
};

static const char *const channel_names[_SESSION_CH_MAX] = {
	[SESSION_CH_POWER] = "power",
	[SESSION_CH_RESISTANCE] = "resistance",
	[SESSION_CH_SPEED] = "speed",
	[SESSION_CH_INCLINE] = "inclination",
};

static int channel_from_name(const char *name)
{
	for (int c = 0; c < _SESSION_CH_MAX; c++)
		if (strcmp(name, channel_names[c]) == 0)
			return c;
	return -EINVAL;
}

/* Envelope time: real time since the link was ready, scaled as session time is. */
static uint64_t debug_now(const struct api_debug *d)
{
	return (uv_hrtime() / 1000 - d->t0) * manager_config(d->api->manager)->time_scale;
}

static struct bluez *debug_bz(const struct api_debug *d)
{
	struct machines *mc = manager_machines(d->api->manager);

	return mc ? machines_bluez(mc) : NULL;
}

/* Return: as bluez_set_target_*(): 0 queued, 1 skipped, -errno. */
static int debug_write(struct api_debug *d, enum session_channel c, int32_t v)
{
	struct bluez *b = debug_bz(d);

	if (!b)
		return -ENOTCONN;
	switch (c) {
	case SESSION_CH_POWER:
		return bluez_set_target_power(b, v);
	case SESSION_CH_RESISTANCE:
		return bluez_set_target_resistance(b, v);
	case SESSION_CH_SPEED:
		/* 0 is a stopped belt, which no target expresses (the client would clamp it to
		 * the least speed): Command stop stops it. Requests never ask for 0. */
		return v > 0 ? bluez_set_target_speed(b, v) : 1;
	case SESSION_CH_INCLINE:
		return bluez_set_target_inclination(b, v);
	case _SESSION_CH_MAX:
		break;
	}
	return -EINVAL;
}

static void step(struct api_debug *d, enum session_channel c, uint64_t now)
{
	int32_t v = envelope_apply(&d->env, c, now, d->goal[c]);
	int r;

	d->ramp[c] = v != d->goal[c];
	if (v == d->value[c])
		return;
	d->value[c] = v;
	r = debug_write(d, c, v);
	if (r < 0)
		log_debug("Debug1: cannot send %s %d (%s).", channel_names[c], v, strerror(-r));
}

static void on_tick(uv_timer_t *t)
{
	struct api_debug *d = t->data;
	uint64_t now = debug_now(d);
	bool more = false;

	for (int c = 0; c < _SESSION_CH_MAX; c++) {
		if (d->ramp[c])
			step(d, (enum session_channel) c, now);
		more = more || d->ramp[c];
	}
	if (!more)
		(void) uv_timer_stop(t);
}

static void ramp_start(struct api_debug *d)
{
	unsigned scale = manager_config(d->api->manager)->time_scale;
	uint64_t ms = MAX(1000 / scale, (unsigned) STEP_MIN_MS);

	if (!uv_is_active((uv_handle_t *) &d->tick))
		(void) uv_timer_start(&d->tick, on_tick, ms, ms);
}

/* Re-base channel @c at @v (a known machine state, not a command) and end its ramp. */
static void channel_reset(struct api_debug *d, enum session_channel c, uint64_t now, int32_t v)
{
	envelope_reset(&d->env, c, now, v);
	d->value[c] = d->goal[c] = d->env.ch[c].value;
	d->ramp[c] = false;
}

static void debug_setup(struct api_debug *d, const struct bluez_machine_info *info)
{
	struct session_machine m;
	struct envelope_limits l;
	int r;

	r = coach_machine(info, &m);
	if (r >= 0) {
		coach_limits(manager_config(d->api->manager), &l);
		r = envelope_init(&d->env, &l, &m);
	}
	if (r < 0) {
		log_info("Debug1: %s cannot be driven within the safety envelope (%s).",
			 info->address, strerror(-r));
		d->why_not = r;
		return;
	}
	d->t0 = uv_hrtime() / 1000;
	/* The machine's state is unknown: count from the floor, so the first step is gentle. */
	for (int c = 0; c < _SESSION_CH_MAX; c++)
		if (d->env.ch[c].used)
			channel_reset(d, (enum session_channel) c, 0,
				      envelope_floor(&d->env, (enum session_channel) c));
	(void) snprintf(d->address, sizeof(d->address), "%s", info->address);
	d->ready = true;
}

void api_debug_machine(struct api *a, uv_loop_t *loop, const struct bluez_machine_info *info)
{
	struct api_debug *d = a->debug;

	if (!d)
		return;
	if (!d->has_tick) {
		(void) uv_timer_init(loop, &d->tick);
		d->tick.data = d;
		d->has_tick = true;
	}
	if (info && d->ready && strcmp(info->address, d->address) == 0)
		return; /* the same link: its ramps go on */
	d->ready = false;
	d->why_not = -EBUSY;
	memset(d->ramp, 0, sizeof(d->ramp));
	(void) uv_timer_stop(&d->tick);
	if (info)
		debug_setup(d, info);
}

/*
 * Pass @value through the envelope: a step the rate limits allow at once goes out now, the
 * rest of the way on the timer.
 * Return: 1 on its way (now or by the ramp), 0 nothing to do (the machine has this target or
 * is being stepped toward it), -errno.
 */
static int debug_request(struct api_debug *d, enum session_channel c, int32_t value)
{
	struct envelope probe = d->env;
	uint64_t now = debug_now(d);
	/* No target speed stops a belt (Command stop does): a moving belt's least is the floor. */
	int32_t goal, request = c == SESSION_CH_SPEED ? MAX(value, 1) : value;
	int r;

	probe.ch[c].primed = false; /* an unprimed channel is only clamped, capped and rounded */
	goal = envelope_apply(&probe, c, now, request);
	if (goal != value)
		log_info("Debug1: %s %d is outside the safety envelope; the target is %d.",
			 channel_names[c], value, goal);
	if (d->ramp[c] && goal == d->goal[c])
		return 0;
	if (!d->ramp[c]) /* idle until now: no rate budget has built up */
		(void) envelope_apply(&d->env, c, now, d->value[c]);
	d->goal[c] = goal;
	d->ramp[c] = goal != d->value[c];
	if (!d->ramp[c]) {
		r = debug_write(d, c, goal);
		return r < 0 ? r : r == 0;
	}
	log_info("Debug1: %s %d -> %d, rate-limited by the safety envelope (%lld per minute%s).",
		 channel_names[c], d->value[c], goal,
		 (long long) (goal > d->value[c] ? d->env.ch[c].up : d->env.ch[c].down),
		 manager_config(d->api->manager)->time_scale > 1 ? " of scaled time" : "");
	ramp_start(d);
	return 1;
}

static int debug_error(sd_bus_error *err, int r, const char *what)
{
	if (r == -ENOTCONN)
		return sd_bus_error_set(err, BR_ERROR_NOT_CONNECTED, "No machine is ready.");
	if (r == -EOPNOTSUPP)
		return sd_bus_error_setf(err, BR_ERROR_NOT_PERMITTED,
					 "The machine does not support %s.", what);
	if (r == -ENOBUFS)
		return sd_bus_error_set(err, BR_ERROR_BUSY, "Too many commands are waiting.");
	return sd_bus_error_setf(err, BR_ERROR_FAILED, "Cannot send %s: %s.", what, strerror(-r));
}

static struct bluez *debug_bluez(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct api *a = userdata;
	struct machines *mc = manager_machines(a->manager);

	if (api_check(a, m, true, err) < 0)
		return NULL;
	if (!mc) {
		(void) sd_bus_error_set(err, BR_ERROR_FAILED,
					"The daemon is starting or stopping.");
		return NULL;
	}
	return machines_bluez(mc);
}

/* Nothing of Debug1 reaches a machine a session drives: not a target, and not a Start that
 * would move a belt still waiting for the user's confirmation. Return: 0, or < 0 with @err. */
static int debug_no_session(struct api *a, sd_bus_error *err)
{
	struct coach *co = manager_coach(a->manager);

	if (co && coach_running(co))
		return sd_bus_error_set(err, BR_ERROR_BUSY,
					"A session drives the machine; Debug1 sends nothing "
					"meanwhile.");
	return 0;
}

/* Whether Debug1 may drive channel @c now. Return: 0, or < 0 with @err set. */
static int debug_usable(struct api *a, struct bluez *b, enum session_channel c, sd_bus_error *err)
{
	struct api_debug *d = a->debug;
	int r;

	r = debug_no_session(a, err);
	if (r < 0)
		return r;
	if (bluez_link_state(b, BLUEZ_ROLE_MACHINE, NULL) != BLUEZ_LINK_READY)
		return debug_error(err, -ENOTCONN, channel_names[c]);
	if (!d->ready && d->why_not != -EBUSY)
		return sd_bus_error_setf(err, BR_ERROR_NOT_PERMITTED,
					 "The machine cannot be driven within the safety envelope "
					 "(%s).",
					 strerror(-d->why_not));
	if (!d->ready)
		return sd_bus_error_set(err, BR_ERROR_BUSY,
					"A session drove the machine since its link became ready; "
					"connect it again to use Debug1.");
	if (!d->env.ch[c].used)
		return debug_error(err, -EOPNOTSUPP, channel_names[c]);
	return 0;
}

static int method_set_target(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct api *a = userdata;
	struct bluez *b = debug_bluez(m, userdata, err);
	const char *name;
	int32_t value;
	int c, r;

	if (!b)
		return -EACCES;
	r = sd_bus_message_read(m, "si", &name, &value);
	if (r < 0)
		return r;
	c = channel_from_name(name);
	if (c < 0)
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "Unknown target '%s': power, resistance, speed or "
					 "inclination.",
					 name);
	r = debug_usable(a, b, (enum session_channel) c, err);
	if (r < 0)
		return r;
	r = debug_request(a->debug, (enum session_channel) c, value);
	if (r < 0)
		return debug_error(err, r, name);
	return sd_bus_reply_method_return(m, "b", r > 0);
}

/* What a command tells the envelope about the machine. */
static void command_done(struct api_debug *d, const char *name)
{
	uint64_t now = debug_now(d);

	if (!d->ready)
		return;
	if (strcmp(name, "reset") == 0) /* the machine's own defaults: count from the floors */
		for (int c = 0; c < _SESSION_CH_MAX; c++)
			if (d->env.ch[c].used)
				channel_reset(d, (enum session_channel) c, now,
					      envelope_floor(&d->env, (enum session_channel) c));
	if ((strcmp(name, "stop") == 0 || strcmp(name, "pause") == 0) &&
	    d->env.ch[SESSION_CH_SPEED].used)
		channel_reset(d, SESSION_CH_SPEED, now, 0); /* the belt stops */
}

static int method_command(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct api *a = userdata;
	struct bluez *b = debug_bluez(m, userdata, err);
	const char *name;
	int r;

	if (!b)
		return -EACCES;
	r = sd_bus_message_read(m, "s", &name);
	if (r < 0)
		return r;
	r = debug_no_session(a, err);
	if (r < 0)
		return r;
	if (strcmp(name, "request-control") == 0)
		r = bluez_request_control(b);
	else if (strcmp(name, "start") == 0)
		r = bluez_start_resume(b);
	else if (strcmp(name, "stop") == 0 || strcmp(name, "pause") == 0)
		r = bluez_stop_pause(b, name[0] == 'p');
	else if (strcmp(name, "reset") == 0)
		r = bluez_reset(b);
	else
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "Unknown command '%s': request-control, start, stop, "
					 "pause or reset.",
					 name);
	if (r < 0)
		return debug_error(err, r, name);
	command_done(a->debug, name);
	return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable debug_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_ARGS("SetTarget", SD_BUS_ARGS("s", name, "i", value),
				SD_BUS_RESULT("b", queued), method_set_target,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Command", SD_BUS_ARGS("s", name), SD_BUS_NO_RESULT, method_command,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

static void on_tick_closed(uv_handle_t *h)
{
	free(h->data);
}

/* The slot's destroy callback: api_free() unrefs debug_slot while the loop still runs. */
static void debug_free(void *userdata)
{
	struct api *a = userdata;
	struct api_debug *d = a->debug;

	a->debug = NULL;
	if (!d)
		return;
	if (!d->has_tick) {
		free(d);
		return;
	}
	(void) uv_timer_stop(&d->tick);
	uv_close((uv_handle_t *) &d->tick, on_tick_closed);
}

int api_debug_register(struct api *a)
{
	int r;

	a->debug = calloc(1, sizeof(*a->debug));
	if (!a->debug)
		return -ENOMEM;
	a->debug->api = a;
	r = sd_bus_add_object_vtable(a->bus, &a->debug_slot, BR_DEBUG_PATH, BR_DEBUG_IFACE,
				     debug_vtable, a);
	if (r >= 0)
		r = sd_bus_slot_set_destroy_callback(a->debug_slot, debug_free);
	if (r < 0) {
		free(a->debug);
		a->debug = NULL;
	}
	return r;
}
