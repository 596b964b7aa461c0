/* SPDX-License-Identifier: MIT */

/* Unit tests of daemon/storage on databases in temporary directories: opening, refusing
 * what is not ours or too new, the machines, and a small write-ahead log. */

#include <errno.h>
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

#include "test-storage.h"

static void test_create(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);

	assert_int_equal(storage_schema_version(), 5);
	storage_free(s);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), storage_schema_version());
	assert_int_equal(raw_int(f->path, "PRAGMA application_id"), 0x42526964);
	assert_int_equal(raw_int(f->path,
				 "SELECT count(*) FROM sqlite_schema WHERE name IN"
				 " ('machines', 'sessions', 'samples', 'events', 'checkins',"
				 " 'machine_learned', 'programmes', 'programme_flares')"),
			 8);
	/* WAL is persistent in the file header. */
	assert_int_equal(raw_int(f->path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"),
			 1);
	storage_free(NULL);
}

static void test_reopen(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_machine m;
	struct storage_session x;
	int64_t id;

	assert_int_equal(storage_machine_upsert(s, ADDR1, "Bike", STORAGE_KIND_BIKE, T0, NULL), 0);
	id = session_done(s, T0, STORAGE_KIND_BIKE, 3, 50);
	storage_free(s);

	s = open_ok(f->path);
	assert_int_equal(storage_machine_get(s, ADDR1, &m), 0);
	assert_string_equal(m.name, "Bike");
	assert_int_equal(storage_session_get(s, id, &x), 0);
	assert_int_equal(x.n_samples, 3);
	storage_free(s);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), storage_schema_version());
}

/* A session marked guided keeps its first cause; a database of schema 1 gets the column. */
static void test_guided(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_session x;
	int64_t id = session_done(s, T0, STORAGE_KIND_BIKE, 3, 50);

	assert_int_equal(storage_session_get(s, id, &x), 0);
	assert_string_equal(x.guided, "");
	assert_int_equal(storage_session_set_guided(s, id, ""), -EINVAL);
	assert_int_equal(storage_session_set_guided(s, id + 1, "asked"), -ENOENT);
	assert_int_equal(storage_session_set_guided(s, id, "control-refused"), 0);
	assert_int_equal(storage_session_set_guided(s, id, "target-ignored"), 0);
	assert_int_equal(storage_session_get(s, id, &x), 0);
	assert_string_equal(x.guided, "control-refused");
	storage_free(s);

	raw_exec(f->path, "ALTER TABLE sessions DROP COLUMN guided; DROP TABLE machine_learned;"
			  " ALTER TABLE machines DROP COLUMN protocol; DROP TABLE programme_flares;"
			  " DROP TABLE programmes; PRAGMA user_version = 1");
	s = open_ok(f->path);
	assert_int_equal(storage_session_get(s, id, &x), 0);
	assert_string_equal(x.guided, "");
	assert_int_equal(storage_session_set_guided(s, id, "asked"), 0);
	storage_free(s);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), storage_schema_version());
}

/* The protocol a machine speaks: "ftms" unless set, only the known words, kept for machines of a
 * database of schema 3 (which spoke FTMS). */
static void test_protocol(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_machine m;

	assert_int_equal(storage_machine_upsert(s, ADDR1, "Bike", STORAGE_KIND_BIKE, T0, NULL), 0);
	assert_int_equal(storage_machine_upsert(s, ADDR2, "Pad", STORAGE_KIND_TREADMILL, T0, NULL),
			 0);
	assert_int_equal(storage_machine_get(s, ADDR1, &m), 0);
	assert_string_equal(m.protocol, "ftms");
	assert_int_equal(storage_machine_set_protocol(s, ADDR2, "walkingpad"), 0);
	assert_int_equal(storage_machine_set_protocol(s, ADDR2, "zwift"), -EINVAL);
	assert_int_equal(storage_machine_set_protocol(s, ADDR2, NULL), -EINVAL);
	assert_int_equal(storage_machine_set_protocol(s, "AA:BB:CC:DD:EE:99", "csc"), -ENOENT);
	assert_int_equal(storage_machine_get(s, ADDR2, &m), 0);
	assert_string_equal(m.protocol, "walkingpad");
	/* An upsert (a scan seeing it again) keeps the protocol. */
	assert_int_equal(
		storage_machine_upsert(s, ADDR2, "Pad", STORAGE_KIND_TREADMILL, T0 + 1, NULL), 0);
	assert_int_equal(storage_machine_get(s, ADDR2, &m), 0);
	assert_string_equal(m.protocol, "walkingpad");
	storage_free(s);

	raw_exec(f->path, "ALTER TABLE machines DROP COLUMN protocol; DROP TABLE programme_flares;"
			  " DROP TABLE programmes; PRAGMA user_version = 3");
	s = open_ok(f->path);
	assert_int_equal(storage_machine_get(s, ADDR2, &m), 0);
	assert_string_equal(m.protocol, "ftms");
	storage_free(s);
}

