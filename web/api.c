/* SPDX-License-Identifier: MIT */
/*
 * The JSON API: each path is one call of backrided's D-Bus API, made asynchronously. The
 * request is suspended while the call is on the bus and resumed from its reply; MHD then
 * calls the access handler again, which queues the answer (api_finish()).
 *   GET  /api/config                 the CSRF token the page sends with its actions
 *   GET  /api/events                 the live stream (sse.c)
 *   GET  /api/history?limit=&offset= History1.ListSessions
 *   GET  /api/session?id=            History1.GetSession and GetSamples
 *   GET  /api/progress?weeks=        History1.Progress
 *   POST /api/pause, resume, confirm-belt, ease, stop?pain=, pain?value=   Session1
 */
#include "web.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backride-build.h"
#include "backride-dbus.h"
#include "log.h"

/* An unsigned decimal argument of the query in [lo, hi]; @def when it is absent.
 * Return: 0, -EBADMSG (not a number) or -ERANGE. */
static int api_arg(struct request *rq, const char *key, long long lo, long long hi, long long def,
		   long long *ret)
{
	const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);
	long long n = 0;
	size_t i;

	if (!v) {
		*ret = def;
		return 0;
	}
	if (v[0] == '\0' || strlen(v) > 12)
		return -EBADMSG;
	for (i = 0; v[i]; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -EBADMSG;
		n = n * 10 + (v[i] - '0');
	}
	if (n < lo || n > hi)
		return -ERANGE;
	*ret = n;
	return 0;
}

static enum MHD_Result api_bad_arg(struct request *rq, const char *key, long long lo, long long hi)
{
	char msg[160];

	(void) snprintf(msg, sizeof(msg), "'%s' must be a whole number from %lld to %lld.", key, lo,
			hi);
	return web_error(rq->conn, 400, "InvalidArguments", msg);
}

static unsigned api_status(const char *name)
{
	/* clang-format off */
	static const struct {
		const char *name;
		unsigned status;
	} map[] = {
		{ BR_ERROR_NOT_FOUND, 404 },
		{ BR_ERROR_NOT_PERMITTED, 409 },
		{ BR_ERROR_INVALID_ARGS, 400 },
		{ BR_ERROR_ACCESS_DENIED, 403 },
		{ BR_ERROR_BUSY, 409 },
		{ BR_ERROR_NOT_CONNECTED, 409 },
		{ "org.freedesktop.DBus.Error.UnknownMethod", 501 },
	};
	/* clang-format on */
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (strcmp(name, map[i].name) == 0)
			return map[i].status;
	return 502;
}

/* Keep the bus's error as the request's answer. */
static void api_set_error(struct request *rq, const sd_bus_error *e)
{
	const char *name = e->name ? e->name : "org.freedesktop.DBus.Error.Failed";
	const char *message = e->message ? e->message : "The daemon refused.";
	const char *shortname = strrchr(name, '.');

	buf_free(&rq->body);
	rq->status = api_status(name);
	if (strcmp(name, "org.freedesktop.DBus.Error.ServiceUnknown") == 0 ||
	    strcmp(name, "org.freedesktop.DBus.Error.NameHasNoOwner") == 0) {
		rq->status = 503;
		shortname = ".NoDaemon";
		message = "backrided is not running.";
	}
	buf_str(&rq->body, "{\"error\":");
	buf_json_str(&rq->body, shortname ? shortname + 1 : name);
	buf_str(&rq->body, ",\"message\":");
	buf_json_str(&rq->body, message);
	buf_str(&rq->body, "}\n");
}

void api_forget(struct request *rq)
{
	if (!rq->prev_pending)
		return;
	*rq->prev_pending = rq->next_pending;
	if (rq->next_pending)
		rq->next_pending->prev_pending = rq->prev_pending;
	rq->next_pending = NULL;
	rq->prev_pending = NULL;
}

/* The answer is there: the request is resumed from the loop, after MHD has run once more
 * (api_resume_done()), never from inside this reply's callback. */
static void api_done(struct request *rq)
{
	log_debug("api: reply %u", rq->status);
	rq->slot = sd_bus_slot_unref(rq->slot);
	rq->done = 1;
	web_kick(rq->w);
}

/* The reply of a call whose whole answer is the page's JSON: its arguments, as one array, or
 * the one argument alone. */
