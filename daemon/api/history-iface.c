/* SPDX-License-Identifier: MIT */
/*
 * org.backride.History1 at /org/backride: recorded sessions, their samples, weekly progress and
 * exports. Health data: every handler checks the caller first. Contract and value formats:
 * dbus/org.backride.History1.xml.
 */
#include "api-internal.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "backride-dbus.h"
#include "bus-util.h"
#include "history.h"

#define HISTORY_LIMIT_DEFAULT 50
#define HISTORY_LIMIT_MAX     1000
#define HISTORY_WEEKS_MAX     520

/* Turn a failure of the history functions into a named error. */
static int history_error(sd_bus_error *err, int r, uint64_t id)
{
	if (r == -ENOENT)
		return sd_bus_error_setf(err, BR_ERROR_NOT_FOUND,
					 "There is no session %llu; 'backride history' lists them.",
					 (unsigned long long) id);
	if (r == -ENOMEM)
		return -ENOMEM;
	return sd_bus_error_setf(err, BR_ERROR_STORAGE, "Cannot read the history: %s.",
				 strerror(-r));
}

static struct storage *history_storage(void *userdata)
{
	struct api *a = userdata;

	return a->storage;
}

/* Read one filter value of D-Bus type @want into @p, or say which key is wrong. */
static int filter_value(sd_bus_message *m, const char *key, const char *want, void *p,
			sd_bus_error *err)
{
	const char *contents = NULL;
	int r;

	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
	if (!contents || strcmp(contents, want) != 0)
		return sd_bus_error_setf(
			err, BR_ERROR_INVALID_ARGS,
			"Filter key '%s' must be a variant of type '%s', not '%s'.", key, want,
			contents ? contents : "?");
	return sd_bus_message_read(m, "v", want, p);
}

static int filter_check(const struct storage_session_filter *f, const char *kind, sd_bus_error *err)
{
	if (f->limit == 0 || f->limit > HISTORY_LIMIT_MAX)
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "Filter key 'limit' must be between 1 and %d.",
					 HISTORY_LIMIT_MAX);
	if (f->since < 0 || f->until < 0 || (f->until && f->since >= f->until))
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "Filter keys 'since' and 'until' must be unix seconds "
					 "with since < until.");
	if (kind && f->kind < 0)
		return sd_bus_error_setf(
			err, BR_ERROR_INVALID_ARGS,
			"Filter key 'kind' must be 'bike' or 'treadmill', not '%s'.", kind);
	return 0;
}

struct filter_walk {
	struct storage_session_filter *f;
	const char *kind; /* borrowed from the message */
	sd_bus_error *err;
};

/* Read one filter entry's variant into the filter, or say which key is wrong. */
static int filter_entry(sd_bus_message *m, const char *key, void *userdata)
{
	struct filter_walk *w = userdata;
	struct storage_session_filter *f = w->f;
	int r;

	if (strcmp(key, "since") == 0)
		return filter_value(m, key, "x", &f->since, w->err);
	if (strcmp(key, "until") == 0)
		return filter_value(m, key, "x", &f->until, w->err);
	if (strcmp(key, "limit") == 0)
		return filter_value(m, key, "u", &f->limit, w->err);
	if (strcmp(key, "offset") == 0)
		return filter_value(m, key, "u", &f->offset, w->err);
	if (strcmp(key, "kind") == 0) {
		r = filter_value(m, key, "s", &w->kind, w->err);
		if (r >= 0) {
			f->kind = storage_kind_from_string(w->kind);
			if (f->kind == STORAGE_KIND_HR)
				f->kind = -EINVAL;
		}
		return r;
	}
	return sd_bus_error_setf(
		w->err, BR_ERROR_INVALID_ARGS,
		"Unknown filter key '%s'; use since, until, kind, limit or offset.", key);
}

static int filter_parse(sd_bus_message *m, struct storage_session_filter *f, sd_bus_error *err)
{
	struct filter_walk w = { .f = f, .err = err };
	int r;

	*f = (struct storage_session_filter) { .kind = STORAGE_KIND_ANY,
					       .ended_only = true,
					       .limit = HISTORY_LIMIT_DEFAULT };
	r = bus_dict_foreach(m, filter_entry, &w);
	if (r < 0)
		return r;
	return filter_check(f, w.kind, err);
}

