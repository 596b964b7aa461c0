/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "cli.h"

/*
 * A one-line progress indicator on stderr, drawn only when stderr is a terminal, so
 * scripts and pipes see clean output.
 */
struct progress {
	bool tty;
	bool shown;
	unsigned tick;
};

void progress_init(struct progress *p);
/* Redraw "<text> <spinner>" in place. */
void progress_show(struct progress *p, const char *text);
/* Erase the line (before printing a result). */
void progress_clear(struct progress *p);

/*
 * Call a Manager1 method that replies late (Pair), showing "@doing..." meanwhile. @what
 * completes "cannot ..." in an error. @types/... are the arguments. Errors are printed.
 * Return: CLI_EXIT_OK, or the exit code to use.
 */
int cli_call_slow(struct cli *cli, const char *method, const char *doing, const char *what,
		  uint64_t timeout_usec, const char *types, ...);
