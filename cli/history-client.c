/* SPDX-License-Identifier: MIT */
#include "history-client.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backride-dbus.h"
#include "bus-util.h"
#include "macro.h"
#include "output.h"

enum field_type {
	FIELD_INT,
	FIELD_DOUBLE,
	FIELD_STRING,
};

static const struct {
	const char *key;
	enum field_type type;
	size_t offset;
	size_t size; /* strings only */
} fields[] = {
/* clang-format 14 and 19 break these differently: */
/* clang-format off */
#define I(k, f) { k, FIELD_INT, offsetof(struct summary, f), 0 }
#define D(k, f) { k, FIELD_DOUBLE, offsetof(struct summary, f), 0 }
#define S(k, f) { k, FIELD_STRING, offsetof(struct summary, f), sizeof(((struct summary *) 0)->f) }
	/* clang-format on */
	S("machine", machine),
	S("kind", kind),
	S("profile", profile),
	I("start", start),
	I("end", end),
	S("end_reason", end_reason),
	S("guided", guided),
	I("duration_s", duration_s),
	I("active_s", active_s),
	I("planned_s", planned_s),
	I("samples", samples),
	I("distance_m", distance_m),
	I("energy_j", energy_j),
	I("avg_power_w", avg_power_w),
	I("max_power_w", max_power_w),
	D("avg_speed_kmh", avg_speed_kmh),
	I("avg_hr_bpm", avg_hr_bpm),
	I("max_hr_bpm", max_hr_bpm),
	I("pain_before", pain_before),
	I("pain_max", pain_max),
	I("pain_after", pain_after),
	I("target_power_w", target_power_w),
	D("target_speed_kmh", target_speed_kmh),
#undef I
#undef D
#undef S
};

static void summary_init(struct summary *s)
{
	*s = (struct summary) {};
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		char *p = (char *) s + fields[i].offset;

		if (fields[i].type == FIELD_INT)
			*(int64_t *) p = BR_NONE;
		else if (fields[i].type == FIELD_DOUBLE)
			*(double *) p = NAN;
	}
}

/* Read the variant of @key into @s: integers of any width, doubles and strings. */
static int summary_field(sd_bus_message *m, const char *key, void *userdata)
{
	struct summary *s = userdata;
	const char *contents = NULL;
	union {
		uint64_t t;
		int64_t x;
		uint32_t u;
		int32_t i;
		double d;
		const char *s;
	} v;
	int r;

	if (strcmp(key, "id") == 0)
		return sd_bus_message_read(m, "v", "t", &s->id);
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		char *p = (char *) s + fields[i].offset;

		if (strcmp(fields[i].key, key) != 0)
			continue;
		r = sd_bus_message_peek_type(m, NULL, &contents);
		if (r < 0)
			return r;
		if (!contents || strlen(contents) != 1)
			break;
		r = sd_bus_message_read(m, "v", contents, &v);
		if (r < 0)
			return r;
		switch (contents[0]) {
		case 'x':
			*(int64_t *) p = v.x;
			break;
		case 't':
			*(int64_t *) p = (int64_t) v.t;
			break;
		case 'u':
			*(int64_t *) p = v.u;
			break;
		case 'i':
			*(int64_t *) p = v.i;
			break;
		case 'd':
			*(double *) p = v.d;
			break;
		case 's':
			snprintf(p, fields[i].size, "%s", v.s);
			break;
		}
		return 0;
	}
	return sd_bus_message_skip(m, "v");
}

int summary_read(sd_bus_message *m, struct summary *ret)
{
	summary_init(ret);
	return bus_dict_foreach(m, summary_field, ret);
}

void summary_json(FILE *f, const struct summary *s)
{
	fprintf(f, "{\"id\":%llu", (unsigned long long) s->id);
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		const char *p = (const char *) s + fields[i].offset;

		if (fields[i].type == FIELD_INT && *(const int64_t *) p != BR_NONE)
			fprintf(f, ",\"%s\":%lld", fields[i].key, (long long) *(const int64_t *) p);
		else if (fields[i].type == FIELD_DOUBLE && !isnan(*(const double *) p))
			fprintf(f, ",\"%s\":%.2f", fields[i].key, *(const double *) p);
		else if (fields[i].type == FIELD_STRING) {
			fprintf(f, ",\"%s\":", fields[i].key);
			json_string(f, p);
		}
	}
	fputc('}', f);
}

char *format_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t) t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(buf, size, "?");
	return buf;
}

char *format_duration(int64_t s, char *buf, size_t size)
{
	if (s == BR_NONE)
		snprintf(buf, size, "-");
	else if (s >= 3600)
		snprintf(buf, size, "%lld:%02lld:%02lld", (long long) s / 3600,
			 (long long) s / 60 % 60, (long long) s % 60);
	else
		snprintf(buf, size, "%lld:%02lld", (long long) s / 60, (long long) s % 60);
	return buf;
}

int parse_session_id(const char *verb, const char *s, uint64_t *ret)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || !*s || *end || *s == '-' || v == 0) {
		fprintf(stderr,
			"backride: '%s' is not a session id; 'backride history' lists them.\n", s);
		return -CLI_EXIT_USAGE;
	}
	*ret = v;
	return 0;
}

int history_new_call(struct cli *cli, const char *method, sd_bus_message **ret)
{
	int r;

	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = sd_bus_message_new_method_call(cli->bus, ret, BR_BUS_NAME, BR_MANAGER_PATH,
					   BR_HISTORY_IFACE, method);
	if (r < 0) {
		fprintf(stderr, "backride: cannot build a call: %s\n", strerror(-r));
		return CLI_EXIT_FAILURE;
	}
	return 0;
}

int history_call(struct cli *cli, sd_bus_message *m, const char *what, sd_bus_message **ret_reply)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	r = sd_bus_call(cli->bus, m, 0, &e, ret_reply);
	if (r < 0)
		r = cli_call_failed(cli, what, &e, r);
	else
		r = 0;
	sd_bus_error_free(&e);
	return r;
}

int verb_usage_error(const struct verb *v, const char *fmt, ...)
{
	va_list ap;

	fputs("backride: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'backride %s --help'.\n", v->name);
	return -CLI_EXIT_USAGE;
}

int parse_local_date(const char *s, int64_t *ret)
{
	struct tm tm = {};
	const char *end;
	time_t t;

	if (strlen(s) != 10)
		return -EINVAL;
	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end)
		return -EINVAL;
	int mday = tm.tm_mday, mon = tm.tm_mon;

	tm.tm_isdst = -1;
	t = mktime(&tm);
	/* mktime() normalises 2026-02-31 to March: such a date does not exist. */
	if (t == (time_t) -1 || tm.tm_mday != mday || tm.tm_mon != mon)
		return -EINVAL;
	*ret = t;
	return 0;
}

int verb_args_id(struct cli *cli, const struct verb *v, int argc, char **argv, uint64_t *ret_id)
{
	int r;

	r = cli_verb_options(cli, v, argc, argv);
	if (r <= 0)
		return r;
	if (optind + 1 != argc)
		return verb_usage_error(v, "want exactly one session ID");
	if (parse_session_id(v->name, argv[optind], ret_id) < 0)
		return -CLI_EXIT_USAGE;
	return 1;
}