static int method_list_sessions(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	struct storage_session_filter f;
	int r;

	r = api_check(userdata, m, true, err);
	if (r >= 0)
		r = filter_parse(m, &f, err);
	if (r >= 0)
		r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = history_append_list(history_storage(userdata), &f, reply);
	if (r < 0)
		return sd_bus_error_is_set(err) ? r : history_error(err, r, 0);
	return sd_bus_send(NULL, reply, NULL);
}

static int method_get_session(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	uint64_t id = 0;
	int r;

	r = api_check(userdata, m, true, err);
	if (r >= 0)
		r = sd_bus_message_read(m, "t", &id);
	if (r >= 0)
		r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = id > STORAGE_SESSION_ID_MAX ? -ENOENT
						: history_append_session(history_storage(userdata),
									 (int64_t) id, reply);
	if (r < 0)
		return sd_bus_error_is_set(err) ? r : history_error(err, r, id);
	return sd_bus_send(NULL, reply, NULL);
}

static int method_get_samples(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	uint64_t id = 0;
	uint32_t from, to;
	int r;

	r = api_check(userdata, m, true, err);
	if (r >= 0)
		r = sd_bus_message_read(m, "tuu", &id, &from, &to);
	if (r >= 0 && from > to)
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "'from' (%u) must not be after 'to' (%u).", from, to);
	if (r >= 0)
		r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = id > STORAGE_SESSION_ID_MAX
			    ? -ENOENT
			    : history_append_samples(history_storage(userdata), (int64_t) id, from,
						     to, reply);
	if (r < 0)
		return sd_bus_error_is_set(err) ? r : history_error(err, r, id);
	return sd_bus_send(NULL, reply, NULL);
}

static int method_progress(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	uint32_t weeks = 0;
	int r;

	r = api_check(userdata, m, true, err);
	if (r >= 0)
		r = sd_bus_message_read(m, "u", &weeks);
	if (r >= 0 && (weeks == 0 || weeks > HISTORY_WEEKS_MAX))
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "'weeks' must be between 1 and %d.", HISTORY_WEEKS_MAX);
	if (r >= 0)
		r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = history_append_progress(history_storage(userdata),
					    ((struct api *) userdata)->config, weeks, reply);
	if (r < 0)
		return sd_bus_error_is_set(err) ? r : history_error(err, r, 0);
	return sd_bus_send(NULL, reply, NULL);
}

static int method_export(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	const char *format = NULL;
	uint64_t id = 0;
	int fd = -1, f, r;

	r = api_check(userdata, m, true, err);
	if (r >= 0)
		r = sd_bus_message_read(m, "ts", &id, &format);
	if (r < 0)
		return r;
	f = export_format_from_string(format);
	if (f < 0)
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "Unknown export format '%s'; use tcx, fit, csv or json.",
					 format);
	r = id > STORAGE_SESSION_ID_MAX
		    ? -ENOENT
		    : history_export(history_storage(userdata), (int64_t) id, f, &fd);
	if (r < 0)
		return history_error(err, r, id);
	r = sd_bus_reply_method_return(m, "h", fd);
	close(fd);
	return r;
}

static const sd_bus_vtable history_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_ARGS("ListSessions", SD_BUS_ARGS("a{sv}", filter),
				SD_BUS_RESULT("aa{sv}", sessions), method_list_sessions,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("GetSession", SD_BUS_ARGS("t", id),
				SD_BUS_RESULT("a{sv}", session, "a(xisis)", events),
				method_get_session, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("GetSamples", SD_BUS_ARGS("t", id, "u", from, "u", to),
				SD_BUS_RESULT("a(uyiiiiiiiiiii)", samples), method_get_samples,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Progress", SD_BUS_ARGS("u", weeks),
				SD_BUS_RESULT("aa{sv}", totals, "a{sv}", next_plan),
				method_progress, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Programme", SD_BUS_NO_ARGS,
				SD_BUS_RESULT("a{sv}", state, "aa{sv}", weeks),
				api_history_programme, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Checkins", SD_BUS_ARGS("s", since),
				SD_BUS_RESULT("a(sxu)", checkins), api_history_checkins,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Export", SD_BUS_ARGS("t", id, "s", format),
				SD_BUS_RESULT("h", data), method_export,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

int api_history_register(struct api *a)
{
	return sd_bus_add_object_vtable(a->bus, &a->history_slot, BR_MANAGER_PATH, BR_HISTORY_IFACE,
					history_vtable, a);
}
