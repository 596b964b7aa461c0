/* SPDX-License-Identifier: MIT */
/* Fuzz target: Treadmill Data (0x2ACD) and its More Data merger. */
#include "fuzz-record.h"

FUZZ_MERGED_RECORD(treadmill, ftms_treadmill_data)
