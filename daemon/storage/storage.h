/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The SQLite store: machines, sessions, per-second samples, events and daily pain check-ins.
 * Schema, units and durability guarantees: daemon/storage/README.md.
 *
 * Every function returns 0 (or a count) on success and a negative errno on failure; ret_
 * out-parameters are untouched on failure. Storage never logs. Wall-clock times are unix seconds
 * unless a name ends in _usec. Optional integer values use BR_NONE for "absent" (NULL).
 *
 * Errors shared by all functions (see storage_errno()):
 *   -ENOSPC       disk full or the size cap of storage_set_max_size() reached
 *   -EBADMSG      corrupt database or not a backride database
 *   -EBUSY        database locked by another process for longer than the busy timeout
 *   -EIO          I/O error
 *   -EROFS        database or its directory is read-only
 *   -ENOMEM       out of memory
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"
#include "sample.h"

#define STORAGE_ADDRESS_MAX 18	/* "AA:BB:CC:DD:EE:FF" + NUL */
#define STORAGE_NAME_MAX    249 /* BlueZ device names are at most 248 bytes */
#define STORAGE_WORD_MAX    32	/* profile, end reason, event type */
#define STORAGE_DAY_MAX	    11	/* "YYYY-MM-DD" + NUL */
/* Samples are keyed by session_id << 16 | t. */
#define STORAGE_T_MAX	       65535 /* 18 hours */
#define STORAGE_SESSION_ID_MAX (INT64_MAX >> 16)
/* Rows kept in memory while the disk is full (1 hour of samples at 1 Hz). */
#define STORAGE_PENDING_MAX 3600

struct storage;

enum storage_kind {
	STORAGE_KIND_BIKE,
	STORAGE_KIND_TREADMILL,
	STORAGE_KIND_HR,
	_STORAGE_KIND_MAX,
	STORAGE_KIND_ANY = -1, /* only in struct storage_session_filter */
};

/* How the machine accepted "set target resistance" (FTMS spec vs. firmware in the field). */
enum storage_resistance_form {
	STORAGE_RESISTANCE_UNKNOWN = 0,
	STORAGE_RESISTANCE_UINT8 = 1,
	STORAGE_RESISTANCE_SINT16 = 2,
};

struct storage_machine {
	int64_t id;
	char address[STORAGE_ADDRESS_MAX];
	char name[STORAGE_NAME_MAX];
	enum storage_kind kind;
	bool paired;
	bool trusted;
	bool preferred;
	uint32_t machine_features; /* FTMS Feature characteristic, first u32 */
	uint32_t target_features;  /* FTMS Feature characteristic, second u32 */
	enum storage_resistance_form resistance_form;
	int64_t first_seen;
	int64_t last_seen;
	int64_t last_used;		 /* 0: never used for a session */
	char protocol[STORAGE_WORD_MAX]; /* "ftms" (the default), "cycling-power", ... */
};

/* One second of a session. Fixed-point units; BR_NONE for anything the machine lacks. */
struct storage_sample {
	int64_t session_id;
	uint32_t t;    /* seconds since the session started */
	uint8_t phase; /* the session engine's phase number */
	int32_t power_w;
	int32_t cadence_hrpm; /* 0.5 rpm */
	int32_t speed_ckmh;   /* 0.01 km/h */
	int32_t distance_m;   /* since the session started */
	int32_t hr_bpm;
	int32_t incline_dpct; /* 0.1 % */
	int32_t resistance_d; /* 0.1 unit */
	int32_t target_power_w;
	int32_t target_speed_ckmh;
	int32_t target_resistance_d;
	int32_t target_incline_dpct;
};

/* Set every optional field of *x to BR_NONE and the rest to 0. */
void storage_sample_init(struct storage_sample *x);

