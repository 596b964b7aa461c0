/* SPDX-License-Identifier: MIT */
/*
 * org.backride.Machine1 at /org/backride/machine/<address with _>: one object per machine or
 * strap the daemon knows (remembered, found by a scan, or connected). Read-only: targets are
 * set by the session engine behind its safety envelope, never directly over D-Bus.
 */
#include "api-internal.h"
#include "api.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backride-dbus.h"

/*
 * Live data is state, not a stream. A machine notifies at 1-4 Hz and every sample is
 * signalled; a faster burst (a flood, a time-scaled simulator) is signalled at most every
 * 50 ms, with the latest values, so the daemon does not spend most of its CPU (and the bus
 * its memory) on signals nobody can show. Values held back go out with the first sample
 * after the 50 ms; Get always returns the latest.
 */
#define DATA_SIGNAL_USEC (50 * 1000)

struct api_machine {
	struct api_machine *next;
	struct api *api;
	char path[sizeof(BR_MACHINE_PATH_PREFIX) + API_ADDRESS_MAX];
	struct machine_props p;
	struct br_sample data;
	int has_data;
	uint64_t data_signal_usec; /* CLOCK_MONOTONIC of the last Data signal */
	sd_bus_slot *slot;
};

/* The CLI reads the target bits of Features by these names (backride-dbus.h). */
_Static_assert(BR_TARGET_SPEED == FTMS_TARGET_SPEED &&
		       BR_TARGET_INCLINATION == FTMS_TARGET_INCLINATION &&
		       BR_TARGET_RESISTANCE == FTMS_TARGET_RESISTANCE &&
		       BR_TARGET_POWER == FTMS_TARGET_POWER,
	       "Machine1.Features target bits");

static const char *const range_names[_MACHINE_RANGE_MAX] = {
	[MACHINE_RANGE_SPEED] = "speed",	   [MACHINE_RANGE_INCLINATION] = "inclination",
	[MACHINE_RANGE_RESISTANCE] = "resistance", [MACHINE_RANGE_HEART_RATE] = "heart_rate",
	[MACHINE_RANGE_POWER] = "power",
};

static struct api_machine *machine_find(struct api *a, const char *address)
{
	for (struct api_machine *x = a->machines; x; x = x->next)
		if (strcasecmp(x->p.address, address) == 0)
			return x;
	return NULL;
}

#define GETTER(name)                                                                        \
	static int name(sd_bus *bus, const char *path, const char *iface, const char *prop, \
			sd_bus_message *reply, void *userdata, sd_bus_error *err)

GETTER(get_address)
{
	return sd_bus_message_append(reply, "s", ((struct api_machine *) userdata)->p.address);
}

GETTER(get_name)
{
	return sd_bus_message_append(reply, "s", ((struct api_machine *) userdata)->p.name);
}

GETTER(get_kind)
{
	return sd_bus_message_append(reply, "s", ((struct api_machine *) userdata)->p.kind);
}

GETTER(get_protocol)
{
	return sd_bus_message_append(reply, "s", ((struct api_machine *) userdata)->p.protocol);
}

GETTER(get_link)
{
	return sd_bus_message_append(reply, "s", ((struct api_machine *) userdata)->p.link);
}

GETTER(get_resistance_form)
{
	return sd_bus_message_append(reply, "s",
				     ((struct api_machine *) userdata)->p.resistance_form);
}

GETTER(get_features)
{
	struct api_machine *x = userdata;

	return sd_bus_message_append(reply, "(uu)", x->p.machine_features, x->p.target_features);
}

