/* SPDX-License-Identifier: MIT */
#include "ftms-wire.h"

#include <errno.h>
#include <string.h>

size_t wire_size(uint8_t type)
{
	static const uint8_t sizes[] = {
		[WIRE_U8] = 1, [WIRE_U16] = 2, [WIRE_S16] = 2, [WIRE_U24] = 3, [WIRE_U32] = 4,
	};

	return type < sizeof(sizes) ? sizes[type] : 0;
}

/* Size of the member a wire type decodes into. */
static size_t member_size(uint8_t type)
{
	return type == WIRE_U24 ? 4 : wire_size(type);
}

uint32_t wire_get(struct wire_reader *r, uint8_t type)
{
	size_t n = wire_size(type);
	uint32_t v = 0;

	if (r->overrun || r->len - r->off < n) {
		r->overrun = true;
		return 0;
	}
	/* Combine unsigned bytes, never plain char (reference §12.4). */
	for (size_t i = 0; i < n; i++)
		v |= (uint32_t) r->p[r->off + i] << (8 * i);
	r->off += n;
	return v;
}

void wire_skip(struct wire_reader *r, size_t n)
{
	if (r->overrun || r->len - r->off < n) {
		r->overrun = true;
		return;
	}
	r->off += n;
}

static bool fits(enum wire_type type, uint32_t v)
{
	switch (type) {
	case WIRE_U8:
		return v <= UINT8_MAX;
	case WIRE_U16:
	case WIRE_S16:
		return v <= UINT16_MAX;
	case WIRE_U24:
		return v <= 0xFFFFFF;
	case WIRE_U32:
		return true;
	}
	return false;
}

void wire_put(struct wire_writer *w, uint8_t type, uint32_t v)
{
	size_t n = wire_size(type);

	if (!fits(type, v))
		w->range = true;
	if (w->overrun || w->len - w->off < n) {
		w->overrun = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		w->p[w->off + i] = (uint8_t) (v >> (8 * i));
	w->off += n;
}

/* Load a member as the bit pattern the wire carries (int16 as its uint16 pattern). */
static uint32_t load(const void *base, const struct wire_field *f)
{
	const uint8_t *p = (const uint8_t *) base + f->offset;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	switch (member_size(f->type)) {
	case 1:
		memcpy(&u8, p, 1);
		return u8;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	default:
		memcpy(&u32, p, 4);
		return u32;
	}
}

static void store(void *base, const struct wire_field *f, uint32_t v)
{
	uint8_t *p = (uint8_t *) base + f->offset;
	uint8_t u8 = (uint8_t) v;
	uint16_t u16 = (uint16_t) v;

	switch (member_size(f->type)) {
	case 1:
		memcpy(p, &u8, 1);
		break;
	case 2:
		memcpy(p, &u16, 2);
		break;
	default:
		memcpy(p, &v, 4);
		break;
	}
}

static bool selected(uint32_t present, const struct wire_field *f)
{
	return f->bit == 0 || (present & f->bit);
}

void wire_read_fields(struct wire_reader *r, uint32_t present, const struct wire_field *f, size_t n,
		      void *out)
{
	for (size_t i = 0; i < n; i++)
		if (selected(present, &f[i]))
			store(out, &f[i], wire_get(r, f[i].type));
}

void wire_write_fields(struct wire_writer *w, uint32_t present, const struct wire_field *f,
		       size_t n, const void *in)
{
	for (size_t i = 0; i < n; i++)
		if (selected(present, &f[i]))
			wire_put(w, f[i].type, load(in, &f[i]));
}

size_t wire_fields_size(uint32_t present, const struct wire_field *f, size_t n)
{
	size_t size = 0;

	for (size_t i = 0; i < n; i++)
		if (selected(present, &f[i]))
			size += wire_size(f[i].type);
	return size;
}

void wire_copy_fields(uint32_t present, const struct wire_field *f, size_t n, void *dst,
		      const void *src)
{
	for (size_t i = 0; i < n; i++)
		if (selected(present, &f[i]))
			memcpy((uint8_t *) dst + f[i].offset, (const uint8_t *) src + f[i].offset,
			       member_size(f[i].type));
}

int wire_finish(const struct wire_writer *w, uint8_t *buf, size_t len)
{
	if (w->range)
		return -ERANGE;
	if (w->overrun || w->off > len)
		return -ENOBUFS;
	if (w->off > 0)
		memcpy(buf, w->p, w->off);
	return (int) w->off;
}
