/* SPDX-License-Identifier: MIT */
/* backride programme [show|start|stop] and backride flare: a programme over weeks. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backride-dbus.h"
#include "cli.h"
#include "history-client.h"
#include "macro.h"
#include "programme-client.h"

#define FILE_MAX 16384

static int show(struct cli *cli)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_free_ struct programme_state *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return CLI_EXIT_FAILURE;
	r = programme_get(cli, s, cli->json ? &reply : NULL);
	if (r == 1) {
		fprintf(stderr, "backride: No programme runs; 'backride programme start' begins "
				"one.\n");
		return CLI_EXIT_FAILURE;
	}
	if (r > 0)
		return r;
	if (cli->json) {
		printf("{\"state\":");
		r = dict_json(stdout, reply);
		printf(",\"weeks\":[");
		r = r < 0 ? r : sd_bus_message_enter_container(reply, 'a', "a{sv}");
		for (unsigned i = 0; r >= 0; i++) {
			if (sd_bus_message_at_end(reply, false) > 0)
				break;
			printf(i ? ",\n" : "\n");
			r = dict_json(stdout, reply);
		}
		printf("\n]}\n");
		return r < 0 ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
	}
	programme_print_state(s);
	printf("\n");
	programme_print_weeks(s);
	return CLI_EXIT_OK;
}

static int read_file(const char *path, FILE *out)
{
	_cleanup_free_ char *buf = malloc(FILE_MAX + 1);
	FILE *in;
	size_t n;

	if (!buf)
		return -ENOMEM;
	in = fopen(path, "re");
	if (!in) {
		fprintf(stderr, "backride: cannot read %s: %s\n", path, strerror(errno));
		return -CLI_EXIT_USAGE;
	}
	n = fread(buf, 1, FILE_MAX + 1, in);
	fclose(in);
	if (n > FILE_MAX || memchr(buf, '\0', n)) {
		fprintf(stderr, "backride: %s is not a programme file (text under 16 KiB).\n",
			path);
		return -CLI_EXIT_USAGE;
	}
	fwrite(buf, 1, n, out);
	fputc('\n', out);
	return 0;
}

static int number_arg(const char *opt, const char *v, unsigned lo, unsigned hi, FILE *out,
		      const char *key)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (!*v || *end || *v == '-' || n < lo || n > hi)
		return verb_usage_error(&verb_programme,
					"%s wants a number from %u to %u, not '%s'", opt, lo, hi,
					v);
	fprintf(out, "[programme]\n%s = %lu\n", key, n);
	return 0;
}

static int start_option(int c, const char *arg, FILE *out)
{
	switch (c) {
	case 'f':
		return read_file(arg, out);
	case 'k':
		if (strcmp(arg, "bike") && strcmp(arg, "treadmill") && strcmp(arg, "either"))
			return verb_usage_error(&verb_programme,
						"--kind wants bike, treadmill or either, not '%s'",
						arg);
		fprintf(out, "[programme]\nkind = %s\n", arg);
		return 0;
	case 'w':
		return number_arg("--weeks", arg, 1, 52, out, "weeks");
	case 'g':
		return number_arg("--goal", arg, 30, 420, out, "weekly_minutes");
	case 's':
		return number_arg("--sessions", arg, 1, 7, out, "sessions_per_week");
	case 'B':
		fprintf(out, "[programme]\nbaseline_sessions = 0\n");
		return 0;
	default:
		fprintf(stderr, "Try 'backride programme --help'.\n");
		return -CLI_EXIT_USAGE;
	}
}

static int start(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
						  { "json", no_argument, NULL, 'j' },
						  { "file", required_argument, NULL, 'f' },
						  { "kind", required_argument, NULL, 'k' },
						  { "weeks", required_argument, NULL, 'w' },
						  { "goal", required_argument, NULL, 'g' },
						  { "sessions", required_argument, NULL, 's' },
						  { "no-baseline", no_argument, NULL, 'B' },
						  {} };
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_free_ char *text = NULL;
	struct programme_state s = { 0 };
	size_t len = 0;
	FILE *out;
	int c, r = 0;

	out = open_memstream(&text, &len);
	if (!out)
		return CLI_EXIT_FAILURE;
	optind = 0;
	while (r == 0 && (c = getopt_long(argc, argv, "hf:k:w:g:s:", longopts, NULL)) >= 0) {
		if (c == 'h') {
			cli_verb_help(&verb_programme);
			r = 1;
		} else if (c == 'j') {
			cli->json = 1;
		} else {
			r = start_option(c, optarg, out);
		}
	}
	fclose(out);
	if (r == 1)
		return CLI_EXIT_OK;
	if (r < 0)
		return -r;
	if (optind < argc)
		return verb_usage_error(&verb_programme, "unexpected argument '%s'", argv[optind]);
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_PROGRAMME_IFACE, "Start",
			       &e, &reply, "s", text ? text : "");
	if (r < 0)
		return cli_call_failed(cli, "start the programme", &e, r);
	if (cli->json) {
		r = dict_json(stdout, reply);
		printf("\n");
		return r < 0 ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
	}
	if (programme_state_read(reply, &s) < 0)
		return CLI_EXIT_FAILURE;
	printf("Programme started: %s, %u min a week in %u sessions, %u weeks.\n", s.kind,
	       s.weekly_minutes, s.sessions_per_week, s.weeks);
	printf("%s\n", s.reason_text);
	printf("'backride programme' shows it; 'backride start' runs the next session.\n");
	return CLI_EXIT_OK;
}

static int stop(struct cli *cli)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_PROGRAMME_IFACE, "Stop",
			       &e, NULL, "");
	if (r < 0)
		return cli_call_failed(cli, "stop the programme", &e, r);
	if (cli->json)
		printf("{\"stopped\":true}\n");
	else
		printf("Programme stopped; its sessions stay in the history.\n");
	return CLI_EXIT_OK;
}

static int run_programme(struct cli *cli, int argc, char **argv)
{
	bool stopping = false;
	int r;

	if (argc > 1 && strcmp(argv[1], "start") == 0)
		return start(cli, argc - 1, argv + 1);
	if (argc > 1 && (strcmp(argv[1], "show") == 0 || strcmp(argv[1], "stop") == 0)) {
		stopping = strcmp(argv[1], "stop") == 0;
		argc--;
		argv++;
	} else if (argc > 1 && argv[1][0] != '-') {
		return verb_usage_error(&verb_programme,
					"unknown action '%s'; use show, start or stop", argv[1]);
	}
	r = cli_verb_options(cli, &verb_programme, argc, argv);
	if (r <= 0)
		return -r;
	if (optind < argc)
		return verb_usage_error(&verb_programme, "unexpected argument '%s'", argv[optind]);
	return stopping ? stop(cli) : show(cli);
}

const struct verb verb_programme = {
	.name = "programme",
	.summary = "Start, show or stop a programme over weeks",
	.usage =
		"[show] [--json]\n"
		"       backride programme start [--file FILE] [--kind bike|treadmill|either]\n"
		"                 [--weeks N] [--goal MINUTES] [--sessions N] [--no-baseline] "
		"[--json]\n"
		"       backride programme stop [--json]\n\n"
		"A programme of graded activity: a baseline of sessions as long as is\n"
		"comfortable, then sessions from 70 % of it, longer by pre-set weekly steps up to\n"
		"the goal (default 150 minutes a week in 5 sessions). A worse next-morning\n"
		"check-in ('backride pain N') holds or lowers the next step; 'backride flare' or\n"
		"two bad mornings in a row drop it back. FILE is a programme file (INI, see\n"
		"'man backride'); the options override its keys. 'show' (the default) prints\n"
		"where it stands, why the next session is as long as it is, and the weeks.\n",
	.run = run_programme,
};

static int run_flare(struct cli *cli, int argc, char **argv)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	struct programme_state s = { 0 };
	const char *note = "";
	int r;

	r = cli_verb_options(cli, &verb_flare, argc, argv);
	if (r <= 0)
		return -r;
	if (optind < argc)
		note = argv[optind++];
	if (optind < argc)
		return verb_usage_error(&verb_flare, "unexpected argument '%s' (quote the note)",
					argv[optind]);
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_PROGRAMME_IFACE, "Flare",
			       &e, &reply, "s", note);
	if (r < 0)
		return cli_call_failed(cli, "record the flare-up", &e, r);
	if (cli->json) {
		r = dict_json(stdout, reply);
		printf("\n");
		return r < 0 ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
	}
	if (programme_state_read(reply, &s) < 0)
		return CLI_EXIT_FAILURE;
	printf("Flare-up recorded. %s\n", s.reason_text);
	return CLI_EXIT_OK;
}

const struct verb verb_flare = {
	.name = "flare",
	.summary = "Tell the programme about a flare-up",
	.usage = "[NOTE] [--json]\n\n"
		 "The programme's sessions drop to 60 % (the programme file's [flare] share_pct)\n"
		 "and rebuild by the weekly steps. NOTE (one line) is kept with it for the "
		 "report.\n",
	.run = run_flare,
};
