/* SPDX-License-Identifier: MIT */
/* Session1 for the CLI: read it, print it, follow it. */
#include "session.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backride-dbus.h"
#include "bus-util.h"
#include "live-keys.h"
#include "macro.h"
#include "output.h"
#include "sample.h"

#define POLL_MS 200

static void copy(char *dst, size_t n, const char *src)
{
	(void) snprintf(dst, n, "%s", src ? src : "");
}

static int read_named(sd_bus_message *m, struct cli_named *v, unsigned *n)
{
	const char *name;
	int32_t value;
	int r;

	*n = 0;
	r = sd_bus_message_enter_container(m, 'v', "a{si}");
	if (r >= 0)
		r = sd_bus_message_enter_container(m, 'a', "{si}");
	while (r >= 0 && (r = sd_bus_message_read(m, "{si}", &name, &value)) > 0)
		if (*n < CLI_SESSION_VALUES) {
			copy(v[*n].name, sizeof(v[*n].name), name);
			v[(*n)++].value = value;
		}
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	return r;
}

static int read_prop(sd_bus_message *m, const char *name, void *userdata)
{
	struct cli_session *s = userdata;
	const char *str;
	int r;

#define STR(prop, field)                                             \
	if (strcmp(name, prop) == 0) {                               \
		r = sd_bus_message_read(m, "v", "s", &str);          \
		copy(s->field, sizeof(s->field), r >= 0 ? str : ""); \
		return r;                                            \
	}
#define NUM(prop, sig, field)        \
	if (strcmp(name, prop) == 0) \
		return sd_bus_message_read(m, "v", sig, &s->field);
	STR("Kind", kind);
	STR("Phase", phase);
	STR("PauseReason", pause_reason);
	STR("EndReason", end_reason);
	STR("Message", message);
	STR("Advice", advice);
	NUM("Id", "x", id);
	NUM("Elapsed", "u", elapsed);
	NUM("Planned", "u", planned);
	NUM("Remaining", "u", remaining);
	NUM("PainBefore", "i", pain_before);
	NUM("PainMax", "i", pain_max);
	NUM("LastPain", "i", last_pain);
	NUM("Paused", "b", paused);
	NUM("Guided", "b", guided);
#undef STR
#undef NUM
	if (strcmp(name, "Targets") == 0)
		return read_named(m, s->targets, &s->n_targets);
	if (strcmp(name, "Metrics") == 0)
		return read_named(m, s->metrics, &s->n_metrics);
	return sd_bus_message_skip(m, "v");
}

int cli_session_get(struct cli *cli, struct cli_session *ret)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	*ret = (struct cli_session) { .pain_before = -1, .pain_max = -1, .last_pain = -1 };
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_SESSION_PATH,
			       "org.freedesktop.DBus.Properties", "GetAll", &e, &reply, "s",
			       BR_SESSION_IFACE);
	if (r < 0 &&
	    sd_bus_error_has_names(&e, SD_BUS_ERROR_UNKNOWN_OBJECT,
				   SD_BUS_ERROR_UNKNOWN_INTERFACE) &&
	    sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, "org.freedesktop.DBus.Peer",
			       "Ping", NULL, NULL, "") >= 0)
		return 1;
	if (r < 0)
		return cli_call_failed(cli, "read the session", &e, r);
	r = bus_dict_foreach(reply, read_prop, ret);
	if (r < 0) {
		fprintf(stderr, "backride: cannot read the session: %s\n", strerror(-r));
		return CLI_EXIT_FAILURE;
	}
	return 0;
}

bool cli_session_done(const struct cli_session *s)
{
	return strcmp(s->phase, "done") == 0;
}

static int32_t named(const struct cli_named *v, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return v[i].value;
	return BR_NONE;
}

static void json_named(FILE *f, const char *key, const struct cli_named *v, unsigned n)
{
	fprintf(f, ",\"%s\":{", key);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%s\"%s\":%d", i ? "," : "", v[i].name, v[i].value);
	fputc('}', f);
	fflush(f);
}

static void json_pain(FILE *f, const char *key, int32_t v)
{
	if (v < 0)
		fprintf(f, ",\"%s\":null", key);
	else
		fprintf(f, ",\"%s\":%d", key, v);
}

