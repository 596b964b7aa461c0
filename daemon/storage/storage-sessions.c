/* SPDX-License-Identifier: MIT */

/* Session rows: begin, end with a summary, recovery of interrupted ones, lookups. */

#include "storage.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "storage-internal.h"

#define SESSION_COLUMNS                                                                          \
	"id, coalesce(machine_id, 0), machine_name, kind, profile, started_at, "                 \
	"coalesce(ended_at, 0), planned_s, warmup_s, cooldown_s, target_power_w, "               \
	"target_speed_ckmh, target_resistance_d, target_incline_dpct, end_reason, pain_before, " \
	"pain_max, pain_after, n_samples, duration_s, active_s, distance_m, energy_j, "          \
	"avg_power_w, max_power_w, avg_speed_ckmh, avg_hr_bpm, max_hr_bpm, coalesce(guided, '')"

/* One statement computes the summary, for storage_session_end() and for recovery.
 * ?1 id, ?2 ended_at (NULL: after the last sample), ?3 reason, ?4 pain_after. */
static const char session_end_sql[] =
	"WITH agg AS MATERIALIZED (SELECT count(*) AS n, max(t) + 1 AS last,"
	"  total(coalesce(power, 0) > 0 OR coalesce(cadence, 0) > 0 OR coalesce(speed, 0) > 0)"
	"  AS act,"
	"  max(distance) AS dist, sum(CASE WHEN power > 0 THEN power END) AS work,"
	"  CAST(round(avg(power)) AS INTEGER) AS avgp, max(power) AS maxp,"
	"  CAST(round(avg(speed)) AS INTEGER) AS avgs,"
	"  CAST(round(avg(nullif(hr, 0))) AS INTEGER) AS avghr, max(nullif(hr, 0)) AS maxhr"
	"  FROM samples WHERE key >= ?1 << 16 AND key < (?1 + 1) << 16),"
	" pain AS (SELECT max(value) AS v FROM events WHERE session_id = ?1 AND type = 'pain')"
	" UPDATE sessions SET"
	"  ended_at = coalesce(?2, started_at + coalesce((SELECT last FROM agg), 0)),"
	"  duration_s = max(0, coalesce(?2 - started_at, (SELECT last FROM agg), 0)),"
	"  end_reason = ?3, pain_after = ?4,"
	"  pain_max = nullif(max(coalesce(pain_before, -1), coalesce(?4, -1),"
	"                        coalesce((SELECT v FROM pain), -1)), -1),"
	"  (n_samples, active_s, distance_m, energy_j, avg_power_w, max_power_w, avg_speed_ckmh,"
	"   avg_hr_bpm, max_hr_bpm) = (SELECT n, CAST(act AS INTEGER), dist, work, avgp, maxp,"
	"   avgs, avghr, maxhr FROM agg)"
	" WHERE id = ?1 AND ended_at IS NULL";

static bool pain_valid(int32_t pain)
{
	return pain == BR_NONE || (pain >= 0 && pain <= 10);
}

static int bind_plan(sqlite3_stmt *st, const struct storage_session_plan *p)
{
	const int32_t opt[] = { p->target_power_w, p->target_speed_ckmh, p->target_resistance_d,
				p->target_incline_dpct, p->pain_before };
	int r;

	r = sqlite3_bind_int64(st, 1, p->machine_id);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(st, 2, storage_kind_to_string(p->kind), -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(st, 3, p->profile, -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 4, p->started_at);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 5, p->planned_s);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 6, p->warmup_s);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 7, p->cooldown_s);
	for (size_t i = 0; r == SQLITE_OK && i < ARRAY_SIZE(opt); i++)
		r = storage_bind_opt(st, 8 + (int) i, opt[i]);
	return storage_errno(r);
}

