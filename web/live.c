/* SPDX-License-Identifier: MIT */
#include "live.h"

#include <errno.h>
#include <string.h>

#include "backride-dbus.h"
#include "bus-util.h"

#define LIVE_MAX_PROPS	32
#define LIVE_MAX_EVENTS 6

struct live_prop {
	char *name;
	char *json;
};

struct live {
	sd_bus *bus;
	live_changed_fn changed;
	void *userdata;
	sd_bus_slot *match_session;
	sd_bus_slot *match_manager;
	sd_bus_slot *match_event;
	sd_bus_slot *get_session;
	sd_bus_slot *get_manager;
	struct live_prop props[LIVE_MAX_PROPS];
	size_t n_props;
	int have_session;
	char *state_json;
	char *events[LIVE_MAX_EVENTS]; /* newest last */
	size_t n_events;
};

int live_new(sd_bus *bus, live_changed_fn changed, void *userdata, struct live **ret)
{
	struct live *l;

	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->bus = sd_bus_ref(bus);
	l->changed = changed;
	l->userdata = userdata;
	*ret = l;
	return 0;
}

static void live_forget(struct live *l)
{
	size_t i;

	for (i = 0; i < l->n_props; i++) {
		free(l->props[i].name);
		free(l->props[i].json);
	}
	l->n_props = 0;
	l->have_session = 0;
	for (i = 0; i < l->n_events; i++)
		free(l->events[i]);
	l->n_events = 0;
	free(l->state_json);
	l->state_json = NULL;
}

struct live *live_free(struct live *l)
{
	if (!l)
		return NULL;
	(void) live_watch(l, 0);
	live_forget(l);
	sd_bus_unref(l->bus);
	free(l);
	return NULL;
}

static int live_set(struct live *l, const char *name, char *json)
{
	size_t i;

	for (i = 0; i < l->n_props; i++) {
		if (strcmp(l->props[i].name, name) == 0) {
			free(l->props[i].json);
			l->props[i].json = json;
			return 0;
		}
	}
	if (l->n_props == LIVE_MAX_PROPS) {
		free(json);
		return 0; /* a daemon newer than us: what we know of is kept */
	}
	l->props[l->n_props].name = strdup(name);
	if (!l->props[l->n_props].name) {
		free(json);
		return -ENOMEM;
	}
	l->props[l->n_props++].json = json;
	return 0;
}

static int live_prop_json(sd_bus_message *m, char **ret)
{
	struct buf b = { 0 };
	int r;

	r = json_from_bus(&b, m);
	if (r < 0) {
		buf_free(&b);
		return r;
	}
	*ret = buf_steal(&b);
	return *ret ? 0 : -ENOMEM;
}

static int live_session_prop(sd_bus_message *m, const char *key, void *userdata)
{
	struct live *l = userdata;
	char *json;
	int r;

	r = live_prop_json(m, &json);
	if (r < 0)
		return r;
	l->have_session = 1;
	return live_set(l, key, json);
}

static int live_manager_prop(sd_bus_message *m, const char *key, void *userdata)
{
	struct live *l = userdata;
	char *json;
	int r;

	if (strcmp(key, "State") != 0)
		return sd_bus_message_skip(m, "v");
	r = live_prop_json(m, &json);
	if (r < 0)
		return r;
	free(l->state_json);
	l->state_json = json;
	return 0;
}

static int live_on_changed(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct live *l = userdata;
	const char *iface;
	int r;

	r = sd_bus_message_read(m, "s", &iface);
	if (r < 0)
		return 0;
	if (strcmp(iface, BR_SESSION_IFACE) == 0)
		r = bus_dict_foreach(m, live_session_prop, l);
	else if (strcmp(iface, BR_MANAGER_IFACE) == 0)
		r = bus_dict_foreach(m, live_manager_prop, l);
	else
		return 0;
	if (r >= 0)
		l->changed(l, l->userdata);
	return 0;
}

