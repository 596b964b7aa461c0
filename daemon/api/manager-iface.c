/* SPDX-License-Identifier: MIT */
/* org.backride.Manager1 at /org/backride: the daemon's front door. */
#include "api-internal.h"

#include <errno.h>
#include <string.h>

#include "api.h"
#include "backride-build.h"
#include "backride-dbus.h"
#include "coach.h"
#include "machines.h"
#include "macro.h"
#include "policy.h"

#define SCAN_SECONDS_MAX 300

static int prop_get_version(sd_bus *bus, const char *path, const char *iface, const char *prop,
			    sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	return sd_bus_message_append(reply, "s", BACKRIDE_VERSION);
}

static int prop_get_state(sd_bus *bus, const char *path, const char *iface, const char *prop,
			  sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct api *a = userdata;

	return sd_bus_message_append(reply, "s", api_state(a));
}

const char *api_state(const struct api *a)
{
	if (coach_running(a->coach))
		return BR_STATE_SESSION;
	return machines_state(a->registry);
}

/* A failure of the machines layer as a named error with a sentence a person can act on. */
static int machine_error(sd_bus_error *err, int r, const char *address, const char *text)
{
	switch (r) {
	case -EINVAL:
		return sd_bus_error_setf(
			err, BR_ERROR_INVALID_ARGS,
			"'%s' is not a Bluetooth address such as C0:FF:EE:00:00:01.", address);
	case -ENOENT:
		if (!*address)
			return sd_bus_error_set(err, BR_ERROR_NOT_FOUND,
						"No machine is paired; run 'backride scan', then "
						"'backride pair ADDRESS'.");
		return sd_bus_error_setf(err, BR_ERROR_NOT_FOUND,
					 "No machine %s is known or in range; switch it on and run "
					 "'backride scan'.",
					 address);
	case -EADDRINUSE:
		return sd_bus_error_set(err, BR_ERROR_BUSY,
					"Another machine is connected; disconnect it first.");
	case -EBUSY:
	case -EALREADY:
		return sd_bus_error_set(
			err, BR_ERROR_BUSY,
			"Busy with another machine or request; wait for it to finish "
			"and try again.");
	case -ENOTCONN:
		return sd_bus_error_set(err, BR_ERROR_NOT_CONNECTED, "No machine is connected.");
	case -EPERM:
	case -EACCES:
		return sd_bus_error_setf(err, BR_ERROR_NOT_PERMITTED, "The machine %s refused: %s.",
					 address, text ? text : "");
	case -ENODEV:
		return sd_bus_error_set(err, BR_ERROR_FAILED,
					"Bluetooth is not available: is bluetoothd running "
					"('systemctl status bluetooth') and is [bluez] adapter in "
					"backride.conf right?");
	case -ENETDOWN:
		return sd_bus_error_set(err, BR_ERROR_FAILED,
					"The Bluetooth adapter is off; switch it on with "
					"'bluetoothctl power on'.");
	}
	if (text)
		return sd_bus_error_setf(err, BR_ERROR_FAILED, "The machine %s: %s.", address,
					 text);
	return sd_bus_error_setf(err, BR_ERROR_FAILED, "Cannot do that with %s: %s.", address,
				 strerror(-r));
}

static struct machines *machines_of(void *userdata)
{
	struct api *a = userdata;

	return a->registry;
}

static int method_start_scan(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	uint32_t seconds;
	int r;

	r = api_check(userdata, m, machines_of(userdata), err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "u", &seconds);
	if (r < 0)
		return r;
	if (seconds > SCAN_SECONDS_MAX)
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "A scan lasts at most %d seconds.", SCAN_SECONDS_MAX);
	r = machines_scan_start(machines_of(userdata), seconds, api_reply_done,
				sd_bus_message_ref(m));
	if (r == 1)
		return 1; /* waiting for the adapter: api_reply_done answers */
	sd_bus_message_unref(m);
	if (r < 0 && r != -EALREADY)
		return machine_error(err, r, "", NULL);
	return sd_bus_reply_method_return(m, "");
}

static int method_stop_scan(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	int r;

	r = api_check(userdata, m, machines_of(userdata), err);
	if (r < 0)
		return r;
	(void) machines_scan_stop(machines_of(userdata));
	return sd_bus_reply_method_return(m, "");
}

void api_reply_done(void *userdata, int error, const char *message)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *m = userdata;
	const char *address = "";

	if (error < 0) {
		(void) sd_bus_message_rewind(m, true);
		(void) sd_bus_message_read(m, "s", &address);
		(void) machine_error(&e, error, address, message);
		(void) sd_bus_reply_method_error(m, &e);
	} else
		(void) sd_bus_reply_method_return(m, "");
	sd_bus_message_unref(m);
}

