/* SPDX-License-Identifier: MIT */

/*
 * Recording samples and events. Every call commits (WAL, synchronous=NORMAL: no fsync per
 * commit, a crash of the process loses nothing committed, a power cut at most the last
 * moments). Rows that could not be written for lack of space wait in memory, in order, and go
 * out in the same transaction as the next row that can be written.
 */

#include "storage.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "storage-internal.h"

#define FULL_RETRY_EVERY 10

void storage_sample_init(struct storage_sample *x)
{
	*x = (struct storage_sample) {
		.power_w = BR_NONE,
		.cadence_hrpm = BR_NONE,
		.speed_ckmh = BR_NONE,
		.distance_m = BR_NONE,
		.hr_bpm = BR_NONE,
		.incline_dpct = BR_NONE,
		.resistance_d = BR_NONE,
		.target_power_w = BR_NONE,
		.target_speed_ckmh = BR_NONE,
		.target_resistance_d = BR_NONE,
		.target_incline_dpct = BR_NONE,
	};
}

static int write_sample(struct storage *s, const struct storage_sample *x)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	const int32_t opt[] = {
		x->power_w,
		x->cadence_hrpm,
		x->speed_ckmh,
		x->distance_m,
		x->hr_bpm,
		x->incline_dpct,
		x->resistance_d,
		x->target_power_w,
		x->target_speed_ckmh,
		x->target_resistance_d,
		x->target_incline_dpct,
	};
	int r;

	/* OR REPLACE: a retried or repeated second overwrites instead of blocking the queue. */
	r = storage_stmt(
		s, STMT_SAMPLE_INSERT,
		"INSERT OR REPLACE INTO samples (key, phase, power, cadence, speed, distance,"
		" hr, incline, resistance, target_power, target_speed, target_resistance,"
		" target_incline) VALUES"
		" ((?1 << 16) | ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
		&st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, x->session_id);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 2, x->t);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int(st, 3, x->phase);
	for (size_t i = 0; r == SQLITE_OK && i < ARRAY_SIZE(opt); i++)
		r = storage_bind_opt(st, 4 + (int) i, opt[i]);
	if (r != SQLITE_OK)
		return storage_errno(r);
	return storage_step_done(st);
}

static int write_event(struct storage *s, const struct storage_event *e)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	r = storage_stmt(s, STMT_EVENT_INSERT,
			 "INSERT INTO events (session_id, ts_usec, t, type, value, detail) "
			 "VALUES (nullif(?1, 0), ?2, ?3, ?4, ?5, ?6)",
			 &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, e->session_id);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 2, e->ts_usec);
	if (r == SQLITE_OK)
		r = storage_bind_opt(st, 3, e->t);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(st, 4, e->type, -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = storage_bind_opt(st, 5, e->value);
	if (r == SQLITE_OK)
		r = e->detail ? sqlite3_bind_text(st, 6, e->detail, -1, SQLITE_STATIC)
			      : sqlite3_bind_null(st, 6);
	if (r != SQLITE_OK)
		return storage_errno(r);
	return storage_step_done(st);
}

int storage_write_pending(struct storage *s, const struct pending *p)
{
	switch (p->kind) {
	case PENDING_SAMPLE:
		return write_sample(s, &p->sample);
	case PENDING_EVENT:
		return write_event(s, &p->event);
	}
	return -EINVAL;
}

static void pending_free_one(struct pending *p)
{
	if (p->kind == PENDING_EVENT) {
		free((char *) p->event.type);
		free((char *) p->event.detail);
	}
}

void storage_pending_clear(struct storage *s)
{
	for (size_t i = 0; i < s->n_pending; i++)
		pending_free_one(&s->pending[i]);
	s->n_pending = 0;
}

size_t storage_pending(const struct storage *s)
{
	return s->n_pending;
}

/*
 * Write every pending row in one transaction. A row the database refuses for its content
 * (constraint: unknown session) can never be written: it is dropped so it cannot block the rows
 * behind it, and -EINVAL reported. Anything else rolls back and keeps them all.
 */
int storage_flush(struct storage *s)
{
	bool dropped = false;
	int r;

	if (s->n_pending == 0)
		return 0;
	r = storage_tx_begin(s);
	for (size_t i = 0; r == 0 && i < s->n_pending; i++) {
		r = storage_write_pending(s, &s->pending[i]);
		if (r == -EINVAL) {
			dropped = true;
			r = 0;
		}
	}
	if (r == 0)
		r = storage_tx_commit(s);
	if (r < 0) {
		storage_tx_rollback(s, r);
		return r;
	}
	storage_pending_clear(s);
	s->full_skip = 0;
	return dropped ? -EINVAL : 0;
}

static int pending_push(struct storage *s, const struct pending *p)
{
	if (s->n_pending >= STORAGE_PENDING_MAX)
		return -ENOBUFS;
	if (s->n_pending == s->n_pending_allocated) {
		size_t n = MIN(MAX(s->n_pending_allocated * 2, 16u), (size_t) STORAGE_PENDING_MAX);
		struct pending *a = reallocarray(s->pending, n, sizeof(*a));

		if (!a)
			return -ENOMEM;
		s->pending = a;
		s->n_pending_allocated = n;
	}
	s->pending[s->n_pending++] = *p;
	return 0;
}

/* Flush from an append. While the disk is full, only every FULL_RETRY_EVERY-th append tries:
 * when the file system is out of space, SQLite finds out at commit, after writing the whole
 * queue. */
static int append_flush(struct storage *s)
{
	int r;

	if (s->full_skip > 0) {
		s->full_skip--;
		return -ENOSPC;
	}
	r = storage_flush(s);
	if (r == -ENOSPC)
		s->full_skip = FULL_RETRY_EVERY - 1;
	return r;
}

static int bulk_write(struct storage *s, const struct pending *p)
{
	int r;

	r = storage_write_pending(s, p);
	if (r < 0 && sqlite3_get_autocommit(s->db) && s->bulk_error == 0)
		s->bulk_error = r;
	return r;
}

static int append(struct storage *s, struct pending *p)
{
	int r;

	if (s->bulk)
		return bulk_write(s, p);
	if (s->n_pending >= STORAGE_PENDING_MAX && append_flush(s) < 0) {
		pending_free_one(p);
		return -ENOBUFS;
	}
	r = pending_push(s, p);
	if (r < 0) {
		pending_free_one(p);
		return r;
	}
	return append_flush(s);
}

int storage_sample_append(struct storage *s, const struct storage_sample *x)
{
	struct pending p = { .kind = PENDING_SAMPLE };

	assert(s);
	assert(x);
	if (x->session_id <= 0 || x->session_id > STORAGE_SESSION_ID_MAX)
		return -EINVAL;
	if (x->t > STORAGE_T_MAX)
		return -ERANGE;
	p.sample = *x;
	return append(s, &p);
}

int storage_event_add(struct storage *s, const struct storage_event *e)
{
	struct pending p = { .kind = PENDING_EVENT };

	assert(s);
	assert(e);
	if (!e->type || !e->type[0] || e->session_id < 0)
		return -EINVAL;
	if (s->bulk)
		return bulk_write(s, &(struct pending) { .kind = PENDING_EVENT, .event = *e });
	p.event = *e;
	p.event.id = 0;
	p.event.type = strdup(e->type);
	p.event.detail = e->detail ? strdup(e->detail) : NULL;
	if (!p.event.type || (e->detail && !p.event.detail)) {
		pending_free_one(&p);
		return -ENOMEM;
	}
	return append(s, &p);
}
