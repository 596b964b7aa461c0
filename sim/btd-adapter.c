/* SPDX-License-Identifier: MIT */
/* org.bluez.Adapter1 at /org/bluez/hci0: per-client discovery sessions and filters. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "btd-internal.h"
#include "bus-util.h"
#include "later.h"
#include "log.h"
#include "rng.h"
#include "store.h"

#define ADAPTER_ADDRESS	 "00:1A:7D:DA:71:13"
#define SCAN_FIRST_MS	 100
#define SCAN_INTERVAL_MS 500
/* device_set_rssi(): unfiltered discovery reports RSSI changes of 8 dB or more. */
#define RSSI_THRESHOLD 8

static struct rng scan_rng = { 0x1234 };

static struct btd_disc_client *client_find(struct btd *b, const char *owner)
{
	for (struct btd_disc_client *c = b->clients; c; c = c->next)
		if (strcmp(c->owner, owner) == 0)
			return c;
	return NULL;
}

static struct btd_disc_client *client_get(struct btd *b, const char *owner)
{
	struct btd_disc_client *c = client_find(b, owner);

	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	snprintf(c->owner, sizeof(c->owner), "%s", owner);
	c->next = b->clients;
	b->clients = c;
	return c;
}

static void client_free(struct btd *b, struct btd_disc_client *c)
{
	for (struct btd_disc_client **pp = &b->clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			free(c);
			return;
		}
	}
}

static bool client_accepts(const struct btd_disc_client *c, const struct periph *p, int16_t rssi)
{
	char uuid[37];
	bool match = c->n_uuids == 0;

	if (!c->has_filter)
		return true;
	btd_uuid128(periph_adv_uuid16(p), uuid);
	for (size_t i = 0; i < c->n_uuids; i++)
		if (periph_adv_uuid16(p) && strcasecmp(c->uuids[i], uuid) == 0)
			match = true;
	if (c->has_rssi && rssi < c->rssi)
		match = false;
	/* LE-only peers; and Pathloss needs a TxPower these adverts do not carry. */
	if (c->bredr_only || c->has_pathloss)
		match = false;
	if (c->pattern[0] && strncasecmp(p->address, c->pattern, strlen(c->pattern)) != 0 &&
	    strncmp(p->name, c->pattern, strlen(c->pattern)) != 0)
		match = false;
	return match;
}

/* Filters of all clients are merged: a device one client wants is reported to everybody. */
static bool merged_accepts(struct btd *b, const struct periph *p, int16_t rssi)
{
	for (struct btd_disc_client *c = b->clients; c; c = c->next)
		if (c->discovering && client_accepts(c, p, rssi))
			return true;
	return false;
}

static void scan_report(void *userdata);

static void scan_schedule(struct btd *b, uint64_t ms)
{
	if (later_start(b->sim->loop, ms, scan_report, b, &b->scan_later) < 0)
		log_error("Out of memory scheduling a scan report");
}

/* Filtered discovery: every discovering client has a filter (else the merge is "none"). */
static bool filtered_discovery(struct btd *b)
{
	for (struct btd_disc_client *c = b->clients; c; c = c->next)
		if (c->discovering && !c->has_filter)
			return false;
	return true;
}

static void scan_report(void *userdata)
{
	struct btd *b = userdata;
	int delta = filtered_discovery(b) ? 0 : RSSI_THRESHOLD;
	struct btd_device *d;
	struct periph *p;
	int16_t rssi;

	for (size_t i = 0; i < b->sim->n_periphs; i++) {
		p = b->sim->periphs[i];
		if (!periph_advertising(p))
			continue;
		rssi = (int16_t) (-60 - 6 * (int) i + (int) (rng_unit(&scan_rng) * 7));
		if (!merged_accepts(b, p, rssi))
			continue;
		d = btd_device_find_address(b, p->address);
		if (!d && btd_device_new(b, p, NULL, &d) < 0)
			continue;
		btd_device_seen(d, rssi, delta);
	}
	scan_schedule(b, SCAN_INTERVAL_MS);
}

void btd_advertise(struct btd *b, struct periph *p, uint16_t company, const uint8_t *data,
		   size_t len)
{
	int16_t rssi = (int16_t) (-64 + (int) (rng_unit(&scan_rng) * 7));
	bool duplicate = false;
	struct btd_device *d;

	if (!b->discovering || !merged_accepts(b, p, rssi))
		return;
	d = btd_device_find_address(b, p->address);
	if (!d && btd_device_new(b, p, NULL, &d) < 0)
		return;
	btd_device_seen(d, rssi, filtered_discovery(b) ? 0 : RSSI_THRESHOLD);
	for (struct btd_disc_client *c = b->clients; c; c = c->next)
		duplicate |= c->discovering && c->duplicate;
	btd_device_set_mfr(d, company, data, len, duplicate);
}

