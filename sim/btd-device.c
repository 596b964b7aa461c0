/* SPDX-License-Identifier: MIT */
/* org.bluez.Device1: temporary devices, Connect/Disconnect, Just Works pairing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "btd-internal.h"
#include "later.h"
#include "log.h"
#include "store.h"

#define PAIR_MS 300
/* Bluetooth SIG Appearance values: generic cycling, generic heart rate sensor. */
#define APPEARANCE_CYCLING 0x0480
#define APPEARANCE_HR	   0x0340

static void device_dropped(void *userdata);
static void device_value(void *userdata, const struct periph_char *c, const uint8_t *v, size_t n)
{
	btd_gatt_value(userdata, c, v, n);
}

/* sd-bus queues without bound; stop feeding a flood while the socket is backed up. */
static bool device_busy(void *userdata)
{
	struct btd_device *d = userdata;
	uint64_t queued = 0;

	(void) sd_bus_get_n_queued_write(d->b->bus, &queued);
	return queued > 256;
}

static const struct periph_link_ops link_ops = {
	.value = device_value,
	.dropped = device_dropped,
	.busy = device_busy,
};

static void emit(struct btd_device *d, const char *prop)
{
	(void) sd_bus_emit_properties_changed(d->b->bus, d->path, BTD_DEVICE_IFACE, prop, NULL);
}

struct btd_device *btd_device_find_path(struct btd *b, const char *path)
{
	for (struct btd_device *d = b->devices; d; d = d->next)
		if (strcmp(d->path, path) == 0)
			return d;
	return NULL;
}

struct btd_device *btd_device_find_address(struct btd *b, const char *address)
{
	for (struct btd_device *d = b->devices; d; d = d->next)
		if (strcasecmp(d->periph->address, address) == 0)
			return d;
	return NULL;
}

static void temp_expired(void *userdata)
{
	struct btd_device *d = userdata;

	if (d->temporary && !d->connected && !d->connect_msg)
		btd_device_remove(d, true);
}

static void set_temporary(struct btd_device *d, bool temporary)
{
	d->temporary = temporary;
	if (!temporary) {
		later_cancel(&d->temp_later);
		btd_store_device(d);
	}
}

void btd_device_lost_rssi(struct btd_device *d)
{
	if (!d->rssi_slot)
		return;
	d->rssi_slot = sd_bus_slot_unref(d->rssi_slot);
	(void) btd_emit_invalidated(d->b, d->path, BTD_DEVICE_IFACE, "RSSI");
}

/* The link is gone, whoever ended it. Order as bluetoothd: ServicesResolved, Connected. */
static void device_link_down(struct btd_device *d)
{
	later_cancel(&d->resolve_later);
	later_cancel(&d->disconnect_later);
	if (d->services_resolved) {
		d->services_resolved = false;
		emit(d, "ServicesResolved");
	}
	btd_gatt_disconnected(d);
	if (d->pair_msg) {
		later_cancel(&d->pair_later);
		d->agent_call = sd_bus_slot_unref(d->agent_call);
		(void) btd_reply_error(&d->pair_msg, BTD_ERR_AUTH_CANCELED,
				       "Authentication Canceled");
	}
	if (d->connected) {
		d->connected = false;
		emit(d, "Connected");
	}
	for (size_t i = 0; i < d->n_disconnect; i++) {
		(void) sd_bus_reply_method_return(d->disconnect_msgs[i], "");
		d->disconnect_msgs[i] = sd_bus_message_unref(d->disconnect_msgs[i]);
	}
	d->n_disconnect = 0;
}

static void disconnect_done(void *userdata)
{
	struct btd_device *d = userdata;
	sd_bus_message *m = d->remove_msg;

	periph_disconnect(d->periph);
	device_link_down(d);
	if (!m)
		return;
	d->remove_msg = NULL;
	btd_device_remove(d, true);
	(void) sd_bus_reply_method_return(m, "");
	sd_bus_message_unref(m);
}