static int api_on_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct request *rq = userdata;
	int r;

	if (sd_bus_message_is_method_error(m, NULL)) {
		api_set_error(rq, sd_bus_message_get_error(m));
	} else if (sd_bus_message_at_end(m, 0) > 0) {
		rq->status = 200;
		buf_str(&rq->body, "{}\n");
	} else {
		rq->status = 200;
		r = json_from_bus(&rq->body, m);
		if (r >= 0 && sd_bus_message_at_end(m, 0) == 0) {
			/* Progress: totals and next plan, in one array (rq->wrap). */
			buf_str(&rq->body, ",");
			r = json_from_bus(&rq->body, m);
		}
		if (r < 0)
			api_set_error(rq, &SD_BUS_ERROR_MAKE_CONST(
						  BR_ERROR_FAILED,
						  "The daemon's answer was not understood."));
	}
	api_done(rq);
	return 0;
}

static int api_on_samples(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct request *rq = userdata;

	if (sd_bus_message_is_method_error(m, NULL)) {
		api_set_error(rq, sd_bus_message_get_error(m));
	} else {
		buf_str(&rq->body, ",\"samples\":");
		if (json_from_bus(&rq->body, m) < 0)
			api_set_error(rq, &SD_BUS_ERROR_MAKE_CONST(
						  BR_ERROR_FAILED,
						  "The daemon's answer was not understood."));
		else
			buf_str(&rq->body, "}\n");
	}
	api_done(rq);
	return 0;
}

static int api_on_session(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct request *rq = userdata;
	int r;

	rq->slot = sd_bus_slot_unref(rq->slot);
	if (sd_bus_message_is_method_error(m, NULL)) {
		api_set_error(rq, sd_bus_message_get_error(m));
		api_done(rq);
		return 0;
	}
	rq->status = 200;
	buf_str(&rq->body, "{\"session\":");
	r = json_from_bus(&rq->body, m);
	buf_str(&rq->body, ",\"events\":");
	if (r >= 0)
		r = json_from_bus(&rq->body, m);
	if (r >= 0)
		r = sd_bus_call_method_async(rq->w->bus, &rq->slot, BR_BUS_NAME, BR_MANAGER_PATH,
					     BR_HISTORY_IFACE, "GetSamples", api_on_samples, rq,
					     "tuu", rq->id, 0u, 0xffffffffu);
	if (r < 0) {
		api_set_error(rq, &SD_BUS_ERROR_MAKE_CONST(BR_ERROR_FAILED,
							   "The session could not be read."));
		api_done(rq);
	}
	return 0;
}

/* Send @m and suspend the request until its reply. */
static int api_send(struct request *rq, sd_bus_message *m, sd_bus_message_handler_t reply)
{
	int r;

	r = sd_bus_call_async(rq->w->bus, &rq->slot, m, reply, rq, 30 * USEC_PER_SEC);
	sd_bus_message_unref(m);
	if (r < 0)
		return web_error(rq->conn, 503, "NoBus", "backride-web lost its D-Bus connection.");
	MHD_suspend_connection(rq->conn);
	rq->next_pending = rq->w->pending;
	if (rq->next_pending)
		rq->next_pending->prev_pending = &rq->next_pending;
	rq->prev_pending = &rq->w->pending;
	rq->w->pending = rq;
	return MHD_YES;
}

static int api_call(struct request *rq, const char *path, const char *iface, const char *method,
		    sd_bus_message_handler_t reply, const char *types, ...)
{
	sd_bus_message *m = NULL;
	va_list ap;
	int r;

	r = sd_bus_message_new_method_call(rq->w->bus, &m, BR_BUS_NAME, path, iface, method);
	if (r >= 0 && types) {
		va_start(ap, types);
		r = sd_bus_message_appendv(m, types, ap);
		va_end(ap);
	}
	if (r < 0) {
		sd_bus_message_unref(m);
		return web_error(rq->conn, 500, "Failed", "Out of memory.");
	}
	return api_send(rq, m, reply);
}

static int api_history(struct request *rq)
{
	long long limit, offset;

	if (api_arg(rq, "limit", 1, 1000, 50, &limit) < 0)
		return api_bad_arg(rq, "limit", 1, 1000);
	if (api_arg(rq, "offset", 0, 1000000, 0, &offset) < 0)
		return api_bad_arg(rq, "offset", 0, 1000000);
	return api_call(rq, BR_MANAGER_PATH, BR_HISTORY_IFACE, "ListSessions", api_on_reply,
			"a{sv}", 2, "limit", "u", (uint32_t) limit, "offset", "u",
			(uint32_t) offset);
}

static int api_progress(struct request *rq)
{
	long long weeks;

	if (api_arg(rq, "weeks", 1, 520, 12, &weeks) < 0)
		return api_bad_arg(rq, "weeks", 1, 520);
	rq->wrap = 1;
	buf_str(&rq->body, "[");
	return api_call(rq, BR_MANAGER_PATH, BR_HISTORY_IFACE, "Progress", api_on_reply, "u",
			(uint32_t) weeks);
}

