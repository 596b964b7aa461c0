/* SPDX-License-Identifier: MIT */

/* What backride learned about a machine: missing ranges, learned ranges, the speed unit. */

#include "storage.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "storage-internal.h"

static const char *const units[] = {
	[STORAGE_SPEED_UNKNOWN] = "",
	[STORAGE_SPEED_KMH] = "kmh",
	[STORAGE_SPEED_MPH] = "mph",
};

void storage_learned_init(struct storage_learned *l)
{
	*l = (struct storage_learned) { .speed_unit = STORAGE_SPEED_UNKNOWN };
	for (size_t c = 0; c < _STORAGE_CH_MAX; c++)
		l->min[c] = l->max[c] = BR_NONE;
}

static enum storage_speed_unit unit_from_string(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (strcmp(units[i], s) == 0)
			return (enum storage_speed_unit) i;
	return STORAGE_SPEED_UNKNOWN;
}

int storage_machine_learned_get(struct storage *s, const char *address, struct storage_learned *ret)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	struct storage_learned l;
	char unit[8];
	int r;

	assert(s);
	assert(ret);
	if (!address)
		return -EINVAL;
	r = storage_stmt(s, STMT_LEARNED_GET,
			 "SELECT m.id, l.missing_ranges, l.speed_unit, l.power_min, l.power_max,"
			 " l.resistance_min, l.resistance_max, l.speed_min, l.speed_max,"
			 " l.incline_min, l.incline_max FROM machines m"
			 " LEFT JOIN machine_learned l ON l.machine_id = m.id WHERE m.address = ?1",
			 &st);
	if (r < 0)
		return r;
	r = storage_step_key(st, address);
	if (r < 0)
		return r;
	storage_learned_init(&l);
	l.missing_ranges = (uint32_t) sqlite3_column_int64(st, 1);
	storage_column_text(st, 2, unit, sizeof(unit));
	l.speed_unit = unit_from_string(unit);
	for (int c = 0; c < _STORAGE_CH_MAX; c++) {
		l.min[c] = storage_column_opt(st, 3 + 2 * c);
		l.max[c] = storage_column_opt(st, 4 + 2 * c);
	}
	*ret = l;
	return 0;
}

int storage_machine_learned_put(struct storage *s, const char *address,
				const struct storage_learned *l)
{
	_cleanup_(stmt_resetp) sqlite3_stmt *st = NULL;
	int r;

	assert(s);
	assert(l);
	if (!address || (unsigned) l->speed_unit >= ARRAY_SIZE(units))
		return -EINVAL;
	r = storage_stmt(s, STMT_LEARNED_PUT,
			 "INSERT OR REPLACE INTO machine_learned (machine_id, missing_ranges,"
			 " speed_unit, power_min, power_max, resistance_min, resistance_max,"
			 " speed_min, speed_max, incline_min, incline_max)"
			 " SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 FROM machines"
			 " WHERE address = ?1",
			 &st);
	if (r < 0)
		return r;
	r = sqlite3_bind_text(st, 1, address, -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(st, 2, l->missing_ranges);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(st, 3, units[l->speed_unit], -1, SQLITE_STATIC);
	for (int c = 0; r == SQLITE_OK && c < _STORAGE_CH_MAX; c++) {
		r = storage_bind_opt(st, 4 + 2 * c, l->min[c]);
		if (r == SQLITE_OK)
			r = storage_bind_opt(st, 5 + 2 * c, l->max[c]);
	}
	if (r != SQLITE_OK)
		return storage_errno(r);
	r = storage_step_done(st);
	if (r < 0)
		return r;
	return sqlite3_changes(s->db) > 0 ? 0 : -ENOENT;
}
