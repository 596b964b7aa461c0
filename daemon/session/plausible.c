/* SPDX-License-Identifier: MIT */
/* Plausibility of a machine's data: bounds, counter jumps, persistent garbage. */
#include "plausible.h"

#include <stdio.h>
#include <string.h>

#include "macro.h"

#define BIT(f) (1u << (f))

/* ---- bounds ------------------------------------------------------------------------------- */

static bool range_usable(const struct session_machine *m, enum session_channel c)
{
	return m && m->has[c] && m->range[c].min < m->range[c].max;
}

/*
 * The machine's own ranges narrow the physical bounds: a belt never runs faster than its motor
 * can (its top speed + 10 %), a deck never tilts past its range (+-1 %). Resistance has no
 * physical bound, only the machine's scale, and machines disagree on it (XML-2017 counts
 * whole levels in the data and tenths in the range, others tenths in both or whole levels
 * in both; reference D1, §12.3): the range read in levels or in tenths, whichever is wider,
 * with a tenth of that span either side.
 */
static void narrow_by_ranges(struct plausible *p, const struct session_machine *m)
{
	const struct ftms_range *r;

	if (range_usable(m, SESSION_CH_SPEED)) {
		r = &m->range[SESSION_CH_SPEED];
		p->max[PLAUSIBLE_SPEED] = MIN(p->max[PLAUSIBLE_SPEED], r->max + r->max / 10);
	}
	if (range_usable(m, SESSION_CH_INCLINE)) {
		r = &m->range[SESSION_CH_INCLINE];
		p->min[PLAUSIBLE_INCLINE] = MAX(p->min[PLAUSIBLE_INCLINE], r->min - 10);
		p->max[PLAUSIBLE_INCLINE] = MIN(p->max[PLAUSIBLE_INCLINE], r->max + 10);
	}
	if (range_usable(m, SESSION_CH_RESISTANCE)) {
		int32_t lo, hi;

		r = &m->range[SESSION_CH_RESISTANCE];
		lo = MIN(MIN(r->min, r->min / 10), r->min * 10);
		hi = MAX(MAX(r->max, r->max / 10), r->max * 10);
		p->min[PLAUSIBLE_RESISTANCE] = lo - (hi - lo) / 10;
		p->max[PLAUSIBLE_RESISTANCE] = hi + (hi - lo) / 10;
	}
}

void plausible_init(struct plausible *p, const struct session_machine *m)
{
	bool belt = m && m->kind == SESSION_KIND_TREADMILL;

	*p = (struct plausible){
		.min = {
			[PLAUSIBLE_POWER] = PLAUSIBLE_POWER_MIN_W,
			[PLAUSIBLE_HEART_RATE] = PLAUSIBLE_HR_MIN_BPM,
			[PLAUSIBLE_INCLINE] = PLAUSIBLE_INCLINE_MIN_DPCT,
		},
		.max = {
			[PLAUSIBLE_POWER] = PLAUSIBLE_POWER_MAX_W,
			[PLAUSIBLE_CADENCE] = PLAUSIBLE_CADENCE_MAX_HRPM,
			[PLAUSIBLE_SPEED] = belt ? PLAUSIBLE_BELT_SPEED_MAX_CKMH
						 : PLAUSIBLE_BIKE_SPEED_MAX_CKMH,
			[PLAUSIBLE_DISTANCE] = PLAUSIBLE_DISTANCE_MAX_M,
			[PLAUSIBLE_HEART_RATE] = PLAUSIBLE_HR_MAX_BPM,
			[PLAUSIBLE_INCLINE] = PLAUSIBLE_INCLINE_MAX_DPCT,
			[PLAUSIBLE_RESISTANCE] = PLAUSIBLE_RESISTANCE_MAX,
			[PLAUSIBLE_ELAPSED] = PLAUSIBLE_ELAPSED_MAX_S,
		},
	};
	narrow_by_ranges(p, m);
}

void plausible_bounds(const struct plausible *p, enum plausible_field f, int32_t *ret_min,
		      int32_t *ret_max)
{
	*ret_min = (unsigned) f < _PLAUSIBLE_FIELD_MAX ? p->min[f] : 0;
	*ret_max = (unsigned) f < _PLAUSIBLE_FIELD_MAX ? p->max[f] : 0;
}

/* ---- counters ----------------------------------------------------------------------------- */

