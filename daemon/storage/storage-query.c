/* SPDX-License-Identifier: MIT */

/* Reading samples and events back, weekly progress, daily pain check-ins. */

#include "storage.h"

#include <ctype.h>
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "storage-internal.h"

#define WEEK_S (7 * 24 * 3600)

static void sample_from_row(sqlite3_stmt *st, struct storage_sample *x)
{
	int32_t *opt[] = {
		&x->power_w,
		&x->cadence_hrpm,
		&x->speed_ckmh,
		&x->distance_m,
		&x->hr_bpm,
		&x->incline_dpct,
		&x->resistance_d,
		&x->target_power_w,
		&x->target_speed_ckmh,
		&x->target_resistance_d,
		&x->target_incline_dpct,
	};

	x->session_id = sqlite3_column_int64(st, 0);
	x->t = (uint32_t) sqlite3_column_int64(st, 1);
	x->phase = (uint8_t) sqlite3_column_int(st, 2);
	for (size_t i = 0; i < ARRAY_SIZE(opt); i++)
		*opt[i] = storage_column_opt(st, 3 + (int) i);
}

int storage_samples_foreach(struct storage *s, int64_t session_id, uint32_t from, uint32_t to,
			    storage_sample_cb cb, void *userdata)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	struct storage_sample x;
	int n = 0, r;

	assert(s);
	assert(cb);
	to = MIN(to, (uint32_t) STORAGE_T_MAX + 1);
	if (from >= to)
		return 0;
	r = storage_stmt(
		s, STMT_SAMPLES_RANGE,
		"SELECT session_id, t, phase, power, cadence, speed, distance, hr, incline,"
		" resistance, target_power, target_speed, target_resistance, target_incline"
		" FROM samples WHERE key >= (?1 << 16) + ?2 AND key < (?1 << 16) + ?3"
		" ORDER BY key",
		&st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, session_id);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 2, from);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 3, to);
	if (r != SQLITE_OK)
		return storage_errno(r);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		sample_from_row(st, &x);
		n++;
		r = cb(&x, userdata);
		if (r != 0)
			return r < 0 ? r : n;
	}
	return r == SQLITE_DONE ? n : storage_errno(r);
}

int storage_events_foreach(struct storage *s, int64_t session_id, storage_event_cb cb,
			   void *userdata)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	struct storage_event e;
	int n = 0, r;

	assert(s);
	assert(cb);
	if (session_id > 0)
		r = storage_stmt(
			s, STMT_EVENTS_SESSION,
			"SELECT id, coalesce(session_id, 0), ts_usec, t, type, value, detail"
			" FROM events WHERE session_id = ?1 ORDER BY id",
			&st);
	else
		r = storage_stmt(s, STMT_EVENTS_DAEMON,
				 "SELECT id, 0, ts_usec, t, type, value, detail"
				 " FROM events WHERE session_id IS NULL ORDER BY id",
				 &st);
	if (r < 0)
		return r;
	if (session_id > 0) {
		r = sqlite3_bind_int64(st, 1, session_id);
		if (r != SQLITE_OK)
			return storage_errno(r);
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		e = (struct storage_event) {
			.id = sqlite3_column_int64(st, 0),
			.session_id = sqlite3_column_int64(st, 1),
			.ts_usec = sqlite3_column_int64(st, 2),
			.t = storage_column_opt(st, 3),
			.type = (const char *) sqlite3_column_text(st, 4),
			.value = storage_column_opt(st, 5),
			.detail = (const char *) sqlite3_column_text(st, 6),
		};
		n++;
		r = cb(&e, userdata);
		if (r != 0)
			return r < 0 ? r : n;
	}
	return r == SQLITE_DONE ? n : storage_errno(r);
}

