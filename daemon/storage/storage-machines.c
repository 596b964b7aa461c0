/* SPDX-License-Identifier: MIT */

/* Machines we have seen, keyed by Bluetooth address. */

#include "storage.h"

#include <ctype.h>
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "storage-internal.h"

#define MACHINE_COLUMNS                                                                            \
	"id, address, name, kind, paired, trusted, preferred, machine_features, target_features, " \
	"resistance_form, first_seen, last_seen, coalesce(last_used, 0), protocol"

/* "AA:BB:CC:DD:EE:FF", upper-case hex as BlueZ writes it. */
static bool address_valid(const char *a)
{
	if (!a || strlen(a) != STORAGE_ADDRESS_MAX - 1)
		return false;
	for (size_t i = 0; i < STORAGE_ADDRESS_MAX - 1; i++) {
		if (i % 3 == 2 ? a[i] != ':' : !isxdigit((unsigned char) a[i]) || islower(a[i]))
			return false;
	}
	return true;
}

int storage_machine_upsert(struct storage *s, const char *address, const char *name,
			   enum storage_kind kind, int64_t now, int64_t *ret_id)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int64_t id;
	int r;

	assert(s);
	if (!address_valid(address) || !storage_kind_to_string(kind))
		return -EINVAL;
	r = storage_stmt(
		s, STMT_MACHINE_UPSERT,
		"INSERT INTO machines (address, name, kind, first_seen, last_seen)"
		" VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (address) DO UPDATE SET"
		" name = excluded.name, kind = excluded.kind, last_seen = excluded.last_seen"
		" RETURNING id",
		&st);
	if (r < 0)
		return r;
	r = sqlite3_bind_text(st, 1, address, -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(st, 2, name ?: "", -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(st, 3, storage_kind_to_string(kind), -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 4, now);
	if (r == SQLITE_OK)
		r = sqlite3_step(st);
	if (r != SQLITE_ROW)
		return storage_errno(r);
	id = sqlite3_column_int64(st, 0);
	r = storage_step_done(st);
	if (r < 0)
		return r;
	if (ret_id)
		*ret_id = id;
	return 0;
}

static void machine_from_row(sqlite3_stmt *st, struct storage_machine *m)
{
	char kind[STORAGE_WORD_MAX];

	*m = (struct storage_machine) { 0 };
	m->id = sqlite3_column_int64(st, 0);
	storage_column_text(st, 1, m->address, sizeof(m->address));
	storage_column_text(st, 2, m->name, sizeof(m->name));
	storage_column_text(st, 3, kind, sizeof(kind));
	m->kind = storage_kind_from_string(kind);
	m->paired = sqlite3_column_int(st, 4);
	m->trusted = sqlite3_column_int(st, 5);
	m->preferred = sqlite3_column_int(st, 6);
	m->machine_features = (uint32_t) sqlite3_column_int64(st, 7);
	m->target_features = (uint32_t) sqlite3_column_int64(st, 8);
	m->resistance_form = sqlite3_column_int(st, 9);
	m->first_seen = sqlite3_column_int64(st, 10);
	m->last_seen = sqlite3_column_int64(st, 11);
	m->last_used = sqlite3_column_int64(st, 12);
	storage_column_text(st, 13, m->protocol, sizeof(m->protocol));
}

int storage_machine_get(struct storage *s, const char *address, struct storage_machine *ret)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	assert(s);
	assert(ret);
	if (!address)
		return -EINVAL;
	r = storage_stmt(s, STMT_MACHINE_GET,
			 "SELECT " MACHINE_COLUMNS " FROM machines WHERE address = ?1", &st);
	if (r < 0)
		return r;
	r = storage_step_key(st, address);
	if (r < 0)
		return r;
	machine_from_row(st, ret);
	return 0;
}

int storage_machines_list(struct storage *s, storage_machine_cb cb, void *userdata)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	struct storage_machine m;
	int n = 0, r;

	assert(s);
	assert(cb);
	r = storage_stmt(s, STMT_MACHINE_LIST,
			 "SELECT " MACHINE_COLUMNS " FROM machines"
			 " ORDER BY preferred DESC, last_seen DESC, id",
			 &st);
	if (r < 0)
		return r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		machine_from_row(st, &m);
		n++;
		r = cb(&m, userdata);
		if (r != 0)
			return r < 0 ? r : n;
	}
	return r == SQLITE_DONE ? n : storage_errno(r);
}

