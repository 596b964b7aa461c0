/* SPDX-License-Identifier: MIT */
/*
 * Sessions on the bus: Manager1.StartSession, Checkin and NextPlan (a second vtable of
 * Manager1 at /org/backride), and org.backride.Session1 at /org/backride/session for the
 * running (or last) session. Contract: dbus/org.backride.Manager1.xml,
 * dbus/session/org.backride.Session1.xml.
 */
#include "api-internal.h"

#include <errno.h>
#include <string.h>

#include "api.h"
#include "backride-dbus.h"
#include "bus-util.h"
#include "coach.h"
#include "history.h"
#include "macro.h"
#include "policy.h"
#include "storage.h"

static struct coach *coach_of(void *userdata)
{
	struct api *a = userdata;

	return a->coach;
}

static int session_error(sd_bus_error *err, int r, const char *text)
{
	switch (r) {
	case -ENOTCONN:
		return sd_bus_error_set(err, BR_ERROR_NOT_FOUND,
					"No session is running; start one with 'backride start "
					"--gentle'.");
	case -EALREADY:
		return sd_bus_error_set(err, BR_ERROR_NOT_PERMITTED,
					text ? text : "Nothing to do: it is so already.");
	case -ESTALE:
		return sd_bus_error_set(err, BR_ERROR_NOT_PERMITTED,
					"The session is ending; wait for it to finish.");
	case -EOPNOTSUPP:
		return sd_bus_error_set(err, BR_ERROR_NOT_PERMITTED,
					"Only a treadmill's belt needs a confirmation.");
	case -EINVAL:
		return sd_bus_error_set(err, BR_ERROR_INVALID_ARGS,
					"Pain is rated from 0 (none) to 10 (worst).");
	case -EBADMSG:
		return sd_bus_error_set(
			err, BR_ERROR_NOT_PERMITTED,
			"The machine still sends implausible data; check it (turn it "
			"off and on if need be), then resume.");
	}
	return sd_bus_error_setf(err, BR_ERROR_FAILED, "Cannot do that: %s.", strerror(-r));
}

/* ---- Manager1.StartSession ------------------------------------------------------------ */

static int start_error(sd_bus_error *err, int r, const char *text)
{
	switch (r) {
	case -EBUSY:
		return sd_bus_error_set(err, BR_ERROR_BUSY,
					"A session is already running or starting; 'backride stop' "
					"ends it.");
	case -EADDRINUSE:
		return sd_bus_error_set(
			err, BR_ERROR_BUSY,
			"Another machine is connected; leave out --machine to use it, "
			"or disconnect it first.");
	case -ENOENT:
		/* With a text, the link looked for the machine and did not see it (a Keiser's
		 * console asleep says to pedal): that, not the advice to pair one. */
		if (text)
			return sd_bus_error_setf(err, BR_ERROR_NOT_CONNECTED,
						 "The machine was not found: %s.", text);
		return sd_bus_error_set(err, BR_ERROR_NOT_CONNECTED,
					"No machine to connect to; run 'backride scan', then "
					"'backride pair ADDRESS'.");
	case -EINVAL:
		/* The options were checked before (a bad address among them): with a text the
		 * machine's kind does not fit; without, the coach could not say why. */
		if (text)
			return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
						 "Option 'kind' does not fit: %s.", text);
		return sd_bus_error_set(err, BR_ERROR_NOT_PERMITTED,
					"Cannot start: backride cannot drive this machine.");
	case -ENODEV:
	case -ENETDOWN:
		return sd_bus_error_set(err, BR_ERROR_NOT_CONNECTED,
					"Bluetooth is not available; is bluetoothd running and the "
					"adapter on?");
	case -EPROTO:
	case -ERANGE:
	case -EAGAIN: /* a rest day of the programme */
		return sd_bus_error_setf(err, BR_ERROR_NOT_PERMITTED, "Cannot start: %s.",
					 text ? text : strerror(-r));
	}
	if (r == -ENOTCONN || r == -ETIMEDOUT || r == -EHOSTDOWN || r == -ECONNREFUSED ||
	    r == -ECONNABORTED || r == -EIO)
		return sd_bus_error_setf(err, BR_ERROR_NOT_CONNECTED,
					 "Cannot connect to the machine%s%s; is it on and near?",
					 text ? ": " : "", text ? text : "");
	return sd_bus_error_setf(err, BR_ERROR_FAILED, "Cannot start the session: %s.",
				 text ? text : strerror(-r));
}

