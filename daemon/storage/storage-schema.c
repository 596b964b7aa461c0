/* SPDX-License-Identifier: MIT */

/*
 * The schema, as an ordered list of migrations. Never edit a released migration: append a new
 * one. storage_open() runs each in its own transaction and sets PRAGMA user_version to its
 * position. Units and the reasons behind the layout: README.md.
 */

#include "storage-internal.h"

static const char migration_1[] =
	"PRAGMA application_id = 1112697188;\n" /* STORAGE_APPLICATION_ID */

	"CREATE TABLE machines (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  address TEXT NOT NULL UNIQUE,\n"
	"  name TEXT NOT NULL DEFAULT '',\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('bike', 'treadmill', 'hr')),\n"
	"  paired INTEGER NOT NULL DEFAULT 0,\n"
	"  trusted INTEGER NOT NULL DEFAULT 0,\n"
	"  preferred INTEGER NOT NULL DEFAULT 0,\n"
	"  machine_features INTEGER NOT NULL DEFAULT 0,\n"
	"  target_features INTEGER NOT NULL DEFAULT 0,\n"
	"  resistance_form INTEGER NOT NULL DEFAULT 0,\n"
	"  first_seen INTEGER NOT NULL,\n"
	"  last_seen INTEGER NOT NULL,\n"
	"  last_used INTEGER\n"
	");\n"

	"CREATE TABLE sessions (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  machine_id INTEGER REFERENCES machines(id) ON DELETE SET NULL,\n"
	"  machine_name TEXT NOT NULL DEFAULT '',\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('bike', 'treadmill')),\n"
	"  profile TEXT NOT NULL,\n"
	"  started_at INTEGER NOT NULL,\n"
	"  ended_at INTEGER,\n"
	"  planned_s INTEGER NOT NULL DEFAULT 0,\n"
	"  warmup_s INTEGER NOT NULL DEFAULT 0,\n"
	"  cooldown_s INTEGER NOT NULL DEFAULT 0,\n"
	"  target_power_w INTEGER,\n"
	"  target_speed_ckmh INTEGER,\n"
	"  target_resistance_d INTEGER,\n"
	"  target_incline_dpct INTEGER,\n"
	"  end_reason TEXT,\n"
	"  pain_before INTEGER,\n"
	"  pain_max INTEGER,\n"
	"  pain_after INTEGER,\n"
	"  n_samples INTEGER NOT NULL DEFAULT 0,\n"
	"  duration_s INTEGER NOT NULL DEFAULT 0,\n"
	"  active_s INTEGER NOT NULL DEFAULT 0,\n"
	"  distance_m INTEGER,\n"
	"  energy_j INTEGER,\n"
	"  avg_power_w INTEGER,\n"
	"  max_power_w INTEGER,\n"
	"  avg_speed_ckmh INTEGER,\n"
	"  avg_hr_bpm INTEGER,\n"
	"  max_hr_bpm INTEGER\n"
	");\n"
	"CREATE INDEX sessions_started_at ON sessions(started_at);\n"
	"CREATE INDEX sessions_open ON sessions(id) WHERE ended_at IS NULL;\n"
	"CREATE INDEX sessions_machine ON sessions(machine_id);\n"

	/*
	 * One row a second for years: the rowid is the key (session_id, t) packed as
	 * session_id << 16 | t, so rows append at the end of one B-tree with full pages and no
	 * key columns are stored; session_id and t are virtual columns for reading. About 30 bytes
	 * a row (README.md).
	 */
	"CREATE TABLE samples (\n"
	"  key INTEGER PRIMARY KEY,\n"
	"  session_id INTEGER AS (key >> 16) VIRTUAL REFERENCES sessions(id),\n"
	"  t INTEGER AS (key & 65535) VIRTUAL,\n"
	"  phase INTEGER NOT NULL,\n"
	"  power INTEGER,\n"
	"  cadence INTEGER,\n"
	"  speed INTEGER,\n"
	"  distance INTEGER,\n"
	"  hr INTEGER,\n"
	"  incline INTEGER,\n"
	"  resistance INTEGER,\n"
	"  target_power INTEGER,\n"
	"  target_speed INTEGER,\n"
	"  target_resistance INTEGER,\n"
	"  target_incline INTEGER\n"
	");\n"

	"CREATE TABLE events (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,\n"
	"  ts_usec INTEGER NOT NULL,\n"
	"  t INTEGER,\n"
	"  type TEXT NOT NULL,\n"
	"  value INTEGER,\n"
	"  detail TEXT\n"
	");\n"
	"CREATE INDEX events_session ON events(session_id, id);\n"
	"CREATE INDEX events_ts ON events(ts_usec);\n"

	"CREATE TABLE checkins (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  day TEXT NOT NULL,\n"
	"  pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),\n"
	"  ts INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX checkins_day ON checkins(day, ts);\n";

/* A session the rider was guided through (nothing written to the machine, or not for all of
 * it): why, as a stable word ("asked", "no-control-point", "no-target", "control-refused",
 * "target-ignored"); NULL for a driven session. */
static const char migration_2[] = "ALTER TABLE sessions ADD COLUMN guided TEXT;\n";

/*
 * What backride learned about a machine that the machine does not say: which target ranges it
 * lacks (the user was told once), the usable ranges learned from its refusals, and the unit
 * its firmware reads speed targets in. One row per machine, gone with it.
 */
static const char migration_3[] =
	"CREATE TABLE machine_learned (\n"
	"  machine_id INTEGER PRIMARY KEY REFERENCES machines(id) ON DELETE CASCADE,\n"
	"  missing_ranges INTEGER NOT NULL DEFAULT 0,\n"
	"  speed_unit TEXT NOT NULL DEFAULT '' CHECK (speed_unit IN ('', 'kmh', 'mph')),\n"
	"  power_min INTEGER, power_max INTEGER,\n"
	"  resistance_min INTEGER, resistance_max INTEGER,\n"
	"  speed_min INTEGER, speed_max INTEGER,\n"
	"  incline_min INTEGER, incline_max INTEGER\n"
	");\n";

/*
 * The protocol a machine speaks (daemon/core/driver.h, enum machine_protocol): FTMS, a sensor
 * bike (Cycling Power, Cycling Speed and Cadence), the KingSmith WalkingPad or the Keiser M3i.
 * Machines remembered before it spoke FTMS.
 */
static const char migration_4[] =
	"ALTER TABLE machines ADD COLUMN protocol TEXT NOT NULL DEFAULT 'ftms'"
	" CHECK (protocol IN ('ftms', 'cycling-power', 'csc', 'walkingpad', 'keiser'));\n";

/*
 * Programmes (daemon/session/programme.h): the settings as the validated programme file, when
 * it began and ended (one runs at a time: a new one ends the last), and the flare-ups the user
 * reported, each with an optional note. Sessions belong to the programme by time.
 */
static const char migration_5[] =
	"CREATE TABLE programmes (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  started_at INTEGER NOT NULL,\n"
	"  ended_at INTEGER,\n"
	"  settings TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX programmes_running ON programmes(id) WHERE ended_at IS NULL;\n"
	"CREATE TABLE programme_flares (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,\n"
	"  ts INTEGER NOT NULL,\n"
	"  note TEXT NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE INDEX programme_flares_programme ON programme_flares(programme_id, ts);\n";

const char *const storage_migrations[] = {
	migration_1, migration_2, migration_3, migration_4, migration_5,
};
const size_t storage_n_migrations = ARRAY_SIZE(storage_migrations);
