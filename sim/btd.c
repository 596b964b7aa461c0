/* SPDX-License-Identifier: MIT */
#include "btd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btd-internal.h"
#include "later.h"
#include "log.h"
#include "store.h"

void btd_uuid128(uint16_t uuid16, char buf[static 37])
{
	snprintf(buf, 37, "0000%04x-0000-1000-8000-00805f9b34fb", uuid16);
}

int btd_emit_invalidated(struct btd *b, const char *path, const char *iface, const char *prop)
{
	return sd_bus_emit_signal(b->bus, path, BTD_PROPS_IFACE, "PropertiesChanged", "sa{sv}as",
				  iface, 0, 1, prop);
}

int btd_reply_error(sd_bus_message **m, const char *name, const char *text)
{
	int r;

	if (!*m)
		return 0;
	r = sd_bus_reply_method_errorf(*m, name, "%s", text);
	*m = sd_bus_message_unref(*m);
	return r;
}

/* ATT error -> D-Bus error, as create_gatt_dbus_error() in src/gatt-client.c. */
int btd_set_att_error(sd_bus_error *e, uint8_t ecode)
{
	switch (ecode) {
	case ATT_ECODE_READ_NOT_PERMITTED:
		return sd_bus_error_set(e, BTD_ERR_NOT_PERMITTED, "Read not permitted");
	case ATT_ECODE_WRITE_NOT_PERMITTED:
		return sd_bus_error_set(e, BTD_ERR_NOT_PERMITTED, "Write not permitted");
	case ATT_ECODE_INSUFF_AUTHEN:
	case 0x0c: /* insufficient encryption key size */
	case 0x0f: /* insufficient encryption */
		return sd_bus_error_set(e, BTD_ERR_NOT_PERMITTED, "Not paired");
	case 0x07:
		return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, "Invalid offset");
	case ATT_ECODE_INVALID_LEN:
		return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, "Invalid Length");
	case 0x08:
		return sd_bus_error_set(e, BTD_ERR_NOT_AUTHORIZED, "Operation Not Authorized");
	case ATT_ECODE_REQ_NOT_SUPP:
		return sd_bus_error_set(e, BTD_ERR_NOT_SUPPORTED, BTD_MSG_NOT_SUPPORTED);
	case 0:
		return sd_bus_error_set(e, BTD_ERR_FAILED, "Operation failed");
	default:
		return sd_bus_error_setf(e, BTD_ERR_FAILED,
					 "Operation failed with ATT error: 0x%02x", ecode);
	}
}

void btd_store_device(struct btd_device *d)
{
	struct store_entry e = { .paired = d->paired, .bonded = d->bonded, .trusted = d->trusted };
	int r;

	if (d->temporary)
		return;
	snprintf(e.address, sizeof(e.address), "%s", d->periph->address);
	snprintf(e.alias, sizeof(e.alias), "%s", d->alias);
	r = store_put(d->b->sim->store, &e);
	if (r < 0)
		log_warning_errno(r, "Could not store %s", e.address);
}

/* A bus client went away: its discovery session, notify sessions and agent go too. */
static int on_name_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct btd *b = userdata;
	const char *name, *old_owner, *new_owner;

	if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0)
		return 0;
	if (name[0] != ':' || new_owner[0] != '\0')
		return 0;
	btd_adapter_client_gone(b, name);
	for (struct btd_device *d = b->devices; d; d = d->next)
		btd_gatt_client_gone(d, name);
	btd_agent_client_gone(b, name);
	return 0;
}

static int bluez_load_stored(struct btd *b)
{
	struct btd_device *d;
	const struct store_entry *e;
	int r;

	for (size_t i = 0; i < b->sim->n_periphs; i++) {
		e = store_get(b->sim->store, b->sim->periphs[i]->address);
		if (!e)
			continue;
		r = btd_device_new(b, b->sim->periphs[i], e, &d);
		if (r < 0)
			return r;
	}
	return 0;
}

/* bluetoothd 5.66 owns org.bluez (and exports AgentManager1) before its main loop runs; an
 * adapter is registered only when the kernel has answered MGMT Read Info, unpowered, and
 * AutoEnable powers it after that. A client that sees the name appear finds no adapter yet,
 * or an unpowered one (the vm suite's restarts show both). */
#define BTD_STARTUP_MS 50

static void adapter_powered(void *userdata)
{
	struct btd *b = userdata;

	b->powered = 1;
	(void) sd_bus_emit_properties_changed(b->bus, BTD_ADAPTER_PATH, BTD_ADAPTER_IFACE,
					      "Powered", NULL);
}

static void adapter_appears(void *userdata)
{
	struct btd *b = userdata;
	int r;

	r = btd_adapter_register(b);
	if (r >= 0)
		r = sd_bus_emit_interfaces_added(b->bus, BTD_ADAPTER_PATH, BTD_ADAPTER_IFACE, NULL);
	if (r >= 0)
		r = bluez_load_stored(b);
	if (r >= 0)
		r = later_start(b->sim->loop, BTD_STARTUP_MS, adapter_powered, b,
				&b->startup_later);
	if (r < 0) {
		log_error_errno(r, "Cannot export the adapter");
		sim_quit(b->sim, 1);
	}
}

int btd_new(struct sim *sim, sd_bus *bus, struct btd **ret)
{
	struct btd *b;
	int r;

	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->sim = sim;
	b->bus = sd_bus_ref(bus);
	b->pairable = 1;
	snprintf(b->alias, sizeof(b->alias), "backride-sim");
	r = sd_bus_add_object_manager(bus, &b->om_slot, "/");
	if (r >= 0)
		r = btd_agent_register(b);
	if (r >= 0)
		r = sd_bus_match_signal_async(bus, &b->noc_slot, "org.freedesktop.DBus",
					      "/org/freedesktop/DBus", "org.freedesktop.DBus",
					      "NameOwnerChanged", on_name_owner_changed, NULL, b);
	if (r >= 0)
		r = sd_bus_request_name_async(bus, &b->name_slot, BTD_SERVICE, 0, NULL, NULL);
	if (r >= 0)
		r = later_start(sim->loop, sim->opt->adapter_ms, adapter_appears, b,
				&b->startup_later);
	if (r < 0) {
		btd_free(b);
		return r;
	}
	*ret = b;
	return 0;
}

void btd_free(struct btd *b)
{
	if (!b)
		return;
	later_cancel(&b->startup_later);
	while (b->devices)
		btd_device_remove(b->devices, false);
	btd_adapter_free(b);
	btd_agent_free_all(b);
	sd_bus_slot_unref(b->name_slot);
	sd_bus_slot_unref(b->noc_slot);
	sd_bus_slot_unref(b->adapter_slot);
	sd_bus_slot_unref(b->agent_mgr_slot);
	sd_bus_slot_unref(b->om_slot);
	sd_bus_unref(b->bus);
	free(b);
}
