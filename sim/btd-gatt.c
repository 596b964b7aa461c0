/* SPDX-License-Identifier: MIT */
/* GattService1 / GattCharacteristic1 / GattDescriptor1 as src/gatt-client.c (5.66), with the
 * read-only Handle that 5.69 added (bluetoothctl 5.78 and later skip attributes without one). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btd-internal.h"
#include "bus-util.h"
#include "later.h"
#include "log.h"

#define UUID16_CCCD 0x2902

static uint64_t att_ms(const struct btd_char *c)
{
	return c->dev->b->sim->opt->att_latency_ms;
}

static sd_bus *char_bus(const struct btd_char *c)
{
	return c->dev->b->bus;
}

static void emit_char(struct btd_char *c, const char *prop)
{
	(void) sd_bus_emit_properties_changed(char_bus(c), c->path, BTD_CHAR_IFACE, prop, NULL);
}

static uint16_t cccd_value(const struct btd_char *c)
{
	/* A characteristic with both flags gets notifications (shared/gatt-client.c). */
	return (c->pc->props & ATT_PROP_NOTIFY) ? CCCD_NOTIFY : CCCD_INDICATE;
}

/* Fault require-pairing: the FTMS characteristics answer Insufficient Authentication (which
 * BlueZ reports as NotPermitted "Not paired") until the device is paired. */
static bool char_locked(const struct btd_char *c)
{
	const struct btd_device *d = c->dev;

	if (!d->periph->fault[PF_REQUIRE_PAIRING] || d->paired)
		return false;
	for (size_t i = 0; i < d->n_services; i++)
		if (c >= d->services[i].chars && c < d->services[i].chars + d->services[i].n_chars)
			return d->services[i].ps->uuid16 == FTMS_UUID16_SERVICE;
	return false;
}

static bool char_any_registered(const struct btd_char *c)
{
	for (size_t i = 0; i < c->n_sessions; i++)
		if (c->sessions[i].registered)
			return true;
	return false;
}

struct options {
	uint16_t *offset;
	const char **type; /* NULL: not read */
};

static int parse_option(sd_bus_message *m, const char *key, void *userdata)
{
	struct options *o = userdata;

	if (strcmp(key, "offset") == 0)
		return sd_bus_message_read(m, "v", "q", o->offset);
	if (strcmp(key, "type") == 0 && o->type)
		return sd_bus_message_read(m, "v", "s", o->type);
	return sd_bus_message_skip(m, "v");
}

/* Options of ReadValue/WriteValue, strictly typed (parse_options in gatt-client.c). */
static int parse_options(sd_bus_message *m, uint16_t *offset, const char **type)
{
	return bus_dict_foreach(m, parse_option, &(struct options) { offset, type });
}

static int reply_bytes(sd_bus_message *m, const uint8_t *v, size_t n)
{
	sd_bus_message *reply = NULL;
	int r;

	r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = sd_bus_message_append_array(reply, 'y', v, n);
	if (r >= 0)
		r = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return r;
}

static void read_done(void *userdata)
{
	struct btd_char *c = userdata;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	uint8_t buf[512];
	size_t len = sizeof(buf);
	int ecode;

	ecode = char_locked(c) ? ATT_ECODE_INSUFF_AUTHEN
			       : periph_read(c->dev->periph, c->pc, buf, &len);
	if (ecode == 0) {
		memcpy(c->value, buf, len);
		c->value_len = len;
		emit_char(c, "Value");
	} else {
		(void) btd_set_att_error(&e, (uint8_t) ecode);
	}
	/* A read at an offset is a Read Blob: past the end is ATT Invalid Offset. */
	if (ecode == 0 && c->read_offset > len)
		(void) btd_set_att_error(&e, ecode = 0x07);
	for (size_t i = 0; i < c->n_reads; i++) {
		if (ecode)
			(void) sd_bus_reply_method_error(c->reads[i], &e);
		else
			(void) reply_bytes(c->reads[i], buf + c->read_offset, len - c->read_offset);
		c->reads[i] = sd_bus_message_unref(c->reads[i]);
	}
	c->n_reads = 0;
	sd_bus_error_free(&e);
}

