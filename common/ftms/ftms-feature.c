/* SPDX-License-Identifier: MIT */
/* Fitness Machine Feature (0x2ACC), supported ranges (0x2AD4..8), advertising service data. */
#include "ftms-feature.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "ftms-control.h"
#include "ftms-wire.h"

int ftms_features_parse(const uint8_t *buf, size_t len, struct ftms_features *ret)
{
	uint8_t v[8] = { 0 };
	struct wire_reader r = { .p = v, .len = sizeof(v) };

	assert(ret);
	if (len == 0)
		return -EBADMSG;
	/* Short values (OpenRowingMonitor writes 2 bytes) are zero-filled, reference §2. */
	memcpy(v, buf, len < sizeof(v) ? len : sizeof(v));
	ret->machine = wire_get(&r, WIRE_U32);
	ret->target = wire_get(&r, WIRE_U32);
	return 0;
}

int ftms_features_encode(const struct ftms_features *f, uint8_t *buf, size_t len)
{
	uint8_t tmp[8];
	struct wire_writer w = { .p = tmp, .len = sizeof(tmp) };

	assert(f);
	wire_put(&w, WIRE_U32, f->machine);
	wire_put(&w, WIRE_U32, f->target);
	return wire_finish(&w, buf, len);
}

/* Target Setting Feature bit that enables each op code (T3); 0 = mandatory. */
static uint32_t op_target_bit(uint8_t op)
{
	static const uint32_t bits[FTMS_CP_OP_MAX + 1] = {
		[FTMS_CP_SET_TARGET_SPEED] = FTMS_TARGET_SPEED,
		[FTMS_CP_SET_TARGET_INCLINATION] = FTMS_TARGET_INCLINATION,
		[FTMS_CP_SET_TARGET_RESISTANCE] = FTMS_TARGET_RESISTANCE,
		[FTMS_CP_SET_TARGET_POWER] = FTMS_TARGET_POWER,
		[FTMS_CP_SET_TARGET_HEART_RATE] = FTMS_TARGET_HEART_RATE,
		[FTMS_CP_SET_TARGET_ENERGY] = FTMS_TARGET_EXPENDED_ENERGY,
		[FTMS_CP_SET_TARGET_STEPS] = FTMS_TARGET_STEPS,
		[FTMS_CP_SET_TARGET_STRIDES] = FTMS_TARGET_STRIDES,
		[FTMS_CP_SET_TARGET_DISTANCE] = FTMS_TARGET_DISTANCE,
		[FTMS_CP_SET_TARGET_TRAINING_TIME] = FTMS_TARGET_TRAINING_TIME,
		[FTMS_CP_SET_TARGET_TWO_HR_ZONES] = FTMS_TARGET_TWO_HR_ZONES,
		[FTMS_CP_SET_TARGET_THREE_HR_ZONES] = FTMS_TARGET_THREE_HR_ZONES,
		[FTMS_CP_SET_TARGET_FIVE_HR_ZONES] = FTMS_TARGET_FIVE_HR_ZONES,
		[FTMS_CP_SET_INDOOR_BIKE_SIMULATION] = FTMS_TARGET_INDOOR_BIKE_SIMULATION,
		[FTMS_CP_SET_WHEEL_CIRCUMFERENCE] = FTMS_TARGET_WHEEL_CIRCUMFERENCE,
		[FTMS_CP_SPIN_DOWN_CONTROL] = FTMS_TARGET_SPIN_DOWN,
		[FTMS_CP_SET_TARGET_CADENCE] = FTMS_TARGET_CADENCE,
	};

	return bits[op];
}

bool ftms_features_supports_op(const struct ftms_features *f, uint8_t op)
{
	uint32_t bit;

	assert(f);
	if (op > FTMS_CP_OP_MAX)
		return false;
	bit = op_target_bit(op);
	return bit == 0 || (f->target & bit);
}

uint32_t ftms_features_supported_ops(const struct ftms_features *f)
{
	uint32_t mask = 0;

	for (uint8_t op = 0; op <= FTMS_CP_OP_MAX; op++)
		if (ftms_features_supports_op(f, op))
			mask |= 1u << op;
	return mask;
}

