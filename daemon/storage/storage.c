/* SPDX-License-Identifier: MIT */

#include "storage.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "storage-internal.h"

/* Short: the daemon is the only writer; a reader (sqlite3 shell, backup) may hold a lock. */
#define BUSY_TIMEOUT_MS 100

static _Thread_local char open_error[512];

int storage_errno(int sqlite_rc)
{
	switch (sqlite_rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_FORMAT:
		return -EBADMSG;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_CANTOPEN:
		return -EACCES; /* storage_open() refines this with the system errno */
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EPERM;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
		return -EINVAL;
	case SQLITE_TOOBIG:
		return -E2BIG;
	case SQLITE_INTERRUPT:
	case SQLITE_ABORT:
		return -ECANCELED;
	case SQLITE_IOERR:
	case SQLITE_PROTOCOL:
	default:
		return -EIO;
	}
}

int storage_schema_version(void)
{
	return (int) storage_n_migrations;
}

const char *storage_open_error(void)
{
	return open_error;
}

int storage_step_key(sqlite3_stmt *st, const char *key)
{
	int r = sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);

	if (r == SQLITE_OK)
		r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		return -ENOENT;
	return r == SQLITE_ROW ? 0 : storage_errno(r);
}

int storage_stmt(struct storage *s, enum stmt_id id, const char *sql, sqlite3_stmt **ret)
{
	int r;

	if (!s->stmts[id]) {
		r = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmts[id],
				       NULL);
		if (r != SQLITE_OK)
			return storage_errno(r);
	}
	*ret = s->stmts[id];
	return 0;
}

int storage_step_done(sqlite3_stmt *st)
{
	int r;

	r = sqlite3_step(st);
	if (r == SQLITE_DONE || r == SQLITE_ROW)
		return 0;
	return storage_errno(r);
}

int storage_exec(struct storage *s, enum stmt_id id, const char *sql)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	r = storage_stmt(s, id, sql, &st);
	if (r < 0)
		return r;
	return storage_step_done(st);
}

int storage_tx_begin(struct storage *s)
{
	return storage_exec(s, STMT_SAVEPOINT, "SAVEPOINT tx");
}

/*
 * Copy the WAL into the database and cut it to 0 bytes. SQLite checkpoints by itself only past
 * 1,000 pages (4 MiB), so on a small disk the WAL is what fills it, and its space comes back
 * only this way. Outside a transaction only.
 */