static int live_on_event(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct live *l = userdata;
	struct buf b = { 0 };
	const char *type, *detail;
	char *json;
	int r;

	r = sd_bus_message_read(m, "ss", &type, &detail);
	if (r < 0)
		return 0;
	buf_str(&b, "{\"type\":");
	buf_json_str(&b, type);
	buf_str(&b, ",\"detail\":");
	buf_json_str(&b, detail);
	buf_str(&b, "}");
	json = buf_steal(&b);
	if (!json)
		return 0;
	if (l->n_events == LIVE_MAX_EVENTS) {
		free(l->events[0]);
		memmove(l->events, l->events + 1, sizeof(l->events[0]) * (LIVE_MAX_EVENTS - 1));
		l->n_events--;
	}
	l->events[l->n_events++] = json;
	l->changed(l, l->userdata);
	return 0;
}

static int live_getall_session(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct live *l = userdata;

	l->get_session = sd_bus_slot_unref(l->get_session);
	/* An error: no session yet (the object appears with the first one), or no daemon. */
	if (sd_bus_message_is_method_error(m, NULL)) {
		l->changed(l, l->userdata);
		return 0;
	}
	if (bus_dict_foreach(m, live_session_prop, l) >= 0)
		l->changed(l, l->userdata);
	return 0;
}

static int live_getall_manager(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct live *l = userdata;

	l->get_manager = sd_bus_slot_unref(l->get_manager);
	if (sd_bus_message_is_method_error(m, NULL))
		return 0;
	if (bus_dict_foreach(m, live_manager_prop, l) >= 0)
		l->changed(l, l->userdata);
	return 0;
}

static int live_add_matches(struct live *l)
{
	int r;

	r = sd_bus_match_signal_async(l->bus, &l->match_session, BR_BUS_NAME, BR_SESSION_PATH,
				      "org.freedesktop.DBus.Properties", "PropertiesChanged",
				      live_on_changed, NULL, l);
	if (r < 0)
		return r;
	r = sd_bus_match_signal_async(l->bus, &l->match_manager, BR_BUS_NAME, BR_MANAGER_PATH,
				      "org.freedesktop.DBus.Properties", "PropertiesChanged",
				      live_on_changed, NULL, l);
	if (r < 0)
		return r;
	r = sd_bus_match_signal_async(l->bus, &l->match_event, BR_BUS_NAME, BR_MANAGER_PATH,
				      BR_MANAGER_IFACE, "Event", live_on_event, NULL, l);
	if (r < 0)
		return r;
	r = sd_bus_call_method_async(l->bus, &l->get_session, BR_BUS_NAME, BR_SESSION_PATH,
				     "org.freedesktop.DBus.Properties", "GetAll",
				     live_getall_session, l, "s", BR_SESSION_IFACE);
	if (r < 0)
		return r;
	return sd_bus_call_method_async(l->bus, &l->get_manager, BR_BUS_NAME, BR_MANAGER_PATH,
					"org.freedesktop.DBus.Properties", "GetAll",
					live_getall_manager, l, "s", BR_MANAGER_IFACE);
}

int live_watch(struct live *l, int on)
{
	int r;

	if (on && !l->match_session) {
		r = live_add_matches(l);
		if (r < 0) {
			(void) live_watch(l, 0);
			return r;
		}
		return 0;
	}
	if (!on) {
		l->match_session = sd_bus_slot_unref(l->match_session);
		l->match_manager = sd_bus_slot_unref(l->match_manager);
		l->match_event = sd_bus_slot_unref(l->match_event);
		l->get_session = sd_bus_slot_unref(l->get_session);
		l->get_manager = sd_bus_slot_unref(l->get_manager);
		/* What was seen goes stale unwatched: the next browser starts from GetAll. */
		live_forget(l);
	}
	return 0;
}

void live_json(struct live *l, struct buf *b)
{
	size_t i;

	buf_str(b, "{\"state\":");
	buf_str(b, l->state_json ? l->state_json : "null");
	buf_str(b, ",\"session\":");
	if (l->have_session) {
		buf_str(b, "{");
		for (i = 0; i < l->n_props; i++) {
			if (i)
				buf_str(b, ",");
			buf_json_str(b, l->props[i].name);
			buf_str(b, ":");
			buf_str(b, l->props[i].json);
		}
		buf_str(b, "}");
	} else {
		buf_str(b, "null");
	}
	buf_str(b, ",\"events\":[");
	for (i = 0; i < l->n_events; i++) {
		if (i)
			buf_str(b, ",");
		buf_str(b, l->events[i]);
	}
	buf_str(b, "]}");
}
