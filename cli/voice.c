/* SPDX-License-Identifier: MIT */
/* 'backride start --speak': backride-speak as a child process (voice.h). */
#include "voice.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backride-build.h"

static int speak_key(void *userdata, const char *section, const char *key, const char *value)
{
	int *speak = userdata;

	if (strcmp(section, "voice") != 0 || strcmp(key, "speak") != 0)
		return 1; /* the daemon's, or backride-speak's own */
	if (strcmp(value, "yes") == 0 || strcmp(value, "no") == 0) {
		*speak = strcmp(value, "yes") == 0;
		return 1;
	}
	*speak = -EINVAL;
	return 0;
}

int cli_voice_configured(void)
{
	const char *path = getenv("BACKRIDE_CONFIG");
	int speak = 0;
	FILE *f;

	if (!path || !*path)
		path = BACKRIDE_CONFIG_FILE;
	f = fopen(path, "re");
	if (!f)
		return 0; /* no config (or none readable): the defaults, voice off */
	(void) ini_parse_file(f, speak_key, &speak);
	(void) fclose(f);
	if (speak < 0)
		fprintf(stderr, "backride: %s: [voice] speak must be yes or no.\n", path);
	return speak;
}

int cli_voice_start(struct cli *cli, bool detach)
{
	const char *prog = getenv("BACKRIDE_SPEAK");
	pid_t pid;
	int fd;

	if (!prog || !*prog)
		prog = BACKRIDE_SPEAK_PATH;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "backride: cannot start the voice: %s\n", strerror(errno));
		return CLI_EXIT_FAILURE;
	}
	if (pid > 0)
		return 0;
	/* The child: no terminal input or output (the live view owns them); errors still show. */
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		(void) dup2(fd, STDIN_FILENO);
		(void) dup2(fd, STDOUT_FILENO);
	}
	if (detach)
		(void) setsid();
	execl(prog, "backride-speak", "--bus", cli->bus_name, (char *) NULL);
	fprintf(stderr, "backride: cannot run %s for the voice: %s\n", prog, strerror(errno));
	_exit(127);
}
