/* SPDX-License-Identifier: MIT */
#pragma once

/* What the FTMS codec's tests share: byte vectors, and the check that a failed parse leaves
 * its output untouched. */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define BYTES(...) ((const uint8_t[]) { __VA_ARGS__ }), sizeof((const uint8_t[]) { __VA_ARGS__ })
#define PATTERN	   0xA5

/* parse(ARGS..., &out) returns @err and leaves out as it was. */
#define ASSERT_FAIL(err, parse, type, ...)                          \
	do {                                                        \
		type out_, ref_;                                    \
		memset(&out_, PATTERN, sizeof(out_));               \
		memset(&ref_, PATTERN, sizeof(ref_));               \
		assert_int_equal(parse(__VA_ARGS__, &out_), (err)); \
		assert_memory_equal(&out_, &ref_, sizeof(out_));    \
	} while (0)

/* A malformed input returns -EBADMSG and leaves the output untouched. */
#define ASSERT_BAD(parse, type, ...) ASSERT_FAIL(-EBADMSG, parse, type, __VA_ARGS__)

/* A malformed input and where it comes from. */
struct bad_vector {
	const char *source;
	const uint8_t *bytes;
	size_t len;
};