static int flare_cb(const struct storage_flare *fl, void *userdata)
{
	struct storage_flare *out = userdata;

	out[out[0].ts == 0 ? 0 : 1] = *fl;
	return 0;
}

/* One programme runs at a time; its flare-ups stay with it; a database of schema 4 gets them. */
static void test_programme(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_flare fl[2] = { 0 };
	struct storage_programme p;
	char big[STORAGE_PROGRAMME_SETTINGS_MAX + 1];
	int64_t id1, id2;

	assert_int_equal(storage_programme_current(s, &p), -ENOENT);
	assert_int_equal(storage_programme_end(s, T0), -ENOENT);
	assert_int_equal(storage_programme_begin(s, T0, "", NULL), -EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(storage_programme_begin(s, T0, big, NULL), -EINVAL);
	assert_int_equal(storage_programme_begin(s, T0, "[programme]\nweeks = 6\n", &id1), 0);
	assert_int_equal(storage_flare_add(s, id1, T0 + 100, "after gardening"), 0);
	assert_int_equal(storage_programme_begin(s, T0 + 200, "[programme]\nweeks = 8\n", &id2), 0);
	assert_true(id2 > id1);
	assert_int_equal(storage_programme_current(s, &p), 0);
	assert_int_equal(p.id, id2);
	assert_int_equal(p.started_at, T0 + 200);
	assert_string_equal(p.settings, "[programme]\nweeks = 8\n");
	assert_int_equal(storage_flare_add(s, id2, T0 + 400, ""), 0);
	assert_int_equal(storage_flare_add(s, id2, T0 + 300, "stairs"), 0);
	assert_int_equal(storage_flares_list(s, id2, flare_cb, fl), 2);
	assert_int_equal(fl[0].ts, T0 + 300);
	assert_string_equal(fl[0].note, "stairs");
	assert_int_equal(fl[1].ts, T0 + 400);
	storage_free(s);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM programmes WHERE ended_at IS NULL"),
			 1);
	assert_int_equal(raw_int(f->path, "SELECT ended_at FROM programmes WHERE id = 1"),
			 T0 + 200);

	s = open_ok(f->path);
	assert_int_equal(storage_programme_end(s, T0 + 500), 0);
	assert_int_equal(storage_programme_current(s, &p), -ENOENT);
	storage_free(s);
	raw_exec(f->path, "DROP TABLE programme_flares; DROP TABLE programmes;"
			  " PRAGMA user_version = 4");
	s = open_ok(f->path);
	assert_int_equal(storage_programme_current(s, &p), -ENOENT);
	storage_free(s);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 5);
}

static void test_newer_version_refused(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path), *s2 = NULL;
	struct snapshot before;

	storage_free(s);
	raw_exec(f->path, "PRAGMA user_version = 999");
	snapshot(f->path, &before);
	assert_int_equal(storage_open(f->path, &s2), -EPROTONOSUPPORT);
	assert_null(s2);
	assert_non_null(
		strstr(storage_open_error(), "newer backride (schema 999, this build knows 5)"));
	assert_non_null(strstr(storage_open_error(), f->path));
	assert_unchanged(f->path, &before);
}

/* What was learned about a machine: nothing at first, stored, kept over a reopen, gone with the
 * machine; a database of schema 2 gains the table and keeps its rows. */
