/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: Cycling Speed and Cadence Measurement (0x2A5B), and revolutions to rate. The
 * input is also read as a stream of length-prefixed notifications, each fed with a time step
 * to a wheel and a crank rate: whatever arrives, a rate stays within its bound and is 0 once
 * timeout_ms has passed without a new revolution.
 */
#include "csc.h"
#include "fuzz.h"

#define TIMEOUT_MS 3000
#define MAX_RPM	   (300 * 100)

static void feed(const uint8_t *data, size_t size)
{
	struct revs_rate wheel, crank;
	struct csc_measurement m;
	uint64_t now = 0;
	size_t off = 0;

	revs_rate_init(&wheel, 32, CSC_TICKS_PER_S, TIMEOUT_MS, 3000 * 100);
	revs_rate_init(&crank, 16, CSC_TICKS_PER_S, TIMEOUT_MS, MAX_RPM);
	while (off + 2 <= size) {
		size_t len = data[off] % 16;
		uint32_t step = (uint32_t) data[off + 1] * 50; /* 0-12.75 s */

		off += 2;
		if (len > size - off)
			len = size - off;
		now += step;
		if (csc_measurement_parse(data + off, len, &m) == 0) {
			if (m.flags & CSC_WHEEL_REVOLUTIONS)
				(void) revs_rate_update(&wheel, m.wheel_revolutions,
							m.wheel_event_time, now);
			if (m.flags & CSC_CRANK_REVOLUTIONS)
				(void) revs_rate_update(&crank, m.crank_revolutions,
							m.crank_event_time, now);
		}
		off += len;
		FUZZ_CHECK(revs_rate_rpm_x100(&crank, now) <= MAX_RPM);
		FUZZ_CHECK(revs_rate_rpm_x100(&wheel, now) <= 3000 * 100);
		FUZZ_CHECK(revs_rate_rpm_x100(&crank, now + TIMEOUT_MS) == 0);
		FUZZ_CHECK(revs_rate_rpm_x100(&wheel, now + TIMEOUT_MS) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csc_measurement m, again;
	uint8_t out[16];
	int n;

	feed(data, size);
	if (csc_measurement_parse(data, size, &m) < 0)
		return 0;
	n = csc_measurement_encode(&m, out, sizeof(out));
	fuzz_check_prefix(data, size, out, n);
	FUZZ_CHECK(csc_measurement_parse(out, (size_t) n, &again) == 0);
	FUZZ_CHECK(memcmp(&m, &again, sizeof(m)) == 0);
	return 0;
}