void cli_session_json(FILE *f, const struct cli_session *s)
{
	fprintf(f, "{\"id\":%lld,\"kind\":", (long long) s->id);
	json_string(f, s->kind);
	fputs(",\"phase\":", f);
	json_string(f, s->phase);
	fprintf(f, ",\"elapsed_s\":%u,\"planned_s\":%u,\"remaining_s\":%u,\"paused\":%s",
		s->elapsed, s->planned, s->remaining, s->paused ? "true" : "false");
	fputs(",\"pause_reason\":", f);
	json_string(f, s->pause_reason);
	fputs(",\"end_reason\":", f);
	json_string(f, s->end_reason);
	fputs(",\"message\":", f);
	json_string(f, s->message);
	fprintf(f, ",\"guided\":%s,\"advice\":", s->guided ? "true" : "false");
	json_string(f, s->advice);
	json_pain(f, "pain_before", s->pain_before);
	json_pain(f, "pain_max", s->pain_max);
	json_pain(f, "last_pain", s->last_pain);
	json_named(f, "targets", s->targets, s->n_targets);
	json_named(f, "metrics", s->metrics, s->n_metrics);
	fputc('}', f);
}

static void mmss(char *buf, size_t n, uint32_t s)
{
	(void) snprintf(buf, n, "%u:%02u", s / 60, s % 60);
}

/* "power 45/44 W" etc.: the main target against the actual value. */
static size_t targets_text(char *buf, size_t n, const struct cli_session *s)
{
	int32_t t, a;
	size_t k = 0;

	buf[0] = '\0';
	if ((t = named(s->targets, s->n_targets, "power")) != BR_NONE) {
		a = named(s->metrics, s->n_metrics, "power_w");
		k += (size_t) snprintf(buf + k, n - k, "power %d W (target %d)",
				       a == BR_NONE ? 0 : a, t);
	}
	if ((t = named(s->targets, s->n_targets, "resistance")) != BR_NONE) {
		/* Without ERG the bike's own power still says how hard it is: show it. */
		a = named(s->metrics, s->n_metrics, "resistance");
		if (a != BR_NONE)
			k += (size_t) snprintf(buf + k, n - k, "resistance %.1f (target %.1f)",
					       a / 10.0, t / 10.0);
		else
			k += (size_t) snprintf(buf + k, n - k, "resistance target %.1f", t / 10.0);
		a = named(s->metrics, s->n_metrics, "power_w");
		if (k < n && a != BR_NONE)
			k += (size_t) snprintf(buf + k, n - k, ", %d W", a);
	}
	if (k < n && (t = named(s->targets, s->n_targets, "speed")) != BR_NONE) {
		a = named(s->metrics, s->n_metrics, "speed_ckmh");
		k += (size_t) snprintf(buf + k, n - k, "speed %.1f km/h (target %.1f)",
				       a == BR_NONE ? 0 : a / 100.0, t / 100.0);
	}
	if (k < n && (t = named(s->targets, s->n_targets, "incline")) != BR_NONE && t)
		k += (size_t) snprintf(buf + k, n - k, ", incline %.1f %%", t / 10.0);
	return MIN(k, n);
}

static void line_text(char *buf, size_t n, const struct cli_session *s, bool bar)
{
	char el[16], pl[16], left[16], tg[96], extra[48] = "", progress[24] = "";
	int32_t cad = named(s->metrics, s->n_metrics, "cadence_hrpm");
	int32_t hr = named(s->metrics, s->n_metrics, "hr_bpm");
	size_t k = 0;

	mmss(el, sizeof(el), s->elapsed);
	mmss(pl, sizeof(pl), s->planned);
	mmss(left, sizeof(left), s->remaining);
	(void) targets_text(tg, sizeof(tg), s);
	if (cad != BR_NONE)
		k += (size_t) snprintf(extra + k, sizeof(extra) - k, ", %d rpm", cad / 2);
	if (hr != BR_NONE && k < sizeof(extra))
		(void) snprintf(extra + k, sizeof(extra) - k, ", HR %d", hr);
	if (bar) {
		unsigned w = 16, fill = s->planned ? MIN(w, s->elapsed * w / s->planned) : 0;

		progress[0] = '[';
		for (unsigned i = 0; i < w; i++)
			progress[1 + i] = i < fill ? '#' : '.';
		progress[w + 1] = ']';
		progress[w + 2] = ' ';
		progress[w + 3] = '\0';
	}
	if (cli_session_done(s)) /* the machine's values are no longer live */
		(void) snprintf(buf, n, "%-10s %s%s / %s", s->phase, progress, el, pl);
	else
		(void) snprintf(buf, n, "%-10s %s%s / %s  %s%s  %s left%s%s", s->phase, progress,
				el, pl, tg, extra, left, s->paused ? "  PAUSED: " : "",
				s->paused ? s->pause_reason : "");
}