/* Wire types of min, max, increment per kind (T10). */
static const uint8_t range_types[_FTMS_RANGE_KIND_MAX][3] = {
	[FTMS_RANGE_SPEED] = { WIRE_U16, WIRE_U16, WIRE_U16 },
	[FTMS_RANGE_INCLINATION] = { WIRE_S16, WIRE_S16, WIRE_U16 },
	[FTMS_RANGE_RESISTANCE] = { WIRE_S16, WIRE_S16, WIRE_U16 },
	[FTMS_RANGE_HEART_RATE] = { WIRE_U8, WIRE_U8, WIRE_U8 },
	[FTMS_RANGE_POWER] = { WIRE_S16, WIRE_S16, WIRE_U16 },
};
static const uint8_t narrow_types[3] = { WIRE_U8, WIRE_U8, WIRE_U8 };

static int32_t as_signed(uint8_t type, uint32_t v)
{
	return type == WIRE_S16 ? (int32_t) (int16_t) (uint16_t) v : (int32_t) v;
}

int ftms_range_parse(enum ftms_range_kind kind, const uint8_t *buf, size_t len,
		     struct ftms_range *ret)
{
	struct wire_reader r = { .p = buf, .len = len };
	struct ftms_range out = { 0 };
	const uint8_t *t;

	assert(ret);
	if ((unsigned) kind >= _FTMS_RANGE_KIND_MAX)
		return -EPROTO;
	t = range_types[kind];
	/* GSS-2024's 3 x uint8 resistance range (D1): only FTMS.NET sends it. */
	if (kind == FTMS_RANGE_RESISTANCE && len >= 3 && len < 6) {
		t = narrow_types;
		out.narrow = true;
	}
	out.min = as_signed(t[0], wire_get(&r, t[0]));
	out.max = as_signed(t[1], wire_get(&r, t[1]));
	out.increment = wire_get(&r, t[2]);
	if (r.overrun)
		return -EBADMSG;
	*ret = out;
	return 0;
}

static bool range_fits(uint8_t type, int64_t v)
{
	switch (type) {
	case WIRE_U8:
		return v >= 0 && v <= UINT8_MAX;
	case WIRE_S16:
		return v >= INT16_MIN && v <= INT16_MAX;
	default:
		return v >= 0 && v <= UINT16_MAX;
	}
}

int ftms_range_encode(enum ftms_range_kind kind, const struct ftms_range *rg, uint8_t *buf,
		      size_t len)
{
	uint8_t tmp[6];
	struct wire_writer w = { .p = tmp, .len = sizeof(tmp) };
	const uint8_t *t;

	assert(rg);
	if ((unsigned) kind >= _FTMS_RANGE_KIND_MAX)
		return -EPROTO;
	t = kind == FTMS_RANGE_RESISTANCE && rg->narrow ? narrow_types : range_types[kind];
	if (!range_fits(t[0], rg->min) || !range_fits(t[1], rg->max) ||
	    !range_fits(t[2], rg->increment))
		return -ERANGE;
	wire_put(&w, t[0], t[0] == WIRE_S16 ? (uint16_t) rg->min : (uint32_t) rg->min);
	wire_put(&w, t[1], t[1] == WIRE_S16 ? (uint16_t) rg->max : (uint32_t) rg->max);
	wire_put(&w, t[2], rg->increment);
	return wire_finish(&w, buf, len);
}

int ftms_service_data_parse(const uint8_t *buf, size_t len, struct ftms_service_data *ret)
{
	struct ftms_service_data sd = { 0 };

	assert(ret);
	if (len < 2)
		return -EBADMSG;
	sd.flags = buf[0];
	if (len == 2) {
		/* Some machines send the type as one byte (reference §10). */
		sd.machine_type = buf[1];
		sd.type_short = true;
	} else {
		sd.machine_type = (uint16_t) (buf[1] | buf[2] << 8);
	}
	*ret = sd;
	return 0;
}

int ftms_service_data_encode(const struct ftms_service_data *sd, uint8_t *buf, size_t len)
{
	uint8_t tmp[3];
	struct wire_writer w = { .p = tmp, .len = sizeof(tmp) };

	assert(sd);
	wire_put(&w, WIRE_U8, sd->flags);
	wire_put(&w, sd->type_short ? WIRE_U8 : WIRE_U16, sd->machine_type);
	return wire_finish(&w, buf, len);
}
