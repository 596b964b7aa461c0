/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <systemd/sd-bus.h>

#include "cli.h"

#define CLI_MISSING_ADDRESS "which machine? Give its ADDRESS (see 'backride scan')."

/* What the CLI shows of an org.backride.Machine1 object. */
struct cli_machine {
	char address[18];
	char name[249];
	char kind[16];
	char protocol[16]; /* "ftms", "cycling-power", "csc", ... */
	char link[16];
	int paired;
	int remembered;
	int connected;
	int64_t last_seen;
	int16_t rssi;
	uint32_t targets; /* Features: the target setting bits (FTMS) */
	uint32_t ranges;  /* the BR_TARGET_* bit of each target whose range is in Ranges */
};

/* Read the a{sv} of Machine1 properties at the current position of @m. Return: 0 or -errno. */
int cli_machine_read(sd_bus_message *m, struct cli_machine *ret);

/* Fetch one machine's properties. Return: CLI_EXIT_OK or an exit code (error printed). */
int cli_machine_get(struct cli *cli, const char *address, struct cli_machine *ret);

/* The kind as people read it: "bike", "bike (power meter)", "bike (cadence sensor)"... */
const char *cli_kind_label(const char *kind, const char *protocol);

/* The Protocol of a machine the daemon knows, into @buf ("ftms" if it cannot say). */
void cli_machine_protocol(struct cli *cli, const char *address, char *buf, size_t len);

/* One JSON object, no newline. */
void cli_machine_json(FILE *f, const struct cli_machine *x);

/*
 * The targets the machine offers without saying their range ("power, resistance"), which
 * backrided drives within conservative defaults (docs/coach.md); "" if none.
 * Return: how many.
 */
int cli_machine_missing_ranges(const struct cli_machine *x, char *buf, size_t size);

/* Return: "connected", "remembered" or "found". */
const char *cli_machine_status(const struct cli_machine *x);

extern const struct verb verb_scan;
extern const struct verb verb_pair;
extern const struct verb verb_machines;
extern const struct verb verb_forget;
extern const struct verb verb_disconnect;