/* Why the session ends, as the end of a sentence. */
static const char *end_text(const char *reason)
{
	static const char *const names[][2] = {
		{ "stopped", "'backride stop'" },      { "safety-key", "the safety key" },
		{ "interrupted", "a lost link" },      { "shutdown", "the daemon's shutdown" },
		{ "fault", "a fault of the machine" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(names[i][0], reason) == 0)
			return names[i][1];
	return reason;
}

/* The session has an end reason before it is done: say what happens meanwhile. */
static void print_ending(FILE *f, const struct cli_session *s)
{
	const char *why = end_text(s->end_reason);

	if (strcmp(s->phase, "cooldown") == 0)
		fprintf(f, "Cooling down after %s; the session ends after the cool-down.\n", why);
	else if (strcmp(s->phase, "stopping") == 0)
		fprintf(f, "Stopping after %s: the machine is brought to rest.\n", why);
	else if (strcmp(s->phase, "stretches") == 0)
		fprintf(f, "Stretches after %s; the session ends after them.\n", why);
	else
		fprintf(f, "Ending after %s.\n", why);
}

void cli_session_print(FILE *f, const struct cli_session *s)
{
	char line[256];

	line_text(line, sizeof(line), s, false);
	fprintf(f, "Session %lld (%s): %s\n", (long long) s->id, s->kind, line);
	if (s->pain_before >= 0 || s->pain_max >= 0)
		fprintf(f, "Pain: before %d, highest %d\n", s->pain_before, s->pain_max);
	if (*s->end_reason && cli_session_done(s))
		fprintf(f, "Ended: %s\n", s->end_reason);
	else if (*s->end_reason)
		print_ending(f, s);
	if (*s->message)
		fprintf(f, "%s\n", s->message);
	if (*s->advice)
		fprintf(f, "Now: %s\n", s->advice);
}

static bool changed(const struct cli_session *a, const struct cli_session *b)
{
	return memcmp(a, b, sizeof(*a)) != 0;
}

static void summary(FILE *f, const struct cli_session *s)
{
	char el[16];

	mmss(el, sizeof(el), s->elapsed);
	fprintf(f, "Session %lld ended: %s after %s active.", (long long) s->id, s->end_reason, el);
	if (s->pain_max >= 0)
		fprintf(f, " Highest pain %d.", s->pain_max);
	fprintf(f, " 'backride show %lld' has the details.\n", (long long) s->id);
}

/* Plain output: a line when the phase, a pause or the message changes, or every minute. */
static void plain(FILE *f, const struct cli_session *s, const struct cli_session *prev, bool first)
{
	char line[256];

	if (!first && strcmp(s->phase, prev->phase) == 0 && s->paused == prev->paused &&
	    strcmp(s->message, prev->message) == 0 && strcmp(s->advice, prev->advice) == 0 &&
	    s->elapsed / 60 == prev->elapsed / 60)
		return;
	line_text(line, sizeof(line), s, false);
	fprintf(f, "%s\n", line);
	if (*s->message && (first || strcmp(s->message, prev->message) != 0))
		fprintf(f, "  %s\n", s->message);
	if (*s->advice && (first || strcmp(s->advice, prev->advice) != 0))
		fprintf(f, "  Now: %s\n", s->advice);
	fflush(f);
}

static void tty(FILE *f, const struct cli_session *s, const struct cli_session *prev, bool first)
{
	char line[256];

	line_text(line, sizeof(line), s, true);
	fprintf(f, "\r\033[K%s", line);
	if (*s->message && (first || strcmp(s->message, prev->message) != 0))
		fprintf(f, "\n%s\n", s->message);
	if (*s->advice && (first || strcmp(s->advice, prev->advice) != 0))
		fprintf(f, "\nNow: %s\n", s->advice);
	fflush(f);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };

	(void) nanosleep(&ts, NULL);
}

