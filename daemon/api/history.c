/* SPDX-License-Identifier: MIT */
/* History1's work: storage rows to D-Bus values, and exports into sealed memfds. */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "macro.h"
#include "wallclock.h"

static int dict_u(sd_bus_message *m, const char *key, int32_t v)
{
	if (v == BR_NONE || v < 0)
		return 0;
	return sd_bus_message_append(m, "{sv}", key, "u", (uint32_t) v);
}

static int dict_d(sd_bus_message *m, const char *key, int32_t v, double scale)
{
	if (v == BR_NONE)
		return 0;
	return sd_bus_message_append(m, "{sv}", key, "d", v / scale);
}

static int dict_s(sd_bus_message *m, const char *key, const char *v)
{
	return sd_bus_message_append(m, "{sv}", key, "s", v ? v : "");
}

static int dict_x(sd_bus_message *m, const char *key, int64_t v)
{
	return sd_bus_message_append(m, "{sv}", key, "x", v);
}

int history_append_summary(sd_bus_message *reply, const struct storage_session *s)
{
	int r;

	r = sd_bus_message_open_container(reply, 'a', "{sv}");
	if (r >= 0)
		r = sd_bus_message_append(reply, "{sv}", "id", "t", (uint64_t) s->id);
	if (r >= 0)
		r = dict_s(reply, "machine", s->machine_name);
	if (r >= 0)
		r = dict_s(reply, "kind", storage_kind_to_string(s->kind));
	if (r >= 0)
		r = dict_s(reply, "profile", s->profile);
	if (r >= 0)
		r = dict_x(reply, "start", s->started_at);
	if (r >= 0 && s->ended_at > 0)
		r = dict_x(reply, "end", s->ended_at);
	if (r >= 0)
		r = dict_s(reply, "end_reason", s->end_reason);
	if (r >= 0 && s->guided[0])
		r = dict_s(reply, "guided", s->guided);
	const struct {
		const char *key;
		int32_t v;
	} u[] = {
		{ "duration_s", (int32_t) s->duration_s }, { "active_s", (int32_t) s->active_s },
		{ "planned_s", (int32_t) s->planned_s },   { "samples", (int32_t) s->n_samples },
		{ "distance_m", s->distance_m },	   { "energy_j", s->energy_j },
		{ "avg_power_w", s->avg_power_w },	   { "max_power_w", s->max_power_w },
		{ "avg_hr_bpm", s->avg_hr_bpm },	   { "max_hr_bpm", s->max_hr_bpm },
		{ "pain_before", s->pain_before },	   { "pain_max", s->pain_max },
		{ "pain_after", s->pain_after },	   { "target_power_w", s->target_power_w },
	};
	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(u); i++)
		r = dict_u(reply, u[i].key, u[i].v);
	if (r >= 0)
		r = dict_d(reply, "avg_speed_kmh", s->avg_speed_ckmh, 100.0);
	if (r >= 0)
		r = dict_d(reply, "target_speed_kmh", s->target_speed_ckmh, 100.0);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	return r < 0 ? r : 0;
}

static int list_cb(const struct storage_session *x, void *userdata)
{
	return history_append_summary(userdata, x);
}

int history_append_list(struct storage *st, const struct storage_session_filter *f,
			sd_bus_message *reply)
{
	int n, r;

	r = sd_bus_message_open_container(reply, 'a', "a{sv}");
	if (r < 0)
		return r;
	n = storage_sessions_list(st, f, list_cb, reply);
	if (n < 0)
		return n;
	r = sd_bus_message_close_container(reply);
	return r < 0 ? r : n;
}

/* sd_bus_message_append() returns > 0 on success, which would stop storage's iteration. */
static int event_cb(const struct storage_event *e, void *userdata)
{
	return MIN(0, sd_bus_message_append(userdata, "(xisis)", e->ts_usec, e->t,
					    e->type ? e->type : "", e->value,
					    e->detail ? e->detail : ""));
}

int history_append_session(struct storage *st, int64_t id, sd_bus_message *reply)
{
	struct storage_session s;
	int r;

	r = storage_session_get(st, id, &s);
	if (r < 0)
		return r;
	r = history_append_summary(reply, &s);
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'a', "(xisis)");
	if (r >= 0)
		r = storage_events_foreach(st, id, event_cb, reply);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	return r < 0 ? r : 0;
}

static int sample_cb(const struct storage_sample *x, void *userdata)
{
	return MIN(0, sd_bus_message_append(userdata, "(uyiiiiiiiiiii)", x->t, x->phase, x->power_w,
					    x->cadence_hrpm, x->speed_ckmh, x->distance_m,
					    x->hr_bpm, x->incline_dpct, x->resistance_d,
					    x->target_power_w, x->target_speed_ckmh,
					    x->target_resistance_d, x->target_incline_dpct));
}

int history_append_samples(struct storage *st, int64_t id, uint32_t from, uint32_t to,
			   sd_bus_message *reply)
{
	struct storage_session s;
	int n, r;

	r = storage_session_get(st, id, &s);
	if (r < 0)
		return r;
	r = sd_bus_message_open_container(reply, 'a', "(uyiiiiiiiiiii)");
	if (r < 0)
		return r;
	n = storage_samples_foreach(st, id, from, to, sample_cb, reply);
	if (n < 0)
		return n;
	r = sd_bus_message_close_container(reply);
	return r < 0 ? r : n;
}