static int method_read(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd_char *c = userdata;
	uint16_t offset = 0;

	if (parse_options(m, &offset, NULL) < 0)
		return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, BTD_MSG_INVALID_ARGS);
	if (!c->dev->connected)
		return sd_bus_error_set(e, BTD_ERR_FAILED, "Not connected");
	/* Reads with the same offset are merged; another offset must wait (gatt-client.c). */
	if (c->n_reads == BTD_MAX_READS || (c->n_reads > 0 && offset != c->read_offset))
		return sd_bus_error_set(e, BTD_ERR_IN_PROGRESS, BTD_MSG_IN_PROGRESS);
	c->read_offset = offset;
	c->reads[c->n_reads++] = sd_bus_message_ref(m);
	if (!c->read_later)
		(void) later_start(c->dev->b->sim->loop, att_ms(c), read_done, c, &c->read_later);
	return 1;
}

static void write_done(void *userdata)
{
	struct btd_char *c = userdata;
	sd_bus_error e = SD_BUS_ERROR_NULL;

	if (!c->write_msg)
		return;
	if (c->write_ecode) {
		(void) btd_set_att_error(&e, (uint8_t) c->write_ecode);
		(void) sd_bus_reply_method_error(c->write_msg, &e);
		sd_bus_error_free(&e);
	} else {
		(void) sd_bus_reply_method_return(c->write_msg, "");
	}
	c->write_msg = sd_bus_message_unref(c->write_msg);
}

/* No "type": reliable if extended properties, else request if "write", else command. */
static int write_kind(const struct btd_char *c, const char *type, bool *with_response)
{
	uint8_t props = c->pc->props;

	if (!type)
		type = (props & ATT_PROP_WRITE) ? "request" : "command";
	if (strcmp(type, "request") == 0 && (props & ATT_PROP_WRITE)) {
		*with_response = true;
		return 0;
	}
	if (strcmp(type, "command") == 0 && (props & ATT_PROP_WRITE_NO_RSP)) {
		*with_response = false;
		return 0;
	}
	return -EOPNOTSUPP;
}

static int method_write(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd_char *c = userdata;
	const char *type = NULL;
	const void *v;
	size_t n;
	uint16_t offset = 0;
	bool with_response;
	int r;

	r = sd_bus_message_read_array(m, 'y', &v, &n);
	if (r < 0 || parse_options(m, &offset, &type) < 0)
		return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, BTD_MSG_INVALID_ARGS);
	if (!c->dev->connected)
		return sd_bus_error_set(e, BTD_ERR_FAILED, "Not connected");
	if (c->write_msg)
		return sd_bus_error_set(e, BTD_ERR_IN_PROGRESS, BTD_MSG_IN_PROGRESS);
	if (write_kind(c, type, &with_response) < 0)
		return sd_bus_error_set(e, BTD_ERR_NOT_SUPPORTED, BTD_MSG_NOT_SUPPORTED);
	r = char_locked(c) ? ATT_ECODE_INSUFF_AUTHEN
			   : periph_write(c->dev->periph, c->pc, v, n, with_response);
	if (!with_response)
		return sd_bus_reply_method_return(m, "");
	c->write_ecode = r;
	c->write_msg = sd_bus_message_ref(m);
	(void) later_start(c->dev->b->sim->loop, att_ms(c), write_done, c, &c->write_later);
	return 1;
}

static struct btd_session *session_find(struct btd_char *c, const char *owner)
{
	for (size_t i = 0; i < c->n_sessions; i++)
		if (strcmp(c->sessions[i].owner, owner) == 0)
			return &c->sessions[i];
	return NULL;
}

static void session_drop(struct btd_char *c, struct btd_session *s);

/* The CCCD write failed: waiting StartNotify calls fail and their sessions go
 * (register_notify_cb); sessions re-armed after a reconnection stay unregistered. */
static void cccd_refused(struct btd_char *c, uint8_t ecode)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;

	(void) btd_set_att_error(&e, ecode);
	for (size_t i = c->n_sessions; i-- > 0;) {
		struct btd_session *s = &c->sessions[i];

		if (!s->pending)
			continue;
		(void) sd_bus_reply_method_error(s->pending, &e);
		s->pending = sd_bus_message_unref(s->pending);
		session_drop(c, s);
	}
	sd_bus_error_free(&e);
}

