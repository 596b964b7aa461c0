/* SPDX-License-Identifier: MIT */

/* The helpers of the storage unit tests (test-storage.h). */

#include "test-storage.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h> /* only to tamper with files the way another program would */

int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test-storage-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	(void) snprintf(f->path, sizeof(f->path), "%s/backride.db", f->dir);
	*state = f;
	return 0;
}

int teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	char p[128];

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		(void) snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]);
		(void) unlink(p);
	}
	assert_int_equal(rmdir(f->dir), 0);
	free(f);
	return 0;
}

struct storage *open_ok(const char *path)
{
	struct storage *s = NULL;

	assert_int_equal(storage_open(path, &s), 0);
	assert_non_null(s);
	return s;
}

int raw_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int v;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* The whole file and its mtime, to prove a refused open changed nothing. */

void snapshot(const char *path, struct snapshot *x)
{
	struct stat st;
	FILE *fp;

	assert_int_equal(stat(path, &st), 0);
	x->size = (size_t) st.st_size;
	x->mtime = st.st_mtim;
	x->bytes = malloc(x->size + 1);
	assert_non_null(x->bytes);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(x->bytes, 1, x->size, fp), x->size);
	fclose(fp);
}

void assert_unchanged(const char *path, struct snapshot *before)
{
	struct snapshot now;

	snapshot(path, &now);
	assert_int_equal(now.size, before->size);
	assert_memory_equal(now.bytes, before->bytes, now.size);
	assert_int_equal(now.mtime.tv_sec, before->mtime.tv_sec);
	assert_int_equal(now.mtime.tv_nsec, before->mtime.tv_nsec);
	free(now.bytes);
	free(before->bytes);
}

struct storage_session_plan plan_at(int64_t started_at, enum storage_kind kind)
{
	return (struct storage_session_plan) {
		.kind = kind,
		.profile = "gentle",
		.started_at = started_at,
		.planned_s = 1800,
		.warmup_s = 300,
		.cooldown_s = 300,
		.target_power_w = 60,
		.target_speed_ckmh = BR_NONE,
		.target_resistance_d = BR_NONE,
		.target_incline_dpct = BR_NONE,
		.pain_before = BR_NONE,
	};
}

int64_t begin(struct storage *s, int64_t started_at, enum storage_kind kind)
{
	struct storage_session_plan p = plan_at(started_at, kind);
	int64_t id = 0;

	assert_int_equal(storage_session_begin(s, &p, &id), 0);
	assert_true(id > 0);
	return id;
}

void append_power(struct storage *s, int64_t id, uint32_t t, int32_t power)
{
	struct storage_sample x;

	storage_sample_init(&x);
	x.session_id = id;
	x.t = t;
	x.power_w = power;
	assert_int_equal(storage_sample_append(s, &x), 0);
}

int64_t session_done(struct storage *s, int64_t started_at, enum storage_kind kind, uint32_t n,
		     int32_t power)
{
	int64_t id = begin(s, started_at, kind);

	for (uint32_t t = 0; t < n; t++)
		append_power(s, id, t, power);
	assert_int_equal(storage_session_end(s, id, started_at + n, "completed", BR_NONE), 0);
	return id;
}
