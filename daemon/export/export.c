/* SPDX-License-Identifier: MIT */
/* The growable buffer, text helpers shared by the encoders, and the format table. */
#include "export.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct {
	const char *name;
	const char *media_type;
	int (*render)(const struct export_input *in, struct export_buf *out);
} formats[_EXPORT_FORMAT_MAX] = {
	[EXPORT_TCX] = { "tcx", "application/vnd.garmin.tcx+xml", export_tcx },
	[EXPORT_FIT] = { "fit", "application/vnd.ant.fit", export_fit },
	[EXPORT_CSV] = { "csv", "text/csv", export_csv },
	[EXPORT_JSON] = { "json", "application/json", export_json },
};

const char *export_phase_to_string(unsigned phase)
{
	static const char *const names[_EXPORT_PHASE_MAX] = {
		[EXPORT_PHASE_WAITING] = "waiting",	[EXPORT_PHASE_COUNTDOWN] = "countdown",
		[EXPORT_PHASE_WARMUP] = "warmup",	[EXPORT_PHASE_STEADY] = "steady",
		[EXPORT_PHASE_COOLDOWN] = "cooldown",	[EXPORT_PHASE_STOPPING] = "stopping",
		[EXPORT_PHASE_STRETCHES] = "stretches", [EXPORT_PHASE_DONE] = "done",
	};

	return phase < _EXPORT_PHASE_MAX ? names[phase] : "unknown";
}

const char *export_format_to_string(enum export_format f)
{
	return (unsigned) f < _EXPORT_FORMAT_MAX ? formats[f].name : NULL;
}

int export_format_from_string(const char *s)
{
	for (size_t i = 0; s && i < ARRAY_SIZE(formats); i++)
		if (strcmp(formats[i].name, s) == 0)
			return (int) i;
	return -EINVAL;
}

const char *export_format_media_type(enum export_format f)
{
	return (unsigned) f < _EXPORT_FORMAT_MAX ? formats[f].media_type : NULL;
}

int export_render(enum export_format f, const struct export_input *in, struct export_buf *out)
{
	if ((unsigned) f >= _EXPORT_FORMAT_MAX || !in->session || in->session->started_at <= 0)
		return -EINVAL;
	if (in->n_samples > 0 && !in->samples)
		return -EINVAL;
	if (in->n_events > 0 && !in->events)
		return -EINVAL;
	return formats[f].render(in, out);
}

void export_buf_free(struct export_buf *b)
{
	free(b->data);
	*b = (struct export_buf) {};
}

static int buf_reserve(struct export_buf *b, size_t n)
{
	size_t want;
	uint8_t *p;

	if (b->err)
		return b->err;
	if (n <= b->allocated - b->len)
		return 0;
	if (n > SIZE_MAX / 2 - b->len)
		return b->err = -ENOMEM;
	want = MAX(b->allocated * 2, MAX(b->len + n, (size_t) 4096));
	p = realloc(b->data, want);
	if (!p)
		return b->err = -ENOMEM;
	b->data = p;
	b->allocated = want;
	return 0;
}

void export_buf_put(struct export_buf *b, const void *p, size_t n)
{
	if (n == 0 || buf_reserve(b, n) < 0)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void export_buf_puts(struct export_buf *b, const char *s)
{
	export_buf_put(b, s, strlen(s));
}

void export_buf_printf(struct export_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t) n + 1) < 0)
		return;
	va_start(ap, fmt);
	(void) vsnprintf((char *) b->data + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
}

void export_buf_xml_escape(struct export_buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char) *s;

		switch (c) {
		case '&':
			export_buf_puts(b, "&amp;");
			break;
		case '<':
			export_buf_puts(b, "&lt;");
			break;
		case '>':
			export_buf_puts(b, "&gt;");
			break;
		case '"':
			export_buf_puts(b, "&quot;");
			break;
		case '\'':
			export_buf_puts(b, "&apos;");
			break;
		default:
			if (c >= 0x20 || c == '\t' || c == '\n')
				export_buf_put(b, &c, 1);
		}
	}
}

void export_buf_json_string(struct export_buf *b, const char *s)
{
	export_buf_puts(b, "\"");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char) *s;

		if (c == '"' || c == '\\')
			export_buf_printf(b, "\\%c", c);
		else if (c == '\n')
			export_buf_puts(b, "\\n");
		else if (c < 0x20)
			export_buf_printf(b, "\\u%04x", c);
		else
			export_buf_put(b, &c, 1);
	}
	export_buf_puts(b, "\"");
}

void export_buf_iso_time(struct export_buf *b, int64_t t)
{
	time_t tt = (time_t) t;
	struct tm tm;
	char s[32];

	if (!gmtime_r(&tt, &tm) || strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(s, "1970-01-01T00:00:00Z");
	export_buf_puts(b, s);
}
