/* SPDX-License-Identifier: MIT */
#include "buf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sample.h"

static int buf_reserve(struct buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -ENOMEM;
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = MAX(b->cap * 2, b->len + n + 1);
	cap = MAX(cap, (size_t) 256);
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return -ENOMEM;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return;
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t) n) < 0)
		return;
	va_start(ap, fmt);
	(void) vsnprintf(b->p + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
}

void buf_json_str(struct buf *b, const char *s)
{
	const unsigned char *c;

	buf_add(b, "\"", 1);
	for (c = (const unsigned char *) s; *c; c++) {
		if (*c == '"' || *c == '\\') {
			buf_add(b, "\\", 1);
			buf_add(b, c, 1);
		} else if (*c < 0x20 || *c == 0x7f) {
			buf_printf(b, "\\u%04x", *c);
		} else {
			buf_add(b, c, 1);
		}
	}
	buf_add(b, "\"", 1);
}

void buf_consume(struct buf *b, size_t n)
{
	n = MIN(n, b->len);
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
	if (b->p)
		b->p[b->len] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->p);
	*b = (struct buf) { 0 };
}

char *buf_steal(struct buf *b)
{
	char *p;

	if (b->oom || buf_reserve(b, 0) < 0) {
		buf_free(b);
		return NULL;
	}
	p = b->p;
	*b = (struct buf) { 0 };
	return p;
}

static int json_basic(struct buf *b, sd_bus_message *m, char type)
{
	union {
		uint8_t y;
		int b;
		int16_t n;
		uint16_t q;
		int32_t i;
		uint32_t u;
		int64_t x;
		uint64_t t;
		double d;
		const char *s;
	} v;
	int r;

	r = sd_bus_message_read_basic(m, type, &v);
	if (r < 0)
		return r;
	switch (type) {
	case 'y':
		buf_printf(b, "%u", v.y);
		break;
	case 'b':
		buf_str(b, v.b ? "true" : "false");
		break;
	case 'n':
		buf_printf(b, "%d", v.n);
		break;
	case 'q':
		buf_printf(b, "%u", v.q);
		break;
	case 'i':
		if (v.i == BR_NONE)
			buf_str(b, "null");
		else
			buf_printf(b, "%d", v.i);
		break;
	case 'u':
	case 'h':
		buf_printf(b, "%u", v.u);
		break;
	case 'x':
		buf_printf(b, "%lld", (long long) v.x);
		break;
	case 't':
		buf_printf(b, "%llu", (unsigned long long) v.t);
		break;
	case 'd':
		if (isfinite(v.d))
			buf_printf(b, "%.6g", v.d);
		else
			buf_str(b, "null");
		break;
	case 's':
	case 'o':
	case 'g':
		buf_json_str(b, v.s);
		break;
	default:
		return -EBADMSG;
	}
	return 0;
}

static int json_dict(struct buf *b, sd_bus_message *m, const char *contents)
{
	char entry[64];
	size_t len = strlen(contents);
	int r, n = 0;

	/* contents is "{KV}"; the entry's own signature is "KV". */
	if (len < 4 || len - 2 >= sizeof(entry))
		return -EBADMSG;
	memcpy(entry, contents + 1, len - 2);
	entry[len - 2] = '\0';
	buf_add(b, "{", 1);
	for (;;) {
		r = sd_bus_message_enter_container(m, 'e', entry);
		if (r < 0)
			return r;
		if (r == 0)
			break;
		if (n++)
			buf_add(b, ",", 1);
		/* Keys as strings: a JSON key is always one. */
		if (contents[1] == 's' || contents[1] == 'o') {
			r = json_basic(b, m, contents[1]);
		} else {
			buf_add(b, "\"", 1);
			r = json_basic(b, m, contents[1]);
			buf_add(b, "\"", 1);
		}
		if (r < 0)
			return r;
		buf_add(b, ":", 1);
		r = json_from_bus(b, m);
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	buf_add(b, "}", 1);
	return 0;
}

static int json_list(struct buf *b, sd_bus_message *m)
{
	int r, n = 0;

	buf_add(b, "[", 1);
	while ((r = sd_bus_message_at_end(m, 0)) == 0) {
		if (n++)
			buf_add(b, ",", 1);
		r = json_from_bus(b, m);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	buf_add(b, "]", 1);
	return 0;
}

int json_from_bus(struct buf *b, sd_bus_message *m)
{
	const char *contents;
	char type;
	int r;

	r = sd_bus_message_peek_type(m, &type, &contents);
	if (r < 0)
		return r;
	if (r == 0)
		return -ENXIO;
	if (!strchr("avr", type))
		return json_basic(b, m, type);
	r = sd_bus_message_enter_container(m, type, contents);
	if (r < 0)
		return r;
	if (type == 'v')
		r = json_from_bus(b, m);
	else if (type == 'a' && contents[0] == '{')
		r = json_dict(b, m, contents);
	else
		r = json_list(b, m);
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}
