/* SPDX-License-Identifier: MIT */
/*
 * The GATT application of backride-sim --ble: GattService1 and GattCharacteristic1 objects
 * under BLE_APP_ROOT that bluetoothd's gatt-database.c serves to centrals. BlueZ adds the
 * CCCDs itself and calls StartNotify/StopNotify when the first central enables one and the
 * last disables it; a value is notified (or indicated, then BlueZ calls Confirm) by
 * emitting PropertiesChanged(Value).
 */
#include "ble.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bus-util.h"
#include "log.h"
#include "macro.h"

#define UUID16_GAP  0x1800
#define UUID16_GATT 0x1801

static void uuid128(uint16_t uuid16, char buf[static 37])
{
	snprintf(buf, 37, "0000%04x-0000-1000-8000-00805f9b34fb", uuid16);
}

/*
 * ATT error -> the D-Bus error that bluetoothd 5.66 turns back into it
 * (dbus_error_to_att_ecode() in src/gatt-database.c). 5.66 has no name for 0xFD (CCCD
 * improperly configured; ImproperlyConfigured came in 5.76, 9b2978471), so that one reaches the
 * central as 0x0E Unlikely Error.
 */
static int att_error(sd_bus_error *e, uint8_t ecode)
{
	switch (ecode) {
	case ATT_ECODE_READ_NOT_PERMITTED:
	case ATT_ECODE_WRITE_NOT_PERMITTED:
		return sd_bus_error_set(e, "org.bluez.Error.NotPermitted", "Not permitted");
	case ATT_ECODE_REQ_NOT_SUPP:
		return sd_bus_error_set(e, "org.bluez.Error.NotSupported", "Not supported");
	case ATT_ECODE_INVALID_LEN:
		return sd_bus_error_set(e, "org.bluez.Error.InvalidValueLength", "Invalid length");
	case ATT_ECODE_PROC_IN_PROGRESS:
		return sd_bus_error_set(e, "org.bluez.Error.InProgress", "In progress");
	case ATT_ECODE_CCCD_IMPROPER:
		return sd_bus_error_set(e, "org.bluez.Error.ImproperlyConfigured",
					"Indications are not enabled");
	default:
		break;
	}
	if (ecode >= 0x80 && ecode <= 0x9f)
		return sd_bus_error_setf(e, "org.bluez.Error.Failed", "0x%02x", ecode);
	return sd_bus_error_setf(e, "org.backride.Sim.Error.Att", "ATT error 0x%02x", ecode);
}

struct read_options {
	uint16_t *offset;
	const char **type; /* NULL: not read */
	const char **device;
};

static int read_option(sd_bus_message *m, const char *key, void *userdata)
{
	struct read_options *o = userdata;

	if (strcmp(key, "offset") == 0)
		return sd_bus_message_read(m, "v", "q", o->offset);
	if (o->type && strcmp(key, "type") == 0)
		return sd_bus_message_read(m, "v", "s", o->type);
	if (strcmp(key, "device") == 0)
		return sd_bus_message_read(m, "v", "o", o->device);
	return sd_bus_message_skip(m, "v");
}

/* a{sv} of ReadValue/WriteValue: "offset" (q), "type" (s), "device" (o); the rest skipped. */
static int read_options(sd_bus_message *m, uint16_t *offset, const char **type, const char **device)
{
	return bus_dict_foreach(m, read_option, &(struct read_options) { offset, type, device });
}

static int method_read(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct ble_char *c = userdata;
	sd_bus_message *reply = NULL;
	uint8_t buf[512];
	size_t len = sizeof(buf);
	const char *device = NULL;
	uint16_t offset = 0;
	int r;

	if (read_options(m, &offset, NULL, &device) < 0)
		return sd_bus_error_set(e, "org.bluez.Error.InvalidArguments", "Bad options");
	if (!ble_att_allowed(c->b, device))
		return sd_bus_error_set(e, "org.bluez.Error.Failed", "Not connected");
	r = periph_read(c->b->p, c->pc, buf, &len);
	if (r > 0)
		return att_error(e, (uint8_t) r);
	if (offset > len)
		return sd_bus_error_set(e, "org.bluez.Error.InvalidOffset", "Invalid offset");
	memcpy(c->value, buf, len);
	c->value_len = len;
	r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = sd_bus_message_append_array(reply, 'y', buf + offset, len - offset);
	if (r >= 0)
		r = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return r;
}

