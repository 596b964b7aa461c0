/* SPDX-License-Identifier: MIT */
#pragma once

/* The running session as the CLI sees it (org.backride.Session1), and the live view. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

#define CLI_SESSION_VALUES 8

struct cli_named {
	char name[16];
	int32_t value;
};

struct cli_session {
	int64_t id;
	char kind[16];
	char phase[16];
	uint32_t elapsed, planned, remaining;
	struct cli_named targets[CLI_SESSION_VALUES];
	unsigned n_targets;
	struct cli_named metrics[CLI_SESSION_VALUES];
	unsigned n_metrics;
	int32_t pain_before, pain_max, last_pain; /* -1: none */
	int paused;
	char pause_reason[64];
	char end_reason[32];
	char message[256];
	int guided;	 /* the rider sets the machine from the advice */
	char advice[96]; /* guided: what to do now */
};

/*
 * Read every Session1 property.
 * Return: 0; 1 when no session was started since the daemon started (nothing printed); or an
 * exit code > 1 after printing the error.
 */
int cli_session_get(struct cli *cli, struct cli_session *ret);

/* Return: true once the session is over. */
bool cli_session_done(const struct cli_session *s);

/* Print one JSON object (no newline). */
void cli_session_json(FILE *f, const struct cli_session *s);

/* Print the session as a few lines (status without --follow). */
void cli_session_print(FILE *f, const struct cli_session *s);

/*
 * Follow the session until it is done (or, with @until_done false, forever while the daemon
 * runs): a redrawn line on a terminal, plain lines when stdout is not one (phase changes,
 * pauses, every minute), one JSON object per update with --json. With @pain_after -1 and
 * stdin a terminal, asks for the pain after once the stretches begin; @pain_after >= 0 is
 * reported then without asking; -2 never asks.
 * Return: the exit code.
 */
int cli_session_follow(struct cli *cli, int pain_after);

/*
 * Ask for a pain rating on the terminal.
 * Return: 0-10, or -1 if the answer was empty or stdin is not a terminal.
 */
int cli_ask_pain(const char *question);

/* On a terminal, when NextPlan says the check-in after the last session is due: ask for the
 * pain now, record it as that check-in (saying what it does to the plan) and return it; -1 when
 * nothing is due (or not on a terminal), -2 when the user skipped it. */
int cli_checkin_ask(struct cli *cli);

/* Parse "0".."10". Return: the value or -1. */
int cli_parse_pain(const char *s);

/*
 * Call a Session1 method with a signature and arguments.
 * Return: 0 or the exit code after printing the error.
 */
int cli_session_call(struct cli *cli, const char *method, const char *what, const char *sig, ...);
