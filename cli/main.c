/* SPDX-License-Identifier: MIT */
/* backride: the command-line client. It speaks only the D-Bus API. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backride-build.h"
#include "backride-dbus.h"
#include "bus-util.h"
#include "cli.h"
#include "machine.h"

static const struct verb *const verbs[] = {
	&verb_status, &verb_start,	&verb_pause,   &verb_resume, &verb_stop,
	&verb_pain,   &verb_plan,	&verb_scan,    &verb_pair,   &verb_machines,
	&verb_forget, &verb_disconnect, &verb_history, &verb_show,   &verb_progress,
	&verb_export, &verb_speed_unit, &verb_ease,
};

static void help(void)
{
	printf("Usage: backride [--bus BUS] [--json] [--no-legend] VERB [OPTION]...\n"
	       "A gentle exercise coach for a Bluetooth bike or treadmill.\n\n"
	       "Verbs:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		printf("  %-10s %s\n", verbs[i]->name, verbs[i]->summary);
	printf("\nOptions:\n"
	       "      --bus BUS     talk to the daemon on BUS: system (default), session or a\n"
	       "                    D-Bus address; $BACKRIDE_BUS sets the default\n"
	       "      --json        print JSON for scripts\n"
	       "      --no-legend   leave out the header and footer lines of tables\n"
	       "  -h, --help        show this help, or 'backride VERB --help' for a verb\n"
	       "  -V, --version     show the version and exit\n\n"
	       "See backride(1).\n");
}

void cli_verb_help(const struct verb *v)
{
	printf("Usage: backride %s %s", v->name, v->usage);
}

int cli_verb_options(struct cli *cli, const struct verb *v, int argc, char **argv)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
						  { "json", no_argument, NULL, 'j' },
						  {} };
	int c;

	optind = 0; /* 0, not 1: reinitialise GNU getopt so that options may follow an argument */
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) >= 0) {
		switch (c) {
		case 'h':
			cli_verb_help(v);
			return 0;
		case 'j':
			cli->json = 1;
			break;
		default:
			fprintf(stderr, "Try 'backride %s --help'.\n", v->name);
			return -CLI_EXIT_USAGE;
		}
	}
	return 1;
}

int cli_verb_args(struct cli *cli, const struct verb *v, int argc, char **argv, const char *missing,
		  const char **ret_arg)
{
	int r;

	r = cli_verb_options(cli, v, argc, argv);
	if (r <= 0)
		return r;
	if (ret_arg && optind >= argc) {
		fprintf(stderr, "backride: %s\nTry 'backride %s --help'.\n", missing, v->name);
		return -CLI_EXIT_USAGE;
	}
	if (ret_arg)
		*ret_arg = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "backride: unexpected argument '%s'\nTry 'backride %s --help'.\n",
			argv[optind], v->name);
		return -CLI_EXIT_USAGE;
	}
	return 1;
}

int cli_verb_common_args(struct cli *cli, const struct verb *v, int argc, char **argv)
{
	return cli_verb_args(cli, v, argc, argv, NULL, NULL);
}

sd_bus *cli_bus(struct cli *cli)
{
	sd_bus *bus = NULL;
	int r;

	if (cli->bus)
		return cli->bus;
	r = bus_open_by_name(cli->bus_name, "backride", &bus);
	if (r < 0) {
		fprintf(stderr,
			"backride: cannot connect to the %s bus (%s); is dbus running, and is "
			"--bus right?\n",
			cli->bus_name, strerror(-r));
		return NULL;
	}
	cli->bus = bus;
	return bus;
}

int cli_call_failed(struct cli *cli, const char *what, const sd_bus_error *e, int r)
{
	if (sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER,
				   SD_BUS_ERROR_UNKNOWN_OBJECT)) {
		fprintf(stderr, "backride: the backride daemon is not running; start it with "
				"'sudo systemctl start backrided'.\n");
		return CLI_EXIT_UNAVAILABLE;
	}
	if (sd_bus_error_has_names(e, SD_BUS_ERROR_ACCESS_DENIED, BR_ERROR_ACCESS_DENIED) ||
	    r == -EACCES || r == -EPERM) {
		fprintf(stderr,
			"backride: permission denied; ask an administrator to add you to the "
			"'backride' group (sudo usermod -aG backride $USER), then log in again.\n");
		return CLI_EXIT_NOPERM;
	}
	if (sd_bus_error_has_names(e, BR_ERROR_INVALID_ARGS, SD_BUS_ERROR_INVALID_ARGS)) {
		/* The daemon found the arguments bad: a usage error like any other. */
		fprintf(stderr, "backride: %s\n", e->message ? e->message : strerror(-r));
		return CLI_EXIT_USAGE;
	}
	if (sd_bus_error_is_set(e) && e->message &&
	    strncmp(e->name, BR_ERROR_PREFIX, strlen(BR_ERROR_PREFIX)) == 0)
		fprintf(stderr, "backride: %s\n", e->message);
	else if (sd_bus_error_is_set(e))
		fprintf(stderr, "backride: cannot %s: %s (%s)\n", what,
			e->message ? e->message : strerror(-r), e->name);
	else
		fprintf(stderr, "backride: cannot %s: %s\n", what, strerror(-r));
	return CLI_EXIT_FAILURE;
}

static const struct verb *find_verb(const char *name)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i]->name, name) == 0)
			return verbs[i];
	return NULL;
}

/* --no-legend may come before or after the verb: take it out wherever it is (up to "--"). */
static int take_no_legend(int *argc, char **argv)
{
	int found = 0, n = 0;

	for (int i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[n++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--no-legend") == 0)
			found = 1;
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	*argc = n;
	return found;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = { { "bus", required_argument, NULL, 'b' },
						  { "json", no_argument, NULL, 'j' },
						  { "help", no_argument, NULL, 'h' },
						  { "version", no_argument, NULL, 'V' },
						  {} };
	struct cli cli = { .bus_name = getenv("BACKRIDE_BUS") };
	const struct verb *v;
	int c, r;

	if (!cli.bus_name || !*cli.bus_name)
		cli.bus_name = "system";
	cli.no_legend = take_no_legend(&argc, argv);
	/* getopt names the program by argv[0], the verbs' getopt too: one "backride:" prefix. */
	argv[0] = (char *) "backride";
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) >= 0) {
		switch (c) {
		case 'b':
			cli.bus_name = optarg;
			break;
		case 'j':
			cli.json = 1;
			break;
		case 'h':
			help();
			return CLI_EXIT_OK;
		case 'V':
			printf("backride %s\n", BACKRIDE_VERSION);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "Try 'backride --help'.\n");
			return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		help();
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[optind], "help") == 0) {
		v = optind + 1 < argc ? find_verb(argv[optind + 1]) : NULL;
		if (v)
			cli_verb_help(v);
		else
			help();
		return CLI_EXIT_OK;
	}
	v = find_verb(argv[optind]);
	if (!v) {
		fprintf(stderr, "backride: unknown verb '%s'. Try 'backride --help'.\n",
			argv[optind]);
		return CLI_EXIT_USAGE;
	}
	argv[optind] = argv[0];
	r = v->run(&cli, argc - optind, argv + optind);
	sd_bus_flush_close_unref(cli.bus);
	return r;
}
