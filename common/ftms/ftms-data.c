/* SPDX-License-Identifier: MIT */
/* Indoor Bike Data (0x2AD2) and Treadmill Data (0x2ACD), and the More Data mergers. */
#include "ftms-data.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "ftms-wire.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define IBD(m)	      offsetof(struct ftms_indoor_bike_data, m)
#define TM(m)	      offsetof(struct ftms_treadmill_data, m)

/* Wire order, reference T5. */
static const struct wire_field ibd_fields[] = {
	{ FTMS_IBD_INST_SPEED, WIRE_U16, IBD(inst_speed) },
	{ FTMS_IBD_AVG_SPEED, WIRE_U16, IBD(avg_speed) },
	{ FTMS_IBD_INST_CADENCE, WIRE_U16, IBD(inst_cadence) },
	{ FTMS_IBD_AVG_CADENCE, WIRE_U16, IBD(avg_cadence) },
	{ FTMS_IBD_TOTAL_DISTANCE, WIRE_U24, IBD(total_distance) },
	{ FTMS_IBD_RESISTANCE, WIRE_S16, IBD(resistance) },
	{ FTMS_IBD_INST_POWER, WIRE_S16, IBD(inst_power) },
	{ FTMS_IBD_AVG_POWER, WIRE_S16, IBD(avg_power) },
	{ FTMS_IBD_EXPENDED_ENERGY, WIRE_U16, IBD(total_energy) },
	{ FTMS_IBD_EXPENDED_ENERGY, WIRE_U16, IBD(energy_per_hour) },
	{ FTMS_IBD_EXPENDED_ENERGY, WIRE_U8, IBD(energy_per_minute) },
	{ FTMS_IBD_HEART_RATE, WIRE_U8, IBD(heart_rate) },
	{ FTMS_IBD_METABOLIC_EQUIVALENT, WIRE_U8, IBD(metabolic_equivalent) },
	{ FTMS_IBD_ELAPSED_TIME, WIRE_U16, IBD(elapsed_time) },
	{ FTMS_IBD_REMAINING_TIME, WIRE_U16, IBD(remaining_time) },
};

/* Wire order, reference T7. */
static const struct wire_field tm_fields[] = {
	{ FTMS_TM_INST_SPEED, WIRE_U16, TM(inst_speed) },
	{ FTMS_TM_AVG_SPEED, WIRE_U16, TM(avg_speed) },
	{ FTMS_TM_TOTAL_DISTANCE, WIRE_U24, TM(total_distance) },
	{ FTMS_TM_INCLINATION, WIRE_S16, TM(inclination) },
	{ FTMS_TM_INCLINATION, WIRE_S16, TM(ramp_angle) },
	{ FTMS_TM_ELEVATION_GAIN, WIRE_U16, TM(pos_elevation_gain) },
	{ FTMS_TM_ELEVATION_GAIN, WIRE_U16, TM(neg_elevation_gain) },
	{ FTMS_TM_INST_PACE, WIRE_U8, TM(inst_pace) },
	{ FTMS_TM_AVG_PACE, WIRE_U8, TM(avg_pace) },
	{ FTMS_TM_EXPENDED_ENERGY, WIRE_U16, TM(total_energy) },
	{ FTMS_TM_EXPENDED_ENERGY, WIRE_U16, TM(energy_per_hour) },
	{ FTMS_TM_EXPENDED_ENERGY, WIRE_U8, TM(energy_per_minute) },
	{ FTMS_TM_HEART_RATE, WIRE_U8, TM(heart_rate) },
	{ FTMS_TM_METABOLIC_EQUIVALENT, WIRE_U8, TM(metabolic_equivalent) },
	{ FTMS_TM_ELAPSED_TIME, WIRE_U16, TM(elapsed_time) },
	{ FTMS_TM_REMAINING_TIME, WIRE_U16, TM(remaining_time) },
	{ FTMS_TM_FORCE_AND_POWER, WIRE_S16, TM(force_on_belt) },
	{ FTMS_TM_FORCE_AND_POWER, WIRE_S16, TM(power_output) },
};

/* Presence mask <-> wire flags: bit 0 is More Data, set when the speed is absent. */
static uint16_t present_from_flags(uint16_t flags)
{
	return (uint16_t) ((flags & 0x1FFE) | ((flags & 1) ? 0 : 1));
}

static uint16_t flags_from_present(uint16_t present, uint16_t rfu)
{
	return (uint16_t) ((present & 0x1FFE) | ((present & 1) ? 0 : 1) | (rfu & 0xE000));
}

/*
 * Shared parse: flags, then the table. Trailing bytes are tolerated (a Technogym rower set an
 * RFU bit and appended 4 bytes, reference §3.2). `out` is a zeroed local of the caller.
 */
static int data_parse(const uint8_t *buf, size_t len, const struct wire_field *fields, size_t n,
		      void *out, uint16_t *ret_present, uint16_t *ret_rfu)
{
	struct wire_reader r = { .p = buf, .len = len };
	uint16_t flags;

	flags = (uint16_t) wire_get(&r, WIRE_U16);
	wire_read_fields(&r, present_from_flags(flags), fields, n, out);
	if (r.overrun)
		return -EBADMSG;
	*ret_present = present_from_flags(flags);
	*ret_rfu = flags & 0xE000;
	return 0;
}

static int data_encode(uint16_t present, uint16_t rfu, const struct wire_field *fields, size_t n,
		       const void *in, uint8_t *buf, size_t len)
{
	uint8_t tmp[64];
	struct wire_writer w = { .p = tmp, .len = sizeof(tmp) };

	wire_put(&w, WIRE_U16, flags_from_present(present, rfu));
	wire_write_fields(&w, present, fields, n, in);
	return wire_finish(&w, buf, len);
}

