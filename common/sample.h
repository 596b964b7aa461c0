/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>

/*
 * "Absent" for an optional integer anywhere in backride: a value the machine does not report, a
 * target the plan does not set, a column that is NULL, a key left out on the bus.
 */
#define BR_NONE INT32_MIN
