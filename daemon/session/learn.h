/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * What backride learns about a machine that the machine does not say (pure; docs/coach.md,
 * "Machines that leave things out"):
 *  - conservative default ranges for a target whose Supported ... Range characteristic is
 *    missing although the Feature characteristic offers the target;
 *  - the usable range of such a target, narrowed by the machine's refusals (Invalid Parameter,
 *    Operation Failed), never widened;
 *  - speed targets for a treadmill whose firmware reads them as mph: the engine works in true
 *    km/h, the machine gets the mph value, never faster than the engine asked.
 */

#include <stdbool.h>
#include <stdint.h>

#include "ftms.h"
#include "session-types.h"

#define LEARN_KMH_PER_MPH 1.609344

/*
 * The default range of channel @c for a machine that offers the target without its range.
 * Return: 0 and *ret; -ENOENT (incline: a treadmill that does not say its inclination range
 * stays flat, the channel is not driven).
 */
int learn_default_range(enum session_channel c, struct ftms_range *ret);

/* The usable range of one target, learned from the machine's answers. */
struct range_learn {
	struct ftms_range range; /* what may be commanded now */
	int32_t lowest_ok;	 /* the least and greatest value the machine accepted; BR_NONE */
	int32_t highest_ok;
};

/* Start from @r (the default, or the default within what was stored). */
void range_learn_init(struct range_learn *l, const struct ftms_range *r);

/* The machine accepted @v. */
void range_learn_accepted(struct range_learn *l, int32_t v);

/*
 * The machine refused @v (Invalid Parameter or Operation Failed): a value below everything it
 * accepted raises the minimum above @v, one above lowers the maximum below it; with nothing
 * accepted yet, the half of the range @v lies in decides. A refusal between accepted values
 * says nothing about the range.
 * Return: 1 narrowed; 0 nothing learned; -ERANGE no value would be left (unchanged).
 */
int range_learn_refused(struct range_learn *l, int32_t v);

/*
 * The machine's speed range (wire units) in true km/h: the same for a km/h machine; for mph
 * firmware the least speed rounded up and the greatest down, on a 0.1 km/h grid.
 */
void learn_speed_range(const struct ftms_range *wire, bool mph, struct ftms_range *ret);

/*
 * The speed target to write for a true speed @ckmh (0.01 km/h) on a machine with wire range
 * @wire: itself for km/h; for mph firmware the greatest value on the machine's grid whose true
 * speed is at most @ckmh (never faster than asked).
 * Return: the value to write; -ERANGE (mph: even the machine's least speed is faster).
 */
int32_t learn_speed_to_wire(int32_t ckmh, bool mph, const struct ftms_range *wire);

/* Return: the true speed (0.01 km/h, rounded down) of the wire value @v. */
int32_t learn_speed_true(int32_t v, bool mph);
