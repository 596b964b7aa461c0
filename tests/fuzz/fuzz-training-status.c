/* SPDX-License-Identifier: MIT */
/* Fuzz target: Training Status (0x2AD3). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ftms_training_status v, again;
	uint8_t out[600];
	int n;

	if (ftms_training_status_parse(data, size, &v) < 0)
		return 0;
	n = ftms_training_status_encode(&v, out, sizeof(out));
	fuzz_check_prefix(data, size, out, n);
	FUZZ_CHECK(ftms_training_status_parse(out, (size_t) n, &again) == 0);
	return 0;
}