struct storage_event {
	int64_t id;	    /* set by storage */
	int64_t session_id; /* 0: a daemon-level event */
	int64_t ts_usec;    /* wall clock, unix µs */
	int32_t t;	    /* seconds since session start, BR_NONE for daemon-level events */
	const char *type;   /* 'phase','pain','pause','resume','fault','control','link',... */
	int32_t value;	    /* BR_NONE if none; for 'pain' the 0-10 rating (enters pain_max) */
	const char *detail; /* NULL if none */
};

/* What storage_session_begin() records. */
struct storage_session_plan {
	int64_t machine_id;	/* 0: no machine row */
	enum storage_kind kind; /* BIKE or TREADMILL */
	const char *profile;	/* e.g. "gentle" */
	int64_t started_at;
	uint32_t planned_s;
	uint32_t warmup_s;
	uint32_t cooldown_s;
	int32_t target_power_w; /* steady-phase targets, BR_NONE if unused */
	int32_t target_speed_ckmh;
	int32_t target_resistance_d;
	int32_t target_incline_dpct;
	int32_t pain_before; /* 0-10 or BR_NONE */
};

/* A session row with its summary. Summary fields are 0 / BR_NONE while it runs. */
struct storage_session {
	int64_t id;
	int64_t machine_id;		     /* 0: none or forgotten */
	char machine_name[STORAGE_NAME_MAX]; /* copied at begin, survives forgetting the machine */
	enum storage_kind kind;
	char profile[STORAGE_WORD_MAX];
	int64_t started_at;
	int64_t ended_at; /* 0 while running */
	uint32_t planned_s;
	uint32_t warmup_s;
	uint32_t cooldown_s;
	int32_t target_power_w;
	int32_t target_speed_ckmh;
	int32_t target_resistance_d;
	int32_t target_incline_dpct;
	char end_reason[STORAGE_WORD_MAX]; /* "" while running */
	int32_t pain_before;
	int32_t pain_max; /* max of pain_before, 'pain' event values, pain_after */
	int32_t pain_after;
	uint32_t n_samples;
	uint32_t duration_s; /* ended_at - started_at */
	uint32_t active_s;   /* samples with power, cadence or speed above 0 */
	int32_t distance_m;  /* largest sample distance */
	int32_t energy_j;    /* mechanical work: sum of positive power over 1 s samples */
	int32_t avg_power_w;
	int32_t max_power_w;
	int32_t avg_speed_ckmh;
	int32_t avg_hr_bpm; /* ignoring 0 (no contact) */
	int32_t max_hr_bpm;
	char guided[STORAGE_WORD_MAX]; /* why the rider was guided ("asked"...), "" if driven */
};

struct storage_session_filter {
	int64_t since;		/* started_at >= since; 0: no lower bound */
	int64_t until;		/* started_at < until; 0: no upper bound */
	enum storage_kind kind; /* STORAGE_KIND_ANY for all */
	bool ended_only;	/* skip a running session */
	unsigned limit;		/* 0: no limit */
	unsigned offset;
};

struct storage_week {
	int64_t start; /* the week is [start, start + 7 days) */
	uint32_t sessions;
	uint32_t duration_s;
	uint32_t active_s;
	int32_t pain_before_d; /* averages in 0.1 units, BR_NONE if no session had one */
	int32_t pain_after_d;
	int32_t pain_max_d;
};

struct storage_checkin {
	char day[STORAGE_DAY_MAX]; /* local date "YYYY-MM-DD", computed by the caller */
	int32_t pain;		   /* 0-10 */
	int64_t ts;
};

/* Callbacks: return 0 to go on, > 0 to stop early, < 0 to stop and make the caller return it.
 * Strings in the passed struct are borrowed for the duration of the call. */
typedef int (*storage_machine_cb)(const struct storage_machine *m, void *userdata);
typedef int (*storage_session_cb)(const struct storage_session *x, void *userdata);
typedef int (*storage_sample_cb)(const struct storage_sample *x, void *userdata);
typedef int (*storage_event_cb)(const struct storage_event *e, void *userdata);
typedef int (*storage_checkin_cb)(const struct storage_checkin *c, void *userdata);

/* --- database --- */