/* Run an UPDATE/DELETE of one machine: ?1 address, then up to two integers.
 * Return: 0, -ENOENT if it matched nothing. */
static int machine_change(struct storage *s, enum stmt_id id, const char *sql, const char *address,
			  int64_t a, int64_t b)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	assert(s);
	if (!address)
		return -EINVAL;
	r = storage_stmt(s, id, sql, &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_text(st, 1, address, -1, SQLITE_STATIC);
	if (r == SQLITE_OK && sqlite3_bind_parameter_count(st) >= 2)
		r = sqlite3_bind_int64(st, 2, a);
	if (r == SQLITE_OK && sqlite3_bind_parameter_count(st) >= 3)
		r = sqlite3_bind_int64(st, 3, b);
	if (r != SQLITE_OK)
		return storage_errno(r);
	r = storage_step_done(st);
	if (r < 0)
		return r;
	return sqlite3_changes(s->db) > 0 ? 0 : -ENOENT;
}

int storage_machine_forget(struct storage *s, const char *address)
{
	return machine_change(s, STMT_MACHINE_FORGET, "DELETE FROM machines WHERE address = ?1",
			      address, 0, 0);
}

int storage_machine_set_paired(struct storage *s, const char *address, bool paired)
{
	return machine_change(s, STMT_MACHINE_SET_PAIRED,
			      "UPDATE machines SET paired = ?2 WHERE address = ?1", address, paired,
			      0);
}

int storage_machine_set_trusted(struct storage *s, const char *address, bool trusted)
{
	return machine_change(s, STMT_MACHINE_SET_TRUSTED,
			      "UPDATE machines SET trusted = ?2 WHERE address = ?1", address,
			      trusted, 0);
}

int storage_machine_set_features(struct storage *s, const char *address, uint32_t machine,
				 uint32_t target)
{
	return machine_change(s, STMT_MACHINE_SET_FEATURES,
			      "UPDATE machines SET machine_features = ?2, target_features = ?3"
			      " WHERE address = ?1",
			      address, machine, target);
}

int storage_machine_set_resistance_form(struct storage *s, const char *address,
					enum storage_resistance_form form)
{
	if (form != STORAGE_RESISTANCE_UNKNOWN && form != STORAGE_RESISTANCE_UINT8 &&
	    form != STORAGE_RESISTANCE_SINT16)
		return -EINVAL;
	return machine_change(s, STMT_MACHINE_SET_RESISTANCE,
			      "UPDATE machines SET resistance_form = ?2 WHERE address = ?1",
			      address, form, 0);
}

int storage_machine_set_protocol(struct storage *s, const char *address, const char *protocol)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	assert(s);
	if (!address || !protocol)
		return -EINVAL;
	r = storage_stmt(s, STMT_MACHINE_SET_PROTOCOL,
			 "UPDATE machines SET protocol = ?2 WHERE address = ?1", &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_text(st, 1, address, -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(st, 2, protocol, -1, SQLITE_STATIC);
	if (r != SQLITE_OK)
		return storage_errno(r);
	r = storage_step_done(st); /* -EINVAL: the CHECK, not a protocol */
	if (r < 0)
		return r;
	return sqlite3_changes(s->db) > 0 ? 0 : -ENOENT;
}

int storage_machine_set_preferred(struct storage *s, const char *address)
{
	int r;

	r = storage_tx_begin(s);
	if (r < 0)
		return r;
	r = machine_change(s, STMT_MACHINE_CLEAR_PREFERRED,
			   "UPDATE machines SET preferred = 0 WHERE preferred AND address != ?1",
			   address, 0, 0);
	if (r == 0 || r == -ENOENT)
		r = machine_change(s, STMT_MACHINE_SET_PREFERRED,
				   "UPDATE machines SET preferred = 1 WHERE address = ?1", address,
				   0, 0);
	if (r == 0)
		r = storage_tx_commit(s);
	if (r < 0)
		storage_tx_rollback(s, r);
	return r;
}