static void wal_truncate(struct storage *s)
{
	if (!sqlite3_get_autocommit(s->db))
		return;
	(void) sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

int storage_tx_commit(struct storage *s)
{
	int r;

	r = storage_exec(s, STMT_RELEASE, "RELEASE tx");
	if (r == 0 && s->full && sqlite3_get_autocommit(s->db)) {
		/* Space is back: give the WAL's back too before it fills the disk again. */
		s->full = false;
		wal_truncate(s);
	}
	return r;
}

void storage_tx_rollback(struct storage *s, int r)
{
	/* SQLite may already have rolled back the whole transaction (SQLITE_FULL, IOERR). */
	if (!sqlite3_get_autocommit(s->db)) {
		(void) storage_exec(s, STMT_ROLLBACK_TO, "ROLLBACK TO tx");
		(void) storage_exec(s, STMT_RELEASE, "RELEASE tx");
	}
	if (r == -ENOSPC) {
		s->full = true;
		wal_truncate(s);
	}
}

int storage_bind_opt(sqlite3_stmt *st, int idx, int32_t v)
{
	if (v == BR_NONE)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_int(st, idx, v);
}

int32_t storage_column_opt(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return BR_NONE;
	return sqlite3_column_int(st, col);
}

void storage_column_text(sqlite3_stmt *st, int col, char *buf, size_t size)
{
	const char *t = (const char *) sqlite3_column_text(st, col);

	(void) snprintf(buf, size, "%s", t ?: "");
}

static int pragma_int(sqlite3 *db, const char *sql, int *ret)
{
	sqlite3_stmt *st = NULL;
	int r;

	r = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (r == SQLITE_OK)
		r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*ret = sqlite3_column_int(st, 0);
	(void) sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 0;
	/* No row (SQLITE_DONE) is an error too: *ret has no value to use. */
	r = storage_errno(r);
	return r < 0 ? r : -ENODATA;
}

/* Read-only checks before anything may write: a newer, corrupt or foreign file stays as it is. */
static int check_version(struct storage *s, const char *path, int *ret_version)
{
	int version, app_id, n_objects, r;

	r = pragma_int(s->db, "PRAGMA user_version", &version);
	if (r == 0)
		r = pragma_int(s->db, "PRAGMA application_id", &app_id);
	if (r == 0) /* parses the whole schema: finds a damaged sqlite_schema */
		r = pragma_int(s->db, "SELECT count(*) FROM sqlite_schema", &n_objects);
	if (r < 0) {
		(void) snprintf(open_error, sizeof(open_error),
				"database %s is %s (%s); refusing to open it", path,
				r == -EBADMSG ? "corrupt or not a database" : "unreadable",
				sqlite3_errmsg(s->db));
		return r;
	}
	if ((app_id != 0 && app_id != STORAGE_APPLICATION_ID) || (version == 0 && n_objects > 0)) {
		(void) snprintf(open_error, sizeof(open_error),
				"database %s belongs to another program (application id %#x); "
				"refusing to open it",
				path, (unsigned) app_id);
		return -EBADMSG;
	}
	if (version < 0 || (size_t) version > storage_n_migrations) {
		(void) snprintf(
			open_error, sizeof(open_error),
			"database %s was written by a newer backride (schema %d, this build "
			"knows %d); refusing to open it",
			path, version, storage_schema_version());
		return -EPROTONOSUPPORT;
	}
	*ret_version = version;
	return 0;
}

static int migrate_one(struct storage *s, size_t to)
{
	char sql[64];
	int version, r;

	r = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (r != SQLITE_OK)
		return storage_errno(r);
	/* Another process may have migrated while we waited for the lock. */
	r = pragma_int(s->db, "PRAGMA user_version", &version);
	if (r == 0 && (size_t) version < to) {
		r = storage_errno(
			sqlite3_exec(s->db, storage_migrations[to - 1], NULL, NULL, NULL));
		(void) snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu", to);
		if (r == 0)
			r = storage_errno(sqlite3_exec(s->db, sql, NULL, NULL, NULL));
	}
	if (r == 0)
		r = storage_errno(sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL));
	if (r < 0 && !sqlite3_get_autocommit(s->db))
		(void) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

/*
 * A page cache of 256 KiB instead of SQLite's 2 MiB: appends touch a few pages at the end of
 * the B-tree and every history query reads by index or rowid range, so a bigger cache only
 * shows up as resident memory (bench/: +330 KiB after browsing a 10-year database, same
 * query times).
 */
/*
 * The WAL is checkpointed past 100 pages (400 KiB) instead of SQLite's 1,000 (4 MiB), and cut
 * back to 400 KiB when it restarts: a session writes about 10 KiB of WAL a second, so with the
 * default a 2 MiB disk filled with WAL in 5 minutes, with nothing ever copied to the database,
 * and a checkpoint then needed space that was no longer there. It costs two syncs every
 * 40 seconds or so of a session.
 */
static int configure(struct storage *s)
{
	static const char sql[] = "PRAGMA journal_mode = WAL;"
				  "PRAGMA synchronous = NORMAL;"
				  "PRAGMA foreign_keys = ON;"
				  "PRAGMA cache_size = -256;"
				  "PRAGMA wal_autocheckpoint = 100;"
				  "PRAGMA journal_size_limit = 409600;";
	int r;

	r = sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	if (r == SQLITE_OK)
		r = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return storage_errno(r);
}

static int open_db(struct storage *s, const char *path)
{
	int r;

	/* One thread uses a connection; SQLite >= 3.35 (RETURNING, MATERIALIZED). */
	r = sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (r == SQLITE_OK && sqlite3_db_readonly(s->db, "main") == 1)
		r = SQLITE_READONLY; /* SQLite falls back to read-only for a write-protected file */
	if (r == SQLITE_OK)
		return 0;
	if ((r & 0xff) == SQLITE_CANTOPEN && s->db && sqlite3_system_errno(s->db) > 0)
		r = -sqlite3_system_errno(s->db);
	else
		r = storage_errno(r);
	(void) snprintf(open_error, sizeof(open_error), "cannot open database %s: %s", path,
			strerror(-r));
	return r;
}

int storage_open(const char *path, struct storage **ret)
{
	_cleanup_(storage_freep) struct storage *s = NULL;
	int version, r;

	assert(path);
	assert(ret);

	open_error[0] = '\0';
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	r = open_db(s, path);
	if (r < 0)
		return r;
	r = check_version(s, path, &version);
	if (r < 0)
		return r;
	r = configure(s);
	for (size_t i = version + 1; r == 0 && i <= storage_n_migrations; i++)
		r = migrate_one(s, i);
	if (r < 0) {
		(void) snprintf(open_error, sizeof(open_error),
				"cannot set up database %s: %s (%s)", path, strerror(-r),
				sqlite3_errmsg(s->db));
		return r;
	}
	*ret = TAKE_PTR(s);
	return 0;
}

void storage_free(struct storage *s)
{
	if (!s)
		return;
	if (s->bulk)
		(void) storage_bulk_end(s, true);
	(void) storage_flush(s);
	storage_pending_clear(s);
	free(s->pending);
	for (size_t i = 0; i < ARRAY_SIZE(s->stmts); i++)
		(void) sqlite3_finalize(s->stmts[i]);
	(void) sqlite3_close(s->db);
	free(s);
}

int storage_set_max_size(struct storage *s, uint64_t bytes)
{
	char sql[64];
	uint64_t pages;
	int page_size, r;

	r = pragma_int(s->db, "PRAGMA page_size", &page_size);
	if (r < 0)
		return r;
	pages = bytes ? bytes / (uint64_t) page_size : 0xfffffffeu;
	(void) snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %llu",
			(unsigned long long) MIN(MAX(pages, 1u), 0xfffffffeu));
	return storage_errno(sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

int storage_bulk_begin(struct storage *s)
{
	int r;

	if (s->bulk)
		return -EBUSY;
	r = storage_flush(s);
	if (r < 0)
		return r;
	r = storage_errno(sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
	if (r < 0)
		return r;
	s->bulk = true;
	s->bulk_error = 0;
	return 0;
}

int storage_bulk_end(struct storage *s, bool commit)
{
	int r = 0;

	if (!s->bulk)
		return -ENXIO;
	s->bulk = false;
	if (sqlite3_get_autocommit(s->db)) /* SQLite rolled it back after an error */
		return commit ? (s->bulk_error ?: -EIO) : 0;
	if (commit)
		r = storage_errno(sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL));
	if ((r < 0 || !commit) && !sqlite3_get_autocommit(s->db))
		(void) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

const char *storage_kind_to_string(enum storage_kind k)
{
	static const char *const table[_STORAGE_KIND_MAX] = {
		[STORAGE_KIND_BIKE] = "bike",
		[STORAGE_KIND_TREADMILL] = "treadmill",
		[STORAGE_KIND_HR] = "hr",
	};

	if (k < 0 || k >= _STORAGE_KIND_MAX)
		return NULL;
	return table[k];
}

int storage_kind_from_string(const char *s)
{
	for (int k = 0; k < _STORAGE_KIND_MAX; k++)
		if (s && strcmp(s, storage_kind_to_string(k)) == 0)
			return k;
	return -EINVAL;
}