static void test_learned(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_learned l, got;

	assert_int_equal(storage_machine_learned_get(s, ADDR1, &got), -ENOENT);
	assert_int_equal(storage_machine_upsert(s, ADDR1, "Bike", STORAGE_KIND_BIKE, T0, NULL), 0);
	assert_int_equal(storage_machine_learned_get(s, ADDR1, &got), 0);
	assert_int_equal(got.missing_ranges, 0);
	assert_int_equal(got.speed_unit, STORAGE_SPEED_UNKNOWN);
	assert_int_equal(got.min[STORAGE_CH_POWER], BR_NONE);
	storage_learned_init(&l);
	l.missing_ranges = 1u << STORAGE_CH_POWER;
	l.speed_unit = STORAGE_SPEED_MPH;
	l.min[STORAGE_CH_POWER] = 35;
	l.max[STORAGE_CH_POWER] = 200;
	assert_int_equal(storage_machine_learned_put(s, ADDR1, &l), 0);
	assert_int_equal(storage_machine_learned_put(s, ADDR2, &l), -ENOENT);
	l.speed_unit = 7;
	assert_int_equal(storage_machine_learned_put(s, ADDR1, &l), -EINVAL);
	storage_free(s);

	/* A database of schema 2 as an older backride left it. */
	raw_exec(f->path, "DROP TABLE machine_learned; ALTER TABLE machines DROP COLUMN protocol;"
			  " DROP TABLE programme_flares; DROP TABLE programmes;"
			  " PRAGMA user_version = 2");
	s = open_ok(f->path);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), storage_schema_version());
	assert_int_equal(storage_machine_learned_get(s, ADDR1, &got), 0);
	assert_int_equal(got.min[STORAGE_CH_POWER], BR_NONE);
	l.speed_unit = STORAGE_SPEED_MPH;
	assert_int_equal(storage_machine_learned_put(s, ADDR1, &l), 0);
	storage_free(s);

	s = open_ok(f->path);
	assert_int_equal(storage_machine_learned_get(s, ADDR1, &got), 0);
	assert_int_equal(got.missing_ranges, 1u << STORAGE_CH_POWER);
	assert_int_equal(got.speed_unit, STORAGE_SPEED_MPH);
	assert_int_equal(got.min[STORAGE_CH_POWER], 35);
	assert_int_equal(got.max[STORAGE_CH_POWER], 200);
	assert_int_equal(got.max[STORAGE_CH_SPEED], BR_NONE);
	assert_int_equal(storage_machine_forget(s, ADDR1), 0);
	storage_free(s);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM machine_learned"), 0);
}

static void write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t) n);
	close(fd);
}

static void test_corrupt_refused(void **state)
{
	struct fixture *f = *state;
	struct storage *s = NULL;
	struct snapshot before;
	char garbage[8192];
	char wal[128];

	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (char) (i * 131 + 7);
	write_file(f->path, garbage, sizeof(garbage));
	snapshot(f->path, &before);
	assert_int_equal(storage_open(f->path, &s), -EBADMSG);
	assert_null(s);
	assert_non_null(strstr(storage_open_error(), "refusing"));
	assert_unchanged(f->path, &before);
	(void) snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(access(wal, F_OK), -1);
}

static void test_foreign_refused(void **state)
{
	struct fixture *f = *state;
	struct storage *s = NULL;
	struct snapshot before;

	raw_exec(f->path, "CREATE TABLE notes (x TEXT)");
	snapshot(f->path, &before);
	assert_int_equal(storage_open(f->path, &s), -EBADMSG);
	assert_null(s);
	assert_non_null(strstr(storage_open_error(), "another program"));
	assert_unchanged(f->path, &before);
}

static void test_missing_dir(void **state)
{
	struct fixture *f = *state;
	struct storage *s = NULL;
	char p[128];

	(void) snprintf(p, sizeof(p), "%s/nope/backride.db", f->dir);
	assert_int_equal(storage_open(p, &s), -ENOENT);
	assert_null(s);
	assert_non_null(strstr(storage_open_error(), "nope/backride.db"));
}

static void test_errno(void **state)
{
	assert_int_equal(storage_errno(SQLITE_OK), 0);
	assert_int_equal(storage_errno(SQLITE_FULL), -ENOSPC);
	assert_int_equal(storage_errno(SQLITE_CORRUPT), -EBADMSG);
	assert_int_equal(storage_errno(SQLITE_NOTADB), -EBADMSG);
	assert_int_equal(storage_errno(SQLITE_BUSY), -EBUSY);
	assert_int_equal(storage_errno(SQLITE_BUSY_SNAPSHOT), -EBUSY);
	assert_int_equal(storage_errno(SQLITE_LOCKED), -EBUSY);
	assert_int_equal(storage_errno(SQLITE_NOMEM), -ENOMEM);
	assert_int_equal(storage_errno(SQLITE_READONLY), -EROFS);
	assert_int_equal(storage_errno(SQLITE_CONSTRAINT_UNIQUE), -EINVAL);
	assert_int_equal(storage_errno(SQLITE_IOERR_WRITE), -EIO);
	assert_int_equal(storage_kind_from_string("treadmill"), STORAGE_KIND_TREADMILL);
	assert_int_equal(storage_kind_from_string("boat"), -EINVAL);
	assert_null(storage_kind_to_string(_STORAGE_KIND_MAX));
}