static void pain_after_at_stretches(struct cli *cli, const struct cli_session *s, int *pain_after,
				    bool *asked, bool keys)
{
	if (*asked || strcmp(s->phase, "stretches") != 0)
		return;
	*asked = true;
	if (*pain_after == -1 && keys) { /* a digit answers it, as any pain during stretches */
		printf("\r\033[KStretches now, off the machine. How is your back? Press 0-9 (1 "
		       "then 0: 10).\n");
		return;
	}
	if (*pain_after == -1 && !cli->json)
		*pain_after = cli_ask_pain("\nStretches now, off the machine. Pain now, 0-10 "
					   "(Enter to skip)? ");
	if (*pain_after >= 0)
		(void) cli_session_call(cli, "ReportPain", "report pain", "u",
					(uint32_t) *pain_after);
}

/* Draw the session if it changed (or @redraw); the keys' legend comes first. */
static void draw(struct cli *cli, const struct cli_session *s, const struct cli_session *prev,
		 bool first, bool redraw, bool keys)
{
	if (!first && !redraw && !changed(s, prev))
		return;
	if (cli->json) {
		cli_session_json(stdout, s);
		fputc('\n', stdout);
		fflush(stdout);
	} else if (output_escapes(STDOUT_FILENO)) {
		if (first && keys)
			live_keys_legend(stdout, s);
		tty(stdout, s, prev, first);
	} else
		plain(stdout, s, prev, first);
}

static int follow(struct cli *cli, int pain_after, bool keys, struct cli_session *s)
{
	struct cli_session prev = {};
	bool first = true, asked = false, redraw = false;
	int r, k;

	for (;;) {
		r = cli_session_get(cli, s);
		if (r == 1) {
			fprintf(stderr, "backride: no session is running.\n");
			return CLI_EXIT_FAILURE;
		}
		if (r > 0)
			return r;
		draw(cli, s, &prev, first, redraw, keys);
		if ((pain_after == -1 && isatty(STDIN_FILENO) == 1) || pain_after >= 0)
			pain_after_at_stretches(cli, s, &pain_after, &asked, keys);
		if (cli_session_done(s))
			return -1;
		prev = *s;
		first = false;
		if (!keys) {
			sleep_ms(POLL_MS);
			continue;
		}
		k = live_keys_wait(cli, s, POLL_MS);
		if (k & LIVE_QUIT) {
			printf("\r\033[KLeft the live view; the session goes on. 'backride status "
			       "--follow' shows it again.\n");
			return CLI_EXIT_OK;
		}
		redraw = k & LIVE_REDRAW;
	}
}

int cli_session_follow(struct cli *cli, int pain_after)
{
	struct cli_session s;
	bool on_tty = output_escapes(STDOUT_FILENO);
	bool keys = on_tty && !cli->json && live_keys_begin();
	int r;

	r = follow(cli, pain_after, keys, &s);
	live_keys_end();
	if (r >= 0)
		return r;
	if (!cli->json) {
		if (on_tty)
			fputc('\n', stdout);
		summary(stdout, &s);
	}
	return CLI_EXIT_OK;
}

int cli_parse_pain(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 10)
		return -1;
	return (int) v;
}

int cli_ask_pain(const char *question)
{
	char buf[32];
	size_t n;
	int v;

	if (isatty(STDIN_FILENO) != 1)
		return -1;
	for (;;) {
		fputs(question, stderr);
		fflush(stderr);
		if (!fgets(buf, sizeof(buf), stdin))
			return -1;
		n = strcspn(buf, "\r\n");
		buf[n] = '\0';
		if (n == 0)
			return -1;
		v = cli_parse_pain(buf);
		if (v >= 0)
			return v;
		fputs("Please answer with a number from 0 (no pain) to 10 (worst).\n", stderr);
	}
}

int cli_session_call(struct cli *cli, const char *method, const char *what, const char *sig, ...)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	va_list ap;
	int r;

	r = sd_bus_message_new_method_call(cli->bus, &m, BR_BUS_NAME, BR_SESSION_PATH,
					   BR_SESSION_IFACE, method);
	if (r >= 0 && sig) {
		va_start(ap, sig);
		r = sd_bus_message_appendv(m, sig, ap);
		va_end(ap);
	}
	if (r >= 0)
		r = sd_bus_call(cli->bus, m, 0, &e, &reply);
	if (r < 0 && sd_bus_error_has_names(&e, SD_BUS_ERROR_UNKNOWN_OBJECT,
					    SD_BUS_ERROR_UNKNOWN_INTERFACE)) {
		fprintf(stderr, "backride: No session is running; start one with 'backride start "
				"--gentle'.\n");
		return CLI_EXIT_FAILURE;
	}
	return r < 0 ? cli_call_failed(cli, what, &e, r) : 0;
}