static int method_write(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct ble_char *c = userdata;
	const char *type = NULL, *device = NULL;
	const void *v;
	size_t n;
	uint16_t offset = 0;
	int r;

	r = sd_bus_message_read_array(m, 'y', &v, &n);
	if (r < 0 || read_options(m, &offset, &type, &device) < 0)
		return sd_bus_error_set(e, "org.bluez.Error.InvalidArguments", "Bad options");
	if (!ble_att_allowed(c->b, device))
		return sd_bus_error_set(e, "org.bluez.Error.Failed", "Not connected");
	if (offset != 0)
		return sd_bus_error_set(e, "org.bluez.Error.InvalidOffset", "Invalid offset");
	/* bluetoothd 5.66 passes no "type" to an application (gatt-database.c append_options):
	 * a characteristic with write-without-response only was written with a command. */
	if (!type)
		type = (c->pc->props & ATT_PROP_WRITE) ? "request" : "command";
	r = periph_write(c->b->p, c->pc, v, n, strcmp(type, "command") != 0);
	if (r > 0)
		return att_error(e, (uint8_t) r);
	return sd_bus_reply_method_return(m, "");
}

static uint16_t cccd_bit(const struct ble_char *c)
{
	return (c->pc->props & ATT_PROP_NOTIFY) ? CCCD_NOTIFY : CCCD_INDICATE;
}

static int method_start_notify(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct ble_char *c = userdata;

	c->notifying = true;
	periph_write_cccd(c->b->p, c->pc, cccd_bit(c));
	(void) sd_bus_emit_properties_changed(c->b->bus, c->path, BLE_GATT_CHAR, "Notifying", NULL);
	return sd_bus_reply_method_return(m, "");
}

static int method_stop_notify(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct ble_char *c = userdata;

	c->notifying = false;
	periph_write_cccd(c->b->p, c->pc, 0);
	(void) sd_bus_emit_properties_changed(c->b->bus, c->path, BLE_GATT_CHAR, "Notifying", NULL);
	return sd_bus_reply_method_return(m, "");
}

/* The central confirmed an indication; bluetoothd tells us, we have nothing to do. */
static int method_confirm(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	return sd_bus_reply_method_return(m, "");
}

static int char_get(sd_bus *bus, const char *path, const char *iface, const char *prop,
		    sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	static const struct {
		uint8_t bit;
		const char *flag;
	} flags[] = { { ATT_PROP_READ, "read" },
		      { ATT_PROP_WRITE, "write" },
		      { ATT_PROP_WRITE_NO_RSP, "write-without-response" },
		      { ATT_PROP_NOTIFY, "notify" },
		      { ATT_PROP_INDICATE, "indicate" } };
	struct ble_char *c = userdata;
	char uuid[37];
	int r;

	if (strcmp(prop, "UUID") == 0) {
		uuid128(c->pc->uuid16, uuid);
		return sd_bus_message_append(reply, "s", uuid);
	}
	if (strcmp(prop, "Service") == 0)
		return sd_bus_message_append(reply, "o", c->svc_path);
	if (strcmp(prop, "Notifying") == 0)
		return sd_bus_message_append(reply, "b", c->notifying);
	if (strcmp(prop, "Value") == 0)
		return sd_bus_message_append_array(reply, 'y', c->value, c->value_len);
	r = sd_bus_message_open_container(reply, 'a', "s");
	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(flags); i++)
		if (c->pc->props & flags[i].bit)
			r = sd_bus_message_append(reply, "s", flags[i].flag);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