/* Pair and Connect reply when BlueZ is done: keep the message (pending-reply pattern). */
static int method_pending(sd_bus_message *m, void *userdata, sd_bus_error *err,
			  int (*start)(struct machines *mc, const char *address,
				       driver_done_fn done, void *ud))
{
	const char *address;
	int r;

	r = api_check(userdata, m, machines_of(userdata), err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "s", &address);
	if (r < 0)
		return r;
	r = start(machines_of(userdata), address, api_reply_done, sd_bus_message_ref(m));
	if (r < 0) {
		sd_bus_message_unref(m);
		return machine_error(err, r, address, NULL);
	}
	return 1;
}

static int method_pair(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	return method_pending(m, userdata, err, machines_pair);
}

static int method_connect(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	return method_pending(m, userdata, err, machines_connect);
}

static int method_forget(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	const char *address;
	int r;

	r = api_check(userdata, m, machines_of(userdata), err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "s", &address);
	if (r < 0)
		return r;
	r = machines_forget(machines_of(userdata), address);
	if (r < 0)
		return machine_error(err, r, address, NULL);
	return sd_bus_reply_method_return(m, "");
}

/* Whether @address ("": the machine connected) is the machine a session drives or starts on. */
static bool session_machine(struct api *a, const char *address)
{
	struct coach *co = a->coach;
	const char *active = NULL;
	char addr[MACHINE_ADDRESS_MAX];

	if (!co || !coach_busy(co))
		return false;
	active = machines_active(machines_of(a));
	if (!*address || !active)
		return true;
	return policy_address_normalize(address, addr) >= 0 && strcmp(addr, active) == 0;
}

static int method_disconnect(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	const char *address;
	int r;

	r = api_check(userdata, m, machines_of(userdata), err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "s", &address);
	if (r < 0)
		return r;
	if (session_machine(userdata, address))
		return sd_bus_error_set(
			err, BR_ERROR_BUSY,
			"A session uses the machine; 'backride stop' ends it first.");
	r = machines_disconnect(machines_of(userdata), address);
	if (r == -ENOTCONN && *address)
		return sd_bus_error_setf(err, BR_ERROR_NOT_CONNECTED, "%s is not connected.",
					 address);
	if (r < 0)
		return machine_error(err, r, address, NULL);
	return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable manager_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Version", "s", prop_get_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("State", "s", prop_get_state, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_METHOD_WITH_ARGS("StartScan", SD_BUS_ARGS("u", seconds), SD_BUS_NO_RESULT,
				method_start_scan, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("StopScan", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_stop_scan,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Pair", SD_BUS_ARGS("s", address), SD_BUS_NO_RESULT, method_pair,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Forget", SD_BUS_ARGS("s", address), SD_BUS_NO_RESULT,
				method_forget, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Connect", SD_BUS_ARGS("s", address), SD_BUS_NO_RESULT,
				method_connect, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Disconnect", SD_BUS_ARGS("s", address), SD_BUS_NO_RESULT,
				method_disconnect, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_SIGNAL_WITH_ARGS("MachineFound",
				SD_BUS_ARGS("s", address, "s", name, "s", kind, "n", rssi), 0),
	SD_BUS_SIGNAL_WITH_ARGS("ScanFinished", SD_BUS_NO_ARGS, 0),
	SD_BUS_SIGNAL_WITH_ARGS("Event", SD_BUS_ARGS("s", type, "s", detail), 0),
	SD_BUS_VTABLE_END,
};

int api_emit_machine_found(struct api *a, const struct machine_props *p)
{
	return sd_bus_emit_signal(a->bus, BR_MANAGER_PATH, BR_MANAGER_IFACE, "MachineFound", "sssn",
				  p->address, p->name, p->kind,
				  p->has_rssi ? p->rssi : (int16_t) 0);
}

int api_emit_scan_finished(struct api *a)
{
	return sd_bus_emit_signal(a->bus, BR_MANAGER_PATH, BR_MANAGER_IFACE, "ScanFinished", "");
}

int api_emit_event(struct api *a, const char *type, const char *detail)
{
	return sd_bus_emit_signal(a->bus, BR_MANAGER_PATH, BR_MANAGER_IFACE, "Event", "ss", type,
				  detail);
}

int api_manager_register(struct api *a)
{
	return sd_bus_add_object_vtable(a->bus, &a->manager_slot, BR_MANAGER_PATH, BR_MANAGER_IFACE,
					manager_vtable, a);
}