static int api_config(struct request *rq)
{
	struct buf b = { 0 };
	enum MHD_Result ret;

	buf_str(&b, "{\"csrf\":");
	buf_json_str(&b, rq->w->csrf);
	buf_printf(&b, ",\"version\":\"%s\",\"lan\":%s}\n", BACKRIDE_VERSION,
		   rq->w->opt.lan ? "true" : "false");
	ret = b.oom ? MHD_NO : web_reply(rq->conn, 200, "application/json", b.p, b.len);
	buf_free(&b);
	return ret;
}

int api_get(struct request *rq, const char *url)
{
	long long id;

	if (strcmp(url, "/api/config") == 0)
		return api_config(rq);
	if (strcmp(url, "/api/events") == 0)
		return sse_open(rq->w, rq->conn);
	if (strcmp(url, "/api/history") == 0)
		return api_history(rq);
	if (strcmp(url, "/api/progress") == 0)
		return api_progress(rq);
	if (strcmp(url, "/api/session") == 0) {
		if (api_arg(rq, "id", 1, 999999999999LL, 0, &id) < 0 || id == 0)
			return api_bad_arg(rq, "id", 1, 999999999999LL);
		rq->id = (uint64_t) id;
		return api_call(rq, BR_MANAGER_PATH, BR_HISTORY_IFACE, "GetSession", api_on_session,
				"t", rq->id);
	}
	if (strncmp(url, "/api/", 5) == 0)
		return web_error(rq->conn, 404, "NotFound", "No such API path.");
	return -1;
}

static int api_session(struct request *rq, const char *method, const char *types, ...)
{
	sd_bus_message *m = NULL;
	va_list ap;
	int r;

	r = sd_bus_message_new_method_call(rq->w->bus, &m, BR_BUS_NAME, BR_SESSION_PATH,
					   BR_SESSION_IFACE, method);
	if (r >= 0 && types) {
		va_start(ap, types);
		r = sd_bus_message_appendv(m, types, ap);
		va_end(ap);
	}
	if (r < 0) {
		sd_bus_message_unref(m);
		return web_error(rq->conn, 500, "Failed", "Out of memory.");
	}
	return api_send(rq, m, api_on_reply);
}

int api_post(struct request *rq, const char *url)
{
	/* clang-format off */
	static const struct {
		const char *path;
		const char *method;
	} plain[] = {
		{ "/api/pause", "Pause" },
		{ "/api/resume", "Resume" },
		{ "/api/confirm-belt", "ConfirmBelt" },
		{ "/api/ease", "Ease" },
	};
	/* clang-format on */
	long long v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(plain); i++)
		if (strcmp(url, plain[i].path) == 0)
			return api_session(rq, plain[i].method, NULL);
	if (strcmp(url, "/api/pain") == 0) {
		if (api_arg(rq, "value", 0, 10, -1, &v) < 0 || v < 0)
			return api_bad_arg(rq, "value", 0, 10);
		return api_session(rq, "ReportPain", "u", (uint32_t) v);
	}
	if (strcmp(url, "/api/stop") == 0) {
		if (api_arg(rq, "pain", 0, 10, -1, &v) < 0)
			return api_bad_arg(rq, "pain", 0, 10);
		return api_session(rq, "Stop", "i", (int32_t) v);
	}
	return -1;
}

enum MHD_Result api_finish(struct request *rq)
{
	if (rq->body.oom)
		return web_error(rq->conn, 500, "Failed", "Out of memory.");
	if (rq->status == 200 && rq->wrap)
		buf_str(&rq->body, "]\n");
	return web_reply(rq->conn, rq->status, "application/json", rq->body.p ? rq->body.p : "",
			 rq->body.len);
}

void api_resume_done(struct web *w)
{
	struct request *rq = w->pending, *next;

	for (; rq; rq = next) {
		next = rq->next_pending;
		if (!rq->done)
			continue;
		api_forget(rq);
		MHD_resume_connection(rq->conn);
	}
}

void api_cancel_all(struct web *w)
{
	/* MHD must not be stopped with suspended connections: answer them. */
	while (w->pending) {
		struct request *rq = w->pending;

		buf_free(&rq->body);
		rq->status = 503;
		buf_str(&rq->body,
			"{\"error\":\"ShuttingDown\",\"message\":\"backride-web is stopping.\"}\n");
		rq->wrap = 0;
		rq->slot = sd_bus_slot_unref(rq->slot);
		rq->done = 1;
		api_forget(rq);
		MHD_resume_connection(rq->conn);
	}
}
