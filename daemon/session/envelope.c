/* SPDX-License-Identifier: MIT */
#include "envelope.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "macro.h"

#define USEC_PER_MIN (60 * USEC_PER_SEC)
/* Budgets are computed in int64: never let an elapsed time overflow rate * dt. */
#define DT_MAX (24 * 3600 * USEC_PER_SEC)

struct bounds {
	int32_t lo, def, hi;
};

/* Per channel: cap, up rate, down rate (README.md, "Safety envelope"). */
static const struct bounds limit_bounds[_SESSION_CH_MAX][3] = {
	[SESSION_CH_POWER] = { { 10, 100, ENVELOPE_HARD_MAX_POWER_W },
			       { 1, 30, 60 },
			       { 120, 600, 1200 } },
	[SESSION_CH_RESISTANCE] = { { 1, 40, ENVELOPE_HARD_MAX_RESISTANCE_PCT },
				    { 1, 10, 30 },
				    { 20, 100, 300 } },
	[SESSION_CH_SPEED] = { { 100, 500, ENVELOPE_HARD_MAX_SPEED_CKMH },
			       { 10, 600, 1200 },
			       { 600, 1200, 3000 } },
	[SESSION_CH_INCLINE] = { { 0, 20, ENVELOPE_HARD_MAX_INCLINE_DPCT },
				 { 1, 10, 30 },
				 { 10, 20, 60 } },
};

void envelope_limits_default(struct envelope_limits *ret)
{
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++) {
		ret->ch[c].cap = limit_bounds[c][0].def;
		ret->ch[c].up_per_min = limit_bounds[c][1].def;
		ret->ch[c].down_per_min = limit_bounds[c][2].def;
	}
}

static int bound(int32_t *v, const struct bounds *b)
{
	int32_t x = CLAMP(*v, b->lo, b->hi);

	if (x == *v)
		return 0;
	*v = x;
	return 1;
}

int envelope_limits_bound(struct envelope_limits *l)
{
	int n = 0;

	for (unsigned c = 0; c < _SESSION_CH_MAX; c++) {
		n += bound(&l->ch[c].cap, &limit_bounds[c][0]);
		n += bound(&l->ch[c].up_per_min, &limit_bounds[c][1]);
		n += bound(&l->ch[c].down_per_min, &limit_bounds[c][2]);
	}
	return n;
}

/* Resistance caps and rates are % of the machine's range; the others are in machine units. */
static int64_t to_units(enum session_channel c, const struct ftms_range *r, int64_t v)
{
	if (c != SESSION_CH_RESISTANCE)
		return v;
	return MAX(1, v * (r->max - r->min) / 100);
}

static int channel_init(struct envelope_state *st, enum session_channel c,
			const struct envelope_channel_limits *l, const struct ftms_range *r)
{
	int64_t cap = l->cap, lo, hi;

	if (r->max <= r->min && c != SESSION_CH_POWER && c != SESSION_CH_INCLINE)
		return -EINVAL;
	if (c == SESSION_CH_RESISTANCE) /* % of the range, rounded down */
		cap = r->min + (int64_t) l->cap * (r->max - r->min) / 100;
	st->used = true;
	st->base = r->min;
	st->inc = MAX(1, (int32_t) MIN(r->increment, (uint32_t) INT32_MAX));
	/* The effective range on the machine's grid: lo rounded up, hi rounded down. */
	lo = c == SESSION_CH_INCLINE ? MAX(r->min, 0) : r->min;
	lo = st->base + (lo - st->base + st->inc - 1) / st->inc * st->inc;
	hi = MIN((int64_t) r->max, cap);
	if (hi < lo)
		return -ERANGE;
	hi = st->base + (hi - st->base) / st->inc * st->inc;
	if (hi < lo)
		return -ERANGE;
	st->lo = (int32_t) lo;
	st->hi = (int32_t) hi;
	st->up = to_units(c, r, l->up_per_min);
	st->down = to_units(c, r, l->down_per_min);
	return 0;
}

int envelope_init(struct envelope *e, const struct envelope_limits *limits,
		  const struct session_machine *m)
{
	struct envelope_limits l = *limits;
	int r;

	(void) envelope_limits_bound(&l);
	*e = (struct envelope) {};
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++) {
		if (!m->has[c])
			continue;
		r = channel_init(&e->ch[c], c, &l.ch[c], &m->range[c]);
		if (r < 0)
			return r;
	}
	if (e->ch[SESSION_CH_SPEED].used)
		envelope_reset(e, SESSION_CH_SPEED, 0, 0);
	return 0;
}