int ftms_ibd_parse(const uint8_t *buf, size_t len, struct ftms_indoor_bike_data *ret)
{
	struct ftms_indoor_bike_data d = { 0 };
	int r;

	assert(ret);
	r = data_parse(buf, len, ibd_fields, ARRAY_SIZE(ibd_fields), &d, &d.present, &d.rfu_flags);
	if (r < 0)
		return r;
	*ret = d;
	return 0;
}

int ftms_ibd_encode(const struct ftms_indoor_bike_data *d, uint8_t *buf, size_t len)
{
	assert(d);
	return data_encode(d->present, d->rfu_flags, ibd_fields, ARRAY_SIZE(ibd_fields), d, buf,
			   len);
}

size_t ftms_ibd_size(uint16_t present)
{
	return 2 + wire_fields_size(present, ibd_fields, ARRAY_SIZE(ibd_fields));
}

int ftms_treadmill_parse(const uint8_t *buf, size_t len, struct ftms_treadmill_data *ret)
{
	struct ftms_treadmill_data d = { 0 };
	int r;

	assert(ret);
	r = data_parse(buf, len, tm_fields, ARRAY_SIZE(tm_fields), &d, &d.present, &d.rfu_flags);
	if (r < 0)
		return r;
	*ret = d;
	return 0;
}

int ftms_treadmill_encode(const struct ftms_treadmill_data *d, uint8_t *buf, size_t len)
{
	assert(d);
	return data_encode(d->present, d->rfu_flags, tm_fields, ARRAY_SIZE(tm_fields), d, buf, len);
}

size_t ftms_treadmill_size(uint16_t present)
{
	return 2 + wire_fields_size(present, tm_fields, ARRAY_SIZE(tm_fields));
}

void ftms_ibd_merger_init(struct ftms_ibd_merger *m)
{
	assert(m);
	memset(m, 0, sizeof(*m));
}

void ftms_treadmill_merger_init(struct ftms_treadmill_merger *m)
{
	assert(m);
	memset(m, 0, sizeof(*m));
}

/*
 * Indoor Bike Data with the cadence bit the other way round (reference §3.1): the length fits
 * the flags only with bit 2 flipped. Return: true if @out holds the corrected copy.
 */
static bool cadence_flipped(const uint8_t *buf, size_t len, uint8_t *out)
{
	uint16_t present;

	if (len < 2 || len > 64)
		return false;
	present = present_from_flags((uint16_t) (buf[0] | buf[1] << 8));
	if (len == ftms_ibd_size(present) ||
	    len != ftms_ibd_size(present ^ (uint16_t) FTMS_IBD_INST_CADENCE))
		return false;
	memcpy(out, buf, len);
	out[0] ^= FTMS_IBD_INST_CADENCE;
	return true;
}

int ftms_ibd_merger_feed(struct ftms_ibd_merger *m, const uint8_t *buf, size_t len,
			 struct ftms_indoor_bike_data *ret)
{
	struct ftms_indoor_bike_data frag, done;
	uint8_t flipped[64];
	bool repeat;
	int r;

	assert(m && ret);
	if (cadence_flipped(buf, len, flipped)) {
		buf = flipped;
		m->cadence_inverted = true;
	}
	r = ftms_ibd_parse(buf, len, &frag);
	if (r < 0)
		return r;
	/* Nothing new for this record: the record before is complete, this one starts. */
	repeat = m->fragments > 0 && !(frag.present & ~m->acc.present);
	if (repeat) {
		done = m->acc;
		m->unterminated = true;
		memset(&m->acc, 0, sizeof(m->acc));
		m->fragments = 0;
	}
	/* Each fragment's flags describe exactly what it carries; later values win. */
	wire_copy_fields(frag.present, ibd_fields, ARRAY_SIZE(ibd_fields), &m->acc, &frag);
	m->acc.present |= frag.present;
	m->acc.rfu_flags |= frag.rfu_flags;
	m->fragments++;
	if (!repeat && !(frag.present & FTMS_IBD_INST_SPEED))
		return 0;
	*ret = repeat ? done : m->acc;
	if (!repeat) {
		memset(&m->acc, 0, sizeof(m->acc));
		m->fragments = 0;
	}
	return 1;
}

int ftms_treadmill_merger_feed(struct ftms_treadmill_merger *m, const uint8_t *buf, size_t len,
			       struct ftms_treadmill_data *ret)
{
	struct ftms_treadmill_data frag, done;
	bool repeat;
	int r;

	assert(m && ret);
	r = ftms_treadmill_parse(buf, len, &frag);
	if (r < 0)
		return r;
	repeat = m->fragments > 0 && !(frag.present & ~m->acc.present);
	if (repeat) {
		done = m->acc;
		m->unterminated = true;
		memset(&m->acc, 0, sizeof(m->acc));
		m->fragments = 0;
	}
	wire_copy_fields(frag.present, tm_fields, ARRAY_SIZE(tm_fields), &m->acc, &frag);
	m->acc.present |= frag.present;
	m->acc.rfu_flags |= frag.rfu_flags;
	m->fragments++;
	if (!repeat && !(frag.present & FTMS_TM_INST_SPEED))
		return 0;
	*ret = repeat ? done : m->acc;
	if (!repeat) {
		memset(&m->acc, 0, sizeof(m->acc));
		m->fragments = 0;
	}
	return 1;
}
