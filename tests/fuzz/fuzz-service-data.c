/* SPDX-License-Identifier: MIT */
/* Fuzz target: FTMS advertising service data. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ftms_service_data v, again;
	uint8_t out[600];
	int n;

	if (ftms_service_data_parse(data, size, &v) < 0)
		return 0;
	n = ftms_service_data_encode(&v, out, sizeof(out));
	fuzz_check_prefix(data, size, out, n);
	FUZZ_CHECK(ftms_service_data_parse(out, (size_t) n, &again) == 0);
	return 0;
}
