/* SPDX-License-Identifier: MIT */
/*
 * The BlueZ client: matches first, then GetNameOwner and GetManagedObjects; the object
 * model (devices and GATT objects of the current org.bluez owner); signal dispatch.
 */
#include "bluez.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bluez-internal.h"
#include "log.h"

static void event_v(struct bluez *b, enum driver_event_type type, bool echo, const char *fmt,
		    va_list ap)
{
	char buf[256];

	(void) vsnprintf(buf, sizeof(buf), fmt, ap);
	log_debug("bluez %s: %s", driver_event_type_to_string(type), buf);
	if (b->cb.event)
		b->cb.event(b->userdata, &(struct driver_event) { type, echo, buf });
}

void bz_event(struct bluez *b, enum driver_event_type type, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	event_v(b, type, false, fmt, ap);
	va_end(ap);
}

void bz_event_echo(struct bluez *b, enum driver_event_type type, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	event_v(b, type, true, fmt, ap);
	va_end(ap);
}

static int ignore_reply(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	return 0;
}

int bz_call(struct bluez *b, sd_bus_slot **slot, const char *path, const char *iface,
	    const char *member, sd_bus_message_handler_t cb, void *userdata, uint64_t usec,
	    const char *types, ...)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
	va_list ap;
	int r;

	if (!b->owner)
		return -ENODEV;
	r = sd_bus_message_new_method_call(b->bus, &m, BZ_SERVICE, path, iface, member);
	if (r < 0)
		return r;
	if (types) {
		va_start(ap, types);
		r = sd_bus_message_appendv(m, types, ap);
		va_end(ap);
		if (r < 0)
			return r;
	}
	if (slot)
		*slot = sd_bus_slot_unref(*slot);
	/* No callback: still ask for a reply (a floating slot), as busctl and bluetoothctl do;
	 * a no-reply call is easy for a peer to drop. */
	if (!cb)
		return sd_bus_call_async(b->bus, slot, m, ignore_reply, NULL, usec);
	return sd_bus_call_async(b->bus, slot, m, cb, userdata, usec);
}

bool bz_reply_current(struct bluez *b, sd_bus_message *reply)
{
	const char *sender = sd_bus_message_get_sender(reply);

	if (sd_bus_message_is_method_error(reply, NULL))
		return true; /* also local errors (timeouts), which carry no owner */
	return b->owner && sender && strcmp(sender, b->owner) == 0;
}

int bz_reply_error(sd_bus_message *reply, const char **ret_text)
{
	const sd_bus_error *e = sd_bus_message_get_error(reply);

	if (!e)
		return 0;
	*ret_text = e->message && *e->message ? e->message : e->name;
	if (sd_bus_error_has_name(e, "org.bluez.Error.InProgress") ||
	    (e->message && strstr(e->message, "already in progress")))
		return -EINPROGRESS;
	if (sd_bus_error_has_names(e, SD_BUS_ERROR_UNKNOWN_OBJECT, SD_BUS_ERROR_UNKNOWN_METHOD,
				   "org.bluez.Error.DoesNotExist"))
		return -ENOENT;
	if (sd_bus_error_has_names(e, SD_BUS_ERROR_NO_REPLY, SD_BUS_ERROR_TIMEOUT))
		return -ETIMEDOUT;
	if (sd_bus_error_has_names(e, "org.bluez.Error.NotPermitted",
				   "org.bluez.Error.NotAuthorized"))
		return -EPERM;
	if (sd_bus_error_has_name(e, "org.bluez.Error.AlreadyExists"))
		return -EEXIST;
	if (sd_bus_error_has_names(e, "org.bluez.Error.NotConnected", "org.bluez.Error.NotReady") ||
	    (e->message && strstr(e->message, "Not connected")))
		return -ENOTCONN;
	if (sd_bus_error_has_names(e, "org.bluez.Error.AuthenticationFailed",
				   "org.bluez.Error.AuthenticationRejected",
				   "org.bluez.Error.AuthenticationCanceled",
				   "org.bluez.Error.AuthenticationTimeout",
				   "org.bluez.Error.NotSupported"))
		return -EACCES;
	if (e->message && strcmp(e->message, "le-connection-abort-by-local") == 0)
		return -ECONNABORTED;
	return -EIO;
}

static bool from_owner(struct bluez *b, sd_bus_message *m)
{
	const char *sender = sd_bus_message_get_sender(m);

	/* sd-bus cannot filter by well-known name on dbus-daemon (notes §1.2). */
	return b->have_objects && b->owner && sender && strcmp(sender, b->owner) == 0;
}

static int on_interfaces_added(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	bool gatt_added = false, had_adapter = b->adapter_present;
	int r;

	if (!from_owner(b, m))
		return 0;
	r = bz_model_add_object(b, m, &gatt_added);
	if (r < 0)
		log_debug("Ignoring a malformed InterfacesAdded: %s", strerror(-r));
	if (gatt_added)
		bz_links_gatt_added(b);
	if (!had_adapter && b->adapter_present)
		bz_adapter_appeared(b);
	bz_adapter_report(b);
	return 0;
}

