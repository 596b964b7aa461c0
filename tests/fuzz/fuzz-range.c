/* SPDX-License-Identifier: MIT */
/* Fuzz target: Supported Speed/Inclination/Resistance/HR/Power Range (0x2AD4..0x2AD8). */
#include "fuzz.h"

/* The first byte picks the characteristic, the rest is its value. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ftms_range v, again;
	enum ftms_range_kind kind;
	uint8_t out[8];
	int n;

	if (size < 1)
		return 0;
	kind = (enum ftms_range_kind)(data[0] % _FTMS_RANGE_KIND_MAX);
	if (ftms_range_parse(kind, data + 1, size - 1, &v) < 0)
		return 0;
	n = ftms_range_encode(kind, &v, out, sizeof(out));
	fuzz_check_prefix(data + 1, size - 1, out, n);
	FUZZ_CHECK(ftms_range_parse(kind, out, (size_t) n, &again) == 0);
	FUZZ_CHECK(again.min == v.min && again.max == v.max && again.increment == v.increment);
	return 0;
}
