/* SPDX-License-Identifier: MIT */
/*
 * The object model: the adapter, devices and GATT objects of the current org.bluez owner,
 * read from GetManagedObjects, InterfacesAdded/Removed and PropertiesChanged.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bluez-internal.h"
#include "bus-util.h"
#include "log.h"

/* HCI's "RSSI not available" in an advertising report; bluetoothd passes it on as the RSSI
 * property (btvirt reports it for every advertisement). */
#define RSSI_NOT_AVAILABLE 127

struct bz_device *bz_device_find(struct bluez *b, const char *address)
{
	for (struct bz_device *d = b->devices; d; d = d->next)
		if (strcasecmp(d->address, address) == 0)
			return d;
	return NULL;
}

struct bz_device *bz_device_by_path(struct bluez *b, const char *path)
{
	for (struct bz_device *d = b->devices; d; d = d->next)
		if (strcmp(d->path, path) == 0)
			return d;
	return NULL;
}

struct bz_gatt *bz_gatt_by_path(struct bluez *b, const char *path)
{
	for (struct bz_gatt *g = b->gatt; g; g = g->next)
		if (strcmp(g->path, path) == 0)
			return g;
	return NULL;
}

enum machine_kind bz_device_kind(const struct bz_device *d)
{
	if (d->keiser)
		return MACHINE_KIND_BIKE;
	if (d->sd_kind != MACHINE_KIND_UNKNOWN)
		return d->sd_kind;
	if (!d->ftms && (d->cps || d->csc))
		return MACHINE_KIND_BIKE; /* a bike with only a power meter or a CSC sensor */
	if (!d->ftms && d->walkingpad)
		return MACHINE_KIND_TREADMILL;
	if (!d->ftms && d->hr)
		return MACHINE_KIND_HR;
	return MACHINE_KIND_UNKNOWN;
}

/* A Keiser shows its equipment ID (keiser.c); others their name. */
static const char *device_name(const struct bz_device *d)
{
	if (d->keiser_label)
		return d->keiser_label;
	return d->name ? d->name : "";
}

void bz_device_info(const struct bz_device *d, struct device_info *ret)
{
	*ret = (struct device_info) {
		.address = d->address,
		.name = device_name(d),
		.kind = bz_device_kind(d),
		.protocol = bz_device_protocol(d),
		.rssi = d->rssi,
		.has_rssi = d->has_rssi,
		.paired = d->paired,
		.connected = d->connected,
	};
}

static void device_free(struct bz_device *d)
{
	sd_bus_slot_unref(d->refresh);
	free(d->path);
	free(d->name);
	free(d->keiser_label);
	free(d);
}

static void gatt_free(struct bz_gatt *g)
{
	free(g->path);
	free(g->parent);
	free(g);
}

void bz_model_clear(struct bluez *b)
{
	while (b->devices) {
		struct bz_device *d = b->devices;

		b->devices = d->next;
		device_free(d);
	}
	while (b->gatt) {
		struct bz_gatt *g = b->gatt;

		b->gatt = g->next;
		gatt_free(g);
	}
	b->adapter_present = false;
	b->adapter_powered = 0;
	b->have_objects = false;
}

static int set_string(char **p, const char *s)
{
	char *c = strdup(s);

	if (!c)
		return -ENOMEM;
	free(*p);
	*p = c;
	return 0;
}