struct names {
	char addr[4][STORAGE_ADDRESS_MAX];
	int n;
};

static int collect_machine(const struct storage_machine *m, void *userdata)
{
	struct names *n = userdata;

	strcpy(n->addr[n->n++], m->address);
	return 0;
}

static void test_machines(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_machine m;
	struct storage_session x;
	struct names names = { 0 };
	int64_t id1 = 0, id1b = 0, id2 = 0, sid;

	assert_int_equal(storage_machine_upsert(s, ADDR1, "Old", STORAGE_KIND_BIKE, T0, &id1), 0);
	assert_int_equal(
		storage_machine_upsert(s, ADDR2, "Belt", STORAGE_KIND_TREADMILL, T0 + 5, &id2), 0);
	assert_int_equal(
		storage_machine_upsert(s, ADDR1, "Bike", STORAGE_KIND_BIKE, T0 + 10, &id1b), 0);
	assert_int_equal(id1, id1b);
	assert_int_not_equal(id1, id2);
	assert_int_equal(
		storage_machine_upsert(s, "aa:bb:cc:dd:ee:ff", "x", STORAGE_KIND_BIKE, T0, NULL),
		-EINVAL);
	assert_int_equal(
		storage_machine_upsert(s, "AA:BB:CC:DD:EE", "x", STORAGE_KIND_BIKE, T0, NULL),
		-EINVAL);

	assert_int_equal(storage_machine_get(s, ADDR1, &m), 0);
	assert_int_equal(m.id, id1);
	assert_string_equal(m.address, ADDR1);
	assert_string_equal(m.name, "Bike");
	assert_int_equal(m.kind, STORAGE_KIND_BIKE);
	assert_int_equal(m.first_seen, T0);
	assert_int_equal(m.last_seen, T0 + 10);
	assert_int_equal(m.last_used, 0);
	assert_false(m.paired || m.trusted || m.preferred);
	assert_int_equal(m.resistance_form, STORAGE_RESISTANCE_UNKNOWN);

	assert_int_equal(storage_machine_set_paired(s, ADDR1, true), 0);
	assert_int_equal(storage_machine_set_trusted(s, ADDR1, true), 0);
	assert_int_equal(storage_machine_set_features(s, ADDR1, 0x0000440a, 0xe0000003), 0);
	assert_int_equal(storage_machine_set_resistance_form(s, ADDR1, STORAGE_RESISTANCE_SINT16),
			 0);
	assert_int_equal(storage_machine_set_resistance_form(s, ADDR1, 7), -EINVAL);
	assert_int_equal(storage_machine_set_paired(s, "AA:BB:CC:DD:EE:99", true), -ENOENT);
	assert_int_equal(storage_machine_get(s, ADDR1, &m), 0);
	assert_true(m.paired && m.trusted);
	assert_int_equal(m.machine_features, 0x0000440a);
	assert_int_equal(m.target_features, 0xe0000003);
	assert_int_equal(m.resistance_form, STORAGE_RESISTANCE_SINT16);

	/* Most recently seen first, then the preferred one on top; preferred is exclusive. */
	assert_int_equal(storage_machines_list(s, collect_machine, &names), 2);
	assert_string_equal(names.addr[0], ADDR1);
	assert_int_equal(storage_machine_set_preferred(s, ADDR2), 0);
	assert_int_equal(storage_machine_set_preferred(s, ADDR1), 0);
	assert_int_equal(storage_machine_set_preferred(s, ADDR2), 0);
	assert_int_equal(storage_machine_get(s, ADDR1, &m), 0);
	assert_false(m.preferred);
	names.n = 0;
	assert_int_equal(storage_machines_list(s, collect_machine, &names), 2);
	assert_string_equal(names.addr[0], ADDR2);
	assert_int_equal(storage_machine_set_preferred(s, "AA:BB:CC:DD:EE:99"), -ENOENT);
	assert_int_equal(storage_machine_get(s, ADDR2, &m), 0);
	assert_true(m.preferred);

	/* A session marks the machine used; forgetting it keeps the session and its name. */
	struct storage_session_plan p = plan_at(T0 + 100, STORAGE_KIND_BIKE);
	p.machine_id = id1;
	assert_int_equal(storage_session_begin(s, &p, &sid), 0);
	assert_int_equal(storage_machine_get(s, ADDR1, &m), 0);
	assert_int_equal(m.last_used, T0 + 100);
	assert_int_equal(storage_machine_forget(s, ADDR1), 0);
	assert_int_equal(storage_machine_forget(s, ADDR1), -ENOENT);
	assert_int_equal(storage_machine_get(s, ADDR1, &m), -ENOENT);
	assert_int_equal(storage_session_get(s, sid, &x), 0);
	assert_int_equal(x.machine_id, 0);
	assert_string_equal(x.machine_name, "Bike");

	p.machine_id = 424242;
	assert_int_equal(storage_session_begin(s, &p, &sid), -ENOENT);
	storage_free(s);
}