/*
 * Open (or create) the database at path, switch it to WAL and migrate it to the latest schema,
 * one transaction per migration. The parent directory must exist. A database from a newer
 * backride, a corrupt file or a foreign SQLite file is left untouched.
 * Return: 0; -EPROTONOSUPPORT database written by a newer backride; -EBADMSG corrupt or not a
 * backride database; -ENOENT directory missing; -EACCES, -EROFS, -EBUSY, -ENOMEM.
 * storage_open_error() explains a failure in a sentence.
 */
int storage_open(const char *path, struct storage **ret);

/*
 * A sentence for the last failed storage_open() in this thread, e.g. "database /x was written by
 * a newer backride (schema 7, this build knows 1); refusing to open it".
 * Return: a static string, "" if no open failed yet.
 */
const char *storage_open_error(void);

/* Flush what storage_flush() can, then close. Rows still pending are lost. Accepts NULL. */
void storage_free(struct storage *s);
DEFINE_FREEP(struct storage, storage_free)

/* Return: the schema version this build creates and understands. */
int storage_schema_version(void);

/* Map an SQLite result code (primary or extended) to an errno. Return: 0 or a negative errno. */
int storage_errno(int sqlite_rc);

/* Cap the database size (0: no cap; a cap below the current size means the current size);
 * writes beyond it fail with -ENOSPC like a full disk.
 * Return: 0, or a negative errno. */
int storage_set_max_size(struct storage *s, uint64_t bytes);

/*
 * Bulk mode for importers and benchmarks: one transaction until storage_bulk_end(). Appends
 * write directly (no memory buffer) and return their errors; after -ENOSPC or -EIO SQLite may
 * have rolled the whole bulk back, and storage_bulk_end(s, true) then returns that error.
 * Return: 0; -EBUSY already in bulk mode; -ENOSPC if pending rows could not be flushed first.
 */
int storage_bulk_begin(struct storage *s);

/* Commit (commit=true) or roll back the bulk transaction.
 * Return: 0; -ENXIO not in bulk mode; a negative errno if the commit failed (rolled back). */
int storage_bulk_end(struct storage *s, bool commit);

/* --- recording: one transaction per call, buffered in memory while the disk is full --- */

/*
 * Record one second of a session and commit it together with every row still pending.
 * Return: 0 on disk; -ENOSPC the disk is full: the row is kept in memory (up to
 * STORAGE_PENDING_MAX rows) and written by a later call, do not resend it (while the disk is
 * full, only every 10th append tries to write, storage_flush() always does);
 * -ENOBUFS the memory buffer is full too and this row was dropped; -ERANGE t > STORAGE_T_MAX;
 * -EINVAL bad session id, or a pending row that can never be written (unknown session) was
 * discarded.
 */
int storage_sample_append(struct storage *s, const struct storage_sample *x);

/* Record an event, buffered like samples. Return: as storage_sample_append(). */
int storage_event_add(struct storage *s, const struct storage_event *e);

/* Try to write the pending rows now (e.g. from a retry timer).
 * Return: 0 nothing pending anymore; a negative errno as storage_sample_append(). */
int storage_flush(struct storage *s);

/* Return: the number of rows waiting in memory for disk space. */
size_t storage_pending(const struct storage *s);

/* --- sessions --- */

/* Start a session row (ended_at NULL) and mark the machine as last used.
 * Return: 0 and the id in *ret_id; -EINVAL bad kind/profile/pain; -ENOENT unknown machine_id. */
int storage_session_begin(struct storage *s, const struct storage_session_plan *plan,
			  int64_t *ret_id);

/*
 * Mark a session guided (the rider set the machine, or some of it, from backride's advice) and
 * why: a stable word such as "asked", "no-control-point", "no-target", "control-refused" or
 * "target-ignored". The first cause stays.
 * Return: 0; -EINVAL a bad word; -ENOENT no such session; -errno.
 */
int storage_session_set_guided(struct storage *s, int64_t id, const char *why);

