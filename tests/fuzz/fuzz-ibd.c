/* SPDX-License-Identifier: MIT */
/* Fuzz target: Indoor Bike Data (0x2AD2) and its More Data merger. */
#include "fuzz-record.h"

FUZZ_MERGED_RECORD(ibd, ftms_indoor_bike_data)
