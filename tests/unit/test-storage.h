/* SPDX-License-Identifier: MIT */
#pragma once

/* Shared by the unit tests of daemon/storage: a temporary directory per test, plain SQLite to
 * read and tamper with files as another program would, and short ways to write sessions. */

#include <stdint.h>
#include <time.h>

#include "storage.h"

#define ADDR1 "AA:BB:CC:DD:EE:01"
#define ADDR2 "AA:BB:CC:DD:EE:02"
#define T0    1767225600 /* 2026-01-01 00:00:00 UTC */
#define DAY   (24 * 3600)

struct fixture {
	char dir[64];
	char path[96];
};

/* The whole file and its mtime, to prove a refused open changed nothing. */
struct snapshot {
	char *bytes;
	size_t size;
	struct timespec mtime;
};

/* cmocka setup and teardown: a fresh temporary directory (state is a struct fixture). */
int setup(void **state);
int teardown(void **state);
/* storage_open() that must succeed. */
struct storage *open_ok(const char *path);
/* Read one integer with plain SQLite, as another program would. */
int raw_int(const char *path, const char *sql);
/* Run SQL with plain SQLite, as another program would. */
void raw_exec(const char *path, const char *sql);
void snapshot(const char *path, struct snapshot *x);
/* The file is as snapshot() saw it; frees the snapshot. */
void assert_unchanged(const char *path, struct snapshot *before);
struct storage_session_plan plan_at(int64_t started_at, enum storage_kind kind);
/* A session begun at started_at; returns its id. */
int64_t begin(struct storage *s, int64_t started_at, enum storage_kind kind);
void append_power(struct storage *s, int64_t id, uint32_t t, int32_t power);
/* A session of n seconds at the given power, ended as completed. */
int64_t session_done(struct storage *s, int64_t started_at, enum storage_kind kind, uint32_t n,
		     int32_t power);
