/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "backride-build.h"
#include "macro.h"

typedef int (*config_parser_fn)(const char *value, void *field, const char **why);

struct config_key {
	const char *section;
	const char *key;
	config_parser_fn parse;
	size_t offset;
};

static int parse_string(const char *value, void *field, const char **why)
{
	char **p = field, *s;

	if (!*value) {
		*why = "must not be empty";
		return -EINVAL;
	}
	s = strdup(value);
	if (!s)
		return -ENOMEM;
	free(*p);
	*p = s;
	return 0;
}

static int parse_bus(const char *value, void *field, const char **why)
{
	if (strcmp(value, "system") != 0 && strcmp(value, "session") != 0 && !strchr(value, ':')) {
		*why = "must be 'system', 'session' or a D-Bus address such as unix:path=/run/x";
		return -EINVAL;
	}
	return parse_string(value, field, why);
}

static int parse_path(const char *value, void *field, const char **why)
{
	if (value[0] != '/') {
		*why = "must be an absolute path";
		return -EINVAL;
	}
	return parse_string(value, field, why);
}

static int parse_log_level(const char *value, void *field, const char **why)
{
	int l = config_parse_log_level(value);

	if (l < 0) {
		*why = "must be one of error, warning, notice, info, debug";
		return -EINVAL;
	}
	*(int *) field = l;
	return 0;
}

static int parse_uint(const char *value, unsigned lo, unsigned hi, void *field, const char **why)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(value, &end, 10);
	if (errno || end == value || *end || value[0] == '-' || v < lo || v > hi) {
		*why = "must be a whole number in the allowed range (see backride.conf)";
		return -EINVAL;
	}
	*(unsigned *) field = (unsigned) v;
	return 0;
}

/* Milliseconds: 1 ms .. 1 hour. */
static int parse_ms(const char *value, void *field, const char **why)
{
	return parse_uint(value, 1, 3600000, field, why);
}

/* Seconds: 1 s .. 1 hour. */
static int parse_seconds(const char *value, void *field, const char **why)
{
	return parse_uint(value, 1, 3600, field, why);
}

static int parse_retries(const char *value, void *field, const char **why)
{
	return parse_uint(value, 0, 10, field, why);
}

static int parse_pair(const char *value, void *field, const char **why)
{
	static const char *const names[] = {
		[CONFIG_PAIR_AUTO] = "auto",
		[CONFIG_PAIR_ALWAYS] = "always",
		[CONFIG_PAIR_NEVER] = "never",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(value, names[i]) == 0) {
			*(int *) field = (int) i;
			return 0;
		}
	*why = "must be auto, always or never";
	return -EINVAL;
}

static int parse_speed_unit(const char *value, void *field, const char **why)
{
	static const char *const names[] = {
		[CONFIG_SPEED_AUTO] = "auto",
		[CONFIG_SPEED_KMH] = "kmh",
		[CONFIG_SPEED_MPH] = "mph",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(value, names[i]) == 0) {
			*(int *) field = (int) i;
			return 0;
		}
	*why = "must be auto, kmh or mph";
	return -EINVAL;
}

static int parse_adapter(const char *value, void *field, const char **why)
{
	size_t n = strspn(value + 3, "0123456789");

	if (strncmp(value, "hci", 3) != 0 || n == 0 || value[3 + n] != '\0') {
		*why = "must be an adapter name such as hci0";
		return -EINVAL;
	}
	return parse_string(value, field, why);
}

static int parse_address(const char *value, void *field, const char **why)
{
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? value[i] != ':' : !isxdigit((unsigned char) value[i])) {
			*why = "must be a Bluetooth address such as C0:FF:EE:00:00:01";
			return -EINVAL;
		}
	if (value[17] != '\0') {
		*why = "must be a Bluetooth address such as C0:FF:EE:00:00:01";
		return -EINVAL;
	}
	return parse_string(value, field, why);
}

static int parse_bool(const char *value, void *field, const char **why)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		if (strcmp(value, yes[i]) == 0 || strcmp(value, no[i]) == 0) {
			*(int *) field = strcmp(value, yes[i]) == 0;
			return 0;
		}
	*why = "must be yes or no";
	return -EINVAL;
}

