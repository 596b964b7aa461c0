/* SPDX-License-Identifier: MIT */
/* Fuzz target: Heart Rate Measurement (0x2A37). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ftms_heart_rate v, again;
	uint8_t out[600];
	int n;

	if (ftms_heart_rate_parse(data, size, &v) < 0)
		return 0;
	n = ftms_heart_rate_encode(&v, out, sizeof(out));
	fuzz_check_prefix(data, size, out, n);
	FUZZ_CHECK(ftms_heart_rate_parse(out, (size_t) n, &again) == 0);
	return 0;
}
