/* SPDX-License-Identifier: MIT */
#include "machine-hr.h"

#include <math.h>

void hr_model_init(struct hr_model *h, uint64_t seed)
{
	*h = (struct hr_model) { .rest_bpm = 62, .max_bpm = 185, .ftp_w = 250 };
	h->bpm = h->rest_bpm;
	rng_seed(&h->rng, seed);
}

void hr_model_advance(struct hr_model *h, double dt, double effort_w)
{
	double frac, target, tau;

	if (dt <= 0)
		return;
	frac = effort_w > 0 ? pow(fmin(effort_w / h->ftp_w, 1.3), 0.85) : 0;
	target = h->rest_bpm + (h->max_bpm - h->rest_bpm) * fmin(frac * 0.8, 1.0);
	/* The heart speeds up faster than it recovers. */
	tau = target > h->bpm ? 25.0 : 45.0;
	h->bpm += (target - h->bpm) * (1.0 - exp(-dt / tau));
	h->bpm += rng_unit(&h->rng) * 0.3 * fmin(dt, 1.0);
	if (h->bpm < 40)
		h->bpm = 40;
}

unsigned hr_model_bpm(const struct hr_model *h)
{
	return (unsigned) lround(h->bpm);
}