/*
 * A decimal such as "3.5" with at most @digits decimals, stored as an integer scaled by
 * 10^digits (3.5 km/h with 2 digits: 350), within [lo, hi] in those units.
 */
static int parse_fixed(const char *value, unsigned digits, unsigned lo, unsigned hi, void *field,
		       const char **why)
{
	unsigned long v = 0, f = 0, scale = 1;
	unsigned n = 0;
	const char *p = value;

	if (!isdigit((unsigned char) *p))
		goto bad;
	for (; isdigit((unsigned char) *p) && v < 100000; p++)
		v = v * 10 + (unsigned long) (*p - '0');
	if (*p == '.') {
		for (p++; isdigit((unsigned char) *p); p++, n++) {
			if (n < digits)
				f = f * 10 + (unsigned long) (*p - '0');
			else if (*p != '0')
				goto bad;
		}
		n = MIN(n, digits);
	}
	if (*p)
		goto bad;
	for (unsigned i = 0; i < digits; i++)
		scale *= 10;
	for (; n < digits; n++)
		f *= 10;
	v = v * scale + f;
	if (v < lo || v > hi)
		goto bad;
	*(unsigned *) field = (unsigned) v;
	return 0;
bad:
	*why = "must be a number in the allowed range (see backride.conf)";
	return -EINVAL;
}

/* Minutes in the file, seconds in the struct. */
static int parse_minutes(const char *value, unsigned lo, unsigned hi, void *field, const char **why)
{
	int r = parse_uint(value, lo, hi, field, why);

	if (r >= 0)
		*(unsigned *) field *= 60;
	return r;
}

/* One parser per key with its bounds: config_keys[] stays a flat table. */
#define UINT_KEY(name, lo, hi)                                                    \
	static int parse_##name(const char *value, void *field, const char **why) \
	{                                                                         \
		return parse_uint(value, lo, hi, field, why);                     \
	}
#define FIXED_KEY(name, digits, lo, hi)                                           \
	static int parse_##name(const char *value, void *field, const char **why) \
	{                                                                         \
		return parse_fixed(value, digits, lo, hi, field, why);            \
	}
#define MIN_KEY(name, lo, hi)                                                     \
	static int parse_##name(const char *value, void *field, const char **why) \
	{                                                                         \
		return parse_minutes(value, lo, hi, field, why);                  \
	}

UINT_KEY(time_scale, 1, 1000)
MIN_KEY(warmup, 1, 15)
MIN_KEY(steady, 1, 60)
MIN_KEY(max_steady, 1, 60)
UINT_KEY(start_pct, 20, 100)
UINT_KEY(bike_power, 10, 200)
UINT_KEY(resistance_pct, 1, 60)
FIXED_KEY(speed_kmh, 2, 100, 650)
FIXED_KEY(incline_pct, 1, 0, 50)
UINT_KEY(duration_step, 60, 120)
UINT_KEY(intensity_step, 1, 5)
UINT_KEY(weekly_pct, 1, 10)
UINT_KEY(countdown, 0, 10)
UINT_KEY(resume_pct, 30, 100)
UINT_KEY(reramp_pct, 5, 50)
UINT_KEY(power_up, 1, 60)
UINT_KEY(power_down, 120, 1200)
UINT_KEY(resistance_up, 1, 30)
UINT_KEY(resistance_down, 20, 300)
FIXED_KEY(speed_up, 2, 10, 1200)
FIXED_KEY(speed_down, 2, 600, 3000)
FIXED_KEY(incline_up, 1, 1, 30)
FIXED_KEY(incline_down, 1, 10, 60)
UINT_KEY(age, 10, 100)
UINT_KEY(cadence_floor, 20, 80)
UINT_KEY(no_pedalling, 5, 60)
UINT_KEY(link_timeout, 30, 1800)
UINT_KEY(idle_disconnect, 0, 3600)

/* 0 switches the heart-rate cap off. */
static int parse_max_heart_rate(const char *value, void *field, const char **why)
{
	if (strcmp(value, "0") == 0) {
		*(unsigned *) field = 0;
		return 0;
	}
	return parse_uint(value, 80, 190, field, why);
}

#define SES(f) offsetof(struct config, session.f)
#define SAF(f) offsetof(struct config, safety.f)

