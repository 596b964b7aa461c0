/* SPDX-License-Identifier: MIT */
/* The live view's keys: the terminal's mode, and what each key asks of Session1. */
#include "live-keys.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "keys.h"

static struct termios saved;
static volatile sig_atomic_t active;
static struct keys keys;
static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };

static uint64_t now_ms(void)
{
	struct timespec ts;

	(void) clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

/* cbreak: keys come one by one without Enter and are not echoed; Ctrl-C, Ctrl-Z and Ctrl-\
 * still send their signals (ISIG), and output is processed as before. */
static int set_cbreak(void)
{
	struct termios t = saved;

	t.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	return tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

static void restore(void)
{
	if (active)
		(void) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

static void on_signal(int sig);

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa = { .sa_handler = fn };

	(void) sigemptyset(&sa.sa_mask);
	(void) sigaction(sig, &sa, NULL);
}

/* Async-signal-safe: tcsetattr() and write() only. The terminal is restored, then the signal
 * does what it would have done (end the view, or stop it for Ctrl-Z). */
static void on_signal(int sig)
{
	int e = errno;
	sigset_t set;

	restore();
	(void) !write(STDOUT_FILENO, "\n", 1);
	handle(sig, SIG_DFL);
	/* The signal is blocked while its handler runs: unblock it, or raise() would only leave
	 * it pending for this handler again. */
	(void) sigemptyset(&set);
	(void) sigaddset(&set, sig);
	(void) sigprocmask(SIG_UNBLOCK, &set, NULL);
	(void) raise(sig);
	/* Only SIGTSTP comes back here, after fg: cbreak again if still in the foreground. */
	handle(sig, on_signal);
	if (active && tcgetpgrp(STDIN_FILENO) == getpgrp())
		(void) set_cbreak();
	errno = e;
}

static void at_exit(void)
{
	restore();
}

bool live_keys_begin(void)
{
	static bool registered;

	if (active || isatty(STDIN_FILENO) != 1 || isatty(STDOUT_FILENO) != 1)
		return active;
	if (tcgetattr(STDIN_FILENO, &saved) < 0)
		return false;
	if (!registered && atexit(at_exit) == 0)
		registered = true;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		handle(signals[i], on_signal);
	active = 1;
	if (set_cbreak() < 0) {
		live_keys_end();
		return false;
	}
	keys_init(&keys);
	return true;
}

void live_keys_end(void)
{
	if (!active)
		return;
	restore();
	active = 0;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		handle(signals[i], SIG_DFL);
}

static bool is_treadmill(const struct cli_session *s)
{
	return strcmp(s->kind, "treadmill") == 0;
}

void live_keys_legend(FILE *f, const struct cli_session *s)
{
	fprintf(f, "\r\033[KKeys: 0-9 pain (1 then 0: 10)   - easier   space pause/resume   "
		   "s s stop\n");
	fprintf(f, "      %sq leave the view (the session goes on)\n",
		is_treadmill(s) ? "c start the belt   " : "");
}

/* A line above the live line, which is drawn again below it. */
static int say(const char *text)
{
	printf("\r\033[K%s\n", text);
	fflush(stdout);
	return LIVE_REDRAW;
}

/* Errors of a call go to stderr as for every verb: start them on a clean line. */
static int call(struct cli *cli, const char *method, const char *what, int pain)
{
	printf("\r\033[K");
	fflush(stdout);
	if (pain >= 0)
		return cli_session_call(cli, method, what, "u", (uint32_t) pain);
	return cli_session_call(cli, method, what, NULL);
}

static const char *pain_effect(const struct cli_session *s, int pain)
{
	if (strcmp(s->phase, "stretches") == 0 || cli_session_done(s))
		return "noted as the pain after.";
	if (pain >= 6)
		return "noted. Cooling down now, then the session ends.";
	if (pain >= 4)
		return "noted. The level is lowered and will not rise again this session.";
	return "noted. Carry on.";
}

static int pause_resume(struct cli *cli, const struct cli_session *s)
{
	if (strcmp(s->phase, "waiting") == 0 && is_treadmill(s))
		return say("The belt waits: press c to start it (a countdown follows).");
	if (s->paused) {
		if (call(cli, "Resume", "resume the session", -1) != 0)
			return LIVE_REDRAW;
		return say("Resumed at a lower level; it ramps back up gently.");
	}
	if (call(cli, "Pause", "pause the session", -1) != 0)
		return LIVE_REDRAW;
	return say("Paused. Space (or p) goes on gently.");
}

static int act(struct cli *cli, const struct cli_session *s, enum key_action a, int v)
{
	switch (a) {
	case KEY_PAIN:
		if (call(cli, "ReportPain", "report pain", v) != 0)
			return LIVE_REDRAW;
		printf("Pain %d %s\n", v, pain_effect(s, v));
		return LIVE_REDRAW;
	case KEY_PAUSE_RESUME:
		return pause_resume(cli, s);
	case KEY_STOP_ASK:
		return say("Press s again to stop the session (any other key goes on).");
	case KEY_STOP:
		printf("\r\033[K");
		fflush(stdout);
		/* The pain after is not asked: a digit during the stretches reports it. */
		if (cli_session_call(cli, "Stop", "stop the session", "i", -1) != 0)
			return LIVE_REDRAW;
		return say("Stopping: the machine is brought to rest.");
	case KEY_STOP_CANCEL:
		return say("Not stopped: the session goes on.");
	case KEY_CONFIRM_BELT:
		if (!is_treadmill(s))
			return say("Only a treadmill's belt needs a confirmation.");
		if (call(cli, "ConfirmBelt", "start the belt", -1) != 0)
			return LIVE_REDRAW;
		return say("Belt confirmed: keep your feet on the side rails until it moves.");
	case KEY_EASE:
		if (call(cli, "Ease", "ease the target", -1) != 0)
			return LIVE_REDRAW;
		return say("Eased one step: the level will not rise again this session.");
	case KEY_QUIT:
		return LIVE_QUIT;
	case KEY_UNKNOWN:
		live_keys_legend(stdout, s);
		return LIVE_REDRAW;
	case KEY_NONE:
		break;
	}
	return 0;
}

int live_keys_wait(struct cli *cli, const struct cli_session *s, unsigned ms)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	unsigned char buf[64];
	enum key_action a, also;
	int r, v = -1, ret = 0;
	ssize_t n;

	if (!active) {
		struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };

		(void) nanosleep(&ts, NULL);
		return 0;
	}
	r = poll(&p, 1, (int) ms);
	if (r <= 0 || !(p.revents & (POLLIN | POLLHUP)))
		return 0;
	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n <= 0) {
		live_keys_end(); /* the terminal went away: keys off, the view goes on */
		return 0;
	}
	for (ssize_t i = 0; i < n && !(ret & LIVE_QUIT); i++) {
		a = keys_feed(&keys, buf[i], now_ms(), &v, &also);
		if (also != KEY_NONE)
			ret |= act(cli, s, also, v);
		ret |= act(cli, s, a, v);
	}
	return ret;
}
