/* SPDX-License-Identifier: MIT */
/*
 * org.backride.Debug1 at /org/backride/debug, exported only with [debug] targets = yes:
 * control point commands straight to the connected machine, for integration tests of the
 * control point layer before the session engine exists. Values still go through the BlueZ
 * client's clamp (the machine's supported ranges and fixed hard limits).
 */
#include "api-private.h"

#include <errno.h>
#include <string.h>

#include "access.h"
#include "backride-dbus.h"
#include "bluez.h"
#include "machines.h"
#include "manager.h"

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

	if (access_check(m, manager_config(a->manager)->access_group, err) < 0)
		return NULL;
	if (!mc) {
		(void) sd_bus_error_set(err, BR_ERROR_FAILED,
					"The daemon is starting or stopping.");
		return NULL;
	}
	return machines_bluez(mc);
}

static int method_set_target(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct bluez *b = debug_bluez(m, userdata, err);
	const char *name;
	int32_t value;
	int r;

	if (!b)
		return -EACCES;
	r = sd_bus_message_read(m, "si", &name, &value);
	if (r < 0)
		return r;
	if (strcmp(name, "power") == 0)
		r = bluez_set_target_power(b, value);
	else if (strcmp(name, "resistance") == 0)
		r = bluez_set_target_resistance(b, value);
	else if (strcmp(name, "speed") == 0)
		r = bluez_set_target_speed(b, value);
	else if (strcmp(name, "inclination") == 0)
		r = bluez_set_target_inclination(b, value);
	else
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "Unknown target '%s': power, resistance, speed or "
					 "inclination.",
					 name);
	if (r < 0)
		return debug_error(err, r, name);
	return sd_bus_reply_method_return(m, "b", r == 0);
}

static int method_command(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct bluez *b = debug_bluez(m, userdata, err);
	const char *name;
	int r;

	if (!b)
		return -EACCES;
	r = sd_bus_message_read(m, "s", &name);
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

int api_debug_register(struct api *a)
{
	return sd_bus_add_object_vtable(a->bus, &a->debug_slot, BR_DEBUG_PATH, BR_DEBUG_IFACE,
					debug_vtable, a);
}