int storage_progress_weekly(struct storage *s, int64_t until, unsigned n_weeks,
			    struct storage_week *ret_weeks)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	_cleanup_free_ struct storage_week *weeks = NULL;
	int64_t from;
	int r;

	assert(s);
	assert(ret_weeks);
	if (n_weeks == 0 || n_weeks > 100000)
		return -EINVAL;
	from = until - (int64_t) n_weeks * WEEK_S;
	r = storage_stmt(s, STMT_PROGRESS,
			 "SELECT (started_at - ?1) / 604800 AS w, count(*), total(duration_s),"
			 " total(active_s), CAST(round(avg(pain_before) * 10) AS INTEGER),"
			 " CAST(round(avg(pain_after) * 10) AS INTEGER),"
			 " CAST(round(avg(pain_max) * 10) AS INTEGER) FROM sessions"
			 " WHERE started_at >= ?1 AND started_at < ?2 AND ended_at IS NOT NULL"
			 " GROUP BY w",
			 &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, from);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 2, until);
	if (r != SQLITE_OK)
		return storage_errno(r);

	/* Fill a local copy: ret_weeks stays untouched on failure. */
	weeks = calloc(n_weeks, sizeof(*weeks));
	if (!weeks)
		return -ENOMEM;
	for (unsigned i = 0; i < n_weeks; i++)
		weeks[i] = (struct storage_week) { .start = from + (int64_t) i * WEEK_S,
						   .pain_before_d = BR_NONE,
						   .pain_after_d = BR_NONE,
						   .pain_max_d = BR_NONE };
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t i = sqlite3_column_int64(st, 0);

		if (i < 0 || i >= n_weeks)
			continue;
		weeks[i].sessions = (uint32_t) sqlite3_column_int64(st, 1);
		weeks[i].duration_s = (uint32_t) sqlite3_column_int64(st, 2);
		weeks[i].active_s = (uint32_t) sqlite3_column_int64(st, 3);
		weeks[i].pain_before_d = storage_column_opt(st, 4);
		weeks[i].pain_after_d = storage_column_opt(st, 5);
		weeks[i].pain_max_d = storage_column_opt(st, 6);
	}
	if (r != SQLITE_DONE)
		return storage_errno(r);
	memcpy(ret_weeks, weeks, n_weeks * sizeof(*weeks));
	return 0;
}

static bool day_valid(const char *d)
{
	if (!d || strlen(d) != STORAGE_DAY_MAX - 1 || d[4] != '-' || d[7] != '-')
		return false;
	for (size_t i = 0; i < STORAGE_DAY_MAX - 1; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char) d[i]))
			return false;
	return true;
}

int storage_checkin_add(struct storage *s, const char *day, int32_t pain, int64_t ts)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	assert(s);
	if (!day_valid(day) || pain < 0 || pain > 10)
		return -EINVAL;
	r = storage_stmt(s, STMT_CHECKIN_INSERT,
			 "INSERT INTO checkins (day, pain, ts) VALUES (?1, ?2, ?3)", &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int(st, 2, pain);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 3, ts);
	if (r != SQLITE_OK)
		return storage_errno(r);
	return storage_step_done(st);
}

static void checkin_from_row(sqlite3_stmt *st, struct storage_checkin *c)
{
	storage_column_text(st, 0, c->day, sizeof(c->day));
	c->pain = sqlite3_column_int(st, 1);
	c->ts = sqlite3_column_int64(st, 2);
}

int storage_checkin_get(struct storage *s, const char *day, struct storage_checkin *ret)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	assert(s);
	assert(ret);
	if (!day_valid(day))
		return -EINVAL;
	r = storage_stmt(s, STMT_CHECKIN_GET,
			 "SELECT day, pain, ts FROM checkins WHERE day = ?1"
			 " ORDER BY ts DESC, id DESC LIMIT 1",
			 &st);
	if (r < 0)
		return r;
	r = storage_step_key(st, day);
	if (r < 0)
		return r;
	checkin_from_row(st, ret);
	return 0;
}

int storage_checkin_between(struct storage *s, int64_t from, int64_t until,
			    struct storage_checkin *ret)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	assert(s);
	assert(ret);
	if (from >= until)
		return -EINVAL;
	r = storage_stmt(s, STMT_CHECKIN_BETWEEN,
			 "SELECT day, pain, ts FROM checkins WHERE ts >= ?1 AND ts < ?2"
			 " ORDER BY ts DESC, id DESC LIMIT 1",
			 &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, from);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 2, until);
	if (r == SQLITE_OK)
		r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return storage_errno(r);
	checkin_from_row(st, ret);
	return 0;
}

int storage_checkins_since(struct storage *s, const char *day, storage_checkin_cb cb,
			   void *userdata)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	struct storage_checkin c;
	int n = 0, r;

	assert(s);
	assert(cb);
	if (!day_valid(day))
		return -EINVAL;
	r = storage_stmt(s, STMT_CHECKIN_SINCE,
			 "SELECT day, pain, ts FROM checkins AS c WHERE day >= ?1 AND id ="
			 " (SELECT id FROM checkins WHERE day = c.day ORDER BY ts DESC, id DESC"
			 " LIMIT 1) ORDER BY day",
			 &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	if (r != SQLITE_OK)
		return storage_errno(r);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		checkin_from_row(st, &c);
		n++;
		r = cb(&c, userdata);
		if (r != 0)
			return r < 0 ? r : n;
	}
	return r == SQLITE_DONE ? n : storage_errno(r);
}
