/* SPDX-License-Identifier: MIT */
/* Default ranges, ranges learned from refusals, and mph firmware (learn.h). */
#include "learn.h"

#include <errno.h>
#include <math.h>

#include "envelope.h"
#include "macro.h"

/*
 * Without its range characteristic (docs/coach.md gives the reasons):
 *  power       25 W up to the hard cap: ERG trainers hold 25 W or less at their bottom end,
 *              and the first gentle target (60 % of 45 W) lies just above it;
 *  resistance  0-10.0 in whole levels: the caps are a % of the range, so the smaller a range
 *              backride assumes, the lighter a level it sends on a machine with more levels;
 *  speed       1.0 km/h up to the hard cap, in 0.1 km/h: the least moving speed most walking
 *              treadmills accept (0.5-1.0 km/h).
 */
static const struct ftms_range defaults[_SESSION_CH_MAX] = {
	[SESSION_CH_POWER] = { 25, ENVELOPE_HARD_MAX_POWER_W, 1 },
	[SESSION_CH_RESISTANCE] = { 0, 100, 10 },
	[SESSION_CH_SPEED] = { 100, ENVELOPE_HARD_MAX_SPEED_CKMH, 10 },
};

int learn_default_range(enum session_channel c, struct ftms_range *ret)
{
	if (c == SESSION_CH_INCLINE || (unsigned) c >= _SESSION_CH_MAX)
		return -ENOENT;
	*ret = defaults[c];
	return 0;
}

void range_learn_init(struct range_learn *l, const struct ftms_range *r)
{
	*l = (struct range_learn) { .range = *r, .lowest_ok = BR_NONE, .highest_ok = BR_NONE };
}

void range_learn_accepted(struct range_learn *l, int32_t v)
{
	if (l->lowest_ok == BR_NONE || v < l->lowest_ok)
		l->lowest_ok = v;
	if (l->highest_ok == BR_NONE || v > l->highest_ok)
		l->highest_ok = v;
}

int range_learn_refused(struct range_learn *l, int32_t v)
{
	int64_t inc = MAX(l->range.increment, 1u), lo = l->range.min, hi = l->range.max;
	bool above;

	if (l->highest_ok != BR_NONE && v > l->highest_ok)
		above = true;
	else if (l->lowest_ok != BR_NONE && v < l->lowest_ok)
		above = false;
	else if (l->lowest_ok == BR_NONE)
		above = 2 * (int64_t) v > lo + hi;
	else
		return 0; /* between accepted values: not the range */
	if (above)
		hi = MIN(hi, (int64_t) v - inc);
	else
		lo = MAX(lo, (int64_t) v + inc);
	if (lo > hi)
		return -ERANGE;
	if (lo == l->range.min && hi == l->range.max)
		return 0;
	l->range.min = (int32_t) lo;
	l->range.max = (int32_t) hi;
	return 1;
}

int32_t learn_speed_true(int32_t v, bool mph)
{
	return mph ? (int32_t) floor(v * LEARN_KMH_PER_MPH) : v;
}

void learn_speed_range(const struct ftms_range *wire, bool mph, struct ftms_range *ret)
{
	*ret = *wire;
	if (!mph)
		return;
	ret->min = (int32_t) (ceil(wire->min * LEARN_KMH_PER_MPH / 10) * 10);
	ret->max = (int32_t) (floor(wire->max * LEARN_KMH_PER_MPH / 10) * 10);
	ret->increment = 10;
}

int32_t learn_speed_to_wire(int32_t ckmh, bool mph, const struct ftms_range *wire)
{
	int64_t inc = MAX(wire->increment, 1u), v;

	if (!mph)
		return ckmh;
	v = (int64_t) floor(ckmh / LEARN_KMH_PER_MPH);
	v = wire->min + (v - wire->min) / inc * inc; /* down onto the machine's grid */
	if (v > wire->max)
		v = wire->min + ((int64_t) wire->max - wire->min) / inc * inc;
	/* Integer division rounds toward zero: below the minimum, one more step down. */
	while (v > wire->min && learn_speed_true((int32_t) v, true) > ckmh)
		v -= inc;
	if (v < wire->min || learn_speed_true((int32_t) v, true) > ckmh)
		return -ERANGE;
	return (int32_t) v;
}
