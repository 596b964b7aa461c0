/* SPDX-License-Identifier: MIT */
/*
 * Shared by the codec fuzz targets. Each target parses the input; whenever the parser accepts
 * it, the encoder must reproduce a prefix of the input byte for byte (the codec reports what is
 * on the wire, so parse + encode is the identity on everything it understood), and parsing that
 * again must succeed.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ftms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(x)                     \
	do {                              \
		if (!(x))                 \
			__builtin_trap(); \
	} while (0)

/* Encoded bytes must be a prefix of the input the parser accepted. */
static inline void fuzz_check_prefix(const uint8_t *in, size_t size, const uint8_t *out, int n)
{
	FUZZ_CHECK(n >= 0);
	FUZZ_CHECK((size_t) n <= size);
	FUZZ_CHECK(n == 0 || memcmp(in, out, (size_t) n) == 0);
}