static int read_uuids(sd_bus_message *m, struct bz_device *d)
{
	const char *u;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "s");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_read(m, "s", &u)) > 0) {
		d->uuids = true;
		if (strcasecmp(u, FTMS_UUID_SERVICE) == 0)
			d->ftms = true;
		else if (strcasecmp(u, FTMS_UUID_HR_SERVICE) == 0)
			d->hr = true;
		else if (strcasecmp(u, FTMS_UUID_CPS_SERVICE) == 0)
			d->cps = true;
		else if (strcasecmp(u, CSC_UUID_SERVICE) == 0)
			d->csc = true;
		else if (strcasecmp(u, BZ_UUID_PAD_SERVICE) == 0)
			d->walkingpad = true;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

static int service_data_entry(sd_bus_message *m, const char *key, void *userdata)
{
	struct bz_device *d = userdata;
	const void *data;
	size_t len;
	int r;

	if (strcasecmp(key, FTMS_UUID_SERVICE) != 0)
		return sd_bus_message_skip(m, "v");
	r = sd_bus_message_enter_container(m, 'v', "ay");
	if (r < 0)
		return r;
	r = sd_bus_message_read_array(m, 'y', &data, &len);
	if (r < 0)
		return r;
	d->ftms = true;
	d->sd_kind = policy_kind_from_service_data(data, len);
	return sd_bus_message_exit_container(m);
}

static int device_prop(sd_bus_message *m, struct bz_device *d, const char *name,
		       struct bz_device_change *ch)
{
	const char *s;
	int v, r;

	if (strcmp(name, "Name") == 0 || (strcmp(name, "Alias") == 0 && !d->name)) {
		r = sd_bus_message_read(m, "v", "s", &s);
		if (r >= 0)
			r = set_string(&d->name, s);
		/* A WalkingPad's advert may carry its name only; 0xFE00 decides after connecting.
		 */
		if (r >= 0 && policy_walkingpad_name(s))
			d->walkingpad = true;
		ch->seen = true;
		return r;
	}
	if (strcmp(name, "RSSI") == 0) {
		r = sd_bus_message_read(m, "v", "n", &d->rssi);
		d->advertising = r >= 0;
		d->has_rssi = r >= 0 && d->rssi != RSSI_NOT_AVAILABLE;
		ch->seen = true;
		return r;
	}
	if (strcmp(name, "UUIDs") == 0) {
		r = sd_bus_message_enter_container(m, 'v', "as");
		if (r >= 0)
			r = read_uuids(m, d);
		ch->seen = true;
		return r < 0 ? r : sd_bus_message_exit_container(m);
	}
	if (strcmp(name, "ServiceData") == 0) {
		r = sd_bus_message_enter_container(m, 'v', "a{sv}");
		if (r >= 0)
			r = bus_dict_foreach(m, service_data_entry, d);
		ch->seen = true;
		return r < 0 ? r : sd_bus_message_exit_container(m);
	}
	if (strcmp(name, "ManufacturerData") == 0) {
		r = sd_bus_message_enter_container(m, 'v', "a{qv}");
		if (r >= 0)
			r = bz_keiser_read_mfr(d, m);
		ch->seen = ch->advert = true;
		return r < 0 ? r : sd_bus_message_exit_container(m);
	}
	if (strcmp(name, "Connected") == 0 || strcmp(name, "ServicesResolved") == 0 ||
	    strcmp(name, "Paired") == 0 || strcmp(name, "Trusted") == 0) {
		int *field = name[0] == 'C'   ? &d->connected
			     : name[0] == 'S' ? &d->resolved
			     : name[0] == 'P' ? &d->paired
					      : &d->trusted;

		r = sd_bus_message_read(m, "v", "b", &v);
		if (r < 0)
			return r;
		if (field == &d->connected && v != *field)
			ch->connected = true;
		if (field == &d->resolved && v != *field)
			ch->resolved = true;
		*field = v;
		return 0;
	}
	return sd_bus_message_skip(m, "v");
}

static int gatt_prop(sd_bus_message *m, struct bz_gatt *g, const char *name)
{
	const char *s;
	int r;

	if (strcmp(name, "UUID") == 0) {
		r = sd_bus_message_read(m, "v", "s", &s);
		if (r >= 0)
			(void) snprintf(g->uuid, sizeof(g->uuid), "%s", s);
		for (char *p = g->uuid; *p; p++)
			*p = (char) (*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
		return r;
	}
	if ((g->service && strcmp(name, "Device") == 0) ||
	    (!g->service && strcmp(name, "Service") == 0)) {
		r = sd_bus_message_read(m, "v", "o", &s);
		return r < 0 ? r : set_string(&g->parent, s);
	}
	if (strcmp(name, "Flags") == 0) {
		r = sd_bus_message_enter_container(m, 'v', "as");
		if (r < 0)
			return r;
		r = sd_bus_message_enter_container(m, 'a', "s");
		if (r < 0)
			return r;
		g->flags = 0;
		while ((r = sd_bus_message_read(m, "s", &s)) > 0)
			g->flags |= strcmp(s, "read") == 0	 ? BZ_F_READ
				    : strcmp(s, "write") == 0	 ? BZ_F_WRITE
				    : strcmp(s, "notify") == 0	 ? BZ_F_NOTIFY
				    : strcmp(s, "indicate") == 0 ? BZ_F_INDICATE
								 : 0;
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		return r < 0 ? r : sd_bus_message_exit_container(m);
	}
	return sd_bus_message_skip(m, "v");
}

struct props_walk {
	int (*prop)(sd_bus_message *m, void *obj, const char *name, void *extra);
	void *obj;
	void *extra;
};

static int props_walk_entry(sd_bus_message *m, const char *key, void *userdata)
{
	struct props_walk *w = userdata;

	return w->prop(m, w->obj, key, w->extra);
}

/* Read an a{sv} of properties; the callback reads each value. */
static int read_props(sd_bus_message *m,
		      int (*prop)(sd_bus_message *m, void *obj, const char *name, void *extra),
		      void *obj, void *extra)
{
	struct props_walk w = { .prop = prop, .obj = obj, .extra = extra };

	return bus_dict_foreach(m, props_walk_entry, &w);
}

static int device_prop_cb(sd_bus_message *m, void *obj, const char *name, void *extra)
{
	return device_prop(m, obj, name, extra);
}

static int gatt_prop_cb(sd_bus_message *m, void *obj, const char *name, void *extra)
{
	return gatt_prop(m, obj, name);
}

static int adapter_prop_cb(sd_bus_message *m, void *obj, const char *name, void *extra)
{
	struct bluez *b = obj;

	if (strcmp(name, "Powered") == 0)
		return sd_bus_message_read(m, "v", "b", &b->adapter_powered);
	return sd_bus_message_skip(m, "v");
}

static int add_device(struct bluez *b, const char *path, sd_bus_message *m)
{
	struct bz_device *d = bz_device_by_path(b, path);
	struct bz_device_change ch = {};
	char address[MACHINE_ADDRESS_MAX];
	bool is_new = !d;
	int r;

	if (policy_address_from_device_path(path, address) < 0 ||
	    strncmp(path, b->adapter_path, strlen(b->adapter_path)) != 0)
		return sd_bus_message_skip(m, "a{sv}");
	if (is_new) {
		d = calloc(1, sizeof(*d));
		if (!d || !(d->path = strdup(path))) {
			free(d);
			return -ENOMEM;
		}
		memcpy(d->address, address, sizeof(address));
		d->b = b;
		d->next = b->devices;
		b->devices = d;
	}
	r = read_props(m, device_prop_cb, d, &ch);
	if (r < 0)
		return r;
	if (b->have_objects) {
		bz_adapter_device_changed(b, d);
		bz_links_device_changed(b, d, ch.resolved || is_new);
	}
	return 0;
}

static int add_gatt(struct bluez *b, const char *path, bool service, sd_bus_message *m)
{
	struct bz_gatt *g = bz_gatt_by_path(b, path);
	int r;

	if (!g) {
		g = calloc(1, sizeof(*g));
		if (!g || !(g->path = strdup(path))) {
			free(g);
			return -ENOMEM;
		}
		g->service = service;
		g->next = b->gatt;
		b->gatt = g;
	}
	r = read_props(m, gatt_prop_cb, g, NULL);
	if (r >= 0 && !g->parent)
		r = -EBADMSG;
	return r;
}

/* Read one "oa{sa{sv}}" body: the interfaces and properties of one object. */
int bz_model_add_object(struct bluez *b, sd_bus_message *m, bool *gatt_added)
{
	const char *path, *iface;
	int r;

	r = sd_bus_message_read(m, "o", &path);
	if (r < 0)
		return r;
	r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
		r = sd_bus_message_read(m, "s", &iface);
		if (r < 0)
			return r;
		if (strcmp(iface, BZ_DEVICE_IFACE) == 0)
			r = add_device(b, path, m);
		else if (strcmp(iface, BZ_SERVICE_IFACE) == 0 ||
			 strcmp(iface, BZ_CHAR_IFACE) == 0) {
			r = add_gatt(b, path, strcmp(iface, BZ_SERVICE_IFACE) == 0, m);
			*gatt_added = true;
		} else if (strcmp(iface, BZ_ADAPTER_IFACE) == 0 &&
			   strcmp(path, b->adapter_path) == 0) {
			b->adapter_present = true;
			r = read_props(m, adapter_prop_cb, b, NULL);
		} else
			r = sd_bus_message_skip(m, "a{sv}");
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

void bz_model_remove_gatt_under(struct bluez *b, const char *path)
{
	size_t n = strlen(path);

	for (struct bz_gatt **p = &b->gatt; *p;) {
		struct bz_gatt *g = *p;

		if (strncmp(g->path, path, n) == 0 && (g->path[n] == '/' || g->path[n] == '\0')) {
			*p = g->next;
			bz_links_gatt_removed(b, g->path);
			gatt_free(g);
		} else
			p = &g->next;
	}
}

void bz_model_remove_device(struct bluez *b, const char *path)
{
	for (struct bz_device **p = &b->devices; *p; p = &(*p)->next) {
		struct bz_device *d = *p;

		if (strcmp(d->path, path) == 0) {
			*p = d->next;
			bz_links_device_removed(b, d);
			if (b->cb.device_removed &&
			    (d->ftms || d->hr || d->cps || d->csc || d->walkingpad || d->keiser))
				b->cb.device_removed(b->userdata, d->address);
			device_free(d);
			return;
		}
	}
}

struct char_walk {
	struct bluez *b;
	const char *path;
};

static int char_prop(sd_bus_message *m, const char *key, void *userdata)
{
	struct char_walk *w = userdata;
	const void *data;
	size_t len;
	int r;

	if (strcmp(key, "Value") != 0)
		return sd_bus_message_skip(m, "v");
	r = sd_bus_message_enter_container(m, 'v', "ay");
	if (r >= 0)
		r = sd_bus_message_read_array(m, 'y', &data, &len);
	if (r < 0)
		return r;
	bz_gatt_value(w->b, w->path, data, len);
	return sd_bus_message_exit_container(m);
}

int bz_model_char_value(struct bluez *b, const char *path, sd_bus_message *m)
{
	return bus_dict_foreach(m, char_prop, &(struct char_walk) { .b = b, .path = path });
}

static int device_invalidated(sd_bus_message *m, struct bz_device *d)
{
	const char *name;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "s");
	while (r >= 0 && (r = sd_bus_message_read(m, "s", &name)) > 0)
		if (strcmp(name, "RSSI") == 0)
			d->has_rssi = d->advertising = false; /* discovery stopped (notes §1.2) */
	return r;
}

int bz_model_device_changed(struct bz_device *d, sd_bus_message *m, struct bz_device_change *ch)
{
	int r = read_props(m, device_prop_cb, d, ch);

	return r < 0 ? r : device_invalidated(m, d);
}

void bz_device_changed(struct bluez *b, struct bz_device *d, const struct bz_device_change *ch)
{
	if (ch->seen)
		bz_adapter_device_changed(b, d);
	if (ch->advert)
		bz_keiser_advert(b, d);
	if (ch->connected || ch->resolved)
		bz_links_device_changed(b, d, ch->resolved);
}

static int on_device_props(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bz_device *d = userdata;
	struct bz_device_change ch = {};
	const char *text;
	int r;

	d->refresh = sd_bus_slot_unref(d->refresh);
	r = bz_reply_error(reply, &text);
	if (r < 0 || !bz_reply_current(d->b, reply)) {
		if (r < 0)
			log_debug("Cannot read %s's properties: %s", d->address, text);
		return 0;
	}
	r = read_props(reply, device_prop_cb, d, &ch);
	if (r < 0) {
		log_debug("Ignoring a malformed GetAll reply for %s: %s", d->address, strerror(-r));
		return 0;
	}
	bz_device_changed(d->b, d, &ch);
	return 0;
}

void bz_device_refresh(struct bluez *b, struct bz_device *d)
{
	int r;

	if (d->refresh)
		return;
	r = bz_call(b, &d->refresh, d->path, BZ_PROPS_IFACE, "GetAll", on_device_props, d,
		    BZ_USEC_CALL, "s", BZ_DEVICE_IFACE);
	if (r < 0)
		log_debug("Cannot ask for %s's properties: %s", d->address, strerror(-r));
}

int bz_model_adapter_changed(struct bluez *b, sd_bus_message *m)
{
	return read_props(m, adapter_prop_cb, b, NULL);
}