static void discovery_update(struct btd *b)
{
	bool any = false;

	for (struct btd_disc_client *c = b->clients; c; c = c->next)
		any |= c->discovering;
	if (any == b->discovering)
		return;
	b->discovering = any;
	(void) sd_bus_emit_properties_changed(b->bus, BTD_ADAPTER_PATH, BTD_ADAPTER_IFACE,
					      "Discovering", NULL);
	if (any) {
		rng_seed(&scan_rng, b->sim->opt->seed + 99);
		scan_schedule(b, SCAN_FIRST_MS);
		return;
	}
	later_cancel(&b->scan_later);
	/* discovery_cleanup(): RSSI is invalidated; temporary devices expire later. */
	for (struct btd_device *d = b->devices; d; d = d->next)
		btd_device_lost_rssi(d);
}

static int method_start_discovery(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd *b = userdata;
	struct btd_disc_client *c;
	int r;

	if (!b->powered)
		return sd_bus_error_set(e, BTD_ERR_NOT_READY, BTD_MSG_NOT_READY);
	c = client_get(b, sd_bus_message_get_sender(m));
	if (!c)
		return -ENOMEM;
	if (c->discovering)
		return sd_bus_error_set(e, BTD_ERR_IN_PROGRESS, BTD_MSG_BUSY);
	c->discovering = true;
	r = sd_bus_reply_method_return(m, "");
	discovery_update(b);
	return r;
}

static int method_stop_discovery(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd *b = userdata;
	struct btd_disc_client *c;
	int r;

	if (!b->powered)
		return sd_bus_error_set(e, BTD_ERR_NOT_READY, BTD_MSG_NOT_READY);
	c = client_find(b, sd_bus_message_get_sender(m));
	if (!c || !c->discovering)
		return sd_bus_error_set(e, BTD_ERR_FAILED, "No discovery started");
	/* The filter goes with the session (discovery_remove). */
	client_free(b, c);
	r = sd_bus_reply_method_return(m, "");
	discovery_update(b);
	return r;
}

