/* SPDX-License-Identifier: MIT */
/* Fuzz target: Fitness Machine Feature (0x2ACC). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ftms_features v, again;
	uint8_t out[600];
	int n;

	if (ftms_features_parse(data, size, &v) < 0)
		return 0;
	n = ftms_features_encode(&v, out, sizeof(out));
	/* Short values are zero-filled: compare what the input had. */
	FUZZ_CHECK(n == 8);
	FUZZ_CHECK(memcmp(data, out, size < 8 ? size : 8) == 0);
	FUZZ_CHECK(ftms_features_parse(out, (size_t) n, &again) == 0);
	return 0;
}
