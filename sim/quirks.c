/* SPDX-License-Identifier: MIT */
#include "quirks.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct sim_quirk_info quirks[_SQ_MAX] = {
	[SQ_NO_RANGES] = { "no-ranges", "no Supported Power/Resistance/Speed/Inclination Range" },
	[SQ_NO_INCLINATION_RANGE] = { "no-inclination-range", "no Supported Inclination Range" },
	[SQ_NO_MACHINE_STATUS] = { "no-machine-status", "no Fitness Machine Status" },
	[SQ_NO_TRAINING_STATUS] = { "no-training-status", "no Training Status" },
	[SQ_NO_CONTROL_POINT] = { "no-control-point", "no Fitness Machine Control Point" },
	[SQ_CP_NO_INDICATE] = { "cp-no-indicate", "the control point acts, never indicates" },
	[SQ_CP_WRONG_OPCODE] = { "cp-wrong-opcode", "responses name the wrong request opcode" },
	[SQ_COLD_START] = { "cold-start", "targets refused until Start or Resume" },
	[SQ_IGNORE_TARGET] = { "ignore-target", "targets answered with success, ignored" },
	[SQ_MORE_DATA_ALWAYS] = { "more-data-always", "every data record sets More Data" },
	[SQ_SPLIT_RECORDS] = { "split-records", "data records split at other fields" },
	[SQ_CADENCE_FLAG_INVERTED] = { "cadence-flag-inverted",
				       "the cadence flag set means no cadence" },
	[SQ_RESISTANCE_UNITS] = { "resistance-units", "resistance sent in whole levels" },
	[SQ_NO_SERVICE_DATA] = { "no-service-data", "the advert has no FTMS service data" },
	[SQ_NAME_ONLY] = { "name-only", "the advert has only a name" },
	[SQ_TYPE_MISMATCH] = { "type-mismatch", "the advert's machine type is wrong" },
	[SQ_LINK_DROPS] = { "link-drops", "drop the link every S simulated s (180)", true },
};

const struct sim_quirk_info *sim_quirk_info(enum sim_quirk q)
{
	return (unsigned) q < _SQ_MAX ? &quirks[q] : NULL;
}

int sim_quirk_from_name(const char *name, size_t len)
{
	for (int q = 0; q < _SQ_MAX; q++)
		if (quirks[q].name && strlen(quirks[q].name) == len &&
		    strncmp(quirks[q].name, name, len) == 0)
			return q;
	return -ENOENT;
}

void sim_quirks_print(unsigned indent)
{
	char name[40];

	for (int q = 0; q < _SQ_MAX; q++) {
		(void) snprintf(name, sizeof(name), "%s%s", quirks[q].name,
				quirks[q].has_value ? "[=S]" : "");
		printf("%*s%-22s %s\n", (int) indent, "", name, quirks[q].summary);
	}
}