static const struct config_key config_keys[] = {
	{ "daemon", "api_bus", parse_bus, offsetof(struct config, api_bus) },
	{ "daemon", "bluez_bus", parse_bus, offsetof(struct config, bluez_bus) },
	{ "daemon", "database", parse_path, offsetof(struct config, database) },
	{ "daemon", "log_level", parse_log_level, offsetof(struct config, log_level) },
	{ "access", "group", parse_string, offsetof(struct config, access_group) },
	{ "bluez", "adapter", parse_adapter, offsetof(struct config, bluez_adapter) },
	{ "bluez", "pair", parse_pair, offsetof(struct config, bluez_pair) },
	{ "bluez", "scan_seconds", parse_seconds, offsetof(struct config, scan_seconds) },
	{ "bluez", "cp_timeout_ms", parse_ms, offsetof(struct config, cp_timeout_ms) },
	{ "bluez", "cp_retries", parse_retries, offsetof(struct config, cp_retries) },
	{ "bluez", "reconnect_min_ms", parse_ms, offsetof(struct config, reconnect_min_ms) },
	{ "bluez", "reconnect_max_ms", parse_ms, offsetof(struct config, reconnect_max_ms) },
	{ "bluez", "connect_timeout_ms", parse_ms, offsetof(struct config, connect_timeout_ms) },
	{ "bluez", "hr_stale_s", parse_seconds, offsetof(struct config, hr_stale_s) },
	{ "machine", "address", parse_address, offsetof(struct config, machine_address) },
	{ "machine", "idle_disconnect_s", parse_idle_disconnect,
	  offsetof(struct config, idle_disconnect_s) },
	{ "machine", "speed_unit", parse_speed_unit, offsetof(struct config, speed_unit) },
	{ "debug", "targets", parse_bool, offsetof(struct config, debug_targets) },
	{ "daemon", "time_scale", parse_time_scale, offsetof(struct config, time_scale) },
	{ "session", "warmup_min", parse_warmup, SES(warmup_s) },
	{ "session", "steady_min", parse_steady, SES(steady_s) },
	{ "session", "cooldown_min", parse_warmup, SES(cooldown_s) },
	{ "session", "stretches", parse_bool, SES(stretches) },
	{ "session", "start_percent", parse_start_pct, SES(start_pct) },
	{ "session", "bike_power_w", parse_bike_power, SES(bike_power_w) },
	{ "session", "bike_resistance_percent", parse_resistance_pct, SES(bike_resistance_pct) },
	{ "session", "treadmill_speed_kmh", parse_speed_kmh, SES(treadmill_speed_ckmh) },
	{ "session", "treadmill_incline_percent", parse_incline_pct, SES(treadmill_incline_dpct) },
	{ "session", "max_steady_min", parse_max_steady, SES(max_steady_s) },
	{ "session", "duration_step_s", parse_duration_step, SES(duration_step_s) },
	{ "session", "intensity_step_percent", parse_intensity_step, SES(intensity_step_pct) },
	{ "session", "weekly_percent", parse_weekly_pct, SES(weekly_pct) },
	{ "session", "countdown_s", parse_countdown, SES(countdown_s) },
	{ "session", "resume_percent", parse_resume_pct, SES(resume_pct) },
	{ "session", "reramp_percent_per_min", parse_reramp_pct, SES(reramp_pct_min) },
	{ "safety", "max_power_w", parse_bike_power, SAF(max_power_w) },
	{ "safety", "max_resistance_percent", parse_resistance_pct, SAF(max_resistance_pct) },
	{ "safety", "max_speed_kmh", parse_speed_kmh, SAF(max_speed_ckmh) },
	{ "safety", "max_incline_percent", parse_incline_pct, SAF(max_incline_dpct) },
	{ "safety", "power_up_w_per_min", parse_power_up, SAF(power_up) },
	{ "safety", "power_down_w_per_min", parse_power_down, SAF(power_down) },
	{ "safety", "resistance_up_percent_per_min", parse_resistance_up, SAF(resistance_up) },
	{ "safety", "resistance_down_percent_per_min", parse_resistance_down,
	  SAF(resistance_down) },
	{ "safety", "speed_up_kmh_per_min", parse_speed_up, SAF(speed_up) },
	{ "safety", "speed_down_kmh_per_min", parse_speed_down, SAF(speed_down) },
	{ "safety", "incline_up_percent_per_min", parse_incline_up, SAF(incline_up) },
	{ "safety", "incline_down_percent_per_min", parse_incline_down, SAF(incline_down) },
	{ "safety", "max_heart_rate", parse_max_heart_rate, SAF(max_heart_rate) },
	{ "safety", "age", parse_age, SAF(age) },
	{ "safety", "cadence_floor_rpm", parse_cadence_floor, SAF(cadence_floor_rpm) },
	{ "safety", "no_pedalling_s", parse_no_pedalling, SAF(no_pedalling_s) },
	{ "safety", "link_timeout_s", parse_link_timeout, SAF(link_timeout_s) },
};

