/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Exporters: pure encoders from one recorded session (summary, per-second samples, events) to
 * TCX, FIT, CSV or JSON bytes in a growable buffer. No I/O, no storage calls: the types come from
 * storage.h (plain structs, header only), the caller loads them.
 *
 * Times are UTC throughout. Every function returns 0 or a negative errno.
 */

#include <stddef.h>
#include <stdint.h>

#include "macro.h"
#include "storage.h"

enum export_format {
	EXPORT_TCX,
	EXPORT_FIT,
	EXPORT_CSV,
	EXPORT_JSON,
	_EXPORT_FORMAT_MAX,
};

/* A growable byte buffer. Appends after a failed allocation are no-ops; err says so. */
struct export_buf {
	uint8_t *data;
	size_t len;
	size_t allocated;
	int err; /* 0 or -ENOMEM, sticky */
};

/* What an encoder reads. Samples are in order of t; events oldest first. */
struct export_input {
	const struct storage_session *session;
	const struct storage_sample *samples;
	size_t n_samples;
	const struct storage_event *events;
	size_t n_events;
};

/*
 * The session engine's phases, as storage keeps them in samples (enum session_phase; export
 * does not link the engine: a unit test holds the two together).
 */
enum export_phase {
	EXPORT_PHASE_WAITING,
	EXPORT_PHASE_COUNTDOWN,
	EXPORT_PHASE_WARMUP,
	EXPORT_PHASE_STEADY,
	EXPORT_PHASE_COOLDOWN,
	EXPORT_PHASE_STOPPING,
	EXPORT_PHASE_STRETCHES,
	EXPORT_PHASE_DONE,
	_EXPORT_PHASE_MAX,
};

/* Return: the phase's name ("warmup", "steady", ...), the engine's; "unknown" out of range. */
const char *export_phase_to_string(unsigned phase);

/* Return: "tcx", "fit", "csv", "json", or NULL. */
const char *export_format_to_string(enum export_format f);
/* Return: the format, or -EINVAL. */
int export_format_from_string(const char *s);
/* Return: the media type for HTTP-ish consumers, e.g. "application/vnd.ant.fit". */
const char *export_format_media_type(enum export_format f);

/*
 * Encode @in as @f, appending to @out.
 * Return: 0; -ENOMEM; -EINVAL bad format or a session without a start time.
 */
int export_render(enum export_format f, const struct export_input *in, struct export_buf *out);

int export_tcx(const struct export_input *in, struct export_buf *out);
int export_fit(const struct export_input *in, struct export_buf *out);
int export_csv(const struct export_input *in, struct export_buf *out);
int export_json(const struct export_input *in, struct export_buf *out);

/* The FIT CRC-16 (CRC-16/ARC: poly 0x8005 reflected, init 0) of @n bytes, continuing from @crc.
 * Return: the new CRC. */
uint16_t export_fit_crc(uint16_t crc, const void *p, size_t n);

/* --- the buffer --- */

void export_buf_free(struct export_buf *b);
void export_buf_put(struct export_buf *b, const void *p, size_t n);
void export_buf_puts(struct export_buf *b, const char *s);
void export_buf_printf(struct export_buf *b, const char *fmt, ...) _printf_(2, 3);
/* Append @s with &, <, >, " and ' replaced by XML entities; control characters other than
 * tab and newline are dropped (XML 1.0 cannot carry them). */
void export_buf_xml_escape(struct export_buf *b, const char *s);
/* Append @s as a JSON string literal, quotes included. */
void export_buf_json_string(struct export_buf *b, const char *s);
/* Append the UTC time @t as "2026-11-25T13:27:00Z". */
void export_buf_iso_time(struct export_buf *b, int64_t t);
