/* SPDX-License-Identifier: MIT */
/*
 * The programme on the bus: org.backride.Programme1 at /org/backride (Start, Flare, Stop) and
 * History1.Programme (the state and the weeks, for any client to show or draw). Contracts:
 * dbus/org.backride.Programme1.xml, dbus/org.backride.History1.xml.
 */
#include "api-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backride-dbus.h"
#include "macro.h"
#include "programme-run.h"
#include "wallclock.h"

static int programme_error(sd_bus_error *err, int r)
{
	if (r == -ENOENT)
		return sd_bus_error_set(
			err, BR_ERROR_NOT_FOUND,
			"No programme runs; 'backride programme start' begins one.");
	if (r == -EBADMSG)
		return sd_bus_error_set(err, BR_ERROR_STORAGE,
					"The stored programme cannot be read; start a new one.");
	if (r == -ENOMEM)
		return -ENOMEM;
	return sd_bus_error_setf(err, BR_ERROR_STORAGE, "Cannot read the programme: %s.",
				 strerror(-r));
}

static int append_u(sd_bus_message *m, const char *key, uint32_t v)
{
	return sd_bus_message_append(m, "{sv}", key, "u", v);
}

static int append_day(sd_bus_message *m, const char *key, int32_t day)
{
	char buf[11] = "";

	if (day != BR_NONE)
		programme_day_string(day, buf);
	return sd_bus_message_append(m, "{sv}", key, "s", buf);
}

static int flare_cb(const struct storage_flare *f, void *userdata)
{
	int r = sd_bus_message_append(userdata, "(xs)", f->ts, f->note);

	return r < 0 ? r : 0; /* > 0 would stop the walk */
}

/* "flare_notes": a(xs), every flare-up said, with its note. */
static int append_flares(sd_bus_message *m, struct storage *st, int64_t id)
{
	int r;

	r = sd_bus_message_open_container(m, 'e', "sv");
	if (r >= 0)
		r = sd_bus_message_append(m, "s", "flare_notes");
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'v', "a(xs)");
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'a', "(xs)");
	if (r >= 0)
		r = storage_flares_list(st, id, flare_cb, m);
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	return r;
}

/* The state as a{sv} (History1.xml lists the keys). */
static int append_state(sd_bus_message *m, struct storage *st, const struct programme_view *v)
{
	const struct programme_status *s = &v->status;
	const struct programme_config *c = &v->config;
	int r;

	r = sd_bus_message_open_container(m, 'a', "{sv}");
	if (r >= 0)
		r = sd_bus_message_append(m, "{sv}{sv}{sv}{sv}{sv}{sv}{sv}", "kind", "s",
					  programme_kind_to_string(c->kind), "phase", "s",
					  programme_phase_to_string(s->phase), "reason", "s",
					  programme_reason_to_string(s->reason), "reason_text", "s",
					  s->why, "started_at", "x", v->row.started_at, "settings",
					  "s", v->row.settings, "rest_today", "b",
					  (int) s->rest_today);
	if (r >= 0)
		r = append_day(m, "next_day", s->next_day);
	if (r >= 0)
		r = append_day(m, "last_flare_day", s->last_flare_day);
	/* clang-format off */
	const struct { const char *key; uint32_t v; } u[] = {
		{ "weeks", c->weeks }, { "week", s->week },
		{ "weekly_minutes", c->weekly_minutes }, { "sessions_per_week", c->sessions_per_week },
		{ "baseline_sessions", c->baseline_sessions }, { "baseline_done", s->baseline_done },
		{ "baseline_avg_s", s->baseline_avg_s }, { "start_s", s->start_s },
		{ "goal_s", s->goal_s }, { "session_s", s->session_s },
		{ "done_this_week", s->done_this_week },
		{ "remaining_this_week", s->remaining_this_week },
		{ "active_this_week_s", s->active_this_week_s }, { "flares", s->flares },
		{ "rebuild_to_s", s->rebuild_to_s }, { "flare_pct", c->flare_pct },
	};
	/* clang-format on */
	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(u); i++)
		r = append_u(m, u[i].key, u[i].v);
	if (r >= 0)
		r = append_flares(m, st, v->row.id);
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	return r;
}