static int on_interfaces_removed(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	const char *path, *iface;
	int r;

	if (!from_owner(b, m))
		return 0;
	r = sd_bus_message_read(m, "o", &path);
	if (r >= 0)
		r = sd_bus_message_enter_container(m, 'a', "s");
	while (r >= 0 && (r = sd_bus_message_read(m, "s", &iface)) > 0) {
		if (strcmp(iface, BZ_DEVICE_IFACE) == 0) {
			bz_model_remove_gatt_under(b, path);
			bz_model_remove_device(b, path);
		} else if (strcmp(iface, BZ_SERVICE_IFACE) == 0 ||
			   strcmp(iface, BZ_CHAR_IFACE) == 0)
			bz_model_remove_gatt_under(b, path);
		else if (strcmp(iface, BZ_ADAPTER_IFACE) == 0 &&
			 strcmp(path, b->adapter_path) == 0) {
			b->adapter_present = false;
			bz_adapter_vanished(b);
		}
	}
	bz_adapter_report(b);
	return 0;
}

static int on_properties_changed(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	const char *path = sd_bus_message_get_path(m), *iface;
	struct bz_device_change ch = {};
	struct bz_device *d;

	if (!from_owner(b, m) || sd_bus_message_read(m, "s", &iface) < 0)
		return 0;
	if (strcmp(iface, BZ_CHAR_IFACE) == 0) {
		if (bz_gatt_by_path(b, path))
			(void) bz_model_char_value(b, path, m);
		return 0;
	}
	if (strcmp(iface, BZ_ADAPTER_IFACE) == 0 && strcmp(path, b->adapter_path) == 0) {
		int was = b->adapter_powered;

		(void) bz_model_adapter_changed(b, m);
		if (!was && b->adapter_powered)
			bz_adapter_appeared(b);
		else if (was && !b->adapter_powered)
			bz_adapter_vanished(b); /* discovery ends with the power */
		bz_adapter_report(b);
		return 0;
	}
	if (strcmp(iface, BZ_DEVICE_IFACE) != 0 || !(d = bz_device_by_path(b, path)))
		return 0;
	(void) bz_model_device_changed(d, m, &ch);
	bz_device_changed(b, d, &ch);
	return 0;
}

/* ---- owner tracking ------------------------------------------------------------------- */

static int on_managed_objects(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	bool gatt_added = false;
	const char *text;
	int r;

	b->gmo_call = sd_bus_slot_unref(b->gmo_call);
	r = bz_reply_error(reply, &text);
	if (r < 0) {
		bz_event(b, DRIVER_EVENT_BLUEZ, "GetManagedObjects failed: %s", text);
		return 0;
	}
	if (!bz_reply_current(b, reply))
		return 0;
	bz_model_clear(b);
	r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}");
	while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
		r = bz_model_add_object(b, reply, &gatt_added);
		if (r >= 0)
			r = sd_bus_message_exit_container(reply);
	}
	if (r < 0) {
		log_warning("Cannot read BlueZ's objects: %s", strerror(-r));
		return 0;
	}
	b->have_objects = true;
	log_info("BlueZ is running (%s), adapter %s %s.", b->owner, b->cfg.adapter,
		 !b->adapter_present  ? "missing"
		 : b->adapter_powered ? "powered"
				      : "off");
	b->reported_present = b->adapter_present; /* said just now */
	b->reported_powered = b->adapter_present && b->adapter_powered;
	bz_event(b, DRIVER_EVENT_BLUEZ, "up: %s", b->owner);
	if (b->cb.bluez_changed)
		b->cb.bluez_changed(b->userdata, true);
	bz_agent_register(b);
	if (b->adapter_present)
		bz_adapter_appeared(b);
	bz_links_bluez_back(b);
	bz_adapter_report(b);
	return 0;
}

static void bluez_appeared(struct bluez *b, const char *owner)
{
	char *o = strdup(owner);
	int r;

	if (!o)
		return;
	free(b->owner);
	b->owner = o;
	r = bz_call(b, &b->gmo_call, "/", BZ_OM_IFACE, "GetManagedObjects", on_managed_objects, b,
		    BZ_USEC_CALL, NULL);
	if (r < 0)
		log_warning("Cannot ask BlueZ for its objects: %s", strerror(-r));
}

static void bluez_vanished(struct bluez *b)
{
	if (!b->owner)
		return;
	log_warning("BlueZ (%s) went away; waiting for it to return.", b->owner);
	bz_event(b, DRIVER_EVENT_BLUEZ, "down: %s", b->owner);
	if (b->cb.bluez_changed)
		b->cb.bluez_changed(b->userdata, false);
	/* Everything BlueZ-side is void: calls in flight, discovery, agent, notify sessions. */
	b->gmo_call = sd_bus_slot_unref(b->gmo_call);
	free(b->owner);
	b->owner = NULL;
	bz_links_bluez_gone(b);
	bz_adapter_vanished(b);
	b->agent_call = sd_bus_slot_unref(b->agent_call);
	bz_model_clear(b);
	bz_adapter_report(b);
}