static void start_done(void *userdata, int error, const char *message)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *m = userdata;

	if (error < 0) {
		(void) start_error(&e, error, message);
		(void) sd_bus_reply_method_error(m, &e);
	} else
		(void) sd_bus_reply_method_return(m, "o", BR_SESSION_PATH);
	sd_bus_message_unref(m);
}

static int bad_option(sd_bus_error *err, const char *key, const char *why)
{
	return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS, "Option '%s' %s.", key, why);
}

/* Read one option's variant into @o. Return: 0, or < 0 with @err set. */
static int parse_option(sd_bus_message *m, const char *key, struct coach_start_options *o,
			sd_bus_error *err)
{
	const char *contents = NULL, *s;
	uint32_t u;
	int32_t i;
	int b, r;

	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
	if (strcmp(key, "kind") == 0 && strcmp(contents, "s") == 0) {
		r = sd_bus_message_read(m, "v", "s", &s);
		if (r < 0)
			return r;
		if (strcmp(s, "bike") != 0 && strcmp(s, "treadmill") != 0)
			return bad_option(err, key, "must be 'bike' or 'treadmill'");
		o->kind = strcmp(s, "bike") == 0 ? SESSION_KIND_BIKE : SESSION_KIND_TREADMILL;
	} else if (strcmp(key, "minutes") == 0 && strcmp(contents, "u") == 0) {
		r = sd_bus_message_read(m, "v", "u", &u);
		if (r >= 0 && (u < 3 || u > 90))
			return bad_option(err, key, "must be 3 to 90 minutes");
		o->minutes = u;
	} else if (strcmp(key, "machine") == 0 && strcmp(contents, "s") == 0) {
		r = sd_bus_message_read(m, "v", "s", &s);
		if (r < 0)
			return r;
		if (*s && !policy_address_valid(s))
			return bad_option(err, key, "must be an address such as C0:FF:EE:00:00:01");
		(void) snprintf(o->address, sizeof(o->address), "%s", s);
	} else if (strcmp(key, "pain_before") == 0 && strcmp(contents, "i") == 0) {
		r = sd_bus_message_read(m, "v", "i", &i);
		if (r >= 0 && (i < 0 || i > 10))
			return bad_option(err, key, "must be 0 (no pain) to 10 (worst)");
		o->pain_before = i;
	} else if (strcmp(key, "stretches") == 0 && strcmp(contents, "b") == 0) {
		r = sd_bus_message_read(m, "v", "b", &b);
		o->stretches = !!b;
	} else if (strcmp(key, "guided") == 0 && strcmp(contents, "b") == 0) {
		r = sd_bus_message_read(m, "v", "b", &b);
		o->guided = !!b;
	} else
		return sd_bus_error_setf(
			err, BR_ERROR_INVALID_ARGS,
			"Unknown option '%s' of type '%s'; known: kind (s), "
			"minutes (u), machine (s), pain_before (i), stretches (b), guided (b).",
			key, contents ? contents : "?");
	return r;
}

struct options_walk {
	struct coach_start_options *o;
	sd_bus_error *err;
};

static int options_walk_entry(sd_bus_message *m, const char *key, void *userdata)
{
	struct options_walk *w = userdata;

	return parse_option(m, key, w->o, w->err);
}

static int parse_options(sd_bus_message *m, struct coach_start_options *o, sd_bus_error *err)
{
	*o = (struct coach_start_options) { .kind = -1, .pain_before = BR_NONE, .stretches = -1 };
	return bus_dict_foreach(m, options_walk_entry,
				&(struct options_walk) { .o = o, .err = err });
}

static int method_start_session(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct coach_start_options o;
	int r;

	r = api_check(userdata, m, coach_of(userdata), err);
	if (r < 0)
		return r;
	r = parse_options(m, &o, err);
	if (r < 0)
		return r;
	r = coach_start(coach_of(userdata), &o, start_done, sd_bus_message_ref(m));
	if (r < 0) {
		sd_bus_message_unref(m);
		return start_error(err, r, NULL);
	}
	return 1;
}

static int method_checkin(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	uint32_t pain;
	int r;

	r = api_check(userdata, m, coach_of(userdata), err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "u", &pain);
	if (r < 0)
		return r;
	if (pain > 10)
		return session_error(err, -EINVAL, NULL);
	r = coach_checkin(coach_of(userdata), (int32_t) pain);
	if (r < 0)
		return sd_bus_error_setf(err, BR_ERROR_STORAGE, "Cannot record the check-in: %s.",
					 strerror(-r));
	return sd_bus_reply_method_return(m, "");
}