/* How fast a counter may move: num/den units per second. */
struct counter_rule {
	int64_t num, den;
};

/*
 * Whether @v at @now continues @from at @at: never backwards, and no faster than the rule
 * over the time between them plus @margin_s.
 */
static bool follows(int32_t from, uint64_t at, int32_t v, uint64_t now,
		    const struct counter_rule *r, unsigned margin_s)
{
	int64_t d = (int64_t) v - from;
	int64_t dt = (int64_t) MIN(now > at ? now - at : 0, 30 * 24 * 3600 * USEC_PER_SEC);

	dt += margin_s * (int64_t) USEC_PER_SEC;
	return d >= 0 && d <= dt * r->num / (r->den * (int64_t) USEC_PER_SEC);
}

/*
 * @v continues the last good value. The margin is for time measured on arrival: BlueZ and a
 * busy computer hold notifications back and deliver them bunched (tens of ms, seconds at
 * worst), which a time-scaled daemon multiplies.
 */
static bool continues(const struct plausible_counter *c, int32_t v, uint64_t now,
		      const struct counter_rule *r)
{
	return follows(c->value, c->at, v, now, r, PLAUSIBLE_JUMP_MARGIN_S);
}

/* @v is a count started again from 0 since the last good value (PLAUSIBLE_RESTART_S). */
static bool restarted(const struct plausible_counter *c, int32_t v, uint64_t now,
		      const struct counter_rule *r)
{
	return v < c->value && follows(0, c->at, v, now, r, PLAUSIBLE_RESTART_S);
}

/*
 * A counter's value is good if it continues the last good one, or starts again from 0 (as
 * many machines do at Start or Reset). The first value of a link is taken as it is; a machine
 * that jumps to another count is followed once PLAUSIBLE_CONFIRM values in a row continue each
 * other. Random values never do.
 * Return: true if @v is good.
 */
static bool counter_check(struct plausible_counter *c, int32_t v, uint64_t now,
			  const struct counter_rule *r)
{
	if (!c->anchored || continues(c, v, now, r) || restarted(c, v, now, r)) {
		*c = (struct plausible_counter) { .anchored = true, .value = v, .at = now };
		return true;
	}
	c->run = c->run > 0 && follows(c->run_value, c->run_at, v, now, r, PLAUSIBLE_JUMP_MARGIN_S)
			 ? c->run + 1
			 : 1;
	c->run_value = v;
	c->run_at = now;
	if (c->run < PLAUSIBLE_CONFIRM)
		return false;
	*c = (struct plausible_counter) { .anchored = true, .value = v, .at = now };
	return true;
}

static bool good(struct plausible *p, enum plausible_field f, int32_t v, uint64_t now)
{
	/* Distance: no faster than the top speed; elapsed time: no faster than time. */
	const struct counter_rule distance = { p->max[PLAUSIBLE_SPEED], 360 };
	const struct counter_rule elapsed = { 1, 1 };

	if (v < p->min[f] || v > p->max[f])
		return false;
	if (f == PLAUSIBLE_DISTANCE)
		return counter_check(&p->distance, v, now, &distance);
	if (f == PLAUSIBLE_ELAPSED)
		return counter_check(&p->elapsed, v, now, &elapsed);
	return true;
}

/* ---- records and the window --------------------------------------------------------------- */

static void window_add(struct plausible *p, uint64_t now, bool bad)
{
	uint64_t second = now / USEC_PER_SEC;
	unsigned i = (unsigned) (second % PLAUSIBLE_WINDOW_S);

	if (p->window[i].second != second + 1) {
		p->window[i].second = second + 1;
		p->window[i].records = p->window[i].bad = 0;
	}
	p->window[i].records++;
	p->window[i].bad += bad;
	p->recent_bad = (p->recent_bad << 1 | bad) & ((1u << PLAUSIBLE_RECENT) - 1);
	p->n_recent = MIN(p->n_recent + 1, PLAUSIBLE_RECENT);
}

bool plausible_persistent(const struct plausible *p, uint64_t now)
{
	uint64_t second = now / USEC_PER_SEC;
	uint32_t records = 0, bad = 0;

	for (unsigned i = 0; i < PLAUSIBLE_WINDOW_S; i++) {
		uint64_t s = p->window[i].second;

		if (s == 0 || s - 1 > second || s - 1 + PLAUSIBLE_WINDOW_S <= second)
			continue;
		records += p->window[i].records;
		bad += p->window[i].bad;
	}
	return records >= PLAUSIBLE_WINDOW_MIN && 2 * bad > records;
}

