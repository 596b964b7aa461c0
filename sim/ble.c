/* SPDX-License-Identifier: MIT */
/*
 * backride-sim --ble: registration with the real bluetoothd (application, advertisement,
 * adapter alias), the link to a central, and bluetoothd restarts.
 */
#include "ble.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus-source.h"
#include "bus-util.h"
#include "keiser.h"
#include "later.h"
#include "log.h"
#include "macro.h"

#define BZ		"org.bluez"
#define BZ_ADAPTER	"org.bluez.Adapter1"
#define BZ_DEVICE	"org.bluez.Device1"
#define BZ_GATT_MANAGER "org.bluez.GattManager1"
#define BZ_ADV_MANAGER	"org.bluez.LEAdvertisingManager1"
#define BZ_ADV		"org.bluez.LEAdvertisement1"
/* A bluetoothd that has just taken org.bluez exports its adapters a moment later. */
#define REGISTER_RETRY_MS 500

static void link_value(void *userdata, const struct periph_char *c, const uint8_t *v, size_t n)
{
	ble_gatt_value(userdata, c, v, n);
}

static int on_disconnect_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	const sd_bus_error *e = sd_bus_message_get_error(m);

	if (e)
		log_warning("Device1.Disconnect: %s", e->message ? e->message : e->name);
	return 0;
}

/* Ask bluetoothd to drop the link to the central, as a machine switching off its radio. */
static void ble_disconnect(struct ble *b)
{
	int r;

	if (!b->link_path[0] || b->dropping)
		return;
	b->dropping = true;
	r = sd_bus_call_method_async(b->bus, NULL, BZ, b->link_path, BZ_DEVICE, "Disconnect",
				     on_disconnect_reply, b, "");
	if (r < 0)
		log_warning_errno(r, "Cannot call Device1.Disconnect");
}

static void link_dropped(void *userdata)
{
	struct ble *b = userdata;

	log_info("Dropping the link to %s", b->link_path);
	ble_disconnect(b);
}

static bool link_busy(void *userdata)
{
	struct ble *b = userdata;
	uint64_t queued = 0;

	(void) sd_bus_get_n_queued_write(b->bus, &queued);
	return queued > 256;
}

static const struct periph_link_ops link_ops = {
	.value = link_value,
	.dropped = link_dropped,
	.busy = link_busy,
};

/* A central connected (Device1 on our adapter with Connected=true). */
static void ble_attach(struct ble *b, const char *path)
{
	int r;

	if (b->link_path[0])
		return;
	snprintf(b->link_path, sizeof(b->link_path), "%s", path);
	b->dropping = false;
	r = periph_connect(b->p, &link_ops, b);
	if (r < 0) {
		/* A real peripheral cannot refuse at the link layer: it drops the link at once. */
		log_info("Refusing %s (%s)", path,
			 r == -ECONNREFUSED ? "refuse-connect" : "connect-abort");
		ble_disconnect(b);
		return;
	}
	ble_gatt_restore_cccd(b);
	log_info("Link up: %s", path);
}

static void ble_detach(struct ble *b, const char *path)
{
	if (!b->link_path[0] || (path && strcmp(path, b->link_path) != 0))
		return;
	log_info("Link down: %s", b->link_path);
	b->link_path[0] = '\0';
	b->dropping = false;
	periph_disconnect(b->p);
}

static bool our_device(const struct ble *b, const char *path)
{
	size_t n = strlen(b->adapter_path);

	return strncmp(path, b->adapter_path, n) == 0 && strncmp(path + n, "/dev_", 5) == 0 &&
	       !strchr(path + n + 1, '/');
}

bool ble_att_allowed(struct ble *b, const char *device)
{
	if (b->dropping)
		return false;
	/* A request can overtake Connected=true (bluetoothd batches properties until idle). */
	if (!b->p->connected && device && our_device(b, device))
		ble_attach(b, device);
	return b->p->connected && !b->dropping;
}

struct connected {
	int value;
	int found;
};

static int connected_entry(sd_bus_message *m, const char *key, void *userdata)
{
	struct connected *c = userdata;

	if (strcmp(key, "Connected") != 0)
		return sd_bus_message_skip(m, "v");
	c->found = 1;
	return sd_bus_message_read(m, "v", "b", &c->value);
}

/* Find "Connected" in an a{sv}. Return: 1 found, 0 not there, -errno. */
static int read_connected(sd_bus_message *m, int *connected)
{
	struct connected c = { 0 };
	int r;

	r = bus_dict_foreach(m, connected_entry, &c);
	if (r < 0)
		return r;
	if (c.found)
		*connected = c.value;
	return c.found;
}