static int on_name_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	const char *name, *old, *new;

	/* Only the bus driver may say who owns org.bluez. */
	if (!sd_bus_message_get_sender(m) ||
	    strcmp(sd_bus_message_get_sender(m), "org.freedesktop.DBus") != 0 ||
	    sd_bus_message_read(m, "sss", &name, &old, &new) < 0 || strcmp(name, BZ_SERVICE) != 0)
		return 0;
	if (*old)
		bluez_vanished(b);
	if (*new)
		bluez_appeared(b, new);
	return 0;
}

static int on_name_owner(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	const char *owner;

	b->owner_call = sd_bus_slot_unref(b->owner_call);
	if (sd_bus_message_is_method_error(reply, NULL)) {
		log_warning("BlueZ (org.bluez) is not running; waiting for it.");
		return 0;
	}
	if (sd_bus_message_read(reply, "s", &owner) >= 0 && !b->owner)
		bluez_appeared(b, owner);
	return 0;
}

static int add_matches(struct bluez *b)
{
	static const char *const rules[] = {
		"type='signal',sender='org.bluez',interface='org.freedesktop.DBus.ObjectManager',"
		"member='InterfacesAdded'",
		"type='signal',sender='org.bluez',interface='org.freedesktop.DBus.ObjectManager',"
		"member='InterfacesRemoved'",
		"type='signal',sender='org.bluez',interface='org.freedesktop.DBus.Properties',"
		"member='PropertiesChanged',path_namespace='/org/bluez'",
		"type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
		"member='NameOwnerChanged',arg0='org.bluez'",
	};
	static const sd_bus_message_handler_t handlers[] = {
		on_interfaces_added,
		on_interfaces_removed,
		on_properties_changed,
		on_name_owner_changed,
	};
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		r = sd_bus_add_match_async(b->bus, &b->match_slots[i], rules[i], handlers[i], NULL,
					   b);
		if (r < 0)
			return r;
	}
	/* Queued after the AddMatch calls on the same connection: no signal is missed. */
	return sd_bus_call_method_async(b->bus, &b->owner_call, "org.freedesktop.DBus",
					"/org/freedesktop/DBus", "org.freedesktop.DBus",
					"GetNameOwner", on_name_owner, b, "s", BZ_SERVICE);
}

static void on_timer_closed(uv_handle_t *h)
{
	struct bluez *b = h->data;

	if (--b->open_handles == 0 && b->freeing) {
		free(b->adapter_path);
		free(b);
	}
}

static void bluez_timer_init(struct bluez *b, uv_timer_t *t, void *data)
{
	(void) uv_timer_init(b->loop, t);
	t->data = data;
	b->open_handles++;
}

int bluez_new(uv_loop_t *loop, sd_bus *bus, const struct bluez_config *config,
	      const struct driver_callbacks *cb, void *userdata, struct bluez **ret)
{
	struct bluez *b;
	int r;

	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->loop = loop;
	b->bus = sd_bus_ref(bus);
	b->cfg = *config;
	b->cb = *cb;
	b->userdata = userdata;
	if (asprintf(&b->adapter_path, "/org/bluez/%s", config->adapter) < 0) {
		sd_bus_unref(b->bus);
		free(b);
		return -ENOMEM;
	}
	b->cfg.adapter = b->adapter_path + strlen("/org/bluez/");
	bluez_timer_init(b, &b->scan_timer, b);
	bz_links_init(b);
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++) {
		bluez_timer_init(b, &b->links[i].timer, &b->links[i]);
		bluez_timer_init(b, &b->links[i].cp_timer, &b->links[i]);
		bluez_timer_init(b, &b->links[i].sensor_timer, &b->links[i]);
		bluez_timer_init(b, &b->links[i].pad_timer, &b->links[i]);
	}
	*ret = b;
	r = bz_agent_export(b);
	if (r >= 0)
		r = add_matches(b);
	return r;
}

void bluez_free(struct bluez *b)
{
	if (!b || b->freeing)
		return;
	bz_pair_cancel(b, -ECANCELED, "the daemon is stopping");
	bz_links_close(b);
	bz_adapter_close(b);
	bz_agent_close(b);
	for (size_t i = 0; i < ARRAY_SIZE(b->match_slots); i++)
		b->match_slots[i] = sd_bus_slot_unref(b->match_slots[i]);
	b->owner_call = sd_bus_slot_unref(b->owner_call);
	b->gmo_call = sd_bus_slot_unref(b->gmo_call);
	bz_model_clear(b);
	free(b->owner);
	b->owner = NULL;
	b->bus = sd_bus_unref(b->bus);
	b->freeing = true;
	uv_close((uv_handle_t *) &b->scan_timer, on_timer_closed);
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++) {
		b->links[i].timer.data = b;
		b->links[i].cp_timer.data = b;
		b->links[i].sensor_timer.data = b;
		uv_close((uv_handle_t *) &b->links[i].timer, on_timer_closed);
		uv_close((uv_handle_t *) &b->links[i].cp_timer, on_timer_closed);
		uv_close((uv_handle_t *) &b->links[i].sensor_timer, on_timer_closed);
		b->links[i].pad_timer.data = b;
		uv_close((uv_handle_t *) &b->links[i].pad_timer, on_timer_closed);
	}
}
