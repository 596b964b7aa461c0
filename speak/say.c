/* SPDX-License-Identifier: MIT */
/* backride-speak: its [voice] config, and espeak-ng (aloud or into WAV files). */
#include "speak.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void speak_opts_default(struct speak_opts *o)
{
	*o = (struct speak_opts) { .bus = NULL, .rate = 150, .pain_check_min = 5, .wait_s = 10 };
	(void) snprintf(o->voice, sizeof(o->voice), "en");
}

struct config_state {
	const char *path;
	struct speak_opts *o;
	int failed;
};

static int parse_u32(const char *v, uint32_t lo, uint32_t hi, uint32_t *ret)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno || end == v || *end || *v == '-' || x < lo || x > hi)
		return -ERANGE;
	*ret = (uint32_t) x;
	return 0;
}

int speak_option(struct speak_opts *o, const char *key, const char *v, const char **why)
{
	if (strcmp(key, "speak") == 0) {
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0) {
			*why = "must be yes or no";
			return -EINVAL;
		}
		o->speak = strcmp(v, "yes") == 0;
		return 0;
	}
	if (strcmp(key, "pain_check_min") == 0) {
		*why = "must be 0 (never) or 1 to 30 minutes";
		return parse_u32(v, 0, 30, &o->pain_check_min);
	}
	if (strcmp(key, "rate") == 0) {
		*why = "must be 80 to 300 words per minute";
		return parse_u32(v, 80, 300, &o->rate);
	}
	if (strcmp(key, "voice") == 0) {
		*why = "must be an espeak-ng voice name (letters, digits, - + _), 1 to 31 "
		       "characters";
		if (!*v || strlen(v) >= sizeof(o->voice) ||
		    strspn(v, "abcdefghijklmnopqrstuvwxyz"
			      "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "0123456789-+_") != strlen(v))
			return -EINVAL;
		(void) snprintf(o->voice, sizeof(o->voice), "%s", v);
		return 0;
	}
	if (strcmp(key, "wait") == 0) {
		*why = "must be 0 to 3600 seconds";
		return parse_u32(v, 0, 3600, &o->wait_s);
	}
	*why = "unknown key";
	return -ENOENT;
}

static int handler(void *userdata, const char *section, const char *key, const char *value)
{
	struct config_state *st = userdata;
	const char *why = NULL;

	if (strcmp(section, "voice") != 0)
		return 1; /* the daemon's */
	if (strcmp(key, "wait") == 0 || speak_option(st->o, key, value, &why) < 0) {
		why = why ? why : "unknown key";
		fprintf(stderr, "backride-speak: %s: [voice] %s = %s: %s\n", st->path, key, value,
			why);
		st->failed = -EINVAL;
		return 0;
	}
	return 1;
}

int speak_config_read(const char *path, struct speak_opts *o)
{
	struct config_state st = { .path = path, .o = o };
	FILE *f;
	int r;

	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	r = ini_parse_file(f, handler, &st);
	(void) fclose(f);
	if (st.failed)
		return st.failed;
	if (r != 0) {
		fprintf(stderr, "backride-speak: %s:%d: cannot parse this line\n", path, r);
		return -EINVAL;
	}
	return 0;
}

/* Run argv, quietly; wait for it. Return: 0, -errno, or -EIO if it failed. */
static int run(char *const argv[])
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (fd >= 0)
			(void) dup2(fd, STDOUT_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOENT;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

int speak_check(void)
{
	char *const argv[] = { "espeak-ng", "--version", NULL };
	int r;

	r = run(argv);
	if (r < 0)
		fprintf(stderr,
			"backride-speak: cannot run espeak-ng (%s); install the espeak-ng "
			"package (apt-get install espeak-ng).\n",
			strerror(-r));
	return r;
}

static int log_cue(const char *dir, const char *wav, const struct cue *c, int32_t t, unsigned n)
{
	char path[4096];
	FILE *f;

	(void) snprintf(path, sizeof(path), "%s/cues.log", dir);
	f = fopen(path, "ae");
	if (!f)
		return -errno;
	fprintf(f, "%u\t%s\t%d\t%s\t%s\n", n, c->kind, t, wav, c->text);
	return fclose(f) == 0 ? 0 : -errno;
}

int speak_say(const struct speak_opts *o, const struct cue *c, int32_t t, unsigned n)
{
	char rate[16], wav[64], path[4096];
	char *argv[] = { "espeak-ng", "-v", (char *) o->voice, "-s", rate,
			 "-w",	      path, (char *) c->text,  NULL };
	char *aloud[] = {
		"espeak-ng", "-v", (char *) o->voice, "-s", rate, (char *) c->text, NULL
	};
	int r;

	(void) snprintf(rate, sizeof(rate), "%u", o->rate);
	if (!o->wav_dir) {
		r = run(aloud);
		if (r < 0)
			fprintf(stderr, "backride-speak: espeak-ng failed to say \"%s\": %s\n",
				c->text, strerror(-r));
		return r;
	}
	(void) snprintf(wav, sizeof(wav), "%03u-%s.wav", n, c->kind);
	(void) snprintf(path, sizeof(path), "%s/%s", o->wav_dir, wav);
	r = run(argv);
	if (r >= 0)
		r = log_cue(o->wav_dir, wav, c, t, n);
	if (r < 0)
		fprintf(stderr, "backride-speak: cannot write %s: %s\n", path, strerror(-r));
	return r;
}
