/* SPDX-License-Identifier: MIT */
/* Fuzz target: Keiser M3i advertisement manufacturer data. */
#include "fuzz.h"
#include "keiser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keiser_m3i k, again;
	uint8_t out[KEISER_M3I_LEN + 1];
	int n;

	if (keiser_m3i_parse(data, size, &k) < 0)
		return 0;
	FUZZ_CHECK(keiser_m3i_real_time(k.data_type));
	FUZZ_CHECK(k.seconds < 60);
	FUZZ_CHECK(keiser_m3i_time(&k) <= 255 * 60 + 59);
	FUZZ_CHECK(keiser_m3i_distance_m(&k) <= 0x7FFFu * 161);
	n = keiser_m3i_encode(&k, out, sizeof(out));
	fuzz_check_prefix(data, size, out, n);
	FUZZ_CHECK(keiser_m3i_parse(out, (size_t) n, &again) == 0);
	FUZZ_CHECK(again.has_gear == k.has_gear && again.gear == k.gear);
	return 0;
}