struct walk {
	struct storage_machine seen[4];
	int n;
	int ret; /* what the callback returns */
};

static int walk_machine(const struct storage_machine *m, void *userdata)
{
	struct walk *w = userdata;

	w->seen[w->n++] = *m;
	return w->ret;
}

/* A treadmill, a strap and a bike remembered and paired: a reopened database walks all three
 * with name, kind and pairing, as the daemon exports them at startup; a callback's result
 * other than 0 ends the walk, so the exporter must say 0 for each machine it exported. */
static void test_machines_walk(void **state)
{
	static const struct {
		const char *address, *name;
		enum storage_kind kind;
	} want[] = {
		{ "AA:BB:CC:DD:EE:03", "Belt", STORAGE_KIND_TREADMILL },
		{ "AA:BB:CC:DD:EE:02", "Strap", STORAGE_KIND_HR },
		{ "AA:BB:CC:DD:EE:01", "Bike", STORAGE_KIND_BIKE },
	};
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct walk w = { 0 };

	for (int i = 0; i < 3; i++) {
		assert_int_equal(storage_machine_upsert(s, want[i].address, want[i].name,
							want[i].kind, T0 + 3 - i, NULL),
				 0);
		assert_int_equal(storage_machine_set_paired(s, want[i].address, true), 0);
	}
	assert_int_equal(storage_machine_set_preferred(s, "AA:BB:CC:DD:EE:01"), 0);
	storage_free(s);

	s = open_ok(f->path);
	assert_int_equal(storage_machines_list(s, walk_machine, &w), 3);
	/* The preferred bike first, then by last_seen: the belt, the strap. */
	for (int i = 0; i < 3; i++) {
		const struct storage_machine *m = &w.seen[(i + 1) % 3];

		assert_string_equal(m->address, want[i].address);
		assert_string_equal(m->name, want[i].name);
		assert_int_equal(m->kind, want[i].kind);
		assert_true(m->paired);
	}
	w = (struct walk) { .ret = 1 };
	assert_int_equal(storage_machines_list(s, walk_machine, &w), 1);
	assert_int_equal(w.n, 1);
	w = (struct walk) { .ret = -EIO };
	assert_int_equal(storage_machines_list(s, walk_machine, &w), -EIO);
	assert_int_equal(w.n, 1);
	storage_free(s);
}

static off_t wal_size(const struct fixture *f)
{
	char p[128];
	struct stat st;

	(void) snprintf(p, sizeof(p), "%s-wal", f->path);
	return stat(p, &st) == 0 ? st.st_size : 0;
}

/* The write-ahead log stays small: checkpointed past 400 KiB (SQLite's default let it reach
 * 4 MiB, which filled a small disk on its own), and truncated when the disk is full. */
static void test_wal_small(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_sample x;
	off_t most = 0;
	int64_t id;
	uint32_t t;
	int r;

	id = begin(s, T0, STORAGE_KIND_BIKE);
	for (t = 0; t < 2000; t++) {
		append_power(s, id, t, 40);
		most = MAX(most, wal_size(f));
	}
	assert_true(most > 0);
	assert_true(most <= 512 * 1024);

	assert_int_equal(storage_set_max_size(s, 1), 0);
	storage_sample_init(&x);
	x.session_id = id;
	do {
		assert_true(t < 100000);
		x.t = t++;
		r = storage_sample_append(s, &x);
	} while (r == 0);
	assert_int_equal(r, -ENOSPC);
	assert_int_equal(wal_size(f), 0);
	storage_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guided, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_programme, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_version_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_dir, setup, teardown),
		cmocka_unit_test(test_errno),
		cmocka_unit_test_setup_teardown(test_machines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_machines_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wal_small, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