static int session_insert(struct storage *s, const struct storage_session_plan *plan,
			  int64_t *ret_id)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	r = storage_stmt(
		s, STMT_SESSION_INSERT,
		"INSERT INTO sessions (machine_id, machine_name, kind, profile, started_at,"
		" planned_s, warmup_s, cooldown_s, target_power_w, target_speed_ckmh,"
		" target_resistance_d, target_incline_dpct, pain_before)"
		" VALUES (nullif(?1, 0),"
		" coalesce((SELECT name FROM machines WHERE id = ?1), ''),"
		" ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
		&st);
	if (r < 0)
		return r;
	r = bind_plan(st, plan);
	if (r < 0)
		return r;
	r = sqlite3_step(st);
	if (r != SQLITE_ROW)
		return (r & 0xff) == SQLITE_CONSTRAINT ? -ENOENT : storage_errno(r);
	*ret_id = sqlite3_column_int64(st, 0);
	return storage_step_done(st);
}

static int machine_used(struct storage *s, int64_t machine_id, int64_t now)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	r = storage_stmt(s, STMT_SESSION_MACHINE_USED,
			 "UPDATE machines SET last_used = ?2 WHERE id = ?1", &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, machine_id);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 2, now);
	if (r != SQLITE_OK)
		return storage_errno(r);
	return storage_step_done(st);
}

int storage_session_begin(struct storage *s, const struct storage_session_plan *plan,
			  int64_t *ret_id)
{
	int64_t id = 0;
	int r;

	assert(s);
	assert(plan);
	assert(ret_id);
	if ((plan->kind != STORAGE_KIND_BIKE && plan->kind != STORAGE_KIND_TREADMILL) ||
	    !plan->profile || !plan->profile[0] || strlen(plan->profile) >= STORAGE_WORD_MAX ||
	    !pain_valid(plan->pain_before) || plan->machine_id < 0)
		return -EINVAL;
	r = storage_tx_begin(s);
	if (r < 0)
		return r;
	r = session_insert(s, plan, &id);
	if (r == 0 && plan->machine_id > 0)
		r = machine_used(s, plan->machine_id, plan->started_at);
	if (r == 0)
		r = storage_tx_commit(s);
	if (r < 0) {
		storage_tx_rollback(s, r);
		return r;
	}
	*ret_id = id;
	return 0;
}

/* Return: 0 running, 1 ended, -ENOENT no such session. */
static int session_state(struct storage *s, int64_t id)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	r = storage_stmt(s, STMT_SESSION_STATE,
			 "SELECT ended_at IS NOT NULL FROM sessions WHERE id = ?1", &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, id);
	if (r != SQLITE_OK)
		return storage_errno(r);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		return sqlite3_column_int(st, 0);
	return r == SQLITE_DONE ? -ENOENT : storage_errno(r);
}

/* Return: 0 ended it, -EALREADY / -ENOENT, or an SQLite error. */
static int session_close(struct storage *s, int64_t id, int64_t ended_at, const char *reason,
			 int32_t pain_after)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	r = storage_stmt(s, STMT_SESSION_END, session_end_sql, &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, id);
	if (r == SQLITE_OK && ended_at > 0)
		r = sqlite3_bind_int64(st, 2, ended_at);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = storage_bind_opt(st, 4, pain_after);
	if (r != SQLITE_OK)
		return storage_errno(r);
	r = storage_step_done(st);
	if (r < 0)
		return r;
	if (sqlite3_changes(s->db) > 0)
		return 0;
	r = session_state(s, id);
	return r < 0 ? r : -EALREADY;
}

int storage_session_end(struct storage *s, int64_t id, int64_t ended_at, const char *reason,
			int32_t pain_after)
{
	int r;

	assert(s);
	if (!reason || !reason[0] || strlen(reason) >= STORAGE_WORD_MAX ||
	    !pain_valid(pain_after) || ended_at <= 0)
		return -EINVAL;
	/* The summary needs every sample; a session ends only with all of them on disk. */
	r = storage_flush(s);
	if (r < 0 && r != -EINVAL)
		return r;
	r = storage_tx_begin(s);
	if (r < 0)
		return r;
	r = session_close(s, id, ended_at, reason, pain_after);
	if (r == 0)
		r = storage_tx_commit(s);
	if (r < 0)
		storage_tx_rollback(s, r);
	return r;
}