bool plausible_still_bad(const struct plausible *p)
{
	return p->n_recent >= PLAUSIBLE_WINDOW_MIN &&
	       2 * (unsigned) __builtin_popcount(p->recent_bad) > p->n_recent;
}

/*
 * "Not available": all ones in the field's wire width, as FTMS defines for several fields
 * (0x7FFF for signed ones, 0xFFFF, 0xFF) and firmwares use for others; a strap without skin
 * contact and a machine without a strap send a heart rate of 0.
 */
static bool not_available(enum plausible_field f, int32_t v)
{
	switch (f) {
	case PLAUSIBLE_POWER:
	case PLAUSIBLE_INCLINE:
	case PLAUSIBLE_RESISTANCE:
		return v == 0x7FFF;
	case PLAUSIBLE_CADENCE:
	case PLAUSIBLE_SPEED:
	case PLAUSIBLE_ELAPSED:
		return v == 0xFFFF;
	case PLAUSIBLE_DISTANCE:
		return v == 0xFFFFFF;
	case PLAUSIBLE_HEART_RATE:
		return v == 0 || v == 0xFF || v == 0xFFFF;
	case _PLAUSIBLE_FIELD_MAX:
		break;
	}
	return false;
}

uint32_t plausible_check(struct plausible *p, uint64_t now, struct plausible_sample *x)
{
	uint32_t dropped = 0;

	for (int f = 0; f < _PLAUSIBLE_FIELD_MAX; f++) {
		if (x->v[f] == BR_NONE)
			continue;
		if (not_available((enum plausible_field) f, x->v[f])) {
			x->v[f] = BR_NONE;
			continue;
		}
		if (good(p, (enum plausible_field) f, x->v[f], now))
			continue;
		dropped |= BIT(f);
		p->dropped[f]++;
		x->v[f] = BR_NONE;
	}
	window_add(p, now, dropped != 0);
	return dropped;
}

uint32_t plausible_dropped(const struct plausible *p, enum plausible_field f)
{
	return (unsigned) f < _PLAUSIBLE_FIELD_MAX ? p->dropped[f] : 0;
}

/* ---- names -------------------------------------------------------------------------------- */

const char *plausible_field_to_string(enum plausible_field f)
{
	switch (f) {
	case PLAUSIBLE_POWER:
		return "power_w";
	case PLAUSIBLE_CADENCE:
		return "cadence_hrpm";
	case PLAUSIBLE_SPEED:
		return "speed_ckmh";
	case PLAUSIBLE_DISTANCE:
		return "distance_m";
	case PLAUSIBLE_HEART_RATE:
		return "hr_bpm";
	case PLAUSIBLE_INCLINE:
		return "incline_dpct";
	case PLAUSIBLE_RESISTANCE:
		return "resistance";
	case PLAUSIBLE_ELAPSED:
		return "elapsed_s";
	case _PLAUSIBLE_FIELD_MAX:
		break;
	}
	return "unknown";
}

int plausible_format(enum plausible_field f, int32_t v, char *buf, size_t n)
{
	switch (f) {
	case PLAUSIBLE_POWER:
		return snprintf(buf, n, "power %d W", v);
	case PLAUSIBLE_CADENCE:
		return snprintf(buf, n, "cadence %g rpm", v / 2.0);
	case PLAUSIBLE_SPEED:
		return snprintf(buf, n, "speed %.2f km/h", v / 100.0);
	case PLAUSIBLE_DISTANCE:
		return snprintf(buf, n, "distance %d m", v);
	case PLAUSIBLE_HEART_RATE:
		return snprintf(buf, n, "heart rate %d bpm", v);
	case PLAUSIBLE_INCLINE:
		return snprintf(buf, n, "incline %.1f %%", v / 10.0);
	case PLAUSIBLE_RESISTANCE:
		return snprintf(buf, n, "resistance %d", v);
	case PLAUSIBLE_ELAPSED:
		return snprintf(buf, n, "elapsed time %d s", v);
	case _PLAUSIBLE_FIELD_MAX:
		break;
	}
	return snprintf(buf, n, "value %d", v);
}
