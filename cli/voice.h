/* SPDX-License-Identifier: MIT */
#pragma once

/* 'backride start --speak': the voice, backride-speak, as a child process (a D-Bus client of
 * the daemon of its own). */

#include <stdbool.h>

#include "cli.h"

/*
 * Whether [voice] speak = yes in the config ($BACKRIDE_CONFIG, else the built-in path).
 * Return: 1 yes, 0 no (or no such file or key), -EINVAL after printing a bad value.
 */
int cli_voice_configured(void);

/*
 * Start backride-speak ($BACKRIDE_SPEAK, else the installed one) on the CLI's bus; with
 * @detach in a session of its own, so that it outlives the terminal. It ends with the session.
 * Return: 0, or the exit code after printing why.
 */
int cli_voice_start(struct cli *cli, bool detach);
