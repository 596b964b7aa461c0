/* SPDX-License-Identifier: MIT */
/* Fuzz target: Cycling Power Measurement (0x2A63). */
#include "fuzz.h"

#include <errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ftms_cycling_power v, again;
	uint8_t out[600];
	int n;

	if (ftms_cycling_power_parse(data, size, &v) < 0)
		return 0;
	n = ftms_cycling_power_encode(&v, out, sizeof(out));
	/* Extreme force/torque/angle fields are skipped and not encodable. */
	if (v.flags & ~(unsigned) FTMS_CPM_ENCODABLE) {
		FUZZ_CHECK(n == -EPROTO);
		return 0;
	}
	fuzz_check_prefix(data, size, out, n);
	FUZZ_CHECK(ftms_cycling_power_parse(out, (size_t) n, &again) == 0);
	return 0;
}