/*
 * End a running session: flush pending rows, then store ended_at, the reason ('completed',
 * 'stopped','pain','safety-key','link-lost','fault','mph-firmware', ...), pain_after (0-10 or
 * BR_NONE) and the summary computed from its samples and events.
 * Return: 0; -ENOENT no such session; -EALREADY already ended; -ENOSPC nothing changed, retry.
 */
int storage_session_end(struct storage *s, int64_t id, int64_t ended_at, const char *reason,
			int32_t pain_after);

/*
 * At startup: end every session still open as 'interrupted', ended_at = started_at + last
 * sample + 1 s, summary computed from its samples. A session that had reached its stretches
 * (a 'phase' event 'stretches': they follow only a completed ride) ends as 'completed'.
 * Return: the number of sessions ended, their ids in *ret_ids (malloc'd, NULL if none).
 */
int storage_sessions_recover(struct storage *s, int64_t **ret_ids);

/* Return: 0 and the session in *ret; -ENOENT no such session. */
int storage_session_get(struct storage *s, int64_t id, struct storage_session *ret);

/* Call cb for each session matching f (NULL: all), newest first. Never reads samples.
 * Return: the number of sessions passed to cb, or cb's negative return. */
int storage_sessions_list(struct storage *s, const struct storage_session_filter *f,
			  storage_session_cb cb, void *userdata);

/* Call cb for each sample of a session with from <= t < to, in order of t.
 * Return: the number of samples passed to cb, or cb's negative return. */
int storage_samples_foreach(struct storage *s, int64_t session_id, uint32_t from, uint32_t to,
			    storage_sample_cb cb, void *userdata);

/* Call cb for each event of a session (0: the daemon-level events), oldest first.
 * Return: the number of events passed to cb, or cb's negative return. */
int storage_events_foreach(struct storage *s, int64_t session_id, storage_event_cb cb,
			   void *userdata);

/*
 * Totals of ended sessions for n_weeks consecutive 7-day weeks ending at until (the caller picks
 * the boundary, e.g. next local Monday 00:00). ret_weeks[0] is the oldest week.
 * Return: 0; -EINVAL n_weeks is 0.
 */
int storage_progress_weekly(struct storage *s, int64_t until, unsigned n_weeks,
			    struct storage_week *ret_weeks);

/* --- machines --- */

/* Insert the machine or update its name, kind and last_seen (first_seen is kept).
 * Return: 0 and its id in *ret_id (may be NULL); -EINVAL malformed address or kind. */
int storage_machine_upsert(struct storage *s, const char *address, const char *name,
			   enum storage_kind kind, int64_t now, int64_t *ret_id);

/* Return: 0 and the machine in *ret; -ENOENT unknown address. */
int storage_machine_get(struct storage *s, const char *address, struct storage_machine *ret);

/* Call cb for each machine, preferred first, then most recently seen.
 * Return: the number of machines passed to cb, or cb's negative return. */
int storage_machines_list(struct storage *s, storage_machine_cb cb, void *userdata);

/* Delete a machine. Its sessions keep their machine_name, machine_id becomes 0.
 * Return: 0; -ENOENT unknown address. */
int storage_machine_forget(struct storage *s, const char *address);

/* Setters. Return: 0; -ENOENT unknown address; -EINVAL bad value. */
int storage_machine_set_paired(struct storage *s, const char *address, bool paired);
/* @protocol: "ftms", "cycling-power", "csc", "walkingpad" or "keiser" (else -EINVAL). */
int storage_machine_set_protocol(struct storage *s, const char *address, const char *protocol);
int storage_machine_set_trusted(struct storage *s, const char *address, bool trusted);
int storage_machine_set_features(struct storage *s, const char *address, uint32_t machine,
				 uint32_t target);
int storage_machine_set_resistance_form(struct storage *s, const char *address,
					enum storage_resistance_form form);
/* --- what backride learned about a machine (storage-learned.c) --- */

/* The target channels, in this order in struct storage_learned. */
enum storage_channel {
	STORAGE_CH_POWER,
	STORAGE_CH_RESISTANCE,
	STORAGE_CH_SPEED,
	STORAGE_CH_INCLINE,
	_STORAGE_CH_MAX,
};

