/* SPDX-License-Identifier: MIT */
/* Programmes and their flare-ups. */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "macro.h"
#include "storage-internal.h"

static int end_running(struct storage *s, int64_t ts)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	r = storage_stmt(s, STMT_PROGRAMME_END,
			 "UPDATE programmes SET ended_at = ?1 WHERE ended_at IS NULL", &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, ts);
	if (r != SQLITE_OK)
		return storage_errno(r);
	r = storage_step_done(st);
	return r < 0 ? r : sqlite3_changes(s->db);
}

static int insert(struct storage *s, int64_t ts, const char *settings, int64_t *ret_id)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	r = storage_stmt(s, STMT_PROGRAMME_INSERT,
			 "INSERT INTO programmes (started_at, settings) VALUES (?1, ?2)", &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, ts);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(st, 2, settings, -1, SQLITE_STATIC);
	if (r != SQLITE_OK)
		return storage_errno(r);
	r = storage_step_done(st);
	if (r < 0)
		return r;
	if (ret_id)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int storage_programme_begin(struct storage *s, int64_t ts, const char *settings, int64_t *ret_id)
{
	int r;

	assert(s);
	if (!settings || !*settings || strlen(settings) >= STORAGE_PROGRAMME_SETTINGS_MAX)
		return -EINVAL;
	r = storage_tx_begin(s);
	if (r < 0)
		return r;
	r = end_running(s, ts);
	if (r >= 0)
		r = insert(s, ts, settings, ret_id);
	if (r < 0) {
		storage_tx_rollback(s, r);
		return r;
	}
	return storage_tx_commit(s);
}

int storage_programme_current(struct storage *s, struct storage_programme *ret)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	assert(s);
	assert(ret);
	r = storage_stmt(s, STMT_PROGRAMME_CURRENT,
			 "SELECT id, started_at, settings FROM programmes WHERE ended_at IS NULL"
			 " ORDER BY id DESC LIMIT 1",
			 &st);
	if (r < 0)
		return r;
	r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return storage_errno(r);
	ret->id = sqlite3_column_int64(st, 0);
	ret->started_at = sqlite3_column_int64(st, 1);
	storage_column_text(st, 2, ret->settings, sizeof(ret->settings));
	return 0;
}

int storage_programme_end(struct storage *s, int64_t ts)
{
	int r;

	assert(s);
	r = end_running(s, ts);
	if (r < 0)
		return r;
	return r == 0 ? -ENOENT : 0;
}

int storage_flare_add(struct storage *s, int64_t id, int64_t ts, const char *note)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	assert(s);
	if (!note || strlen(note) >= STORAGE_FLARE_NOTE_MAX)
		return -EINVAL;
	r = storage_stmt(
		s, STMT_FLARE_INSERT,
		"INSERT INTO programme_flares (programme_id, ts, note) VALUES (?1, ?2, ?3)", &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, id);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 2, ts);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
	if (r != SQLITE_OK)
		return storage_errno(r);
	return storage_step_done(st);
}

int storage_flares_list(struct storage *s, int64_t id, storage_flare_cb cb, void *userdata)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	struct storage_flare f;
	int n = 0, r;

	assert(s);
	assert(cb);
	r = storage_stmt(s, STMT_FLARE_LIST,
			 "SELECT ts, note FROM programme_flares WHERE programme_id = ?1"
			 " ORDER BY ts, id",
			 &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_int64(st, 1, id);
	if (r != SQLITE_OK)
		return storage_errno(r);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		f.ts = sqlite3_column_int64(st, 0);
		storage_column_text(st, 1, f.note, sizeof(f.note));
		n++;
		r = cb(&f, userdata);
		if (r != 0)
			return r < 0 ? r : n;
	}
	return r == SQLITE_DONE ? n : storage_errno(r);
}
