/* SPDX-License-Identifier: MIT */
#include "api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "api-internal.h"
#include "backride-dbus.h"
#include "macro.h"

/* Properties (Get, GetAll, Set) and GetManagedObjects carry what the methods do (a session's
 * pain ratings, heart rate, the machines): the same check, before sd-bus dispatches them. */
static int on_filter(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	_cleanup_(sd_bus_error_free) sd_bus_error err = SD_BUS_ERROR_NULL;
	struct api *a = userdata;
	const char *path = sd_bus_message_get_path(m), *iface = sd_bus_message_get_interface(m);
	size_t n = strlen(BR_MANAGER_PATH);

	if (!sd_bus_message_is_method_call(m, NULL, NULL) || !path || !iface)
		return 0;
	if (strcmp(iface, "org.freedesktop.DBus.Properties") != 0 &&
	    strcmp(iface, "org.freedesktop.DBus.ObjectManager") != 0)
		return 0;
	if (strncmp(path, BR_MANAGER_PATH, n) != 0 || (path[n] != '\0' && path[n] != '/'))
		return 0;
	if (api_check(a, m, true, &err) >= 0)
		return 0;
	(void) sd_bus_reply_method_error(m, &err);
	return 1;
}

int api_check(struct api *a, sd_bus_message *m, bool ready, sd_bus_error *err)
{
	if (!ready)
		return sd_bus_error_set(err, BR_ERROR_FAILED,
					"The daemon is starting or stopping.");
	return access_check(m, a->config->access_group, err);
}

static int export_machine(const struct machine_props *p, void *userdata)
{
	return api_machine_set(userdata, p);
}

int api_new(sd_bus *bus, const struct config *config, struct storage *storage, struct coach *coach,
	    struct machines *machines, struct api **ret)
{
	struct api *a;
	int r;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->config = config;
	a->storage = storage;
	a->coach = coach;
	a->registry = machines;
	a->bus = sd_bus_ref(bus);
	r = sd_bus_add_filter(bus, &a->filter_slot, on_filter, a);
	if (r >= 0)
		r = sd_bus_add_object_manager(bus, &a->object_manager_slot, BR_MANAGER_PATH);
	if (r >= 0)
		r = api_manager_register(a);
	if (r >= 0)
		r = api_history_register(a);
	if (r >= 0)
		r = api_programme_register(a);
	if (r >= 0)
		r = api_session_register(a);
	if (r >= 0 && config->debug_targets)
		r = api_debug_register(a);
	if (r >= 0)
		r = machines_foreach(machines, export_machine, a);
	if (r < 0) {
		api_free(a);
		return r;
	}
	*ret = a;
	return 0;
}

void api_free(struct api *a)
{
	if (!a)
		return;
	api_machines_free(a);
	sd_bus_slot_unref(a->debug_slot);
	sd_bus_slot_unref(a->session_slot);
	sd_bus_slot_unref(a->session_manager_slot);
	sd_bus_slot_unref(a->manager_slot);
	sd_bus_slot_unref(a->history_slot);
	sd_bus_slot_unref(a->programme_slot);
	sd_bus_slot_unref(a->object_manager_slot);
	sd_bus_slot_unref(a->filter_slot);
	sd_bus_unref(a->bus);
	free(a);
}

int api_emit_state_changed(struct api *a)
{
	return sd_bus_emit_properties_changed(a->bus, BR_MANAGER_PATH, BR_MANAGER_IFACE, "State",
					      NULL);
}