/* The CCCD write finished: every waiting session is registered. */
static void cccd_done(void *userdata)
{
	struct btd_char *c = userdata;

	if (!c->dev->connected)
		return;
	if (char_locked(c)) {
		cccd_refused(c, ATT_ECODE_INSUFF_AUTHEN);
		return;
	}
	periph_write_cccd(c->dev->periph, c->pc, cccd_value(c));
	for (size_t i = 0; i < c->n_sessions; i++) {
		struct btd_session *s = &c->sessions[i];

		s->registered = true;
		if (s->pending) {
			(void) sd_bus_reply_method_return(s->pending, "");
			s->pending = sd_bus_message_unref(s->pending);
		}
	}
}

static int method_start_notify(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd_char *c = userdata;
	const char *owner = sd_bus_message_get_sender(m);
	struct btd_session *s;

	if (!(c->pc->props & (ATT_PROP_NOTIFY | ATT_PROP_INDICATE)))
		return sd_bus_error_set(e, BTD_ERR_NOT_SUPPORTED, BTD_MSG_NOT_SUPPORTED);
	s = session_find(c, owner);
	if (s)
		return s->registered
			       ? sd_bus_reply_method_return(m, "")
			       : sd_bus_error_set(e, BTD_ERR_IN_PROGRESS, BTD_MSG_IN_PROGRESS);
	if (c->n_sessions == BTD_MAX_SESSIONS)
		return sd_bus_error_set(e, BTD_ERR_FAILED, "Operation failed");
	s = &c->sessions[c->n_sessions++];
	*s = (struct btd_session) { 0 };
	snprintf(s->owner, sizeof(s->owner), "%s", owner);
	if (c->n_sessions == 1)
		emit_char(c, "Notifying");
	if (!c->dev->connected)
		/* Registered when the GATT client is ready (gatt-client.c:1600). */
		return sd_bus_reply_method_return(m, "");
	if (char_any_registered(c)) {
		s->registered = true;
		return sd_bus_reply_method_return(m, "");
	}
	s->pending = sd_bus_message_ref(m);
	if (!c->cccd_later)
		(void) later_start(c->dev->b->sim->loop, att_ms(c), cccd_done, c, &c->cccd_later);
	return 1;
}

static void session_drop(struct btd_char *c, struct btd_session *s)
{
	(void) btd_reply_error(&s->pending, BTD_ERR_FAILED, "Operation failed");
	*s = c->sessions[--c->n_sessions];
	if (c->n_sessions > 0)
		return;
	later_cancel(&c->cccd_later);
	if (c->dev->connected)
		periph_write_cccd(c->dev->periph, c->pc, 0);
	emit_char(c, "Notifying");
}

static int method_stop_notify(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd_char *c = userdata;
	struct btd_session *s = session_find(c, sd_bus_message_get_sender(m));

	if (!s)
		return sd_bus_error_set(e, BTD_ERR_FAILED, "No notify session started");
	session_drop(c, s);
	return sd_bus_reply_method_return(m, "");
}

static int method_acquire(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	/* Not simulated: clients of backride use StartNotify (notes §1.7). */
	return sd_bus_error_set(e, BTD_ERR_NOT_SUPPORTED, BTD_MSG_NOT_SUPPORTED);
}

static int append_flags(sd_bus_message *reply, uint8_t props)
{
	static const char *const names[] = { "broadcast", "read",   "write-without-response",
					     "write",	  "notify", "indicate" };
	int r;

	r = sd_bus_message_open_container(reply, 'a', "s");
	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(names); i++)
		if (props & (1u << i))
			r = sd_bus_message_append(reply, "s", names[i]);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int char_get(sd_bus *bus, const char *path, const char *iface, const char *prop,
		    sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct btd_char *c = userdata;
	char uuid[37];

	if (strcmp(prop, "UUID") == 0) {
		btd_uuid128(c->pc->uuid16, uuid);
		return sd_bus_message_append(reply, "s", uuid);
	}
	if (strcmp(prop, "Service") == 0)
		return sd_bus_message_append(reply, "o", c->svc_path);
	if (strcmp(prop, "Value") == 0)
		return sd_bus_message_append_array(reply, 'y', c->value, c->value_len);
	if (strcmp(prop, "Notifying") == 0)
		return sd_bus_message_append(reply, "b", c->n_sessions > 0);
	if (strcmp(prop, "NotifyAcquired") == 0)
		return sd_bus_message_append(reply, "b", 0);
	if (strcmp(prop, "MTU") == 0)
		return sd_bus_message_append(reply, "q", (uint16_t) c->dev->b->sim->opt->mtu);
	if (strcmp(prop, "Handle") == 0)
		return sd_bus_message_append(reply, "q", c->pc->handle);
	return append_flags(reply, c->pc->props);
}

