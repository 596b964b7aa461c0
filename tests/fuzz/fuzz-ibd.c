/* SPDX-License-Identifier: MIT */
/* Fuzz target: Indoor Bike Data (0x2AD2) and its More Data merger. */
#include "fuzz.h"

#include <errno.h>

/* The input read as length-prefixed notifications, fed through one merger. */
static void fuzz_merger(const uint8_t *data, size_t size)
{
	struct ftms_ibd_merger m;
	struct ftms_indoor_bike_data rec;

	ftms_ibd_merger_init(&m);
	while (size > 0) {
		size_t n = data[0] < size - 1 ? data[0] : size - 1;
		int r = ftms_ibd_merger_feed(&m, data + 1, n, &rec);

		FUZZ_CHECK(r == 0 || r == 1 || r == -EBADMSG);
		data += 1 + n;
		size -= 1 + n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ftms_indoor_bike_data v, again;
	uint8_t out[64];
	int n;

	fuzz_merger(data, size);
	if (ftms_ibd_parse(data, size, &v) < 0)
		return 0;
	n = ftms_ibd_encode(&v, out, sizeof(out));
	fuzz_check_prefix(data, size, out, n);
	FUZZ_CHECK((size_t) n == ftms_ibd_size(v.present));
	FUZZ_CHECK(ftms_ibd_parse(out, (size_t) n, &again) == 0);
	return 0;
}