GETTER(get_ranges)
{
	struct api_machine *x = userdata;
	int r;

	r = sd_bus_message_open_container(reply, 'a', "{s(iiu)}");
	for (size_t i = 0; r >= 0 && i < _MACHINE_RANGE_MAX; i++)
		if (x->p.ranges[i].valid)
			r = sd_bus_message_append(reply, "{s(iiu)}", range_names[i],
						  x->p.ranges[i].min, x->p.ranges[i].max,
						  x->p.ranges[i].increment);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

GETTER(get_rssi)
{
	struct api_machine *x = userdata;

	/* 0 when unknown: BlueZ drops RSSI when discovery stops. */
	return sd_bus_message_append(reply, "n", x->p.has_rssi ? x->p.rssi : (int16_t) 0);
}

static int append_value(sd_bus_message *reply, const char *key, int32_t v)
{
	if (v == BR_NONE)
		return 0;
	return sd_bus_message_append(reply, "{sv}", key, "i", v);
}

GETTER(get_data)
{
	struct api_machine *x = userdata;
	const struct br_sample *d = &x->data;
	int r;

	r = sd_bus_message_open_container(reply, 'a', "{sv}");
	if (r >= 0 && x->has_data && x->p.connected) {
		const struct {
			const char *key;
			int32_t v;
		} values[] = {
			{ "power_w", d->power_w },	 { "cadence_hrpm", d->cadence_hrpm },
			{ "speed_ckmh", d->speed_ckmh }, { "distance_m", d->distance_m },
			{ "hr_bpm", d->hr_bpm },	 { "incline_dpct", d->incline_dpct },
			{ "resistance", d->resistance }, { "elapsed_s", d->elapsed_s },
		};

		for (size_t i = 0; r >= 0 && i < sizeof(values) / sizeof(values[0]); i++)
			r = append_value(reply, values[i].key, values[i].v);
	}
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static const sd_bus_vtable machine_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Address", "s", get_address, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Name", "s", get_name, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Kind", "s", get_kind, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Protocol", "s", get_protocol, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Paired", "b", NULL, offsetof(struct api_machine, p.paired),
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Remembered", "b", NULL, offsetof(struct api_machine, p.remembered),
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Connected", "b", NULL, offsetof(struct api_machine, p.connected),
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Link", "s", get_link, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Features", "(uu)", get_features, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Ranges", "a{s(iiu)}", get_ranges, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("ResistanceForm", "s", get_resistance_form, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("LastSeen", "x", NULL, offsetof(struct api_machine, p.last_seen),
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("RSSI", "n", get_rssi, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Data", "a{sv}", get_data, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_VTABLE_END,
};

/* The names of the properties that differ between @o and @n, NULL-terminated. */
static void changed_names(const struct machine_props *o, const struct machine_props *n,
			  const char **names)
{
	size_t k = 0;

	if (strcmp(o->name, n->name) != 0)
		names[k++] = "Name";
	if (strcmp(o->kind, n->kind) != 0)
		names[k++] = "Kind";
	if (strcmp(o->protocol, n->protocol) != 0)
		names[k++] = "Protocol";
	if (o->paired != n->paired)
		names[k++] = "Paired";
	if (o->remembered != n->remembered)
		names[k++] = "Remembered";
	if (o->connected != n->connected) {
		names[k++] = "Connected";
		names[k++] = "Data";
	}
	if (strcmp(o->link, n->link) != 0)
		names[k++] = "Link";
	if (o->machine_features != n->machine_features || o->target_features != n->target_features)
		names[k++] = "Features";
	if (memcmp(o->ranges, n->ranges, sizeof(o->ranges)) != 0)
		names[k++] = "Ranges";
	if (strcmp(o->resistance_form, n->resistance_form) != 0)
		names[k++] = "ResistanceForm";
	if (o->last_seen != n->last_seen)
		names[k++] = "LastSeen";
	if (o->has_rssi != n->has_rssi || o->rssi != n->rssi)
		names[k++] = "RSSI";
	names[k] = NULL;
}

static int machine_add(struct api *a, const struct machine_props *p)
{
	struct api_machine *x;
	char comp[API_ADDRESS_MAX];
	int r;

	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->api = a;
	x->p = *p;
	for (int i = 0; i < API_ADDRESS_MAX; i++)
		comp[i] = p->address[i] == ':' ? '_' : p->address[i];
	(void) snprintf(x->path, sizeof(x->path), "%s%s", BR_MACHINE_PATH_PREFIX, comp);
	r = sd_bus_add_object_vtable(a->bus, &x->slot, x->path, BR_MACHINE_IFACE, machine_vtable,
				     x);
	if (r < 0) {
		free(x);
		return r;
	}
	x->next = a->machines;
	a->machines = x;
	/* sd-bus says 1 for a signal sent; callers (a storage walk among them) expect 0. */
	r = sd_bus_emit_object_added(a->bus, x->path);
	return r < 0 ? r : 0;
}

int api_machine_set(struct api *a, const struct machine_props *p)
{
	struct api_machine *x = machine_find(a, p->address);
	const char *names[16];
	int r;

	if (!x)
		return machine_add(a, p);
	changed_names(&x->p, p, names);
	x->p = *p;
	if (!names[0])
		return 0;
	r = sd_bus_emit_properties_changed_strv(a->bus, x->path, BR_MACHINE_IFACE, (char **) names);
	return r < 0 ? r : 0;
}

int api_machine_get(struct api *a, const char *address, struct machine_props *ret)
{
	struct api_machine *x = machine_find(a, address);

	if (!x)
		return -ENOENT;
	*ret = x->p;
	return 0;
}

static void machine_free(struct api_machine *x)
{
	sd_bus_slot_unref(x->slot);
	free(x);
}

int api_machine_remove(struct api *a, const char *address)
{
	for (struct api_machine **p = &a->machines; *p; p = &(*p)->next) {
		struct api_machine *x = *p;

		if (strcasecmp(x->p.address, address) == 0) {
			/* Signal first: the interfaces must still be there to be listed. */
			(void) sd_bus_emit_object_removed(a->bus, x->path);
			*p = x->next;
			machine_free(x);
			return 0;
		}
	}
	return -ENOENT;
}

int api_machine_set_data(struct api *a, const char *address, const struct br_sample *d)
{
	struct api_machine *x = machine_find(a, address);
	struct timespec ts;
	uint64_t now;

	if (!x)
		return -ENOENT;
	x->data = *d;
	x->has_data = 1;
	(void) clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
	if (x->data_signal_usec && now - x->data_signal_usec < DATA_SIGNAL_USEC)
		return 0;
	x->data_signal_usec = now;
	return sd_bus_emit_properties_changed(a->bus, x->path, BR_MACHINE_IFACE, "Data", NULL);
}

void api_machines_free(struct api *a)
{
	while (a->machines) {
		struct api_machine *x = a->machines;

		a->machines = x->next;
		machine_free(x);
	}
}
