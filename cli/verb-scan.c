/* SPDX-License-Identifier: MIT */
/* backride scan: look for machines and print each one as it is found. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backride-dbus.h"
#include "cli.h"
#include "machine.h"
#include "macro.h"
#include "output.h"
#include "progress.h"

#define SCAN_SECONDS_MAX 300
#define SEEN_MAX	 64

struct scan {
	struct cli *cli;
	bool finished;
	char seen[SEEN_MAX][18];
	unsigned n_seen;
};

static bool scan_seen(struct scan *s, const char *address)
{
	for (unsigned i = 0; i < s->n_seen; i++)
		if (strcmp(s->seen[i], address) == 0)
			return true;
	if (s->n_seen < SEEN_MAX)
		(void) snprintf(s->seen[s->n_seen++], sizeof(s->seen[0]), "%s", address);
	return false;
}

static int on_found(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct scan *s = userdata;
	const char *address, *name, *kind;
	char level[8] = "-", protocol[16];
	int16_t rssi;

	if (sd_bus_message_read(m, "sssn", &address, &name, &kind, &rssi) < 0 ||
	    scan_seen(s, address))
		return 0;
	cli_machine_protocol(s->cli, address, protocol, sizeof(protocol));
	/* MachineFound's rssi is 0 when unknown (BlueZ has none, or reported 127). */
	if (rssi)
		(void) snprintf(level, sizeof(level), "%d", rssi);
	if (s->cli->json) {
		fputs("{\"address\":", stdout);
		json_string(stdout, address);
		fputs(",\"name\":", stdout);
		json_string(stdout, name);
		fputs(",\"kind\":", stdout);
		json_string(stdout, kind);
		printf(",\"rssi\":%s,\"protocol\":", rssi ? level : "null");
		json_string(stdout, protocol);
		fputs("}\n", stdout);
	} else {
		if (s->n_seen == 1 && !s->cli->no_legend)
			printf("%-17s  %-9s  %4s  %s\n", "ADDRESS", "KIND", "RSSI", "NAME");
		printf("%-17s  %-9s  %4s  %s\n", address, cli_kind_label(kind, protocol), level,
		       *name ? name : "(no name)");
	}
	fflush(stdout);
	return 0;
}

static int on_finished(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	((struct scan *) userdata)->finished = true;
	return 0;
}

static int parse_args(struct cli *cli, int argc, char **argv, unsigned *seconds)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "seconds", required_argument, NULL, 's' },
		{},
	};
	char *end;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "hs:", longopts, NULL)) >= 0) {
		switch (c) {
		case 'h':
			cli_verb_help(&verb_scan);
			return 0;
		case 'j':
			cli->json = 1;
			break;
		case 's':
			*seconds = (unsigned) strtoul(optarg, &end, 10);
			if (*end || !*optarg || *seconds < 1 || *seconds > SCAN_SECONDS_MAX) {
				fprintf(stderr, "backride: --seconds takes 1 to %d.\n",
					SCAN_SECONDS_MAX);
				return -CLI_EXIT_USAGE;
			}
			break;
		default:
			fprintf(stderr, "Try 'backride scan --help'.\n");
			return -CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "backride: unexpected argument '%s'\n", argv[optind]);
		return -CLI_EXIT_USAGE;
	}
	return 1;
}

static int match(struct scan *s, sd_bus_slot **slot, const char *member,
		 sd_bus_message_handler_t cb)
{
	return sd_bus_match_signal(s->cli->bus, slot, BR_BUS_NAME, BR_MANAGER_PATH,
				   BR_MANAGER_IFACE, member, cb, s);
}

/* Process signals until ScanFinished, with a countdown on a terminal. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	interrupted = 1;
}

static int scan_wait(struct scan *s, unsigned seconds)
{
	struct sigaction sa = { .sa_handler = on_sigint }; /* no SA_RESTART: the wait ends */
	struct progress p;
	struct timespec t0, now;
	char text[64];
	int r = 0;

	(void) sigaction(SIGINT, &sa, NULL);
	progress_init(&p);
	(void) clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!s->finished) {
		r = sd_bus_process(s->cli->bus, NULL);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		(void) clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec > (time_t) seconds + 10)
			return -ETIMEDOUT; /* ScanFinished got lost: the daemon went away */
		(void) snprintf(text, sizeof(text), "Scanning, %ld s left",
				MAX(0L, (long) seconds - (long) (now.tv_sec - t0.tv_sec)));
		progress_show(&p, text);
		r = sd_bus_wait(s->cli->bus, 250 * USEC_PER_MSEC);
		if (interrupted) {
			/* Ctrl-C: end the daemon's scan too, it is of no use to anybody now. */
			progress_clear(&p);
			(void) sd_bus_call_method(s->cli->bus, BR_BUS_NAME, BR_MANAGER_PATH,
						  BR_MANAGER_IFACE, "StopScan", NULL, NULL, "");
			return -EINTR;
		}
		if (r < 0)
			return r;
	}
	progress_clear(&p);
	return 0;
}

/* The footer is for people: into a pipe it goes to stderr, so that stdout is only the table. */
static void footer(const struct scan *s)
{
	FILE *f = isatty(STDOUT_FILENO) == 1 ? stdout : stderr;

	fflush(stdout);
	if (s->n_seen == 0)
		fprintf(f,
			"No machine found. Is it switched on? Many wake up when you pedal or step "
			"on them; then scan again.\n");
	else
		fprintf(f, "%u found. Pair one with 'backride pair ADDRESS'.\n", s->n_seen);
}

static int run_scan(struct cli *cli, int argc, char **argv)
{
	_cleanup_(sd_bus_slot_unrefp) sd_bus_slot *found = NULL, *finished = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	struct scan s = { .cli = cli };
	unsigned seconds = 0;
	int r;

	r = parse_args(cli, argc, argv, &seconds);
	if (r <= 0)
		return -r;
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = match(&s, &found, "MachineFound", on_found);
	if (r >= 0)
		r = match(&s, &finished, "ScanFinished", on_finished);
	if (r >= 0)
		r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_MANAGER_IFACE,
				       "StartScan", &e, NULL, "u", seconds);
	if (r < 0) {
		r = cli_call_failed(cli, "start a scan", &e, r);
		sd_bus_error_free(&e);
		return r;
	}
	if (!seconds)
		seconds = 10; /* only for the countdown: the daemon's [bluez] scan_seconds rules */
	r = scan_wait(&s, seconds);
	if (r == -EINTR)
		return 130; /* like a shell */
	if (r < 0)
		return cli_call_failed(cli, "finish the scan", &e, r);
	if (!cli->json && !cli->no_legend)
		footer(&s);
	return CLI_EXIT_OK;
}

const struct verb verb_scan = {
	.name = "scan",
	.summary = "Look for Bluetooth bikes, treadmills and heart-rate straps",
	.usage = "[--seconds N] [--json]\n\n"
		 "Scans for FTMS machines and heart-rate straps and prints each one as it is\n"
		 "found: address, kind, signal strength (dBm) and name.\n\n"
		 "  -s, --seconds N   scan for N seconds (1-300; default: [bluez] scan_seconds)\n"
		 "      --json        one JSON object per line, as found\n",
	.run = run_scan,
};
