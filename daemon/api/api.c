/* SPDX-License-Identifier: MIT */
#include "api.h"

#include <errno.h>
#include <stdlib.h>

#include "api-private.h"
#include "backride-dbus.h"
#include "manager.h"

int api_new(struct manager *m, sd_bus *bus, struct api **ret)
{
	struct api *a;
	int r;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->manager = m;
	a->bus = sd_bus_ref(bus);
	r = sd_bus_add_object_manager(bus, &a->object_manager_slot, BR_MANAGER_PATH);
	if (r >= 0)
		r = api_manager_register(a);
	if (r >= 0)
		r = api_history_register(a);
	if (r >= 0)
		r = api_session_register(a);
	if (r >= 0 && manager_config(m)->debug_targets)
		r = api_debug_register(a);
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
	sd_bus_slot_unref(a->object_manager_slot);
	sd_bus_unref(a->bus);
	free(a);
}

int api_emit_state_changed(struct api *a)
{
	return sd_bus_emit_properties_changed(a->bus, BR_MANAGER_PATH, BR_MANAGER_IFACE, "State",
					      NULL);
}
