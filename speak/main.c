/* SPDX-License-Identifier: MIT */
/*
 * backride-speak: the coach's voice. A D-Bus client of backrided like the CLI: it follows the
 * session on Session1 and its typed events (History1.GetSession), and says the cues of cues.c
 * through espeak-ng, or renders them to WAV files. It ends with the session.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>
#include <time.h>

#include "backride-build.h"
#include "backride-dbus.h"
#include "bus-util.h"
#include "cues.h"
#include "macro.h"
#include "speak.h"

#define POLL_MS 250

struct view {
	int64_t id;
	char kind[16], phase[16], end_reason[32];
	uint32_t elapsed;
	int32_t pain_max;
	int paused;
};

struct follower {
	const struct speak_opts *o;
	sd_bus *bus;
	struct cue_context ctx;
	int64_t id;
	unsigned seen, said;
	uint32_t next_check;
	int32_t count_at; /* session time of the pending stretch count; -1: none */
};

static int read_prop(sd_bus_message *m, const char *name, void *userdata)
{
	struct view *v = userdata;
	const char *s;
	int r;

	if (strcmp(name, "Id") == 0)
		return sd_bus_message_read(m, "v", "x", &v->id);
	if (strcmp(name, "Elapsed") == 0)
		return sd_bus_message_read(m, "v", "u", &v->elapsed);
	if (strcmp(name, "PainMax") == 0)
		return sd_bus_message_read(m, "v", "i", &v->pain_max);
	if (strcmp(name, "Paused") == 0)
		return sd_bus_message_read(m, "v", "b", &v->paused);
	if (strcmp(name, "Kind") != 0 && strcmp(name, "Phase") != 0 &&
	    strcmp(name, "EndReason") != 0)
		return sd_bus_message_skip(m, "v");
	r = sd_bus_message_read(m, "v", "s", &s);
	if (r < 0)
		return r;
	if (strcmp(name, "Kind") == 0)
		(void) snprintf(v->kind, sizeof(v->kind), "%s", s);
	else if (strcmp(name, "Phase") == 0)
		(void) snprintf(v->phase, sizeof(v->phase), "%s", s);
	else
		(void) snprintf(v->end_reason, sizeof(v->end_reason), "%s", s);
	return 0;
}

/* Return: 0, 1 no session yet, -errno after printing why. */
static int get_view(sd_bus *bus, struct view *ret)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	*ret = (struct view) { .pain_max = -1 };
	r = sd_bus_call_method(bus, BR_BUS_NAME, BR_SESSION_PATH, "org.freedesktop.DBus.Properties",
			       "GetAll", &e, &reply, "s", BR_SESSION_IFACE);
	if (r < 0 &&
	    sd_bus_error_has_names(&e, SD_BUS_ERROR_UNKNOWN_OBJECT, SD_BUS_ERROR_UNKNOWN_INTERFACE))
		return 1;
	if (r < 0) {
		fprintf(stderr, "backride-speak: cannot read the session: %s\n",
			e.message ? e.message : strerror(-r));
		return r;
	}
	return bus_dict_foreach(reply, read_prop, ret);
}

static int say(struct follower *f, const struct cue *c, int32_t t)
{
	return speak_say(f->o, c, t, ++f->said);
}

/* The count of a stretch once its time came (or a later event shows it has passed). */
static int count_due(struct follower *f, int32_t now)
{
	struct cue c;

	if (f->count_at < 0 || now < f->count_at)
		return 0;
	f->count_at = -1;
	cue_count(&c);
	return say(f, &c, now);
}

static int event(struct follower *f, const struct cue_event *e)
{
	struct cue c;
	int r;

	r = count_due(f, e->t);
	if (r < 0)
		return r;
	if (strcmp(e->type, "phase") == 0 && strcmp(e->detail, "stretches") == 0)
		f->ctx.stretching = true;
	if (strcmp(e->type, "pain") == 0)
		f->next_check = (uint32_t) e->t + f->o->pain_check_min * 60; /* just answered */
	if (!cue_for_event(&f->ctx, e, &c))
		return 0;
	if (strcmp(e->type, "stretch") == 0)
		f->count_at = e->t + e->value - CUE_COUNT_S;
	return say(f, &c, e->t);
}

/* Say the cues of the events recorded since the last call. */
static int new_events(struct follower *f)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	struct cue_event ev;
	int64_t ts;
	unsigned i = 0;
	int r;

	r = sd_bus_call_method(f->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_HISTORY_IFACE, "GetSession",
			       &e, &reply, "t", (uint64_t) f->id);
	if (r < 0) {
		fprintf(stderr, "backride-speak: cannot read the session's events: %s\n",
			e.message ? e.message : strerror(-r));
		return r;
	}
	r = sd_bus_message_skip(reply, "a{sv}");
	if (r >= 0)
		r = sd_bus_message_enter_container(reply, 'a', "(xisis)");
	while (r >= 0 && (r = sd_bus_message_read(reply, "(xisis)", &ts, &ev.t, &ev.type, &ev.value,
						  &ev.detail)) > 0)
		if (i++ >= f->seen) {
			f->seen = i;
			r = event(f, &ev);
		}
	return r;
}

static bool exercising(const struct view *v)
{
	return !v->paused && (strcmp(v->phase, "warmup") == 0 || strcmp(v->phase, "steady") == 0 ||
			      strcmp(v->phase, "cooldown") == 0);
}