static int append_weeks(sd_bus_message *m, const struct programme_view *v)
{
	const struct programme_status *s = &v->status;
	int r;

	r = sd_bus_message_open_container(m, 'a', "a{sv}");
	for (size_t w = 0; r >= 0 && w < s->n_weeks; w++) {
		const struct programme_week *x = &s->weeks[w];

		r = sd_bus_message_open_container(m, 'a', "{sv}");
		if (r >= 0)
			r = append_u(m, "week", (uint32_t) w);
		if (r >= 0)
			r = append_day(m, "start", x->start_day);
		if (r >= 0)
			r = sd_bus_message_append(
				m, "{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}", "session_s", "u",
				x->session_s, "sessions", "u", x->sessions, "active_s", "u",
				x->active_s, "bad_mornings", "u", x->bad_mornings, "held", "b",
				(int) !!(x->flags & PROGRAMME_WEEK_HELD), "lowered", "b",
				(int) !!(x->flags & PROGRAMME_WEEK_LOWERED), "flare", "b",
				(int) !!(x->flags & PROGRAMME_WEEK_FLARE), "ahead", "b",
				(int) (w > s->week));
		if (r >= 0)
			r = sd_bus_message_close_container(m);
	}
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	return r;
}

static int checkin_cb(const struct storage_checkin *c, void *userdata)
{
	int r = sd_bus_message_append(userdata, "(sxu)", c->day, c->ts, (uint32_t) c->pain);

	return r < 0 ? r : 0; /* > 0 would stop the walk */
}

/* History1.Checkins: the latest check-in of each day from a day on. */
int api_history_checkins(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	struct api *a = userdata;
	const char *day = NULL;
	int r;

	r = api_check(a, m, true, err);
	if (r >= 0)
		r = sd_bus_message_read(m, "s", &day);
	if (r < 0)
		return r;
	if (strlen(day) != 10 || day[4] != '-' || day[7] != '-' || strspn(day, "0123456789-") != 10)
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "'since' must be a date YYYY-MM-DD, not '%s'.", day);
	r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'a', "(sxu)");
	if (r >= 0)
		r = storage_checkins_since(a->storage, day, checkin_cb, reply);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r < 0)
		return programme_error(err, r == -ENOENT ? -EIO : r);
	return sd_bus_send(NULL, reply, NULL);
}

static int reply_state(sd_bus_message *m, struct api *a, bool with_weeks, sd_bus_error *err)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_free_ struct programme_view *v = NULL;
	int r;

	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	r = programme_view_load(a->storage, wallclock_now(), v);
	if (r < 0)
		return programme_error(err, r);
	r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = append_state(reply, a->storage, v);
	if (r >= 0 && with_weeks)
		r = append_weeks(reply, v);
	if (r < 0)
		return r;
	return sd_bus_send(NULL, reply, NULL);
}

static int method_programme(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	int r = api_check(userdata, m, true, err);

	return r < 0 ? r : reply_state(m, userdata, true, err);
}

static int method_start(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct api *a = userdata;
	const char *text = NULL;
	char why[PROGRAMME_ERROR_MAX + 32];
	int r;

	r = api_check(a, m, true, err);
	if (r >= 0)
		r = sd_bus_message_read(m, "s", &text);
	if (r < 0)
		return r;
	if (strlen(text) > 16384)
		return sd_bus_error_set(err, BR_ERROR_INVALID_ARGS,
					"The programme file is over 16 KiB.");
	r = programme_begin(a->storage, text, wallclock_now(), why, sizeof(why));
	if (r == -EBADMSG || r == -ERANGE || r == -ENOENT)
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "Programme file, %s; nothing was changed.", why);
	if (r < 0)
		return programme_error(err, r);
	return reply_state(m, a, false, err);
}

static int method_flare(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct api *a = userdata;
	const char *note = NULL;
	int r;

	r = api_check(a, m, true, err);
	if (r >= 0)
		r = sd_bus_message_read(m, "s", &note);
	if (r < 0)
		return r;
	if (strlen(note) >= STORAGE_FLARE_NOTE_MAX || strchr(note, '\n'))
		return sd_bus_error_setf(err, BR_ERROR_INVALID_ARGS,
					 "The note must be one line under %d bytes.",
					 STORAGE_FLARE_NOTE_MAX);
	r = programme_flare(a->storage, wallclock_now(), note);
	if (r < 0)
		return programme_error(err, r);
	return reply_state(m, a, false, err);
}

static int method_stop(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct api *a = userdata;
	int r;

	r = api_check(a, m, true, err);
	if (r < 0)
		return r;
	r = storage_programme_end(a->storage, wallclock_now());
	if (r < 0)
		return programme_error(err, r);
	return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable programme_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_ARGS("Start", SD_BUS_ARGS("s", settings), SD_BUS_RESULT("a{sv}", state),
				method_start, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Flare", SD_BUS_ARGS("s", note), SD_BUS_RESULT("a{sv}", state),
				method_flare, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Stop", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_stop,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

/* History1.Programme lives in history's vtable; its handler is here. */
int api_history_programme(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	return method_programme(m, userdata, err);
}

int api_programme_register(struct api *a)
{
	return sd_bus_add_object_vtable(a->bus, &a->programme_slot, BR_MANAGER_PATH,
					BR_PROGRAMME_IFACE, programme_vtable, a);
}