#define UNPRIV SD_BUS_VTABLE_UNPRIVILEGED
static const sd_bus_vtable char_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_NAMES("ReadValue", "a{sv}", SD_BUS_PARAM(options), "ay",
				 SD_BUS_PARAM(value), method_read, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("WriteValue", "aya{sv}", SD_BUS_PARAM(value) SD_BUS_PARAM(options),
				 "", , method_write, UNPRIV),
	SD_BUS_METHOD("StartNotify", "", "", method_start_notify, UNPRIV),
	SD_BUS_METHOD("StopNotify", "", "", method_stop_notify, UNPRIV),
	SD_BUS_METHOD("Confirm", "", "", method_confirm, UNPRIV),
	SD_BUS_PROPERTY("UUID", "s", char_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Service", "o", char_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Flags", "as", char_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Value", "ay", char_get, 0, 0),
	SD_BUS_PROPERTY("Notifying", "b", char_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_VTABLE_END
};

static int service_get(sd_bus *bus, const char *path, const char *iface, const char *prop,
		       sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct ble_service *s = userdata;
	char uuid[37];

	if (strcmp(prop, "Primary") == 0)
		return sd_bus_message_append(reply, "b", 1);
	uuid128(s->ps->uuid16, uuid);
	return sd_bus_message_append(reply, "s", uuid);
}

static const sd_bus_vtable service_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("UUID", "s", service_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Primary", "b", service_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_VTABLE_END
};

static int export_service(struct ble *b, struct periph_service *ps)
{
	struct ble_service *s = &b->services[b->n_services];
	int r;

	s->ps = ps;
	snprintf(s->path, sizeof(s->path), BLE_APP_ROOT "/service%zu", b->n_services);
	r = sd_bus_add_object_vtable(b->bus, &s->slot, s->path, BLE_GATT_SERVICE, service_vtable,
				     s);
	if (r < 0)
		return r;
	b->n_services++;
	for (size_t i = 0; i < ps->n_chars; i++) {
		struct ble_char *c = &b->chars[b->n_chars];

		c->b = b;
		c->pc = &ps->chars[i];
		snprintf(c->svc_path, sizeof(c->svc_path), BLE_APP_ROOT "/service%zu",
			 b->n_services - 1);
		snprintf(c->path, sizeof(c->path), BLE_APP_ROOT "/service%zu/char%zu",
			 b->n_services - 1, i);
		r = sd_bus_add_object_vtable(b->bus, &c->slot, c->path, BLE_GATT_CHAR, char_vtable,
					     c);
		if (r < 0)
			return r;
		b->n_chars++;
	}
	return 0;
}

int ble_gatt_export(struct ble *b)
{
	int r;

	r = sd_bus_add_object_manager(b->bus, &b->om_slot, BLE_APP_ROOT);
	for (size_t i = 0; r >= 0 && i < b->p->n_services; i++) {
		struct periph_service *ps = &b->p->services[i];

		/* bluetoothd serves GAP and GATT itself and refuses them in applications. */
		if (ps->hidden || ps->uuid16 == UUID16_GAP || ps->uuid16 == UUID16_GATT)
			continue;
		r = export_service(b, ps);
	}
	return r;
}

void ble_gatt_unexport(struct ble *b)
{
	for (size_t i = 0; i < b->n_chars; i++)
		b->chars[i].slot = sd_bus_slot_unref(b->chars[i].slot);
	for (size_t i = 0; i < b->n_services; i++)
		b->services[i].slot = sd_bus_slot_unref(b->services[i].slot);
	b->om_slot = sd_bus_slot_unref(b->om_slot);
	b->n_chars = b->n_services = 0;
}

static struct ble_char *char_find(struct ble *b, const struct periph_char *pc)
{
	for (size_t i = 0; i < b->n_chars; i++)
		if (b->chars[i].pc == pc)
			return &b->chars[i];
	return NULL;
}

void ble_gatt_value(struct ble *b, const struct periph_char *pc, const uint8_t *v, size_t n)
{
	struct ble_char *c = char_find(b, pc);
	sd_bus_message *m = NULL;
	int r;

	if (!c || n > sizeof(c->value))
		return;
	memcpy(c->value, v, n);
	c->value_len = n;
	r = sd_bus_message_new_signal(b->bus, &m, c->path, "org.freedesktop.DBus.Properties",
				      "PropertiesChanged");
	if (r >= 0)
		r = sd_bus_message_append(m, "s", BLE_GATT_CHAR);
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'a', "{sv}");
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'e', "sv");
	if (r >= 0)
		r = sd_bus_message_append(m, "s", "Value");
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'v', "ay");
	if (r >= 0)
		r = sd_bus_message_append_array(m, 'y', v, n);
	for (int i = 0; r >= 0 && i < 3; i++)
		r = sd_bus_message_close_container(m);
	if (r >= 0)
		r = sd_bus_message_append(m, "as", 0);
	if (r >= 0)
		r = sd_bus_send(b->bus, m, NULL);
	if (r < 0)
		log_debug("Cannot send a value: %s", strerror(-r));
	sd_bus_message_unref(m);
}

void ble_gatt_restore_cccd(struct ble *b)
{
	for (size_t i = 0; i < b->n_chars; i++)
		periph_write_cccd(b->p, b->chars[i].pc,
				  b->chars[i].notifying ? cccd_bit(&b->chars[i]) : 0);
}

void ble_gatt_reset(struct ble *b)
{
	for (size_t i = 0; i < b->n_chars; i++)
		b->chars[i].notifying = false;
}