static void device_connected(struct ble *b, const char *path, int connected)
{
	if (connected)
		ble_attach(b, path);
	else
		ble_detach(b, path);
}

static int on_props_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct ble *b = userdata;
	const char *path = sd_bus_message_get_path(m), *iface;
	int connected;

	if (!path || !our_device(b, path))
		return 0;
	if (sd_bus_message_read(m, "s", &iface) < 0 || strcmp(iface, BZ_DEVICE) != 0)
		return 0;
	if (read_connected(m, &connected) > 0)
		device_connected(b, path, connected);
	return 0;
}

static int on_ifaces_added(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct ble *b = userdata;
	const char *path, *iface;
	int r, connected;

	r = sd_bus_message_read(m, "o", &path);
	if (r < 0 || !our_device(b, path))
		return 0;
	r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}");
	while (r > 0 && (r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
		r = sd_bus_message_read(m, "s", &iface);
		if (r >= 0 && strcmp(iface, BZ_DEVICE) == 0) {
			if (read_connected(m, &connected) > 0)
				device_connected(b, path, connected);
			return 0;
		}
		if (r >= 0)
			r = sd_bus_message_skip(m, "a{sv}");
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
	}
	return 0;
}

static int on_ifaces_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct ble *b = userdata;
	const char *path;

	if (sd_bus_message_read(m, "o", &path) >= 0)
		ble_detach(b, path);
	return 0;
}