/* One look at the session. Return: 0 go on, 1 done, -errno. */
static int step(struct follower *f, const struct view *v)
{
	struct cue c;
	int r;

	r = new_events(f);
	if (r < 0)
		return r;
	r = count_due(f, (int32_t) v->elapsed);
	if (r < 0)
		return r;
	if (f->o->pain_check_min && exercising(v) && v->elapsed >= f->next_check) {
		f->next_check = v->elapsed + f->o->pain_check_min * 60;
		cue_pain_check(&c);
		r = say(f, &c, (int32_t) v->elapsed);
		if (r < 0)
			return r;
	}
	if (strcmp(v->phase, "done") != 0)
		return 0;
	if (f->count_at >= 0)
		(void) count_due(f, f->count_at);
	cue_summary(v->end_reason, v->elapsed, v->pain_max, &c);
	r = say(f, &c, (int32_t) v->elapsed);
	return r < 0 ? r : 1;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };

	(void) nanosleep(&ts, NULL);
}

static int follow(struct follower *f)
{
	struct view v;
	unsigned waited = 0;
	int r;

	for (;; sleep_ms(POLL_MS)) {
		r = get_view(f->bus, &v);
		if (r < 0)
			return r;
		if (r == 1) {
			if ((waited += POLL_MS) > f->o->wait_s * 1000) {
				fprintf(stderr, "backride-speak: no session is running.\n");
				return -ENOENT;
			}
			continue;
		}
		if (!f->id) {
			f->id = v.id;
			f->ctx.treadmill = strcmp(v.kind, "treadmill") == 0;
			f->next_check = f->o->pain_check_min * 60;
		} else if (v.id != f->id) {
			return 0; /* a new session: the one followed is over */
		}
		r = step(f, &v);
		if (r != 0)
			return r < 0 ? r : 0;
	}
}

static void help(void)
{
	printf("Usage: backride-speak [OPTION]...\n"
	       "The coach's voice: follows the running backride session and says its phases,\n"
	       "stretches, pain checks, every easing and why, and the summary (espeak-ng).\n\n"
	       "  --bus BUS             the daemon's bus: system (default), session or an\n"
	       "                        address; $BACKRIDE_BUS sets the default\n"
	       "  --config FILE         read [voice] from FILE (default %s)\n"
	       "  --wav-dir DIR         write each cue to DIR/NNN-KIND.wav and a line to\n"
	       "                        DIR/cues.log instead of speaking\n"
	       "  --pain-check-min N    ask about pain every N minutes (0 never; 1-30)\n"
	       "  --voice NAME          the espeak-ng voice (default en)\n"
	       "  --rate WPM            words per minute, 80-300 (default 150)\n"
	       "  --wait S              wait up to S seconds for a session (default 10)\n"
	       "  -h, --help            show this help\n"
	       "  -V, --version         show the version\n\n"
	       "'backride start --speak' (or speak = yes in [voice]) runs it. See "
	       "backride-speak(1).\n",
	       BACKRIDE_CONFIG_FILE);
}

static int parse_args(int argc, char **argv, struct speak_opts *o)
{
	static const struct option opts[] = {
		{ "bus", required_argument, NULL, 'b' },
		{ "config", required_argument, NULL, 'c' },
		{ "wav-dir", required_argument, NULL, 'w' },
		{ "pain-check-min", required_argument, NULL, 'p' },
		{ "voice", required_argument, NULL, 'v' },
		{ "rate", required_argument, NULL, 'r' },
		{ "wait", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{},
	};
	const char *config = getenv("BACKRIDE_CONFIG"), *key, *why = NULL;
	int c, r;

	if (!config)
		config = BACKRIDE_CONFIG_FILE;
	/* The config first (--config may come anywhere), then the options over it. */
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--config") == 0)
			config = argv[i + 1];
	r = speak_config_read(config, o);
	if (r < 0)
		return r;
	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		key = c == 'p' ? "pain_check_min" : c == 'v' ? "voice" : c == 'r' ? "rate" : NULL;
		if (key && speak_option(o, key, optarg, &why) < 0) {
			fprintf(stderr, "backride-speak: --%s '%s': %s.\n",
				c == 'p' ? "pain-check-min" : key, optarg, why);
			return -EINVAL;
		}
		switch (c) {
		case 'b':
			o->bus = optarg;
			break;
		case 'w':
			o->wav_dir = optarg;
			break;
		case 't':
			if (speak_option(o, "wait", optarg, &why) < 0) {
				fprintf(stderr, "backride-speak: --wait '%s': %s.\n", optarg, why);
				return -EINVAL;
			}
			break;
		case 'h':
			help();
			return 0;
		case 'V':
			printf("backride-speak %s\n", BACKRIDE_VERSION);
			return 0;
		case 'c':
		case 'p':
		case 'v':
		case 'r':
			break;
		default:
			fprintf(stderr, "Try 'backride-speak --help'.\n");
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "backride-speak: unexpected argument '%s'; try --help.\n",
			argv[optind]);
		return -EINVAL;
	}
	return 1;
}

int main(int argc, char **argv)
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	struct speak_opts o;
	struct follower f = { .count_at = -1 };
	struct stat st;
	int r;

	speak_opts_default(&o);
	o.bus = getenv("BACKRIDE_BUS");
	r = parse_args(argc, argv, &o);
	if (r <= 0)
		return r < 0 ? 2 : 0;
	if (o.wav_dir && (stat(o.wav_dir, &st) < 0 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "backride-speak: --wav-dir '%s' is not a directory.\n", o.wav_dir);
		return 2;
	}
	if (speak_check() < 0)
		return 69;
	r = bus_open_by_name(o.bus ? o.bus : "system", "backride-speak", &bus);
	if (r < 0) {
		fprintf(stderr, "backride-speak: cannot connect to the %s bus: %s\n",
			o.bus ? o.bus : "system", strerror(-r));
		return 69;
	}
	f.o = &o;
	f.bus = bus;
	r = follow(&f);
	return r < 0 ? 1 : 0;
}