int config_parse_log_level(const char *s)
{
	static const struct {
		const char *name;
		int level;
	} levels[] = {
		{ "error", LOG_ERR }, { "warning", LOG_WARNING }, { "notice", LOG_NOTICE },
		{ "info", LOG_INFO }, { "debug", LOG_DEBUG },
	};

	for (size_t i = 0; i < ARRAY_SIZE(levels); i++)
		if (strcmp(s, levels[i].name) == 0)
			return levels[i].level;
	return -EINVAL;
}

int config_init(struct config *c)
{
	*c = (struct config) {
		.api_bus = strdup("system"),
		.bluez_bus = strdup("system"),
		.database = strdup(BACKRIDE_DB_FILE),
		.log_level = LOG_INFO,
		.access_group = strdup("backride"),
		.bluez_adapter = strdup("hci0"),
		.bluez_pair = CONFIG_PAIR_AUTO,
		.scan_seconds = 10,
		.cp_timeout_ms = 2000,
		.cp_retries = 2,
		.reconnect_min_ms = 500,
		.reconnect_max_ms = 30000,
		.connect_timeout_ms = 20000,
		.hr_stale_s = 5,
		.idle_disconnect_s = 60,
		.time_scale = 1,
		.session = { .warmup_s = 300,
			     .steady_s = 900,
			     .cooldown_s = 300,
			     .stretches = 1,
			     .start_pct = 60,
			     .bike_power_w = 45,
			     .bike_resistance_pct = 20,
			     .treadmill_speed_ckmh = 350,
			     .treadmill_incline_dpct = 0,
			     .max_steady_s = 1800,
			     .duration_step_s = 90,
			     .intensity_step_pct = 5,
			     .weekly_pct = 10,
			     .countdown_s = 3,
			     .resume_pct = 70,
			     .reramp_pct_min = 20 },
		.safety = { .max_power_w = 100,
			    .max_resistance_pct = 40,
			    .max_speed_ckmh = 500,
			    .max_incline_dpct = 20,
			    .power_up = 30,
			    .power_down = 600,
			    .resistance_up = 10,
			    .resistance_down = 100,
			    .speed_up = 600,
			    .speed_down = 1200,
			    .incline_up = 10,
			    .incline_down = 20,
			    .cadence_floor_rpm = 50,
			    .no_pedalling_s = 10,
			    .link_timeout_s = 300 },
	};
	if (!c->api_bus || !c->bluez_bus || !c->database || !c->access_group || !c->bluez_adapter) {
		config_done(c);
		return -ENOMEM;
	}
	return 0;
}

void config_done(struct config *c)
{
	free(c->api_bus);
	free(c->bluez_bus);
	free(c->database);
	free(c->access_group);
	free(c->bluez_adapter);
	free(c->machine_address);
	*c = (struct config) { 0 };
}

static int config_copy(struct config *dst, const struct config *src)
{
	*dst = *src;
	dst->api_bus = strdup(src->api_bus);
	dst->bluez_bus = strdup(src->bluez_bus);
	dst->database = strdup(src->database);
	dst->access_group = strdup(src->access_group);
	dst->bluez_adapter = strdup(src->bluez_adapter);
	dst->machine_address = src->machine_address ? strdup(src->machine_address) : NULL;
	if (!dst->api_bus || !dst->bluez_bus || !dst->database || !dst->access_group ||
	    !dst->bluez_adapter || (src->machine_address && !dst->machine_address)) {
		config_done(dst);
		return -ENOMEM;
	}
	return 0;
}

