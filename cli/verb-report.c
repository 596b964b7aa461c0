/* SPDX-License-Identifier: MIT */
/* backride report: a PDF or HTML report for a physiotherapist (docs/report.md). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "history-client.h"
#include "macro.h"
#include "output.h"
#include "report.h"

#define WEEKS_DEFAULT 12

struct report_args {
	unsigned weeks;
	const char *output;
	int force;
	bool html;
};

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n > t && strcasecmp(s + n - t, tail) == 0;
}

static int parse_args(struct cli *cli, int argc, char **argv, struct report_args *a)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
						  { "json", no_argument, NULL, 'j' },
						  { "weeks", required_argument, NULL, 'w' },
						  { "output", required_argument, NULL, 'o' },
						  { "force", no_argument, NULL, 'F' },
						  {} };
	char *end;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "hw:o:", longopts, NULL)) >= 0) {
		if (c == 'h') {
			cli_verb_help(&verb_report);
			return 0;
		} else if (c == 'w') {
			a->weeks = (unsigned) strtoul(optarg, &end, 10);
			if (!*optarg || *end || *optarg == '-' || a->weeks == 0 ||
			    a->weeks > REPORT_WEEKS_MAX)
				return verb_usage_error(
					&verb_report,
					"--weeks wants a number from 1 to %d, not '%s'",
					REPORT_WEEKS_MAX, optarg);
		} else if (c == 'o') {
			a->output = optarg;
		} else if (c == 'F') {
			a->force = 1;
		} else if (c == 'j') {
			cli->json = 1;
		} else {
			fprintf(stderr, "Try 'backride report --help'.\n");
			return -CLI_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return verb_usage_error(&verb_report, "unexpected argument '%s'", argv[optind]);
	if (!a->output)
		return verb_usage_error(&verb_report, "-o FILE.pdf or -o FILE.html is needed");
	a->html = ends_with(a->output, ".html") || ends_with(a->output, ".htm");
	if (!a->html && !ends_with(a->output, ".pdf"))
		return verb_usage_error(&verb_report, "'%s' ends neither in .pdf nor in .html",
					a->output);
	return 1;
}

/* The file is 0600 (health data) and never overwritten without --force. */
static FILE *open_output(const struct report_args *a)
{
	FILE *f;
	int fd;

	fd = open(a->output, O_WRONLY | O_CREAT | O_CLOEXEC | (a->force ? O_TRUNC : O_EXCL), 0600);
	if (fd < 0 && errno == EEXIST) {
		fprintf(stderr, "backride: %s exists; use --force to overwrite it.\n", a->output);
		return NULL;
	}
	if (fd < 0) {
		fprintf(stderr, "backride: cannot create %s: %s\n", a->output, strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

static int run_report(struct cli *cli, int argc, char **argv)
{
	struct report_args a = { .weeks = WEEKS_DEFAULT };
	_cleanup_free_ struct report *rep = calloc(1, sizeof(*rep));
	FILE *f;
	int r;

	if (!rep)
		return CLI_EXIT_FAILURE;
	r = parse_args(cli, argc, argv, &a);
	if (r <= 0)
		return -r;
	r = report_fetch(cli, a.weeks, rep);
	if (r > 0) {
		report_done(rep);
		return r;
	}
	f = open_output(&a);
	if (!f) {
		report_done(rep);
		return CLI_EXIT_FAILURE;
	}
	r = a.html ? report_write_html(rep, f) : report_write_pdf(rep, f);
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	report_done(rep);
	if (r < 0) {
		fprintf(stderr, "backride: cannot write %s: %s\n", a.output, strerror(-r));
		(void) unlink(a.output);
		return CLI_EXIT_FAILURE;
	}
	if (cli->json) {
		printf("{\"output\":");
		json_string(stdout, a.output);
		printf(",\"format\":\"%s\",\"sessions\":%zu,\"weeks\":%u,\"programme\":%s}\n",
		       a.html ? "html" : "pdf", rep->n_sessions, rep->n_weeks,
		       rep->has_programme ? "true" : "false");
	} else {
		printf("Wrote %s: %zu sessions in %u weeks%s.\n", a.output, rep->n_sessions,
		       rep->n_weeks, rep->has_programme ? ", with the programme" : "");
	}
	return CLI_EXIT_OK;
}

const struct verb verb_report = {
	.name = "report",
	.summary = "Write a PDF or HTML report for a physiotherapist",
	.usage = "-o FILE.pdf|FILE.html [--weeks N] [--force] [--json]\n\n"
		 "A report of the last N weeks (default 12, at most 104): the programme and\n"
		 "where it stands, minutes per week against the goal, pain before, during,\n"
		 "after and the next morning, intensity and heart rate per session, the\n"
		 "flare-ups and what backride did, and a table of the sessions. PDF (drawn\n"
		 "with cairo) or one HTML file with SVG charts, chosen by FILE's ending.\n\n"
		 "  -w, --weeks N      the last N weeks, Monday to Sunday\n"
		 "  -o, --output FILE  write FILE (mode 0600); an existing FILE is kept\n"
		 "                     unless --force is given\n"
		 "      --force        overwrite FILE\n"
		 "      --json         say what was written as JSON\n",
	.run = run_report,
};
