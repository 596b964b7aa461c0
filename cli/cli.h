/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

/* Exit codes (sysexits.h values where one fits). */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILURE = 1,
	CLI_EXIT_USAGE = 2,
	CLI_EXIT_UNAVAILABLE = 69, /* the daemon is not running */
	CLI_EXIT_NOPERM = 77,	   /* the caller may not talk to it */
};

struct cli {
	const char *bus_name; /* system, session or an address */
	sd_bus *bus;	      /* opened on first use by cli_bus() */
	int json;
	int no_legend; /* --no-legend: tables without their header and footer lines */
};

struct verb {
	const char *name;
	const char *summary;
	const char *usage; /* the lines after "Usage: backride NAME" */
	int (*run)(struct cli *cli, int argc, char **argv);
};

/* Return: the bus connection, opened on first use, or NULL (an error was printed). */
sd_bus *cli_bus(struct cli *cli);

/*
 * Print one line saying what went wrong with a call and what to do about it.
 * Return: the exit code to use.
 */
int cli_call_failed(struct cli *cli, const char *what, const sd_bus_error *e, int r);

/* Print "Usage: backride VERB ..." for @v to stdout. */
void cli_verb_help(const struct verb *v);

/*
 * Parse the options every verb takes (--help, --json).
 * Return: 1 to go on (optind is past the options), 0 after printing help, or
 * -CLI_EXIT_USAGE after printing what is wrong.
 */
int cli_verb_common_args(struct cli *cli, const struct verb *v, int argc, char **argv);

/*
 * Only the options of cli_verb_common_args(): --help and --json, before or after arguments,
 * which are left from argv[optind] on.
 * Return: as cli_verb_common_args().
 */
int cli_verb_options(struct cli *cli, const struct verb *v, int argc, char **argv);

/*
 * The same for verbs that take one argument: it goes to *ret_arg; without it, @missing
 * says what is missing.
 * Return: as cli_verb_common_args().
 */
int cli_verb_args(struct cli *cli, const struct verb *v, int argc, char **argv, const char *missing,
		  const char **ret_arg);

extern const struct verb verb_status;
extern const struct verb verb_history;
extern const struct verb verb_show;
extern const struct verb verb_progress;
extern const struct verb verb_export;
extern const struct verb verb_start;
extern const struct verb verb_stop;
extern const struct verb verb_pause;
extern const struct verb verb_ease;
extern const struct verb verb_speed_unit;
extern const struct verb verb_resume;
extern const struct verb verb_pain;
extern const struct verb verb_plan;
