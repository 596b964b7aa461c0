/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Quirks: how machines people own differ from the specification, each one named after
 * documented behaviour (sim/README.md, "Quirks", gives the source of each). A quirk is part
 * of the machine, fixed from start-up (--quirk NAME, repeatable); faults (--fault, ctl) are
 * things that happen to it.
 */
enum sim_quirk {
	SQ_NO_RANGES,		  /* no Supported * Range characteristic at all */
	SQ_NO_INCLINATION_RANGE,  /* no Supported Inclination Range (the others are there) */
	SQ_NO_MACHINE_STATUS,	  /* no Fitness Machine Status characteristic */
	SQ_NO_TRAINING_STATUS,	  /* no Training Status characteristic */
	SQ_NO_CONTROL_POINT,	  /* no Fitness Machine Control Point */
	SQ_CP_NO_INDICATE,	  /* the control point acts but never indicates */
	SQ_CP_WRONG_OPCODE,	  /* responses carry the wrong request opcode */
	SQ_COLD_START,		  /* targets are refused until Start or Resume */
	SQ_IGNORE_TARGET,	  /* targets are answered with success and ignored */
	SQ_MORE_DATA_ALWAYS,	  /* every data record sets More Data */
	SQ_SPLIT_RECORDS,	  /* data records split at other fields */
	SQ_CADENCE_FLAG_INVERTED, /* the Instantaneous Cadence flag means absent */
	SQ_RESISTANCE_UNITS,	  /* resistance in whole levels, not 0.1 */
	SQ_NO_SERVICE_DATA,	  /* the advert has no FTMS service data */
	SQ_NAME_ONLY,		  /* the advert has only a name: FTMS shows after connecting */
	SQ_TYPE_MISMATCH,	  /* the advert's machine type contradicts the Feature */
	SQ_LINK_DROPS,		  /* the machine drops the link every VALUE s (default 180) */
	_SQ_MAX,
};

_Static_assert(_SQ_MAX <= 32, "quirks are bits of a uint32_t");

struct sim_quirk_info {
	const char *name;
	const char *summary; /* one line for --help and ctl */
	bool has_value;
};

/* Return: the table entry of @q. */
const struct sim_quirk_info *sim_quirk_info(enum sim_quirk q);

/* Return: the quirk called @name (without "=VALUE"), or -ENOENT. */
int sim_quirk_from_name(const char *name, size_t len);

/* Print the quirks as --help lists them, each line indented by @indent. */
void sim_quirks_print(unsigned indent);