static const struct config_key *config_find(const char *section, const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++)
		if (strcmp(config_keys[i].section, section) == 0 &&
		    strcmp(config_keys[i].key, key) == 0)
			return &config_keys[i];
	return NULL;
}

static int config_apply(struct config *c, const char *section, const char *key, const char *value,
			const char **why)
{
	const struct config_key *k = config_find(section, key);

	if (!k) {
		*why = "unknown key";
		return -ENOENT;
	}
	return k->parse(value, (char *) c + k->offset, why);
}

int config_set(struct config *c, const char *section, const char *key, const char *value, FILE *err)
{
	const char *why = NULL;
	int r;

	r = config_apply(c, section, key, value, &why);
	if (r < 0 && err)
		(void) fprintf(err, "[%s] %s = %s: %s\n", section, key, value,
			       why ? why : strerror(-r));
	return r;
}

struct config_parse_state {
	struct config *c;
	const char *path;
	FILE *f;
	FILE *err;
	int line;
	int failed;
};

static char *config_reader(char *buf, int size, void *userdata)
{
	struct config_parse_state *st = userdata;
	char *p = fgets(buf, size, st->f);
	size_t n;
	int ch;

	if (!p)
		return NULL;
	st->line++;
	n = strlen(p);
	if (n > 0 && p[n - 1] != '\n' && !feof(st->f)) {
		/* Longer than inih's buffer: its tail would come back as a line of its own (and
		 * could read as a key). Skip the whole line and reject the file. */
		while ((ch = getc(st->f)) != EOF && ch != '\n')
			;
		if (st->err)
			(void) fprintf(st->err, "%s:%d: line too long (at most %d characters)\n",
				       st->path, st->line, size - 2);
		if (st->failed == 0)
			st->failed = -EINVAL;
		p[0] = '\0';
	}
	return p;
}

/* A name from the file as it may be printed: garbage must not reach a terminal or the journal. */
static const char *printable(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s && n + 8 < size; s++) {
		unsigned char ch = (unsigned char) *s;

		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			buf[n++] = (char) ch;
		else
			n += (size_t) snprintf(buf + n, size - n, "\\x%02x", ch);
	}
	(void) snprintf(buf + n, size - n, "%s", *s ? "..." : "");
	return buf;
}

static int config_handler(void *userdata, const char *section, const char *key, const char *value)
{
	struct config_parse_state *st = userdata;
	const char *why = NULL;
	int r;

	if (strcmp(section, "voice") == 0)
		return 1; /* backride-speak's and the CLI's, not the daemon's */
	r = config_apply(st->c, section, key, value, &why);
	if (r == -ENOENT) {
		char k[80], sec[80];

		if (st->err)
			(void) fprintf(st->err,
				       "%s:%d: unknown key '%s' in section [%s], ignored\n",
				       st->path, st->line, printable(key, k, sizeof(k)),
				       printable(section, sec, sizeof(sec)));
		return 1;
	}
	if (r < 0) {
		if (st->err)
			(void) fprintf(st->err, "%s:%d: bad value for '%s': %s\n", st->path,
				       st->line, key, why ? why : strerror(-r));
		st->failed = r;
		return 0;
	}
	return 1;
}

int config_load(struct config *c, const char *path, int must_exist, FILE *err)
{
	struct config tmp;
	struct config_parse_state st = { .path = path, .err = err };
	int r;

	st.f = fopen(path, "re");
	if (!st.f) {
		r = -errno;
		if (r == -ENOENT && !must_exist)
			return 0;
		if (err)
			(void) fprintf(err, "%s: cannot read: %s\n", path, strerror(-r));
		return r;
	}
	r = config_copy(&tmp, c);
	if (r < 0) {
		(void) fclose(st.f);
		return r;
	}
	st.c = &tmp;
	r = ini_parse_stream(config_reader, &st, config_handler, &st);
	(void) fclose(st.f);
	if (st.failed == 0 && r > 0) {
		if (err)
			(void) fprintf(err, "%s:%d: syntax error\n", path, r);
		st.failed = -EINVAL;
	}
	if (st.failed < 0) {
		config_done(&tmp);
		return st.failed == -ENOMEM ? -ENOMEM : -EINVAL;
	}
	config_done(c);
	*c = tmp;
	return 0;
}