int btd_device_remove_later(struct btd_device *d, sd_bus_message *m)
{
	if (d->remove_msg)
		return -EBUSY;
	d->remove_msg = sd_bus_message_ref(m);
	if (d->disconnect_later)
		return 1;
	return later_start(d->b->sim->loop, d->b->sim->opt->disconnect_ms, disconnect_done, d,
			   &d->disconnect_later);
}

void btd_device_power_off(struct btd_device *d)
{
	later_cancel(&d->connect_later);
	(void) btd_reply_error(&d->connect_msg, BTD_ERR_FAILED, "le-connection-abort-by-local");
	if (!d->connected)
		return;
	periph_disconnect(d->periph);
	device_link_down(d);
}

static void device_dropped(void *userdata)
{
	struct btd_device *d = userdata;

	log_info("%s: link lost (le-connection-abort-by-remote)", d->periph->address);
	device_link_down(d);
}

static void export_late(void *userdata)
{
	struct btd_device *d = userdata;

	if (!d->connected || d->gatt_exported)
		return;
	if (btd_gatt_export(d) >= 0)
		emit(d, "UUIDs");
	btd_gatt_rearm(d);
}

int btd_power_cycle(struct btd *b, const char *address)
{
	struct btd_device *d = btd_device_find_address(b, address);
	int r;

	if (!d)
		return -ENOENT;
	if (!d->connected)
		return -ENOTCONN;
	/*
	 * bluetoothd 5.66 on Service Changed: the services in the range go (src/gatt-client.c
	 * btd_gatt_client_service_removed(): InterfacesRemoved of each characteristic, its
	 * descriptors and the service; their notification sessions end), and once discovered
	 * again come back as new objects (btd_gatt_client_service_added(): InterfacesAdded).
	 * The link and ServicesResolved stay as they are.
	 */
	btd_gatt_unexport(d, true);
	r = periph_power_cycle(d->periph);
	if (r < 0)
		return r;
	later_cancel(&d->resolve_later);
	return later_start(d->b->sim->loop, d->b->sim->opt->resolve_ms, export_late, d,
			   &d->resolve_later);
}

static void resolve_done(void *userdata)
{
	struct btd_device *d = userdata;

	if (!d->connected)
		return;
	if (d->periph->fault[PF_RESOLVE_EARLY] && !d->gatt_exported) {
		/* bluez#1489: ServicesResolved before the GATT objects are exported. */
		d->services_resolved = true;
		emit(d, "ServicesResolved");
		(void) later_start(d->b->sim->loop, d->b->sim->opt->resolve_ms, export_late, d,
				   &d->resolve_later);
		return;
	}
	if (!d->gatt_exported && btd_gatt_export(d) >= 0)
		emit(d, "UUIDs");
	btd_gatt_rearm(d);
	d->services_resolved = true;
	emit(d, "ServicesResolved");
	if (d->periph->fault[PF_SECURITY_REQUEST] && !d->bonded)
		(void) btd_remote_pairing(d->b, d->periph->address);
}

static void pair_start(struct btd_device *d);

static void connect_done(void *userdata)
{
	struct btd_device *d = userdata;
	char reason[64];
	int r;

	r = periph_connect(d->periph, &link_ops, d);
	if (r == -ECONNABORTED) {
		/* Connected flips true and back around le-connection-abort-by-local (bleak#1255).
		 */
		d->connected = true;
		emit(d, "Connected");
		d->connected = false;
		emit(d, "Connected");
		(void) btd_reply_error(&d->connect_msg, BTD_ERR_FAILED,
				       "le-connection-abort-by-local");
		(void) btd_reply_error(&d->pair_msg, BTD_ERR_FAILED,
				       "le-connection-abort-by-local");
		return;
	}
	if (r < 0) {
		snprintf(reason, sizeof(reason), "%s", d->periph->refuse_reason);
		(void) btd_reply_error(&d->connect_msg, BTD_ERR_FAILED, reason);
		(void) btd_reply_error(&d->pair_msg, BTD_ERR_FAILED, reason);
		return;
	}
	d->connected = true;
	/* bluetoothd 5.66 leaves this signal out for a bonded device it loaded as dual-mode
	 * (SupportedTechnologies=BR/EDR;LE, after LE Secure Connections pairing derived a link
	 * key) once it has been restarted: Connected reads true, only ServicesResolved is
	 * signalled (device_add_connection finds the LE bearer connected already). */
	if (!d->periph->fault[PF_QUIET_CONNECTED])
		emit(d, "Connected");
	btd_gatt_connected(d);
	if (d->connect_msg) {
		(void) sd_bus_reply_method_return(d->connect_msg, "");
		d->connect_msg = sd_bus_message_unref(d->connect_msg);
	}
	(void) later_start(d->b->sim->loop, d->b->sim->opt->resolve_ms, resolve_done, d,
			   &d->resolve_later);
	if (d->pair_msg)
		pair_start(d);
}

