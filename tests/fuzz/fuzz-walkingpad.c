/* SPDX-License-Identifier: MIT */
/* Fuzz target: WalkingPad status notification (legacy protocol). */
#include "fuzz.h"
#include "walkingpad.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct walkingpad_status s, again;
	struct walkingpad_drops drops = { 0 };
	enum walkingpad_drop why = WALKINGPAD_DROP__MAX;
	uint8_t out[WALKINGPAD_STATUS_LEN];
	uint32_t counted = 0;
	int n;

	if (walkingpad_status_parse(data, size, &s, &drops, &why) < 0) {
		/* A drop names one reason and counts it once. */
		FUZZ_CHECK(why < WALKINGPAD_DROP__MAX);
		for (size_t i = 0; i < WALKINGPAD_DROP__MAX; i++)
			counted += drops.count[i];
		FUZZ_CHECK(counted == 1 && drops.count[why] == 1);
		return 0;
	}
	/* An accepted status is the whole frame: the encoder writes it back exactly. */
	FUZZ_CHECK(size == WALKINGPAD_STATUS_LEN);
	n = walkingpad_status_encode(&s, out, sizeof(out));
	fuzz_check_prefix(data, size, out, n);
	FUZZ_CHECK((size_t) n == size);
	FUZZ_CHECK(walkingpad_status_parse(out, (size_t) n, &again, NULL, NULL) == 0);
	return 0;
}
