/* SPDX-License-Identifier: MIT */
/* backride export: one session as TCX, FIT, CSV or JSON, to a file or standard output. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "history-client.h"
#include "macro.h"

struct export_args {
	uint64_t id;
	const char *format;
	const char *output;
	int force;
};

static int parse_args(struct cli *cli, int argc, char **argv, struct export_args *a)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
						  { "json", no_argument, NULL, 'j' },
						  { "format", required_argument, NULL, 'f' },
						  { "output", required_argument, NULL, 'o' },
						  { "force", no_argument, NULL, 'F' },
						  {} };
	int c;

	optind = 0; /* 0, not 1: reinitialise GNU getopt so that options may follow the ID */
	while ((c = getopt_long(argc, argv, "hf:o:", longopts, NULL)) >= 0) {
		switch (c) {
		case 'h':
			cli_verb_help(&verb_export);
			return 0;
		case 'j':
			cli->json = 1;
			break;
		case 'f':
			a->format = optarg;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'F':
			a->force = 1;
			break;
		default:
			fprintf(stderr, "Try 'backride export --help'.\n");
			return -CLI_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return verb_usage_error(&verb_export, "want exactly one session ID");
	if (!a->format && cli->json)
		a->format = "json";
	if (!a->format)
		return verb_usage_error(&verb_export, "--format tcx|fit|csv|json is required");
	if (parse_session_id("export", argv[optind], &a->id) < 0)
		return -CLI_EXIT_USAGE;
	return 1;
}

static int copy_fd(int in, int out)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (ssize_t off = 0; off < n;) {
			ssize_t k = write(out, buf + off, (size_t) (n - off));

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return -errno;
			off += k;
		}
	}
	return 0;
}

/* Open where the export goes. Files are 0600: history is health data. */
static int open_output(const struct export_args *a)
{
	int fd;

	if (!a->output || strcmp(a->output, "-") == 0) {
		if (strcmp(a->format, "fit") == 0 && isatty(STDOUT_FILENO)) {
			fprintf(stderr, "backride: FIT is binary; not writing it to a "
					"terminal. Use -o FILE or a redirection.\n");
			return -CLI_EXIT_USAGE;
		}
		return STDOUT_FILENO;
	}
	fd = open(a->output, O_WRONLY | O_CREAT | O_CLOEXEC | (a->force ? O_TRUNC : O_EXCL), 0600);
	if (fd < 0 && errno == EEXIST) {
		fprintf(stderr, "backride: %s exists; use --force to overwrite it.\n", a->output);
		return -CLI_EXIT_FAILURE;
	}
	if (fd < 0) {
		fprintf(stderr, "backride: cannot create %s: %m\n", a->output);
		return -CLI_EXIT_FAILURE;
	}
	return fd;
}

static int run_export(struct cli *cli, int argc, char **argv)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
	struct export_args a = {};
	int fd, out, r;

	r = parse_args(cli, argc, argv, &a);
	if (r <= 0)
		return -r;
	r = history_new_call(cli, "Export", &m);
	if (r > 0)
		return r;
	r = sd_bus_message_append(m, "ts", a.id, a.format);
	if (r < 0)
		return CLI_EXIT_FAILURE;
	r = history_call(cli, m, "export the session", &reply);
	if (r > 0)
		return r;
	r = sd_bus_message_read(reply, "h", &fd);
	if (r < 0) {
		fprintf(stderr, "backride: bad reply from the daemon: %s\n", strerror(-r));
		return CLI_EXIT_FAILURE;
	}
	out = open_output(&a);
	if (out < 0)
		return -out;
	r = copy_fd(fd, out);
	if (out != STDOUT_FILENO && close(out) < 0 && r >= 0)
		r = -errno;
	if (r < 0) {
		fprintf(stderr, "backride: cannot write %s: %s\n",
			a.output ? a.output : "standard output", strerror(-r));
		return CLI_EXIT_FAILURE;
	}
	return CLI_EXIT_OK;
}

const struct verb verb_export = {
	.name = "export",
	.summary = "Export a session as TCX, FIT, CSV or JSON",
	.usage = "ID --format tcx|fit|csv|json [-o FILE] [--force]\n\n"
		 "Writes session ID in a format other tools open: tcx (Garmin\n"
		 "TrainingCenterDatabase v2), fit (FIT activity), csv (one row per second)\n"
		 "or json. Times are UTC.\n\n"
		 "  -f, --format FMT  tcx, fit, csv or json (--json alone means json)\n"
		 "  -o, --output FILE write FILE (mode 0600) instead of standard output;\n"
		 "                    an existing FILE is kept unless --force is given\n"
		 "      --force       overwrite FILE\n\n"
		 "FIT is never written to a terminal.\n",
	.run = run_export,
};