static int open_ids(struct storage *s, int64_t **ret_ids)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	_cleanup_free_ int64_t *ids = NULL;
	size_t n = 0;
	int r;

	r = storage_stmt(s, STMT_SESSION_OPEN_IDS,
			 "SELECT id FROM sessions WHERE ended_at IS NULL ORDER BY id", &st);
	if (r < 0)
		return r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t *a = reallocarray(ids, n + 1, sizeof(*a));

		if (!a)
			return -ENOMEM;
		ids = a;
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	if (r != SQLITE_DONE)
		return storage_errno(r);
	*ret_ids = TAKE_PTR(ids);
	return (int) n;
}

/* Return: 1 if the session reached its stretches (a 'phase' event 'stretches'), 0 if not. */
static int session_stretched(struct storage *s, int64_t id)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	r = storage_stmt(s, STMT_SESSION_STRETCHED,
			 "SELECT EXISTS (SELECT 1 FROM events WHERE session_id = ?1"
			 " AND type = 'phase' AND detail = 'stretches')",
			 &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, id);
	if (r == SQLITE_OK)
		r = sqlite3_step(st);
	if (r != SQLITE_ROW)
		return storage_errno(r);
	return sqlite3_column_int(st, 0);
}

/* The stretches follow only a ride that was completed: one cut short is still completed. */
static int session_recover(struct storage *s, int64_t id)
{
	int r;

	r = session_stretched(s, id);
	if (r < 0)
		return r;
	return session_close(s, id, 0, r ? "completed" : "interrupted", BR_NONE);
}

int storage_sessions_recover(struct storage *s, int64_t **ret_ids)
{
	_cleanup_free_ int64_t *ids = NULL;
	int n, r;

	assert(s);
	assert(ret_ids);
	r = storage_flush(s);
	if (r < 0 && r != -EINVAL)
		return r;
	r = storage_tx_begin(s);
	if (r < 0)
		return r;
	n = r = open_ids(s, &ids);
	for (int i = 0; r >= 0 && i < n; i++)
		r = session_recover(s, ids[i]);
	if (r >= 0)
		r = storage_tx_commit(s);
	if (r < 0) {
		storage_tx_rollback(s, r);
		return r;
	}
	*ret_ids = TAKE_PTR(ids);
	return n;
}

static void session_from_row(sqlite3_stmt *st, struct storage_session *x)
{
	char kind[STORAGE_WORD_MAX];
	int32_t *opt[] = { &x->target_power_w, &x->target_speed_ckmh, &x->target_resistance_d,
			   &x->target_incline_dpct };
	int32_t *summary[] = { &x->distance_m,	   &x->energy_j,   &x->avg_power_w, &x->max_power_w,
			       &x->avg_speed_ckmh, &x->avg_hr_bpm, &x->max_hr_bpm };

	*x = (struct storage_session) { 0 };
	x->id = sqlite3_column_int64(st, 0);
	x->machine_id = sqlite3_column_int64(st, 1);
	storage_column_text(st, 2, x->machine_name, sizeof(x->machine_name));
	storage_column_text(st, 3, kind, sizeof(kind));
	x->kind = storage_kind_from_string(kind);
	storage_column_text(st, 4, x->profile, sizeof(x->profile));
	x->started_at = sqlite3_column_int64(st, 5);
	x->ended_at = sqlite3_column_int64(st, 6);
	x->planned_s = (uint32_t) sqlite3_column_int64(st, 7);
	x->warmup_s = (uint32_t) sqlite3_column_int64(st, 8);
	x->cooldown_s = (uint32_t) sqlite3_column_int64(st, 9);
	for (size_t i = 0; i < ARRAY_SIZE(opt); i++)
		*opt[i] = storage_column_opt(st, 10 + (int) i);
	storage_column_text(st, 14, x->end_reason, sizeof(x->end_reason));
	x->pain_before = storage_column_opt(st, 15);
	x->pain_max = storage_column_opt(st, 16);
	x->pain_after = storage_column_opt(st, 17);
	x->n_samples = (uint32_t) sqlite3_column_int64(st, 18);
	x->duration_s = (uint32_t) sqlite3_column_int64(st, 19);
	x->active_s = (uint32_t) sqlite3_column_int64(st, 20);
	for (size_t i = 0; i < ARRAY_SIZE(summary); i++)
		*summary[i] = storage_column_opt(st, 21 + (int) i);
	storage_column_text(st, 28, x->guided, sizeof(x->guided));
}

