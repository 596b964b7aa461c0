/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>

/* A small seedable PRNG (xorshift64*), so runs with the same --seed are identical. */
struct rng {
	uint64_t state;
};

static inline void rng_seed(struct rng *r, uint64_t seed)
{
	r->state = seed ? seed * 0x9E3779B97F4A7C15ULL : 0x2545F4914F6CDD1DULL;
}

static inline uint64_t rng_next(struct rng *r)
{
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return r->state * 0x2545F4914F6CDD1DULL;
}

/* Return: a uniform double in [-1, 1). */
static inline double rng_unit(struct rng *r)
{
	return (double) (rng_next(r) >> 11) / (double) (1ULL << 52) - 1.0;
}