/* Return: next Monday 00:00 local time after @now (unix seconds). */
static int64_t next_monday(time_t now)
{
	struct tm tm;

	if (!localtime_r(&now, &tm))
		return now;
	tm.tm_mday += (8 - tm.tm_wday) % 7 ?: 7;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int append_week(sd_bus_message *reply, const struct storage_week *w)
{
	int r;

	r = sd_bus_message_open_container(reply, 'a', "{sv}");
	if (r >= 0)
		r = dict_x(reply, "start", w->start);
	if (r >= 0)
		r = sd_bus_message_append(reply, "{sv}{sv}{sv}{sv}", "sessions", "u", w->sessions,
					  "minutes", "u", (w->duration_s + 30) / 60, "duration_s",
					  "u", w->duration_s, "active_s", "u", w->active_s);
	if (r >= 0)
		r = dict_d(reply, "pain_before", w->pain_before_d, 10.0);
	if (r >= 0)
		r = dict_d(reply, "pain_max", w->pain_max_d, 10.0);
	if (r >= 0)
		r = dict_d(reply, "pain_after", w->pain_after_d, 10.0);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	return r;
}

int history_append_progress(struct storage *st, const struct config *c, unsigned n_weeks,
			    sd_bus_message *reply)
{
	_cleanup_free_ struct storage_week *weeks = NULL;
	int r;

	if (n_weeks == 0)
		return -EINVAL;
	weeks = calloc(n_weeks, sizeof(*weeks));
	if (!weeks)
		return -ENOMEM;
	r = storage_progress_weekly(st, next_monday(wallclock_now()), n_weeks, weeks);
	if (r < 0)
		return r;
	r = sd_bus_message_open_container(reply, 'a', "a{sv}");
	for (unsigned i = 0; r >= 0 && i < n_weeks; i++)
		r = append_week(reply, &weeks[i]);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = history_append_next_plan(st, c, reply);
	return r < 0 ? r : 0;
}

void history_data_done(struct history_data *d)
{
	free(d->samples);
	for (size_t i = 0; i < d->n_events; i++) {
		free((char *) d->events[i].type);
		free((char *) d->events[i].detail);
	}
	free(d->events);
	*d = (struct history_data) {};
}

static int load_sample(const struct storage_sample *x, void *userdata)
{
	struct history_data *d = userdata;

	if (d->n_samples == d->n_samples_allocated) {
		size_t n = MAX(d->n_samples_allocated * 2, (size_t) 1024);
		struct storage_sample *p = reallocarray(d->samples, n, sizeof(*p));

		if (!p)
			return -ENOMEM;
		d->samples = p;
		d->n_samples_allocated = n;
	}
	d->samples[d->n_samples++] = *x;
	return 0;
}

static int load_event(const struct storage_event *e, void *userdata)
{
	struct history_data *d = userdata;
	struct storage_event *x;

	if (d->n_events == d->n_events_allocated) {
		size_t n = MAX(d->n_events_allocated * 2, (size_t) 16);
		struct storage_event *p = reallocarray(d->events, n, sizeof(*p));

		if (!p)
			return -ENOMEM;
		d->events = p;
		d->n_events_allocated = n;
	}
	x = &d->events[d->n_events];
	*x = *e;
	x->type = e->type ? strdup(e->type) : NULL;
	x->detail = e->detail ? strdup(e->detail) : NULL;
	d->n_events++;
	if ((e->type && !x->type) || (e->detail && !x->detail))
		return -ENOMEM;
	return 0;
}

int history_load(struct storage *st, int64_t id, struct history_data *ret)
{
	struct history_data d = {};
	int r;

	r = storage_session_get(st, id, &d.session);
	if (r >= 0)
		r = storage_samples_foreach(st, id, 0, UINT32_MAX, load_sample, &d);
	if (r >= 0)
		r = storage_events_foreach(st, id, load_event, &d);
	if (r < 0) {
		history_data_done(&d);
		return r;
	}
	*ret = d;
	return 0;
}

/* Write @n bytes to a new memfd, seal it and rewind it. Return: the fd or -errno. */
static int memfd_from(const char *name, const void *p, size_t n)
{
	int fd, r = 0;

	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	for (size_t off = 0; off < n;) {
		ssize_t k = write(fd, (const char *) p + off, n - off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			r = k < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t) k;
	}
	if (r >= 0 &&
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		r = -errno;
	if (r >= 0 && lseek(fd, 0, SEEK_SET) < 0)
		r = -errno;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int history_export(struct storage *st, int64_t id, enum export_format f, int *ret_fd)
{
	struct history_data d = {};
	struct export_buf b = {};
	struct export_input in;
	int r;

	r = history_load(st, id, &d);
	if (r < 0)
		return r;
	in = (struct export_input) { .session = &d.session,
				     .samples = d.samples,
				     .n_samples = d.n_samples,
				     .events = d.events,
				     .n_events = d.n_events };
	r = export_render(f, &in, &b);
	if (r >= 0)
		r = memfd_from("backride-export", b.data, b.len);
	export_buf_free(&b);
	history_data_done(&d);
	if (r < 0)
		return r;
	*ret_fd = r;
	return 0;
}