static int device_start_connect(struct btd_device *d)
{
	set_temporary(d, false);
	if (d->connect_later)
		return 0;
	return later_start(d->b->sim->loop, d->b->sim->opt->connect_ms, connect_done, d,
			   &d->connect_later);
}

static int method_connect(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd_device *d = userdata;
	int r;

	if (!d->b->powered)
		return sd_bus_error_set(e, BTD_ERR_NOT_READY, BTD_MSG_NOT_READY);
	if (d->connected)
		return sd_bus_reply_method_return(m, "");
	if (d->connect_msg)
		return sd_bus_error_set(e, BTD_ERR_FAILED, BTD_MSG_BUSY);
	r = device_start_connect(d);
	if (r < 0)
		return r;
	d->connect_msg = sd_bus_message_ref(m);
	return 1;
}

static int method_disconnect(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd_device *d = userdata;

	if (d->connect_msg || d->connect_later) {
		/* A pending connect is cancelled (device_request_disconnect). */
		later_cancel(&d->connect_later);
		(void) btd_reply_error(&d->connect_msg, BTD_ERR_FAILED, "br-connection-canceled");
		(void) btd_reply_error(&d->pair_msg, BTD_ERR_AUTH_CANCELED,
				       "Authentication Canceled");
	}
	if (!d->connected)
		return sd_bus_reply_method_return(m, "");
	if (d->n_disconnect == ARRAY_SIZE(d->disconnect_msgs))
		return sd_bus_error_set(e, BTD_ERR_IN_PROGRESS, BTD_MSG_IN_PROGRESS);
	/* bluetoothd lets the profiles go first and drops the link DISCONNECT_TIMER later. */
	d->disconnect_msgs[d->n_disconnect++] = sd_bus_message_ref(m);
	if (!d->disconnect_later)
		(void) later_start(d->b->sim->loop, d->b->sim->opt->disconnect_ms, disconnect_done,
				   d, &d->disconnect_later);
	return 1;
}

void btd_device_set_paired(struct btd_device *d)
{
	set_temporary(d, false);
	if (!d->bonded) {
		d->bonded = true;
		emit(d, "Bonded");
	}
	if (!d->paired) {
		d->paired = true;
		emit(d, "Paired");
	}
	btd_store_device(d);
}

static void pair_done(void *userdata)
{
	struct btd_device *d = userdata;
	const char *name, *message;
	char error[64];

	if (d->periph->fault[PF_REFUSE_PAIR]) {
		/* The machine answers SMP Pairing Failed: Paired stays false, the link stays up. */
		periph_pair_error(d->periph, &name, &message);
		snprintf(error, sizeof(error), BTD_ERR "%s", name);
		(void) btd_reply_error(&d->pair_msg, error, message);
		return;
	}
	btd_device_set_paired(d);
	if (d->pair_msg) {
		(void) sd_bus_reply_method_return(d->pair_msg, "");
		d->pair_msg = sd_bus_message_unref(d->pair_msg);
	}
}