int32_t envelope_floor(const struct envelope *e, enum session_channel c)
{
	const struct envelope_state *st = &e->ch[c];

	if (!st->used || c == SESSION_CH_SPEED)
		return 0;
	return st->lo;
}

int32_t envelope_ceiling(const struct envelope *e, enum session_channel c)
{
	return e->ch[c].used ? e->ch[c].hi : 0;
}

/* The request clamped into [lo, hi] and rounded to the nearest grid point; speed: <= 0 is 0. */
static int32_t quantize(const struct envelope_state *st, enum session_channel c, double request)
{
	double k;

	if (c == SESSION_CH_SPEED && !(request > 0))
		return 0;
	if (!(request >= st->lo)) /* also NaN */
		return st->lo;
	if (request >= st->hi)
		return st->hi;
	k = floor((request - st->base) / st->inc + 0.5);
	return (int32_t) CLAMP(st->base + (int64_t) k * st->inc, st->lo, st->hi);
}

/* The grid point nearest to `to` that is at most `budget` away from `from`, moving toward
 * `to`; `from` itself if there is none. */
static int32_t step_toward(const struct envelope_state *st, enum session_channel c, int32_t from,
			   int32_t to, int64_t budget)
{
	int64_t v;

	if (to > from) {
		if ((int64_t) to - from <= budget)
			return to;
		v = (int64_t) from + budget;
		if (v < st->lo)
			return from; /* speed: not enough budget to start the belt yet */
		v = st->base + (v - st->base) / st->inc * st->inc; /* v >= lo >= base */
		return v > from ? (int32_t) v : from;
	}
	if ((int64_t) from - to <= budget)
		return to;
	v = (int64_t) from - budget;
	if (v < st->lo)
		return st->lo < from ? st->lo : from; /* stop at the least moving speed */
	v = st->base + (v - st->base + st->inc - 1) / st->inc * st->inc;
	return v < from ? (int32_t) v : from;
}

int32_t envelope_apply(struct envelope *e, enum session_channel c, uint64_t now, double request)
{
	struct envelope_state *st = &e->ch[c];
	int32_t target, next;
	int64_t budget, rate;
	int dir;

	if (!st->used)
		return 0;
	target = quantize(st, c, request);
	if (!st->primed || target == st->value) {
		st->primed = true;
		st->value = target;
		st->anchor = now; /* nothing to do: no budget builds up */
		st->dir = 0;
		return target;
	}
	dir = target > st->value ? 1 : -1;
	if (dir == -st->dir || now < st->anchor)
		st->anchor = now; /* a reversal starts from nothing */
	st->dir = dir;
	if (now - st->anchor > DT_MAX)
		st->anchor = now - DT_MAX;
	rate = dir > 0 ? st->up : st->down;
	budget = rate * (int64_t) (now - st->anchor) / (int64_t) USEC_PER_MIN;
	next = step_toward(st, c, st->value, target, budget);
	if (next == target)
		st->dir = 0; /* done: the next change, either way, is a new one */
	if (next == target ||
	    (c == SESSION_CH_SPEED && dir < 0 && next == st->lo && next != st->value))
		st->anchor = now; /* nothing carried over (nor into a belt stop) */
	else /* keep what is left of the budget: results do not depend on the step size */
		st->anchor +=
			(uint64_t) ((llabs((int64_t) next - st->value) * (int64_t) USEC_PER_MIN +
				     rate - 1) /
				    rate);
	st->value = next;
	return next;
}

void envelope_reset(struct envelope *e, enum session_channel c, uint64_t now, int32_t value)
{
	struct envelope_state *st = &e->ch[c];

	if (!st->used)
		return;
	st->primed = true;
	st->value = quantize(st, c, value); /* within range, cap and grid */
	st->anchor = now;
}

int envelope_narrow(struct envelope *e, enum session_channel c, int32_t lo, int32_t hi)
{
	struct envelope_state *st = &e->ch[c];
	int64_t l, h;

	if (!st->used)
		return -EINVAL;
	l = MAX((int64_t) lo, st->lo);
	l = st->base + (l - st->base + st->inc - 1) / st->inc * st->inc;
	h = MIN((int64_t) hi, st->hi);
	h = st->base + (h - st->base) / st->inc * st->inc;
	if (h < l || l < st->lo || h > st->hi)
		return -ERANGE;
	st->lo = (int32_t) l;
	st->hi = (int32_t) h;
	if (st->primed && (c != SESSION_CH_SPEED || st->value > 0))
		st->value = (int32_t) CLAMP((int64_t) st->value, l, h);
	return 0;
}

void envelope_rebase(struct envelope *e, uint64_t now)
{
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++)
		e->ch[c].anchor = now;
}
