/* SPDX-License-Identifier: MIT */
/* Heart Rate Measurement (0x2A37) and Cycling Power Measurement (0x2A63) basics. */
#include "ftms-sensor.h"

#include <assert.h>
#include <errno.h>

#include "ftms-wire.h"

int ftms_heart_rate_parse(const uint8_t *buf, size_t len, struct ftms_heart_rate *ret)
{
	struct wire_reader r = { .p = buf, .len = len };
	struct ftms_heart_rate h = { 0 };
	size_t left;

	assert(ret);
	h.flags = (uint8_t) wire_get(&r, WIRE_U8);
	/* A bit test, not `flags % 1` (incyclist's bug, reference §11.1). */
	h.heart_rate =
		(uint16_t) wire_get(&r, (h.flags & FTMS_HRM_FLAG_UINT16) ? WIRE_U16 : WIRE_U8);
	if (h.flags & FTMS_HRM_FLAG_ENERGY)
		h.energy = (uint16_t) wire_get(&r, WIRE_U16);
	if (r.overrun)
		return -EBADMSG;
	if (h.flags & FTMS_HRM_FLAG_RR) {
		left = r.len - r.off;
		if (left % 2)
			return -EBADMSG;
		for (size_t i = 0; i < left / 2; i++) {
			uint16_t rr = (uint16_t) wire_get(&r, WIRE_U16);

			if (h.rr_count < FTMS_HRM_RR_MAX)
				h.rr[h.rr_count++] = rr;
			else
				h.rr_truncated = true;
		}
	}
	*ret = h;
	return 0;
}

int ftms_heart_rate_encode(const struct ftms_heart_rate *h, uint8_t *buf, size_t len)
{
	uint8_t tmp[5 + 2 * FTMS_HRM_RR_MAX];
	struct wire_writer w = { .p = tmp, .len = sizeof(tmp) };

	assert(h);
	if ((h->flags & FTMS_HRM_FLAG_RR) && h->rr_count > FTMS_HRM_RR_MAX)
		return -ERANGE;
	wire_put(&w, WIRE_U8, h->flags);
	wire_put(&w, (h->flags & FTMS_HRM_FLAG_UINT16) ? WIRE_U16 : WIRE_U8, h->heart_rate);
	if (h->flags & FTMS_HRM_FLAG_ENERGY)
		wire_put(&w, WIRE_U16, h->energy);
	if (h->flags & FTMS_HRM_FLAG_RR)
		for (size_t i = 0; i < h->rr_count; i++)
			wire_put(&w, WIRE_U16, h->rr[i]);
	return wire_finish(&w, buf, len);
}

int ftms_heart_rate_contact(const struct ftms_heart_rate *h)
{
	assert(h);
	switch (h->flags & FTMS_HRM_CONTACT_MASK) {
	case FTMS_HRM_CONTACT_YES:
		return 1;
	case FTMS_HRM_CONTACT_NO:
		return 0;
	default:
		return -EPROTO;
	}
}

#define CP(m) offsetof(struct ftms_cycling_power, m)

/* Reference §11.2, wire order. Fields we do not decode are listed with skip sizes below. */
static const struct wire_field cpm_fields[] = {
	{ FTMS_CPM_PEDAL_BALANCE, WIRE_U8, CP(pedal_balance) },
	{ FTMS_CPM_ACCUMULATED_TORQUE, WIRE_U16, CP(accumulated_torque) },
	{ FTMS_CPM_WHEEL_REVOLUTIONS, WIRE_U32, CP(wheel_revolutions) },
	{ FTMS_CPM_WHEEL_REVOLUTIONS, WIRE_U16, CP(wheel_event_time) },
	{ FTMS_CPM_CRANK_REVOLUTIONS, WIRE_U16, CP(crank_revolutions) },
	{ FTMS_CPM_CRANK_REVOLUTIONS, WIRE_U16, CP(crank_event_time) },
};

static const struct {
	uint16_t bit;
	uint8_t size;
} cpm_skipped[] = {
	{ FTMS_CPM_EXTREME_FORCE, 4 },	  { FTMS_CPM_EXTREME_TORQUE, 4 },
	{ FTMS_CPM_EXTREME_ANGLES, 3 },	  { FTMS_CPM_TOP_DEAD_SPOT, 2 },
	{ FTMS_CPM_BOTTOM_DEAD_SPOT, 2 },
};

int ftms_cycling_power_parse(const uint8_t *buf, size_t len, struct ftms_cycling_power *ret)
{
	struct wire_reader r = { .p = buf, .len = len };
	struct ftms_cycling_power p = { 0 };

	assert(ret);
	p.flags = (uint16_t) wire_get(&r, WIRE_U16);
	p.inst_power = (int16_t) (uint16_t) wire_get(&r, WIRE_S16);
	wire_read_fields(&r, p.flags, cpm_fields, sizeof(cpm_fields) / sizeof(cpm_fields[0]), &p);
	for (size_t i = 0; i < sizeof(cpm_skipped) / sizeof(cpm_skipped[0]); i++)
		if (p.flags & cpm_skipped[i].bit)
			wire_skip(&r, cpm_skipped[i].size);
	if (p.flags & FTMS_CPM_ACCUMULATED_ENERGY)
		p.accumulated_energy = (uint16_t) wire_get(&r, WIRE_U16);
	if (r.overrun)
		return -EBADMSG;
	*ret = p;
	return 0;
}

int ftms_cycling_power_encode(const struct ftms_cycling_power *p, uint8_t *buf, size_t len)
{
	uint8_t tmp[32];
	struct wire_writer w = { .p = tmp, .len = sizeof(tmp) };

	assert(p);
	if (p->flags & ~(uint32_t) FTMS_CPM_ENCODABLE)
		return -EPROTO;
	wire_put(&w, WIRE_U16, p->flags);
	wire_put(&w, WIRE_S16, (uint16_t) p->inst_power);
	wire_write_fields(&w, p->flags, cpm_fields, sizeof(cpm_fields) / sizeof(cpm_fields[0]), p);
	if (p->flags & FTMS_CPM_ACCUMULATED_ENERGY)
		wire_put(&w, WIRE_U16, p->accumulated_energy);
	return wire_finish(&w, buf, len);
}