static int latest_kind(const struct storage_session *x, void *userdata)
{
	*(enum session_kind *) userdata =
		x->kind == STORAGE_KIND_TREADMILL ? SESSION_KIND_TREADMILL : SESSION_KIND_BIKE;
	return 1;
}

/* "" : the kind of the latest session, else a bike. Return: the kind, or -EINVAL. */
static int plan_kind(void *userdata, const char *kind)
{
	struct storage_session_filter f = { .kind = STORAGE_KIND_ANY,
					    .ended_only = true,
					    .limit = 1 };
	struct api *a = userdata;
	enum session_kind k = SESSION_KIND_BIKE;

	if (strcmp(kind, "bike") == 0)
		return SESSION_KIND_BIKE;
	if (strcmp(kind, "treadmill") == 0)
		return SESSION_KIND_TREADMILL;
	if (*kind)
		return -EINVAL;
	(void) storage_sessions_list(a->storage, &f, latest_kind, &k);
	return k;
}

static int method_next_plan(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	struct plan_params p;
	struct plan_reason why;
	const char *kind;
	int k, r;

	r = api_check(userdata, m, coach_of(userdata), err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "s", &kind);
	if (r < 0)
		return r;
	k = plan_kind(userdata, kind);
	if (k < 0)
		return bad_option(err, "kind", "must be 'bike', 'treadmill' or ''");
	r = coach_next_plan(coach_of(userdata), (enum session_kind) k, &p, &why);
	if (r < 0)
		return sd_bus_error_setf(err, BR_ERROR_STORAGE, "Cannot read the history: %s.",
					 strerror(-r));
	r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'a', "{sv}");
	if (r >= 0)
		r = history_append_plan(reply, &p, &why);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r < 0)
		return r;
	return sd_bus_send(NULL, reply, NULL);
}