/* SMP Just Works, locally initiated: bluetoothd confirms by itself, no agent call. */
static void pair_start(struct btd_device *d)
{
	(void) later_start(d->b->sim->loop, PAIR_MS, pair_done, d, &d->pair_later);
}

static int method_pair(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd_device *d = userdata;
	int r;

	if (d->bonded && d->paired)
		return sd_bus_error_set(e, BTD_ERR_ALREADY_EXISTS, BTD_MSG_ALREADY_EXISTS);
	if (d->pair_msg || d->agent_call)
		return sd_bus_error_set(e, BTD_ERR_IN_PROGRESS, BTD_MSG_IN_PROGRESS);
	d->pair_msg = sd_bus_message_ref(m);
	if (d->connected) {
		pair_start(d);
		return 1;
	}
	r = device_start_connect(d);
	if (r < 0) {
		d->pair_msg = sd_bus_message_unref(d->pair_msg);
		return r;
	}
	return 1;
}

static int method_cancel_pairing(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd_device *d = userdata;

	if (!d->pair_msg && !d->agent_call)
		return sd_bus_error_set(e, BTD_ERR_DOES_NOT_EXIST, BTD_MSG_DOES_NOT_EXIST);
	later_cancel(&d->pair_later);
	d->agent_call = sd_bus_slot_unref(d->agent_call);
	(void) btd_reply_error(&d->pair_msg, BTD_ERR_AUTH_CANCELED, "Authentication Canceled");
	return sd_bus_reply_method_return(m, "");
}

static int method_profile(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, BTD_MSG_INVALID_ARGS);
}

static int prop_get_str(sd_bus *bus, const char *path, const char *iface, const char *prop,
			sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct btd_device *d = userdata;

	if (strcmp(prop, "Address") == 0)
		return sd_bus_message_append(reply, "s", d->periph->address);
	if (strcmp(prop, "AddressType") == 0)
		return sd_bus_message_append(reply, "s", "random");
	if (strcmp(prop, "Name") == 0)
		return sd_bus_message_append(reply, "s", d->periph->name);
	if (strcmp(prop, "Adapter") == 0)
		return sd_bus_message_append(reply, "o", BTD_ADAPTER_PATH);
	return sd_bus_message_append(reply, "s", d->alias[0] ? d->alias : d->periph->name);
}

static int prop_get_bool(sd_bus *bus, const char *path, const char *iface, const char *prop,
			 sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct btd_device *d = userdata;
	int v = 0;

	if (strcmp(prop, "Paired") == 0)
		v = d->paired;
	else if (strcmp(prop, "Bonded") == 0)
		v = d->bonded;
	else if (strcmp(prop, "Trusted") == 0)
		v = d->trusted;
	else if (strcmp(prop, "Blocked") == 0)
		v = d->blocked;
	else if (strcmp(prop, "Connected") == 0)
		v = d->connected;
	else if (strcmp(prop, "ServicesResolved") == 0)
		v = d->services_resolved;
	return sd_bus_message_append(reply, "b", v);
}

static int prop_set(sd_bus *bus, const char *path, const char *iface, const char *prop,
		    sd_bus_message *value, void *userdata, sd_bus_error *e)
{
	struct btd_device *d = userdata;
	const char *s;
	int v, r;

	if (strcmp(prop, "Alias") == 0) {
		r = sd_bus_message_read(value, "s", &s);
		if (r >= 0)
			snprintf(d->alias, sizeof(d->alias), "%s", s);
	} else {
		r = sd_bus_message_read(value, "b", &v);
		if (r >= 0 && strcmp(prop, "Trusted") == 0)
			d->trusted = !!v;
		else if (r >= 0)
			d->blocked = !!v;
	}
	if (r < 0)
		return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, BTD_MSG_INVALID_ARGS);
	btd_store_device(d);
	return sd_bus_emit_properties_changed(bus, path, iface, prop, NULL);
}