#define UNPRIV SD_BUS_VTABLE_UNPRIVILEGED
#define CHANGE SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE
static const sd_bus_vtable char_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_NAMES("ReadValue", "a{sv}", SD_BUS_PARAM(options), "ay",
				 SD_BUS_PARAM(value), method_read, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("WriteValue", "aya{sv}", SD_BUS_PARAM(value) SD_BUS_PARAM(options),
				 "", , method_write, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("AcquireWrite", "a{sv}", SD_BUS_PARAM(options), "hq",
				 SD_BUS_PARAM(fd) SD_BUS_PARAM(mtu), method_acquire, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("AcquireNotify", "a{sv}", SD_BUS_PARAM(options), "hq",
				 SD_BUS_PARAM(fd) SD_BUS_PARAM(mtu), method_acquire, UNPRIV),
	SD_BUS_METHOD("StartNotify", "", "", method_start_notify, UNPRIV),
	SD_BUS_METHOD("StopNotify", "", "", method_stop_notify, UNPRIV),
	SD_BUS_PROPERTY("Handle", "q", char_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("UUID", "s", char_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Service", "o", char_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Value", "ay", char_get, 0, CHANGE),
	SD_BUS_PROPERTY("Flags", "as", char_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_VTABLE_END
};

/* Notifying exists for notify/indicate characteristics, NotifyAcquired for notify. */
static const sd_bus_vtable notify_vtable[] = {
	SD_BUS_VTABLE_START(0), SD_BUS_PROPERTY("NotifyAcquired", "b", char_get, 0, CHANGE),
	SD_BUS_PROPERTY("Notifying", "b", char_get, 0, CHANGE), SD_BUS_VTABLE_END
};

static const sd_bus_vtable indicate_vtable[] = {
	SD_BUS_VTABLE_START(0), SD_BUS_PROPERTY("Notifying", "b", char_get, 0, CHANGE),
	SD_BUS_VTABLE_END
};

/* MTU exists only while connected. */
static const sd_bus_vtable mtu_vtable[] = { SD_BUS_VTABLE_START(0),
					    SD_BUS_PROPERTY("MTU", "q", char_get, 0, CHANGE),
					    SD_BUS_VTABLE_END };

static void desc_read_done(void *userdata)
{
	struct btd_char *c = userdata;
	uint8_t v[2] = { (uint8_t) c->pc->cccd, (uint8_t) (c->pc->cccd >> 8) };

	for (size_t i = 0; i < c->n_reads; i++) {
		(void) reply_bytes(c->reads[i], v, sizeof(v));
		c->reads[i] = sd_bus_message_unref(c->reads[i]);
	}
	c->n_reads = 0;
}

static int method_desc_read(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd_char *c = userdata;
	uint16_t offset = 0;

	if (parse_options(m, &offset, NULL) < 0)
		return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, BTD_MSG_INVALID_ARGS);
	if (!c->dev->connected)
		return sd_bus_error_set(e, BTD_ERR_FAILED, "Not connected");
	if (c->n_reads == BTD_MAX_READS || c->read_later)
		return sd_bus_error_set(e, BTD_ERR_IN_PROGRESS, BTD_MSG_IN_PROGRESS);
	c->reads[c->n_reads++] = sd_bus_message_ref(m);
	(void) later_start(c->dev->b->sim->loop, att_ms(c), desc_read_done, c, &c->read_later);
	return 1;
}

static int method_desc_write(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	/* The CCCD belongs to StartNotify/StopNotify. */
	return sd_bus_error_set(e, BTD_ERR_NOT_PERMITTED, "Write not permitted");
}

static int desc_get(sd_bus *bus, const char *path, const char *iface, const char *prop,
		    sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct btd_char *c = userdata;
	char uuid[37];

	if (strcmp(prop, "UUID") == 0) {
		btd_uuid128(UUID16_CCCD, uuid);
		return sd_bus_message_append(reply, "s", uuid);
	}
	if (strcmp(prop, "Characteristic") == 0)
		return sd_bus_message_append(reply, "o", c->path);
	if (strcmp(prop, "Handle") == 0)
		return sd_bus_message_append(reply, "q", (uint16_t) (c->pc->handle + 2));
	return sd_bus_message_append(reply, "ay", 0);
}

static const sd_bus_vtable desc_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_NAMES("ReadValue", "a{sv}", SD_BUS_PARAM(options), "ay",
				 SD_BUS_PARAM(value), method_desc_read, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("WriteValue", "aya{sv}", SD_BUS_PARAM(value) SD_BUS_PARAM(options),
				 "", , method_desc_write, UNPRIV),
	SD_BUS_PROPERTY("Handle", "q", desc_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("UUID", "s", desc_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Characteristic", "o", desc_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Value", "ay", desc_get, 0, CHANGE),
	SD_BUS_VTABLE_END
};

static int svc_get(sd_bus *bus, const char *path, const char *iface, const char *prop,
		   sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct btd_service *s = userdata;
	char uuid[37];

	if (strcmp(prop, "UUID") == 0) {
		btd_uuid128(s->ps->uuid16, uuid);
		return sd_bus_message_append(reply, "s", uuid);
	}
	if (strcmp(prop, "Device") == 0)
		return sd_bus_message_append(reply, "o", s->dev_path);
	if (strcmp(prop, "Primary") == 0)
		return sd_bus_message_append(reply, "b", 1);
	if (strcmp(prop, "Handle") == 0)
		return sd_bus_message_append(reply, "q", s->ps->handle);
	return sd_bus_message_append(reply, "ao", 0);
}

static const sd_bus_vtable svc_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Handle", "q", svc_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("UUID", "s", svc_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Device", "o", svc_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Primary", "b", svc_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Includes", "ao", svc_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_VTABLE_END
};

static int char_export(struct btd_device *d, struct btd_service *s, struct btd_char *c)
{
	const sd_bus_vtable *nv =
		(c->pc->props & ATT_PROP_NOTIFY) ? notify_vtable : indicate_vtable;
	sd_bus *bus = d->b->bus;
	int r;

	snprintf(c->path, sizeof(c->path), "%s/char%04x", s->path, c->pc->handle);
	c->svc_path = s->path;
	r = sd_bus_add_object_vtable(bus, &c->slot, c->path, BTD_CHAR_IFACE, char_vtable, c);
	if (r >= 0 && (c->pc->props & (ATT_PROP_NOTIFY | ATT_PROP_INDICATE)))
		r = sd_bus_add_object_vtable(bus, &c->notify_slot, c->path, BTD_CHAR_IFACE, nv, c);
	if (r >= 0 && d->connected)
		r = sd_bus_add_object_vtable(bus, &c->mtu_slot, c->path, BTD_CHAR_IFACE, mtu_vtable,
					     c);
	if (r < 0)
		return r;
	(void) sd_bus_emit_interfaces_added(bus, c->path, BTD_CHAR_IFACE, NULL);
	if (!c->notify_slot)
		return 0;
	snprintf(c->desc_path, sizeof(c->desc_path), "%s/desc%04x", c->path, c->pc->handle + 2);
	r = sd_bus_add_object_vtable(bus, &c->desc_slot, c->desc_path, BTD_DESC_IFACE, desc_vtable,
				     c);
	if (r < 0)
		return r;
	return sd_bus_emit_interfaces_added(bus, c->desc_path, BTD_DESC_IFACE, NULL);
}

int btd_gatt_export(struct btd_device *d)
{
	struct periph *p = d->periph;
	struct btd_service *s;
	int r;

	d->gatt_exported = true;
	for (size_t i = 0; i < p->n_services; i++) {
		if (p->services[i].hidden)
			continue;
		s = &d->services[d->n_services++];
		s->ps = &p->services[i];
		s->dev_path = d->path;
		snprintf(s->path, sizeof(s->path), "%s/service%04x", d->path, s->ps->handle);
		for (size_t j = 0; j < s->ps->n_chars; j++) {
			s->chars[j].dev = d;
			s->chars[j].pc = &s->ps->chars[j];
		}
		s->n_chars = s->ps->n_chars;
		r = sd_bus_add_object_vtable(d->b->bus, &s->slot, s->path, BTD_SERVICE_IFACE,
					     svc_vtable, s);
		if (r < 0)
			return r;
		(void) sd_bus_emit_interfaces_added(d->b->bus, s->path, BTD_SERVICE_IFACE, NULL);
		for (size_t j = 0; j < s->n_chars; j++) {
			r = char_export(d, s, &s->chars[j]);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static void char_fail_pending(struct btd_char *c)
{
	later_cancel(&c->write_later);
	later_cancel(&c->read_later);
	later_cancel(&c->cccd_later);
	(void) btd_reply_error(&c->write_msg, BTD_ERR_FAILED, "Operation failed");
	for (size_t i = 0; i < c->n_reads; i++)
		(void) btd_reply_error(&c->reads[i], BTD_ERR_FAILED, "Operation failed");
	c->n_reads = 0;
}

static void char_unexport(struct btd_char *c, bool emit)
{
	sd_bus *bus = char_bus(c);

	char_fail_pending(c);
	for (size_t i = 0; i < c->n_sessions; i++)
		(void) btd_reply_error(&c->sessions[i].pending, BTD_ERR_FAILED, "Operation failed");
	c->n_sessions = 0;
	if (emit && c->desc_slot)
		(void) sd_bus_emit_interfaces_removed(bus, c->desc_path, BTD_DESC_IFACE, NULL);
	if (emit)
		(void) sd_bus_emit_interfaces_removed(bus, c->path, BTD_CHAR_IFACE, NULL);
	c->desc_slot = sd_bus_slot_unref(c->desc_slot);
	c->mtu_slot = sd_bus_slot_unref(c->mtu_slot);
	c->notify_slot = sd_bus_slot_unref(c->notify_slot);
	c->slot = sd_bus_slot_unref(c->slot);
}

void btd_gatt_unexport(struct btd_device *d, bool emit)
{
	for (size_t i = d->n_services; i-- > 0;) {
		struct btd_service *s = &d->services[i];

		for (size_t j = s->n_chars; j-- > 0;)
			char_unexport(&s->chars[j], emit);
		if (emit)
			(void) sd_bus_emit_interfaces_removed(d->b->bus, s->path, BTD_SERVICE_IFACE,
							      NULL);
		s->slot = sd_bus_slot_unref(s->slot);
	}
	d->n_services = 0;
	d->gatt_exported = false;
}

#define FOREACH_CHAR(d, c)                                         \
	for (size_t _i = 0; _i < (d)->n_services; _i++)            \
		for (struct btd_char *c = (d)->services[_i].chars; \
		     c < (d)->services[_i].chars + (d)->services[_i].n_chars; c++)

void btd_gatt_connected(struct btd_device *d)
{
	FOREACH_CHAR(d, c)
	{
		if (c->mtu_slot)
			continue;
		if (sd_bus_add_object_vtable(d->b->bus, &c->mtu_slot, c->path, BTD_CHAR_IFACE,
					     mtu_vtable, c) >= 0)
			emit_char(c, "MTU");
	}
}

void btd_gatt_disconnected(struct btd_device *d)
{
	FOREACH_CHAR(d, c)
	{
		char_fail_pending(c);
		/* Sessions survive the link; they are re-registered on reconnection. */
		for (size_t i = 0; i < c->n_sessions; i++) {
			struct btd_session *s = &c->sessions[i];

			s->registered = false;
			if (s->pending) {
				(void) sd_bus_reply_method_return(s->pending, "");
				s->pending = sd_bus_message_unref(s->pending);
			}
		}
		if (c->mtu_slot) {
			c->mtu_slot = sd_bus_slot_unref(c->mtu_slot);
			(void) btd_emit_invalidated(d->b, c->path, BTD_CHAR_IFACE, "MTU");
		}
	}
}

void btd_gatt_rearm(struct btd_device *d)
{
	FOREACH_CHAR(d, c)
	{
		if (c->n_sessions == 0)
			continue;
		later_cancel(&c->cccd_later);
		cccd_done(c);
	}
}

void btd_gatt_client_gone(struct btd_device *d, const char *owner)
{
	struct btd_session *s;

	FOREACH_CHAR(d, c)
	{
		s = session_find(c, owner);
		if (s)
			session_drop(c, s);
	}
}

void btd_gatt_value(struct btd_device *d, const struct periph_char *pc, const uint8_t *v, size_t n)
{
	FOREACH_CHAR(d, c)
	{
		if (c->pc != pc)
			continue;
		/* Only subscribed characteristics have a notify handler in bluetoothd. */
		if (!char_any_registered(c))
			return;
		c->value_len = MIN(n, sizeof(c->value));
		memcpy(c->value, v, c->value_len);
		emit_char(c, "Value");
		return;
	}
}
