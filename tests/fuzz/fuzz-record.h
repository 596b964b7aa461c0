/* SPDX-License-Identifier: MIT */
/*
 * The fuzz target of a data record that may come in parts (More Data), shared by
 * fuzz-ibd.c and fuzz-treadmill.c. The input is fed, read as length-prefixed notifications,
 * through one merger, which must accept, wait for more or refuse it with -EBADMSG; then it is
 * parsed as one record, and whatever the parser accepts must encode back to a prefix of the
 * input of exactly the size its flags announce, and parse again.
 */
#pragma once

#include <errno.h>

#include "fuzz.h"

/* Defines LLVMFuzzerTestOneInput for the record ftms_NAME_* (parse, encode, size,
 * merger_init, merger_feed with struct ftms_NAME_merger) whose decoded form is struct RECORD. */
#define FUZZ_MERGED_RECORD(name, record)                                          \
	static void fuzz_merger(const uint8_t *data, size_t size)                 \
	{                                                                         \
		struct ftms_##name##_merger m;                                    \
		struct record rec;                                                \
                                                                                  \
		ftms_##name##_merger_init(&m);                                    \
		while (size > 0) {                                                \
			size_t n = data[0] < size - 1 ? data[0] : size - 1;       \
			int r = ftms_##name##_merger_feed(&m, data + 1, n, &rec); \
                                                                                  \
			FUZZ_CHECK(r == 0 || r == 1 || r == -EBADMSG);            \
			data += 1 + n;                                            \
			size -= 1 + n;                                            \
		}                                                                 \
	}                                                                         \
                                                                                  \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)              \
	{                                                                         \
		struct record v, again;                                           \
		uint8_t out[64];                                                  \
		int n;                                                            \
                                                                                  \
		fuzz_merger(data, size);                                          \
		if (ftms_##name##_parse(data, size, &v) < 0)                      \
			return 0;                                                 \
		n = ftms_##name##_encode(&v, out, sizeof(out));                   \
		fuzz_check_prefix(data, size, out, n);                            \
		FUZZ_CHECK((size_t) n == ftms_##name##_size(v.present));          \
		FUZZ_CHECK(ftms_##name##_parse(out, (size_t) n, &again) == 0);    \
		return 0;                                                         \
	}
