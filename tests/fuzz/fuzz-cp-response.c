/* SPDX-License-Identifier: MIT */
/* Fuzz target: Control Point response (0x2AD9 indication, client side). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ftms_cp_response v, again;
	uint8_t out[600];
	int n;

	if (ftms_cp_response_parse(data, size, &v) < 0)
		return 0;
	n = ftms_cp_response_encode(&v, out, sizeof(out));
	fuzz_check_prefix(data, size, out, n);
	FUZZ_CHECK(ftms_cp_response_parse(out, (size_t) n, &again) == 0);
	return 0;
}
