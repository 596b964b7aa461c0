/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/*
 * A small seedable PRNG (xorshift64*), so runs with the same seed are identical: the
 * simulator's --seed, the property tests' and the history generator's.
 */
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

/* Return: a uniform integer in [lo, hi]. */
static inline int64_t rng_between(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t) (rng_next(r) % (uint64_t) (hi - lo + 1));
}

/* Return: true with probability @per_mille / 1000. */
static inline bool rng_chance(struct rng *r, unsigned per_mille)
{
	return rng_next(r) % 1000 < per_mille;
}