int storage_session_set_guided(struct storage *s, int64_t id, const char *why)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	assert(s);
	if (!why || !why[0] || strlen(why) >= STORAGE_WORD_MAX)
		return -EINVAL;
	r = storage_stmt(s, STMT_SESSION_GUIDED,
			 "UPDATE sessions SET guided = coalesce(guided, ?2) WHERE id = ?1", &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, id);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(st, 2, why, -1, SQLITE_TRANSIENT);
	if (r == SQLITE_OK)
		r = sqlite3_step(st);
	if (r != SQLITE_DONE)
		return storage_errno(r);
	return sqlite3_changes(s->db) > 0 ? 0 : -ENOENT;
}

int storage_session_get(struct storage *s, int64_t id, struct storage_session *ret)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	assert(s);
	assert(ret);
	r = storage_stmt(s, STMT_SESSION_GET,
			 "SELECT " SESSION_COLUMNS " FROM sessions WHERE id = ?1", &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, id);
	if (r != SQLITE_OK)
		return storage_errno(r);
	r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return storage_errno(r);
	session_from_row(st, ret);
	return 0;
}

static int bind_filter(sqlite3_stmt *st, const struct storage_session_filter *f)
{
	int r;

	r = sqlite3_bind_int64(st, 1, f->since);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 2, f->until > 0 ? f->until : INT64_MAX);
	if (r == SQLITE_OK && f->kind != STORAGE_KIND_ANY)
		r = sqlite3_bind_text(st, 3, storage_kind_to_string(f->kind), -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int(st, 4, f->ended_only);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 5, f->limit > 0 ? (int64_t) f->limit : -1);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 6, f->offset);
	return storage_errno(r);
}

int storage_sessions_list(struct storage *s, const struct storage_session_filter *f,
			  storage_session_cb cb, void *userdata)
{
	static const struct storage_session_filter all = { .kind = STORAGE_KIND_ANY };
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	struct storage_session x;
	int n = 0, r;

	assert(s);
	assert(cb);
	f = f ?: &all;
	if (f->kind != STORAGE_KIND_ANY && !storage_kind_to_string(f->kind))
		return -EINVAL;
	/* Walks the started_at index backwards; LIMIT stops it early. */
	r = storage_stmt(s, STMT_SESSION_LIST,
			 "SELECT " SESSION_COLUMNS " FROM sessions"
			 " WHERE started_at >= ?1 AND started_at < ?2"
			 " AND (?3 IS NULL OR kind = ?3) AND (?4 = 0 OR ended_at IS NOT NULL)"
			 " ORDER BY started_at DESC, id DESC LIMIT ?5 OFFSET ?6",
			 &st);
	if (r < 0)
		return r;
	r = bind_filter(st, f);
	if (r < 0)
		return r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		session_from_row(st, &x);
		n++;
		r = cb(&x, userdata);
		if (r != 0)
			return r < 0 ? r : n;
	}
	return r == SQLITE_DONE ? n : storage_errno(r);
}
