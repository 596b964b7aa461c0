/* SPDX-License-Identifier: MIT */
/*
 * Private helpers of the codec: bounds-checked little-endian readers and writers with a
 * sticky error flag, and field tables (presence bit, wire type, offset in the decoded
 * struct) shared by the data characteristics and the control point parameters.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum wire_type {
	WIRE_U8,
	WIRE_U16,
	WIRE_S16,
	WIRE_U24,
	WIRE_U32,
};

struct wire_field {
	uint16_t bit;	 /* presence bit; 0 = always present */
	uint8_t type;	 /* enum wire_type */
	uint16_t offset; /* offsetof() the member in the decoded struct */
};

struct wire_reader {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool overrun;
};

struct wire_writer {
	uint8_t *p;
	size_t len;
	size_t off;
	bool overrun;
	bool range; /* a value did not fit its wire type */
};

/* Bytes of a wire type on the wire. */
size_t wire_size(uint8_t type);

/* Next value as its unsigned bit pattern; 0 and overrun = true past the end. */
uint32_t wire_get(struct wire_reader *r, uint8_t type);

/* Skip n bytes (overrun = true past the end). */
void wire_skip(struct wire_reader *r, size_t n);

/* Append a value (low bytes of its bit pattern); sets range if it does not fit. */
void wire_put(struct wire_writer *w, uint8_t type, uint32_t v);

/* Read/write/size/copy the fields of a table whose bit is in present (or is 0). */
void wire_read_fields(struct wire_reader *r, uint32_t present, const struct wire_field *f, size_t n,
		      void *out);
void wire_write_fields(struct wire_writer *w, uint32_t present, const struct wire_field *f,
		       size_t n, const void *in);
size_t wire_fields_size(uint32_t present, const struct wire_field *f, size_t n);
void wire_copy_fields(uint32_t present, const struct wire_field *f, size_t n, void *dst,
		      const void *src);

/* Copy a finished writer's bytes to the caller's buffer. Return: bytes, -ERANGE, -ENOBUFS. */
int wire_finish(const struct wire_writer *w, uint8_t *buf, size_t len);
