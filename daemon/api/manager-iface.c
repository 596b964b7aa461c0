/* SPDX-License-Identifier: MIT */
/* org.backride.Manager1 at /org/backride: the daemon's front door. */
#include "api-private.h"

#include "backride-build.h"
#include "backride-dbus.h"
#include "manager.h"

static int prop_get_version(sd_bus *bus, const char *path, const char *iface, const char *prop,
			    sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	return sd_bus_message_append(reply, "s", BACKRIDE_VERSION);
}

static int prop_get_state(sd_bus *bus, const char *path, const char *iface, const char *prop,
			  sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct api *a = userdata;

	return sd_bus_message_append(reply, "s", manager_state(a->manager));
}

static const sd_bus_vtable manager_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Version", "s", prop_get_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("State", "s", prop_get_state, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_VTABLE_END,
};

int api_manager_register(struct api *a)
{
	return sd_bus_add_object_vtable(a->bus, &a->manager_slot, BR_MANAGER_PATH,
					BR_MANAGER_IFACE, manager_vtable, a);
}
