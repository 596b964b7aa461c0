/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <systemd/sd-bus.h>

#include "macro.h"

/* A growable byte buffer; after an allocation failure it keeps what it had and says so. */
struct buf {
	char *p;
	size_t len;
	size_t cap;
	int oom;
};

void buf_add(struct buf *b, const void *data, size_t n);
void buf_str(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) _printf_(2, 3);
/* @s as a JSON string, quoted and escaped (control characters as \u00XX). */
void buf_json_str(struct buf *b, const char *s);
/* Drop the first @n bytes. */
void buf_consume(struct buf *b, size_t n);
void buf_free(struct buf *b);
/* Return: the contents as a NUL-terminated string the caller owns, or NULL (out of memory). */
char *buf_steal(struct buf *b);

/*
 * The next complete value at the read position of @m as JSON: a{s...} as an object, other
 * arrays and structs as arrays, variants as their content, INT32_MIN (BR_NONE, "not
 * reported") as null, non-finite doubles as null.
 * Return: 0, or -errno from sd-bus (-EBADMSG for a type it does not know).
 */
int json_from_bus(struct buf *b, sd_bus_message *m);