/* ManufacturerData: the Keiser's last frame under its company ID, else none. */
static int adv_mfr(struct ble *b, sd_bus_message *reply)
{
	int r;

	r = sd_bus_message_open_container(reply, 'a', "{qv}");
	if (r >= 0 && b->p->kind == SIM_KEISER && b->p->adv_len > 0) {
		r = sd_bus_message_open_container(reply, 'e', "qv");
		if (r >= 0)
			r = sd_bus_message_append(reply, "q", (uint16_t) KEISER_COMPANY_ID);
		if (r >= 0)
			r = sd_bus_message_open_container(reply, 'v', "ay");
		if (r >= 0)
			r = sd_bus_message_append_array(reply, 'y', b->p->adv_data, b->p->adv_len);
		if (r >= 0)
			r = sd_bus_message_close_container(reply);
		if (r >= 0)
			r = sd_bus_message_close_container(reply);
	}
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

void ble_advert_changed(struct ble *b)
{
	if (b->adv_registered)
		(void) sd_bus_emit_properties_changed(b->bus, BLE_ADV_PATH, BZ_ADV,
						      "ManufacturerData", NULL);
}

static int adv_get(sd_bus *bus, const char *path, const char *iface, const char *prop,
		   sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct ble *b = userdata;
	char uuid[37];

	snprintf(uuid, sizeof(uuid), "0000%04x-0000-1000-8000-00805f9b34fb",
		 periph_adv_uuid16(b->p));
	/* The Keiser M3i: a non-connectable broadcast with its manufacturer data. */
	if (strcmp(prop, "Type") == 0)
		return sd_bus_message_append(reply, "s",
					     b->p->kind == SIM_KEISER ? "broadcast" : "peripheral");
	if (strcmp(prop, "ManufacturerData") == 0)
		return adv_mfr(b, reply);
	if (strcmp(prop, "ServiceUUIDs") == 0)
		return periph_adv_uuid16(b->p) ? sd_bus_message_append(reply, "as", 1, uuid)
					       : sd_bus_message_append(reply, "as", 0);
	if (strcmp(prop, "LocalName") == 0)
		return sd_bus_message_append(reply, "s", b->p->name);
	if (strcmp(prop, "Discoverable") == 0)
		return sd_bus_message_append(reply, "b", b->p->kind != SIM_KEISER);
	return periph_append_service_data(b->p, reply);
}

static int method_release(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	log_info("bluetoothd released the advertisement");
	return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable adv_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("Release", "", "", method_release, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_PROPERTY("Type", "s", adv_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("ServiceUUIDs", "as", adv_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("ServiceData", "a{sv}", adv_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("LocalName", "s", adv_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("ManufacturerData", "a{qv}", adv_get, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Discoverable", "b", adv_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_VTABLE_END
};

static void ble_register(void *userdata);

/* Retry later: a bluetoothd that has just taken org.bluez exports its adapters after. */
static void register_retry(struct ble *b)
{
	(void) later_start(b->sim->loop, REGISTER_RETRY_MS, ble_register, b, &b->register_later);
}

/* Return: true if registered (or already). */
static bool register_done(struct ble *b, sd_bus_message *m, const char *what, bool quiet)
{
	const sd_bus_error *e = sd_bus_message_get_error(m);

	if (!e) {
		if (!quiet)
			log_info("Registered the %s on %s", what, b->adapter_path);
		return true;
	}
	if (sd_bus_error_has_name(e, "org.bluez.Error.AlreadyExists"))
		return true;
	/* Not there yet (or just gone): retry quietly. */
	if (sd_bus_error_has_name(e, SD_BUS_ERROR_UNKNOWN_METHOD) ||
	    sd_bus_error_has_name(e, SD_BUS_ERROR_UNKNOWN_OBJECT) ||
	    sd_bus_error_has_name(e, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
	    sd_bus_error_has_name(e, SD_BUS_ERROR_NO_REPLY) ||
	    sd_bus_error_has_name(e, SD_BUS_ERROR_NAME_HAS_NO_OWNER))
		log_debug("Registering the %s: %s; trying again", what, e->message);
	else
		log_error("Registering the %s with bluetoothd failed: %s; trying again", what,
			  e->message ? e->message : e->name);
	register_retry(b);
	return false;
}

static int on_app_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct ble *b = userdata;

	b->app_call = sd_bus_slot_unref(b->app_call);
	if (register_done(b, m, "GATT application", false))
		b->need_app = false;
	return 0;
}

static void readvertise(void *userdata);

static int on_adv_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct ble *b = userdata;
	unsigned ms = b->sim->opt->readvertise_ms;

	b->adv_call = sd_bus_slot_unref(b->adv_call);
	if (!register_done(b, m, "advertisement", b->adv_registered))
		return 0;
	b->need_adv = false;
	b->adv_registered = true;
	if (ms > 0)
		(void) later_start(b->sim->loop, ms, readvertise, b, &b->readvertise_later);
	return 0;
}

static int on_unregistered(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct ble *b = userdata;

	b->adv_call = sd_bus_slot_unref(b->adv_call);
	b->need_adv = true;
	ble_register(b);
	return 0;
}

/*
 * --readvertise: advertise afresh every so often while no central is connected. btvirt
 * sends one advertising report per scan, at the moment scanning (or advertising) starts,
 * and bluetoothd can miss that one; a real controller advertises every interval.
 */
static void readvertise(void *userdata)
{
	struct ble *b = userdata;
	int r;

	if (b->p->connected || b->adv_call || b->need_adv) {
		(void) later_start(b->sim->loop, b->sim->opt->readvertise_ms, readvertise, b,
				   &b->readvertise_later);
		return;
	}
	r = sd_bus_call_method_async(b->bus, &b->adv_call, BZ, b->adapter_path, BZ_ADV_MANAGER,
				     "UnregisterAdvertisement", on_unregistered, b, "o",
				     BLE_ADV_PATH);
	if (r < 0)
		log_warning_errno(r, "Cannot refresh the advertisement");
}

/* Name the adapter after the machine: centrals read it as the GAP Device Name. */
static int ble_set_alias(struct ble *b)
{
	return sd_bus_call_method_async(b->bus, NULL, BZ, b->adapter_path,
					"org.freedesktop.DBus.Properties", "Set", NULL, NULL, "ssv",
					BZ_ADAPTER, "Alias", "s", b->p->name);
}

/* Register what bluetoothd does not have yet; replies that fail retry. */
static void ble_register(void *userdata)
{
	struct ble *b = userdata;
	int r = 0;

	if (b->need_app && !b->app_call) {
		(void) ble_set_alias(b);
		r = sd_bus_call_method_async(b->bus, &b->app_call, BZ, b->adapter_path,
					     BZ_GATT_MANAGER, "RegisterApplication", on_app_reply,
					     b, "oa{sv}", BLE_APP_ROOT, 0);
	}
	if (r >= 0 && b->need_adv && !b->adv_call)
		r = sd_bus_call_method_async(b->bus, &b->adv_call, BZ, b->adapter_path,
					     BZ_ADV_MANAGER, "RegisterAdvertisement", on_adv_reply,
					     b, "oa{sv}", BLE_ADV_PATH, 0);
	if (r < 0)
		log_error_errno(r, "Cannot register with bluetoothd");
}

static int on_name_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct ble *b = userdata;
	const char *name, *old_owner, *new_owner;

	if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 ||
	    strcmp(name, BZ) != 0)
		return 0;
	if (old_owner[0]) {
		log_info("bluetoothd went away");
		later_cancel(&b->readvertise_later);
		later_cancel(&b->register_later);
		b->app_call = sd_bus_slot_unref(b->app_call);
		b->adv_call = sd_bus_slot_unref(b->adv_call);
		b->need_app = b->p->kind != SIM_KEISER;
		b->need_adv = true;
		b->adv_registered = false;
		ble_detach(b, NULL);
		ble_gatt_reset(b);
	}
	if (new_owner[0]) {
		log_info("bluetoothd is back: registering again");
		ble_register(b);
	}
	return 0;
}

static void ble_bus_lost(struct bus_source *src, int error, void *userdata)
{
	struct ble *b = userdata;

	log_error_errno(error, "Lost the bus connection");
	sim_quit(b->sim, 1);
}

static int ble_matches(struct ble *b)
{
	int r;

	r = sd_bus_match_signal_async(b->bus, &b->noc_slot, "org.freedesktop.DBus",
				      "/org/freedesktop/DBus", "org.freedesktop.DBus",
				      "NameOwnerChanged", on_name_owner_changed, NULL, b);
	if (r >= 0)
		r = sd_bus_match_signal_async(b->bus, &b->props_slot, BZ, NULL,
					      "org.freedesktop.DBus.Properties",
					      "PropertiesChanged", on_props_changed, NULL, b);
	if (r >= 0)
		r = sd_bus_match_signal_async(b->bus, &b->added_slot, BZ, "/",
					      "org.freedesktop.DBus.ObjectManager",
					      "InterfacesAdded", on_ifaces_added, NULL, b);
	if (r >= 0)
		r = sd_bus_match_signal_async(b->bus, &b->removed_slot, BZ, "/",
					      "org.freedesktop.DBus.ObjectManager",
					      "InterfacesRemoved", on_ifaces_removed, NULL, b);
	return r;
}

/* The adapter's address becomes the device's (ctl and logs name it). Return: 0/-errno. */
static int ble_read_address(struct ble *b)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	char *addr = NULL;
	int r;

	r = sd_bus_get_property_string(b->bus, BZ, b->adapter_path, BZ_ADAPTER, "Address", &e,
				       &addr);
	if (r < 0) {
		log_error("No adapter %s in bluetoothd: %s", b->adapter_path,
			  e.message ? e.message : strerror(-r));
		sd_bus_error_free(&e);
		return r;
	}
	snprintf(b->address, sizeof(b->address), "%s", addr);
	snprintf(b->p->address, sizeof(b->p->address), "%s", addr);
	free(addr);
	return 0;
}

int ble_new(struct sim *sim, struct ble **ret)
{
	struct ble *b;
	int r;

	if (sim->n_periphs != 1)
		return log_error_errno(-EINVAL, "--ble serves one device per adapter");
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->sim = sim;
	b->p = sim->periphs[0];
	snprintf(b->adapter_path, sizeof(b->adapter_path), "/org/bluez/%s", sim->opt->adapter);
	r = bus_open_by_name(sim->opt->bus, "backride-sim-ble", &b->bus);
	if (r < 0)
		log_error_errno(r, "Cannot open bus %s", sim->opt->bus);
	if (r >= 0)
		r = ble_read_address(b);
	if (r >= 0)
		r = ble_gatt_export(b);
	if (r >= 0)
		r = sd_bus_add_object_vtable(b->bus, &b->adv_slot, BLE_ADV_PATH, BZ_ADV, adv_vtable,
					     b);
	if (r >= 0)
		r = ble_matches(b);
	if (r >= 0) {
		/* A Keiser M3i is a broadcaster: no GATT application to serve. */
		b->need_app = b->p->kind != SIM_KEISER;
		b->need_adv = true;
		ble_register(b);
		r = bus_source_new(sim->loop, b->bus, ble_bus_lost, b, &b->src);
	}
	if (r < 0) {
		ble_free(b);
		return log_error_errno(r, "Cannot serve %s through bluetoothd", sim->opt->adapter);
	}
	log_info("%s is a BLE peripheral on %s (%s)", b->p->name, sim->opt->adapter, b->address);
	*ret = b;
	return 0;
}

void ble_free(struct ble *b)
{
	if (!b)
		return;
	periph_disconnect(b->p);
	later_cancel(&b->readvertise_later);
	later_cancel(&b->register_later);
	bus_source_close(b->src);
	sd_bus_slot_unref(b->app_call);
	sd_bus_slot_unref(b->adv_call);
	sd_bus_slot_unref(b->noc_slot);
	sd_bus_slot_unref(b->props_slot);
	sd_bus_slot_unref(b->added_slot);
	sd_bus_slot_unref(b->removed_slot);
	sd_bus_slot_unref(b->adv_slot);
	ble_gatt_unexport(b);
	/* Closing the connection makes bluetoothd drop the application and advertisement. */
	if (b->bus)
		sd_bus_flush_close_unref(b->bus);
	free(b);
}
