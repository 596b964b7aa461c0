/* SPDX-License-Identifier: MIT */
/* Fuzz target: Control Point request (0x2AD9 write, server side). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ftms_cp_request v, again;
	uint8_t out[600];
	int n;

	if (ftms_cp_request_parse(data, size, &v) < 0)
		return 0;
	n = ftms_cp_request_encode(&v, out, sizeof(out));
	/* Request parameters have an exact length: the whole input comes back. */
	fuzz_check_prefix(data, size, out, n);
	FUZZ_CHECK((size_t) n == size);
	FUZZ_CHECK(ftms_cp_request_parse(out, (size_t) n, &again) == 0);
	return 0;
}
