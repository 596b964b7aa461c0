/* SPDX-License-Identifier: MIT */
/*
 * org.backride.Debug1 at /org/backride/debug, exported only with [debug] targets = yes:
 * control point commands straight to the connected machine, for integration tests of the
 * control point layer. The coach carries them out through the machine driver, the safety
 * envelope and the timer of sessions (core/coach-debug.c); here they are parsed and answered.
 */
#include "api-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "backride-dbus.h"
#include "coach.h"
#include "macro.h"
#include "wallclock.h"

static int channel_from_name(const char *name)
{
	for (int c = 0; c < _SESSION_CH_MAX; c++)
		if (strcmp(name, coach_channel_name((enum session_channel) c)) == 0)
			return c;
	return -EINVAL;
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

static int check(sd_bus_message *m, struct api *a, sd_bus_error *err)
{
	return api_check(a, m, a->coach, err);
}

/* Nothing of Debug1 reaches a machine a session drives: not a target, and not a Start that
 * would move a belt still waiting for the user's confirmation. Return: 0, or < 0 with @err. */
static int debug_usable(struct api *a, int channel, sd_bus_error *err)
{
	int why = 0;

	switch (coach_debug_status(a->coach, channel, &why)) {
	case COACH_DEBUG_USABLE:
		return 0;
	case COACH_DEBUG_SESSION:
		return sd_bus_error_set(err, BR_ERROR_BUSY,
					"A session drives the machine; Debug1 sends nothing "
					"meanwhile.");
	case COACH_DEBUG_NOT_READY:
		return debug_error(err, -ENOTCONN, coach_channel_name(channel));
	case COACH_DEBUG_NO_ENVELOPE:
		return sd_bus_error_setf(err, BR_ERROR_NOT_PERMITTED,
					 "The machine cannot be driven within the safety envelope "
					 "(%s).",
					 strerror(-why));
	case COACH_DEBUG_TAKEN:
		return sd_bus_error_set(err, BR_ERROR_BUSY,
					"A session drove the machine since its link became ready; "
					"connect it again to use Debug1.");
	case COACH_DEBUG_UNSUPPORTED:
		return debug_error(err, -EOPNOTSUPP, coach_channel_name(channel));
	}
	return -EINVAL;
}

static int method_set_target(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct api *a = userdata;
	const char *name;
	int32_t value;
	int c, r;

	r = check(m, a, err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "si", &name, &value);
	if (r < 0)
		return r;
	c = channel_from_name(name);
	if (c < 0)
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "Unknown target '%s': power, resistance, speed or "
					 "inclination.",
					 name);
	r = debug_usable(a, c, err);
	if (r < 0)
		return r;
	r = coach_debug_target(a->coach, (enum session_channel) c, value);
	if (r < 0)
		return debug_error(err, r, name);
	return sd_bus_reply_method_return(m, "b", r > 0);
}

static const struct {
	const char *name;
	enum coach_debug_command cmd;
} commands[] = {
	{ "request-control", COACH_DEBUG_REQUEST_CONTROL },
	{ "start", COACH_DEBUG_START },
	{ "stop", COACH_DEBUG_STOP },
	{ "pause", COACH_DEBUG_PAUSE },
	{ "reset", COACH_DEBUG_RESET },
};

static int method_command(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct api *a = userdata;
	const char *name;
	size_t i;
	int r;

	r = check(m, a, err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "s", &name);
	if (r < 0)
		return r;
	r = debug_usable(a, -1, err);
	if (r < 0)
		return r;
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			break;
	if (i == ARRAY_SIZE(commands))
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "Unknown command '%s': request-control, start, stop, "
					 "pause or reset.",
					 name);
	r = coach_debug_command(a->coach, commands[i].cmd);
	if (r < 0)
		return debug_error(err, r, name);
	return sd_bus_reply_method_return(m, "");
}

/* The daemon's wall clock jumps forward (core/wallclock.h): a test lives through the days of a
 * programme. Never while a session runs: its times would straddle the jump. */
static int method_advance_clock(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct api *a = userdata;
	uint64_t seconds = 0;
	int r;

	r = check(m, a, err);
	if (r >= 0)
		r = sd_bus_message_read(m, "t", &seconds);
	if (r < 0)
		return r;
	if (coach_busy(a->coach))
		return sd_bus_error_set(err, BR_ERROR_BUSY,
					"A session runs; the clock moves only between sessions.");
	if (seconds == 0 || seconds > 366 * 24 * 3600 || wallclock_advance((int64_t) seconds) < 0)
		return sd_bus_error_set(err, BR_ERROR_INVALID_ARGS,
					"The clock moves forward by 1 s to a year at a time, ten "
					"years in all.");
	return sd_bus_reply_method_return(m, "x", wallclock_now());
}

static const sd_bus_vtable debug_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_ARGS("SetTarget", SD_BUS_ARGS("s", name, "i", value),
				SD_BUS_RESULT("b", queued), method_set_target,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Command", SD_BUS_ARGS("s", name), SD_BUS_NO_RESULT, method_command,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("AdvanceClock", SD_BUS_ARGS("t", seconds), SD_BUS_RESULT("x", now),
				method_advance_clock, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

int api_debug_register(struct api *a)
{
	return sd_bus_add_object_vtable(a->bus, &a->debug_slot, BR_DEBUG_PATH, BR_DEBUG_IFACE,
					debug_vtable, a);
}