static const sd_bus_vtable manager_session_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_ARGS("StartSession", SD_BUS_ARGS("a{sv}", options),
				SD_BUS_RESULT("o", session), method_start_session,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Checkin", SD_BUS_ARGS("u", pain), SD_BUS_NO_RESULT, method_checkin,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("NextPlan", SD_BUS_ARGS("s", kind), SD_BUS_RESULT("a{sv}", plan),
				method_next_plan, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

/* ---- Session1 ------------------------------------------------------------------------- */

static const struct coach_view *view_of(void *userdata)
{
	struct coach *co = coach_of(userdata);
	static const struct coach_view none = {
		.kind = "",
		.phase = "none",
		.pain_before = BR_NONE,
		.pain_max = BR_NONE,
		.last_pain = BR_NONE,
		.end_reason = "",
	};
	const struct coach_view *v = co ? coach_view(co) : NULL;

	return v ? v : &none;
}

static int32_t pain(int32_t v)
{
	return v == BR_NONE ? -1 : v;
}

static int prop_get(sd_bus *bus, const char *path, const char *iface, const char *prop,
		    sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	const struct coach_view *v = view_of(userdata);

	if (strcmp(prop, "Id") == 0)
		return sd_bus_message_append(reply, "x", v->id);
	if (strcmp(prop, "Kind") == 0)
		return sd_bus_message_append(reply, "s", v->kind);
	if (strcmp(prop, "Phase") == 0)
		return sd_bus_message_append(reply, "s", v->phase);
	if (strcmp(prop, "Elapsed") == 0)
		return sd_bus_message_append(reply, "u", v->elapsed_s);
	if (strcmp(prop, "Planned") == 0)
		return sd_bus_message_append(reply, "u", v->planned_s);
	if (strcmp(prop, "Remaining") == 0)
		return sd_bus_message_append(reply, "u", v->remaining_s);
	if (strcmp(prop, "PainBefore") == 0)
		return sd_bus_message_append(reply, "i", pain(v->pain_before));
	if (strcmp(prop, "PainMax") == 0)
		return sd_bus_message_append(reply, "i", pain(v->pain_max));
	if (strcmp(prop, "LastPain") == 0)
		return sd_bus_message_append(reply, "i", pain(v->last_pain));
	if (strcmp(prop, "Paused") == 0)
		return sd_bus_message_append(reply, "b", v->paused);
	if (strcmp(prop, "PauseReason") == 0)
		return sd_bus_message_append(reply, "s", v->pause_reason);
	if (strcmp(prop, "EndReason") == 0)
		return sd_bus_message_append(reply, "s", v->end_reason);
	if (strcmp(prop, "Message") == 0)
		return sd_bus_message_append(reply, "s", v->message);
	if (strcmp(prop, "Guided") == 0)
		return sd_bus_message_append(reply, "b", v->guided);
	if (strcmp(prop, "Advice") == 0)
		return sd_bus_message_append(reply, "s", v->advice);
	if (strcmp(prop, "HeartRateCap") == 0)
		return sd_bus_message_append(reply, "u", v->hr_cap_bpm);
	return -ENOENT;
}

static int prop_get_targets(sd_bus *bus, const char *path, const char *iface, const char *prop,
			    sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	const struct coach_view *v = view_of(userdata);
	int r;

	r = sd_bus_message_open_container(reply, 'a', "{si}");
	for (int c = 0; r >= 0 && c < _SESSION_CH_MAX; c++)
		if (v->channels & (1u << c))
			r = sd_bus_message_append(
				reply, "{si}", session_channel_to_string((enum session_channel) c),
				v->target[c]);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int prop_get_metrics(sd_bus *bus, const char *path, const char *iface, const char *prop,
			    sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	const struct coach_view *v = view_of(userdata);
	const struct {
		const char *name;
		int32_t value;
	} m[] = {
		{ "power_w", v->live.power_w },	      { "cadence_hrpm", v->live.cadence_hrpm },
		{ "speed_ckmh", v->live.speed_ckmh }, { "distance_m", v->live.distance_m },
		{ "hr_bpm", v->live.hr_bpm },	      { "incline_dpct", v->live.incline_dpct },
		{ "resistance", v->live.resistance },
	};
	/* Live values only while the session runs: once it is done they are no longer current. */
	bool live = v->phase && strcmp(v->phase, "none") != 0 && strcmp(v->phase, "done") != 0;
	int r;

	r = sd_bus_message_open_container(reply, 'a', "{si}");
	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(m); i++)
		if (m[i].value != BR_NONE && live)
			r = sd_bus_message_append(reply, "{si}", m[i].name, m[i].value);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* Values dropped as implausible in this session, per metric; none are left out. */
static int prop_get_implausible(sd_bus *bus, const char *path, const char *iface, const char *prop,
				sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	const struct coach_view *v = view_of(userdata);
	int r;

	r = sd_bus_message_open_container(reply, 'a', "{su}");
	for (int f = 0; r >= 0 && f < _PLAUSIBLE_FIELD_MAX; f++)
		if (v->implausible[f])
			r = sd_bus_message_append(
				reply, "{su}", plausible_field_to_string((enum plausible_field) f),
				v->implausible[f]);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int method_simple(sd_bus_message *m, void *userdata, sd_bus_error *err,
			 int (*fn)(struct coach *co), const char *already)
{
	int r;

	r = api_check(userdata, m, coach_of(userdata), err);
	if (r < 0)
		return r;
	r = fn(coach_of(userdata));
	if (r < 0)
		return session_error(err, r, already);
	return sd_bus_reply_method_return(m, "");
}

static int method_pause(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	return method_simple(m, userdata, err, coach_pause, "The session is paused already.");
}

static int method_resume(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	return method_simple(m, userdata, err, coach_resume,
			     "Nothing to resume: the session is not paused by you (a link or "
			     "pedalling pause ends by itself).");
}

static int method_confirm_belt(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	return method_simple(m, userdata, err, coach_confirm_belt,
			     "The belt is not waiting for a confirmation.");
}

static int method_ease(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	int r;

	r = api_check(userdata, m, coach_of(userdata), err);
	if (r < 0)
		return r;
	r = coach_ease(coach_of(userdata));
	if (r == -EAGAIN)
		return sd_bus_error_set(err, BR_ERROR_NOT_PERMITTED,
					"The session is paused: there is nothing to ease; resume "
					"it or stop.");
	if (r == -ESTALE)
		return sd_bus_error_set(err, BR_ERROR_NOT_PERMITTED,
					"Nothing to ease now: a target eases only from the warm-up "
					"to the cool-down.");
	if (r < 0)
		return session_error(err, r, NULL);
	return sd_bus_reply_method_return(m, "");
}

static int method_set_speed_unit(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	const char *unit;
	int r;

	r = api_check(userdata, m, coach_of(userdata), err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "s", &unit);
	if (r < 0)
		return r;
	if (strcmp(unit, "mph") != 0 && strcmp(unit, "kmh") != 0)
		return sd_bus_error_set(err, BR_ERROR_INVALID_ARGS,
					"The speed unit is mph or kmh.");
	r = coach_set_speed_unit(coach_of(userdata), strcmp(unit, "mph") == 0);
	if (r == -EOPNOTSUPP)
		return sd_bus_error_set(err, BR_ERROR_NOT_PERMITTED,
					"Only a treadmill has a speed unit.");
	if (r < 0)
		return session_error(err, r,
				     "The session is not paused for the speed unit: backride asks "
				     "only once the belt's speed suggests the other unit.");
	return sd_bus_reply_method_return(m, "");
}

static int method_stop(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	int32_t pain_after;
	int r;

	r = api_check(userdata, m, coach_of(userdata), err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "i", &pain_after);
	if (r < 0)
		return r;
	if (pain_after < -1 || pain_after > 10)
		return sd_bus_error_set(
			err, BR_ERROR_INVALID_ARGS,
			"The pain after is -1 (not asked) or 0 (none) to 10 (worst).");
	r = coach_stop(coach_of(userdata), pain_after == -1 ? BR_NONE : pain_after);
	if (r < 0)
		return session_error(err, r, "The session is stopping already.");
	return sd_bus_reply_method_return(m, "");
}

static int method_report_pain(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	uint32_t p;
	int r;

	r = api_check(userdata, m, coach_of(userdata), err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "u", &p);
	if (r < 0)
		return r;
	r = coach_report_pain(coach_of(userdata), p > 10 ? -1 : (int32_t) p);
	if (r < 0)
		return session_error(err, r, NULL);
	return sd_bus_reply_method_return(m, "");
}

#define PROP(name, sig, get) SD_BUS_PROPERTY(name, sig, get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE)

static const sd_bus_vtable session_vtable[] = {
	SD_BUS_VTABLE_START(0),
	PROP("Id", "x", prop_get),
	PROP("Kind", "s", prop_get),
	PROP("Phase", "s", prop_get),
	PROP("Elapsed", "u", prop_get),
	PROP("Planned", "u", prop_get),
	PROP("Remaining", "u", prop_get),
	PROP("Targets", "a{si}", prop_get_targets),
	PROP("Metrics", "a{si}", prop_get_metrics),
	PROP("PainBefore", "i", prop_get),
	PROP("PainMax", "i", prop_get),
	PROP("LastPain", "i", prop_get),
	PROP("Paused", "b", prop_get),
	PROP("PauseReason", "s", prop_get),
	PROP("EndReason", "s", prop_get),
	PROP("Message", "s", prop_get),
	PROP("Implausible", "a{su}", prop_get_implausible),
	PROP("Guided", "b", prop_get),
	PROP("Advice", "s", prop_get),
	PROP("HeartRateCap", "u", prop_get),
	SD_BUS_METHOD_WITH_ARGS("Pause", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_pause,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Resume", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_resume,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Stop", SD_BUS_ARGS("i", pain_after), SD_BUS_NO_RESULT, method_stop,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("ReportPain", SD_BUS_ARGS("u", pain), SD_BUS_NO_RESULT,
				method_report_pain, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Ease", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_ease,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("ConfirmBelt", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT,
				method_confirm_belt, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("SetSpeedUnit", SD_BUS_ARGS("s", unit), SD_BUS_NO_RESULT,
				method_set_speed_unit, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

int api_session_register(struct api *a)
{
	return sd_bus_add_object_vtable(a->bus, &a->session_manager_slot, BR_MANAGER_PATH,
					BR_MANAGER_IFACE, manager_session_vtable, a);
}

int api_session_export(struct api *a)
{
	int r;

	if (a->session_slot)
		return 0;
	r = sd_bus_add_object_vtable(a->bus, &a->session_slot, BR_SESSION_PATH, BR_SESSION_IFACE,
				     session_vtable, a);
	if (r < 0)
		return r;
	return sd_bus_emit_interfaces_added(a->bus, BR_SESSION_PATH, BR_SESSION_IFACE, NULL);
}

int api_session_changed(struct api *a)
{
	if (!a->session_slot)
		return 0;
	return sd_bus_emit_properties_changed(
		a->bus, BR_SESSION_PATH, BR_SESSION_IFACE, "Phase", "Elapsed", "Remaining",
		"Targets", "Metrics", "PainMax", "LastPain", "Paused", "PauseReason", "EndReason",
		"Message", "Implausible", "Id", "Kind", "Planned", "PainBefore", "Guided", "Advice",
		"HeartRateCap", NULL);
}