enum storage_speed_unit {
	STORAGE_SPEED_UNKNOWN = 0,
	STORAGE_SPEED_KMH = 1,
	STORAGE_SPEED_MPH = 2,
};

struct storage_learned {
	uint32_t missing_ranges; /* 1 << enum storage_channel: targets without a range (told) */
	enum storage_speed_unit speed_unit;
	int32_t min[_STORAGE_CH_MAX]; /* usable range learned from refusals; BR_NONE: none */
	int32_t max[_STORAGE_CH_MAX];
};

/* Nothing learned: no missing range, unit unknown, every min/max BR_NONE. */
void storage_learned_init(struct storage_learned *l);

/* Return: 0 and *ret (storage_learned_init() if nothing was stored); -ENOENT unknown address. */
int storage_machine_learned_get(struct storage *s, const char *address,
				struct storage_learned *ret);

/* Store *l for the machine. Return: 0; -ENOENT unknown address; -EINVAL bad unit. */
int storage_machine_learned_put(struct storage *s, const char *address,
				const struct storage_learned *l);

/* Make this the only preferred machine. */
int storage_machine_set_preferred(struct storage *s, const char *address);

/* Return: "bike", "treadmill", "hr", or NULL. */
const char *storage_kind_to_string(enum storage_kind k);
/* Return: the kind, or -EINVAL. */
int storage_kind_from_string(const char *s);

/* --- daily pain check-ins: every one is kept; the latest of a day counts --- */

/* Return: 0; -EINVAL day not "YYYY-MM-DD" or pain not 0-10. */
int storage_checkin_add(struct storage *s, const char *day, int32_t pain, int64_t ts);

/* Return: 0 and the latest check-in of that day in *ret; -ENOENT none. */
int storage_checkin_get(struct storage *s, const char *day, struct storage_checkin *ret);

/* The latest check-in with from <= ts < until (e.g. after a session, up to the end of the next
 * day). Return: 0 and it in *ret; -ENOENT none; -EINVAL from >= until. */
int storage_checkin_between(struct storage *s, int64_t from, int64_t until,
			    struct storage_checkin *ret);

/* Call cb with the latest check-in of each day >= day, oldest day first.
 * Return: the number of days passed to cb, or cb's negative return. */
int storage_checkins_since(struct storage *s, const char *day, storage_checkin_cb cb,
			   void *userdata);

/* --- programmes: at most one runs; its settings are the validated programme file --- */

#define STORAGE_PROGRAMME_SETTINGS_MAX 2048
#define STORAGE_FLARE_NOTE_MAX	       128

struct storage_programme {
	int64_t id;
	int64_t started_at; /* unix seconds */
	char settings[STORAGE_PROGRAMME_SETTINGS_MAX];
};

struct storage_flare {
	int64_t ts;
	char note[STORAGE_FLARE_NOTE_MAX];
};

typedef int (*storage_flare_cb)(const struct storage_flare *f, void *userdata);

/* End the running programme (if any) at @ts and begin a new one, in one transaction.
 * Return: 0 and its id in *ret_id (may be NULL); -EINVAL settings empty or too long. */
int storage_programme_begin(struct storage *s, int64_t ts, const char *settings, int64_t *ret_id);

/* Return: 0 and the running programme in *ret; -ENOENT none runs. */
int storage_programme_current(struct storage *s, struct storage_programme *ret);

/* End the running programme at @ts. Return: 0; -ENOENT none runs. */
int storage_programme_end(struct storage *s, int64_t ts);

/* Record a flare-up of the programme @id. Return: 0; -EINVAL note too long. */
int storage_flare_add(struct storage *s, int64_t id, int64_t ts, const char *note);

/* Call cb with each flare-up of programme @id, oldest first.
 * Return: the number passed to cb, or cb's negative return. */
int storage_flares_list(struct storage *s, int64_t id, storage_flare_cb cb, void *userdata);
