/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Keys in the live view (keys.h decodes them): the terminal in cbreak mode while the view
 * runs, restored on every way out (return, exit, SIGINT, SIGTERM, SIGHUP, SIGQUIT; Ctrl-Z
 * restores it and fg sets it again), and each key's Session1 call.
 */

#include <stdbool.h>

#include "cli.h"
#include "session.h"

enum {
	LIVE_REDRAW = 1 << 0, /* something was printed: draw the live line again */
	LIVE_QUIT = 1 << 1,   /* the rider left the view (q) */
};

/*
 * Turn the keys on when stdin and stdout are terminals.
 * Return: true if they are on (then live_keys_end() must follow).
 */
bool live_keys_begin(void);

/* Restore the terminal as it was (nothing if the keys are off). */
void live_keys_end(void);

/* Print which keys work now for session @s (one or two lines). */
void live_keys_legend(FILE *f, const struct cli_session *s);

/*
 * Wait up to @ms for keys and act on them (calls on Session1, a line that says what happened).
 * Return: LIVE_* bits.
 */
int live_keys_wait(struct cli *cli, const struct cli_session *s, unsigned ms);
