/* SPDX-License-Identifier: MIT */
#pragma once

/* Shared by the storage .c files only. */

#include <sqlite3.h>

#include "storage.h"

/* Cached prepared statements; the SQL text lives next to its only user. */
enum stmt_id {
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
	STMT_SAMPLE_INSERT,
	STMT_EVENT_INSERT,
	STMT_SESSION_INSERT,
	STMT_SESSION_MACHINE_USED,
	STMT_SESSION_END,
	STMT_SESSION_STATE,
	STMT_SESSION_OPEN_IDS,
	STMT_SESSION_STRETCHED,
	STMT_SESSION_GUIDED,
	STMT_SESSION_GET,
	STMT_SESSION_LIST,
	STMT_SAMPLES_RANGE,
	STMT_EVENTS_SESSION,
	STMT_EVENTS_DAEMON,
	STMT_PROGRESS,
	STMT_MACHINE_UPSERT,
	STMT_MACHINE_GET,
	STMT_MACHINE_LIST,
	STMT_MACHINE_FORGET,
	STMT_MACHINE_SET_PAIRED,
	STMT_MACHINE_SET_TRUSTED,
	STMT_MACHINE_SET_FEATURES,
	STMT_MACHINE_SET_RESISTANCE,
	STMT_MACHINE_CLEAR_PREFERRED,
	STMT_MACHINE_SET_PREFERRED,
	STMT_MACHINE_SET_PROTOCOL,
	STMT_LEARNED_GET,
	STMT_LEARNED_PUT,
	STMT_CHECKIN_INSERT,
	STMT_CHECKIN_GET,
	STMT_CHECKIN_SINCE,
	STMT_CHECKIN_BETWEEN,
	STMT_PROGRAMME_END,
	STMT_PROGRAMME_INSERT,
	STMT_PROGRAMME_CURRENT,
	STMT_FLARE_INSERT,
	STMT_FLARE_LIST,
	_STMT_MAX,
};

enum pending_kind {
	PENDING_SAMPLE,
	PENDING_EVENT,
};

/* A row waiting for disk space; an event owns copies of its strings. */
struct pending {
	enum pending_kind kind;
	struct storage_sample sample;
	struct storage_event event;
};

struct storage {
	sqlite3 *db;
	sqlite3_stmt *stmts[_STMT_MAX];
	struct pending *pending;
	size_t n_pending;
	size_t n_pending_allocated;
	unsigned full_skip; /* appends left before the next write attempt on a full disk */
	bool full;	    /* a transaction failed for space; the next commit truncates the WAL */
	bool bulk;
	int bulk_error; /* the error that made SQLite roll the bulk transaction back */
};

/* Return the cached statement, preparing it from sql the first time. Reset it after use
 * (the _cleanup_(stmt_resetp) idiom). Return: 0 or a negative errno. */
int storage_stmt(struct storage *s, enum stmt_id id, const char *sql, sqlite3_stmt **ret);

/* Bind @key to ?1 of @st and step to its one row. Return: 0 (a row to read), -ENOENT (none),
 * or a negative errno. */
int storage_step_key(sqlite3_stmt *st, const char *key);

static inline void stmt_resetp(sqlite3_stmt **st)
{
	if (*st) {
		(void) sqlite3_reset(*st);
		(void) sqlite3_clear_bindings(*st);
	}
}

/* Run a cached statement that returns no rows. Return: 0 or a negative errno. */
int storage_exec(struct storage *s, enum stmt_id id, const char *sql);

/* Step a statement expected to finish. Return: 0 or a negative errno. */
int storage_step_done(sqlite3_stmt *st);

/* A transaction that nests inside bulk mode (a savepoint). Roll back with the error that
 * ended it: -ENOSPC truncates the WAL then, and again at the next commit. */
int storage_tx_begin(struct storage *s);
int storage_tx_commit(struct storage *s);
void storage_tx_rollback(struct storage *s, int r);

/* Bind BR_NONE as NULL; read NULL as BR_NONE. */
int storage_bind_opt(sqlite3_stmt *st, int idx, int32_t v);
int32_t storage_column_opt(sqlite3_stmt *st, int col);
/* Copy a text column into a fixed buffer (truncating), "" for NULL. */
void storage_column_text(sqlite3_stmt *st, int col, char *buf, size_t size);

/* The migrations, oldest first: migrations[i] moves user_version from i to i + 1. */
extern const char *const storage_migrations[];
extern const size_t storage_n_migrations;
/* PRAGMA application_id of a backride database. */
#define STORAGE_APPLICATION_ID 0x42526964 /* "BRid" */

/* Write one pending row inside an open transaction. Return: 0 or -errno. */
int storage_write_pending(struct storage *s, const struct pending *p);
void storage_pending_clear(struct storage *s);