static int parse_uuids(sd_bus_message *m, struct btd_disc_client *f)
{
	const char *s;
	unsigned x[5];
	int r;

	r = sd_bus_message_enter_container(m, 'a', "s");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_read(m, "s", &s)) > 0) {
		/* bt_string2uuid: 16/32-bit hex or the 128-bit form. */
		if (strlen(s) == 36 &&
		    sscanf(s, "%8x-%4x-%4x-%4x-%12x", &x[0], &x[1], &x[2], &x[3], &x[4]) != 5)
			return -EINVAL;
		if (strlen(s) != 36 && (strlen(s) > 8 || sscanf(s, "%x", &x[0]) != 1))
			return -EINVAL;
		if (f->n_uuids == ARRAY_SIZE(f->uuids))
			continue;
		if (strlen(s) == 36)
			snprintf(f->uuids[f->n_uuids++], sizeof(f->uuids[0]), "%s", s);
		else
			btd_uuid128((uint16_t) x[0], f->uuids[f->n_uuids++]);
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

/* One filter entry; the variant type must be exactly right (parse_discovery_filter_entry). */
static int parse_filter_entry(sd_bus_message *m, const char *key, void *userdata)
{
	struct btd_disc_client *f = userdata;
	const char *s;
	int16_t n;
	uint16_t q;
	int bv, r;

	if (strcmp(key, "UUIDs") == 0) {
		r = sd_bus_message_enter_container(m, 'v', "as");
		if (r > 0)
			r = parse_uuids(m, f);
	} else if (strcmp(key, "RSSI") == 0) {
		r = sd_bus_message_read(m, "v", "n", &n);
		if (r > 0 && (n < -127 || n > 20))
			return -EINVAL;
		f->has_rssi = true;
		f->rssi = n;
		return r;
	} else if (strcmp(key, "Pathloss") == 0) {
		f->has_pathloss = true;
		return sd_bus_message_read(m, "v", "q", &q);
	} else if (strcmp(key, "Transport") == 0) {
		r = sd_bus_message_read(m, "v", "s", &s);
		if (r > 0 && strcmp(s, "auto") && strcmp(s, "le") && strcmp(s, "bredr"))
			return -EINVAL;
		f->bredr_only = r > 0 && strcmp(s, "bredr") == 0;
		return r;
	} else if (strcmp(key, "DuplicateData") == 0) {
		r = sd_bus_message_read(m, "v", "b", &bv);
		f->duplicate = r > 0 && bv;
		return r;
	} else if (strcmp(key, "Discoverable") == 0) {
		return sd_bus_message_read(m, "v", "b", &bv);
	} else if (strcmp(key, "Pattern") == 0) {
		r = sd_bus_message_read(m, "v", "s", &s);
		if (r > 0)
			snprintf(f->pattern, sizeof(f->pattern), "%s", s);
		return r;
	} else {
		return -EINVAL;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

static int parse_filter(sd_bus_message *m, struct btd_disc_client *f)
{
	int r;

	r = bus_dict_foreach(m, parse_filter_entry, f);
	if (r < 0)
		return r;
	if (f->has_rssi && f->has_pathloss)
		return -EINVAL;
	return 0;
}

static int method_set_filter(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd *b = userdata;
	struct btd_disc_client f = { 0 }, *c;
	bool empty;

	if (!b->powered)
		return sd_bus_error_set(e, BTD_ERR_NOT_READY, BTD_MSG_NOT_READY);
	if (parse_filter(m, &f) < 0)
		return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, BTD_MSG_INVALID_ARGS);
	empty = f.n_uuids == 0 && !f.has_rssi && !f.has_pathloss && !f.bredr_only && !f.pattern[0];
	c = client_find(b, sd_bus_message_get_sender(m));
	if (empty && c && !c->discovering) {
		client_free(b, c);
		return sd_bus_reply_method_return(m, "");
	}
	if (!c)
		c = client_get(b, sd_bus_message_get_sender(m));
	if (!c)
		return -ENOMEM;
	f.has_filter = !empty;
	f.discovering = c->discovering;
	f.next = c->next;
	memcpy(f.owner, c->owner, sizeof(f.owner));
	*c = f;
	return sd_bus_reply_method_return(m, "");
}

static int method_get_filters(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	return sd_bus_reply_method_return(m, "as", 6, "UUIDs", "RSSI", "Pathloss", "Transport",
					  "DuplicateData", "Discoverable", "Pattern");
}

static int method_remove_device(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd *b = userdata;
	struct btd_device *d;
	const char *path;
	int r;

	r = sd_bus_message_read(m, "o", &path);
	if (r < 0)
		return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, BTD_MSG_INVALID_ARGS);
	d = btd_device_find_path(b, path);
	if (!d)
		return sd_bus_error_set(e, BTD_ERR_DOES_NOT_EXIST, BTD_MSG_DOES_NOT_EXIST);
	if (!b->powered)
		return sd_bus_error_set(e, BTD_ERR_NOT_READY, BTD_MSG_NOT_READY);
	/* Forget the bond and the GATT cache too (device_remove_stored). */
	(void) store_remove(b->sim->store, d->periph->address);
	d->temporary = true;
	later_cancel(&d->temp_later);
	if (d->connected) {
		r = btd_device_remove_later(d, m);
		return r < 0 ? sd_bus_error_set(e, BTD_ERR_IN_PROGRESS, BTD_MSG_IN_PROGRESS) : 1;
	}
	btd_device_remove(d, true);
	return sd_bus_reply_method_return(m, "");
}

static int prop_get_str(sd_bus *bus, const char *path, const char *iface, const char *prop,
			sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct btd *b = userdata;

	if (strcmp(prop, "Address") == 0)
		return sd_bus_message_append(reply, "s", ADAPTER_ADDRESS);
	if (strcmp(prop, "AddressType") == 0)
		return sd_bus_message_append(reply, "s", "public");
	if (strcmp(prop, "Name") == 0)
		return sd_bus_message_append(reply, "s", "backride-sim");
	if (strcmp(prop, "Modalias") == 0)
		return sd_bus_message_append(reply, "s", "usb:v1D6Bp0246d0542");
	return sd_bus_message_append(reply, "s", b->alias);
}

static int prop_get_bool(sd_bus *bus, const char *path, const char *iface, const char *prop,
			 sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct btd *b = userdata;
	int v = 0;

	if (strcmp(prop, "Powered") == 0)
		v = b->powered;
	else if (strcmp(prop, "Pairable") == 0)
		v = b->pairable;
	else if (strcmp(prop, "Discoverable") == 0)
		v = b->discoverable;
	else if (strcmp(prop, "Discovering") == 0)
		v = b->discovering;
	return sd_bus_message_append(reply, "b", v);
}

static int prop_set_bool(sd_bus *bus, const char *path, const char *iface, const char *prop,
			 sd_bus_message *value, void *userdata, sd_bus_error *e)
{
	struct btd *b = userdata;
	int v, r;

	r = sd_bus_message_read(value, "b", &v);
	if (r < 0)
		return r;
	if (strcmp(prop, "Powered") == 0 && b->powered && !v) {
		b->powered = 0;
		btd_adapter_power_off(b);
	} else if (strcmp(prop, "Powered") == 0)
		b->powered = v;
	else if (strcmp(prop, "Pairable") == 0)
		b->pairable = v;
	else
		b->discoverable = v;
	return sd_bus_emit_properties_changed(bus, path, iface, prop, NULL);
}

static int prop_set_alias(sd_bus *bus, const char *path, const char *iface, const char *prop,
			  sd_bus_message *value, void *userdata, sd_bus_error *e)
{
	struct btd *b = userdata;
	const char *s;
	int r;

	r = sd_bus_message_read(value, "s", &s);
	if (r < 0)
		return r;
	snprintf(b->alias, sizeof(b->alias), "%s", *s ? s : "backride-sim");
	return sd_bus_emit_properties_changed(bus, path, iface, prop, NULL);
}

static int prop_get_misc(sd_bus *bus, const char *path, const char *iface, const char *prop,
			 sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	if (strcmp(prop, "Class") == 0)
		return sd_bus_message_append(reply, "u", 0x7c010c);
	if (strcmp(prop, "Roles") == 0)
		return sd_bus_message_append(reply, "as", 2, "central", "peripheral");
	if (strcmp(prop, "UUIDs") == 0)
		return sd_bus_message_append(reply, "as", 2, "00001800-0000-1000-8000-00805f9b34fb",
					     "00001801-0000-1000-8000-00805f9b34fb");
	return sd_bus_message_append(reply, "u", strcmp(prop, "DiscoverableTimeout") ? 0 : 180);
}

static int prop_set_timeout(sd_bus *bus, const char *path, const char *iface, const char *prop,
			    sd_bus_message *value, void *userdata, sd_bus_error *e)
{
	uint32_t v;

	return sd_bus_message_read(value, "u", &v);
}

#define UNPRIV SD_BUS_VTABLE_UNPRIVILEGED
#define CHANGE (SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE | UNPRIV)
static const sd_bus_vtable adapter_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("StartDiscovery", "", "", method_start_discovery, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("SetDiscoveryFilter", "a{sv}", SD_BUS_PARAM(properties), "", ,
				 method_set_filter, UNPRIV),
	SD_BUS_METHOD("StopDiscovery", "", "", method_stop_discovery, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("RemoveDevice", "o", SD_BUS_PARAM(device), "", ,
				 method_remove_device, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("GetDiscoveryFilters", "", , "as", SD_BUS_PARAM(filters),
				 method_get_filters, UNPRIV),
	SD_BUS_PROPERTY("Address", "s", prop_get_str, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("AddressType", "s", prop_get_str, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Name", "s", prop_get_str, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_WRITABLE_PROPERTY("Alias", "s", prop_get_str, prop_set_alias, 0, CHANGE),
	SD_BUS_PROPERTY("Class", "u", prop_get_misc, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_WRITABLE_PROPERTY("Powered", "b", prop_get_bool, prop_set_bool, 0, CHANGE),
	SD_BUS_WRITABLE_PROPERTY("Discoverable", "b", prop_get_bool, prop_set_bool, 0, CHANGE),
	SD_BUS_WRITABLE_PROPERTY("DiscoverableTimeout", "u", prop_get_misc, prop_set_timeout, 0,
				 CHANGE),
	SD_BUS_WRITABLE_PROPERTY("Pairable", "b", prop_get_bool, prop_set_bool, 0, CHANGE),
	SD_BUS_WRITABLE_PROPERTY("PairableTimeout", "u", prop_get_misc, prop_set_timeout, 0,
				 CHANGE),
	SD_BUS_PROPERTY("Discovering", "b", prop_get_bool, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("UUIDs", "as", prop_get_misc, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Modalias", "s", prop_get_str, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Roles", "as", prop_get_misc, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_VTABLE_END
};

int btd_adapter_register(struct btd *b)
{
	return sd_bus_add_object_vtable(b->bus, &b->adapter_slot, BTD_ADAPTER_PATH,
					BTD_ADAPTER_IFACE, adapter_vtable, b);
}

void btd_adapter_client_gone(struct btd *b, const char *owner)
{
	struct btd_disc_client *c = client_find(b, owner);

	if (!c)
		return;
	client_free(b, c);
	discovery_update(b);
}

/* Powered off: discovery sessions end and every link drops (adapter_stop). */
void btd_adapter_power_off(struct btd *b)
{
	while (b->clients)
		client_free(b, b->clients);
	discovery_update(b);
	for (struct btd_device *d = b->devices; d; d = d->next)
		btd_device_power_off(d);
}

void btd_adapter_free(struct btd *b)
{
	later_cancel(&b->scan_later);
	while (b->clients)
		client_free(b, b->clients);
}