static int append_uuids(sd_bus_message *reply, const struct btd_device *d)
{
	char uuids[PERIPH_MAX_SERVICES][37], tmp[37];
	size_t n = 0;
	int r;

	if (!d->gatt_exported) {
		if (periph_adv_uuid16(d->periph)) /* 0: an advert with a name only */
			btd_uuid128(periph_adv_uuid16(d->periph), uuids[n++]);
	} else {
		for (size_t i = 0; i < d->periph->n_services; i++)
			btd_uuid128(d->periph->services[i].uuid16, uuids[n++]);
	}
	/* bluetoothd keeps the list sorted. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(uuids[j - 1], uuids[j]) > 0; j--) {
			memcpy(tmp, uuids[j], sizeof(tmp));
			memcpy(uuids[j], uuids[j - 1], sizeof(tmp));
			memcpy(uuids[j - 1], tmp, sizeof(tmp));
		}
	r = sd_bus_message_open_container(reply, 'a', "s");
	for (size_t i = 0; r >= 0 && i < n; i++)
		r = sd_bus_message_append(reply, "s", uuids[i]);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int prop_get_misc(sd_bus *bus, const char *path, const char *iface, const char *prop,
			 sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct btd_device *d = userdata;

	if (strcmp(prop, "UUIDs") == 0)
		return append_uuids(reply, d);
	if (strcmp(prop, "RSSI") == 0)
		return sd_bus_message_append(reply, "n", d->rssi);
	if (strcmp(prop, "LegacyPairing") == 0)
		return sd_bus_message_append(reply, "b", 0);
	if (strcmp(prop, "Appearance") == 0)
		return sd_bus_message_append(
			reply, "q", d->periph->kind == SIM_HR ? APPEARANCE_HR : APPEARANCE_CYCLING);
	if (strcmp(prop, "AdvertisingFlags") == 0)
		return sd_bus_message_append(reply, "ay", 1, 0x06);
	return periph_append_service_data(d->periph, reply);
}

#define UNPRIV SD_BUS_VTABLE_UNPRIVILEGED
#define CHANGE (SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE | UNPRIV)
static const sd_bus_vtable device_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("Disconnect", "", "", method_disconnect, UNPRIV),
	SD_BUS_METHOD("Connect", "", "", method_connect, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("ConnectProfile", "s", SD_BUS_PARAM(UUID), "", , method_profile,
				 UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("DisconnectProfile", "s", SD_BUS_PARAM(UUID), "", , method_profile,
				 UNPRIV),
	SD_BUS_METHOD("Pair", "", "", method_pair, UNPRIV),
	SD_BUS_METHOD("CancelPairing", "", "", method_cancel_pairing, UNPRIV),
	SD_BUS_PROPERTY("Address", "s", prop_get_str, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("AddressType", "s", prop_get_str, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Name", "s", prop_get_str, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_WRITABLE_PROPERTY("Alias", "s", prop_get_str, prop_set, 0, CHANGE),
	SD_BUS_PROPERTY("Appearance", "q", prop_get_misc, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Paired", "b", prop_get_bool, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Bonded", "b", prop_get_bool, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_WRITABLE_PROPERTY("Trusted", "b", prop_get_bool, prop_set, 0, CHANGE),
	SD_BUS_WRITABLE_PROPERTY("Blocked", "b", prop_get_bool, prop_set, 0, CHANGE),
	SD_BUS_PROPERTY("LegacyPairing", "b", prop_get_misc, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Connected", "b", prop_get_bool, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("UUIDs", "as", prop_get_misc, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Adapter", "o", prop_get_str, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("ServicesResolved", "b", prop_get_bool, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("AdvertisingFlags", "ay", prop_get_misc, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_VTABLE_END
};

/* ServiceData exists only for devices that advertise service data (the FTMS machines). */
static const sd_bus_vtable service_data_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("ServiceData", "a{sv}", prop_get_misc, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_VTABLE_END
};

/* RSSI exists only while the device is being discovered. */
static const sd_bus_vtable rssi_vtable[] = { SD_BUS_VTABLE_START(0),
					     SD_BUS_PROPERTY("RSSI", "n", prop_get_misc, 0,
							     SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
					     SD_BUS_VTABLE_END };

/* Called on every advertising report while discovering (set_temporary_timer). */
void btd_device_seen(struct btd_device *d, int16_t rssi, int delta)
{
	bool had = d->rssi_slot != NULL;

	if (d->temporary)
		(void) later_start(d->b->sim->loop, d->b->sim->opt->temporary_timeout_s * 1000ULL,
				   temp_expired, d, &d->temp_later);
	if (had && (rssi == d->rssi || abs(rssi - d->rssi) < delta))
		return;
	d->rssi = rssi;
	if (!had && sd_bus_add_object_vtable(d->b->bus, &d->rssi_slot, d->path, BTD_DEVICE_IFACE,
					     rssi_vtable, d) < 0)
		return;
	emit(d, "RSSI");
}

int btd_device_new(struct btd *b, struct periph *p, const struct store_entry *stored,
		   struct btd_device **ret)
{
	struct btd_device *d;
	char *c;
	int r;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->b = b;
	d->periph = p;
	d->temporary = !stored;
	/* Before InterfacesAdded, which carries every property. */
	if (stored) {
		d->paired = stored->paired;
		d->bonded = stored->bonded;
		d->trusted = stored->trusted;
		if (stored->alias[0])
			snprintf(d->alias, sizeof(d->alias), "%s", stored->alias);
	}
	snprintf(d->path, sizeof(d->path), BTD_ADAPTER_PATH "/dev_%s", p->address);
	for (c = d->path + strlen(BTD_ADAPTER_PATH); *c; c++)
		if (*c == ':')
			*c = '_';
	r = sd_bus_add_object_vtable(b->bus, &d->slot, d->path, BTD_DEVICE_IFACE, device_vtable, d);
	if (r >= 0 && periph_service_data(p, (uint8_t[8]) { 0 }, 8) > 0)
		r = sd_bus_add_object_vtable(b->bus, &d->sd_slot, d->path, BTD_DEVICE_IFACE,
					     service_data_vtable, d);
	if (r < 0) {
		sd_bus_slot_unref(d->slot);
		free(d);
		return r;
	}
	d->next = b->devices;
	b->devices = d;
	(void) sd_bus_emit_interfaces_added(b->bus, d->path, BTD_DEVICE_IFACE, NULL);
	*ret = d;
	return 0;
}

void btd_device_remove(struct btd_device *d, bool emit_signals)
{
	struct btd *b = d->b;

	later_cancel(&d->connect_later);
	later_cancel(&d->temp_later);
	later_cancel(&d->pair_later);
	(void) btd_reply_error(&d->connect_msg, BTD_ERR_FAILED, "br-connection-canceled");
	if (d->connected)
		periph_disconnect(d->periph);
	if (emit_signals)
		device_link_down(d);
	else
		(void) btd_reply_error(&d->pair_msg, BTD_ERR_AUTH_CANCELED,
				       "Authentication Canceled");
	later_cancel(&d->resolve_later);
	later_cancel(&d->disconnect_later);
	for (size_t i = 0; i < d->n_disconnect; i++)
		d->disconnect_msgs[i] = sd_bus_message_unref(d->disconnect_msgs[i]);
	(void) btd_reply_error(&d->remove_msg, BTD_ERR_FAILED, "Operation failed");
	d->agent_call = sd_bus_slot_unref(d->agent_call);
	btd_gatt_unexport(d, emit_signals);
	d->rssi_slot = sd_bus_slot_unref(d->rssi_slot);
	d->sd_slot = sd_bus_slot_unref(d->sd_slot);
	d->mfr_slot = sd_bus_slot_unref(d->mfr_slot);
	d->slot = sd_bus_slot_unref(d->slot);
	if (emit_signals)
		(void) sd_bus_emit_interfaces_removed(b->bus, d->path, BTD_DEVICE_IFACE, NULL);
	for (struct btd_device **pp = &b->devices; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	free(d);
}
