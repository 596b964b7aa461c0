/* SPDX-License-Identifier: MIT */
/* The programme's settings: defaults, bounds, the programme file's keys. */
#include "programme.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"

void programme_config_default(struct programme_config *ret)
{
	*ret = (struct programme_config) {
		.kind = PROGRAMME_KIND_EITHER,
		.weekly_minutes = 150,
		.sessions_per_week = 5,
		.weeks = 12,
		.baseline_sessions = 3,
		.start_pct = 70,
		.start_minutes = 10,
		.step_pct = 10,
		.min_minutes = 5,
		.max_days_in_a_row = 3,
		.bad_points = 1,
		.lower_points = 3,
		.flare_pct = 60,
		.flare_mornings = 2,
	};
}

/* One key of the file: where it lives in the struct and its bounds. */
struct programme_key {
	const char *section;
	const char *key;
	size_t offset;
	uint32_t lo, hi;
};

/* clang-format 14 and 19 lay this braced initializer out differently. */
/* clang-format off */
#define KEY(s, k, f, l, h) { s, k, offsetof(struct programme_config, f), l, h }
/* clang-format on */

/* clang-format off */
static const struct programme_key keys[] = {
	KEY("programme", "weekly_minutes", weekly_minutes, 30, 420),
	KEY("programme", "sessions_per_week", sessions_per_week, 1, 7),
	KEY("programme", "weeks", weeks, 1, 52),
	KEY("programme", "baseline_sessions", baseline_sessions, 0, 5),
	KEY("steps", "start_pct", start_pct, 30, 100),
	KEY("steps", "start_minutes", start_minutes, 3, 60),
	KEY("steps", "step_pct", step_pct, 1, 10),
	KEY("steps", "min_minutes", min_minutes, 3, 30),
	KEY("rest", "max_days_in_a_row", max_days_in_a_row, 1, 7),
	KEY("pain", "bad_points", bad_points, 1, 5),
	KEY("pain", "lower_points", lower_points, 1, 10),
	KEY("flare", "share_pct", flare_pct, 30, 90),
	KEY("flare", "mornings", flare_mornings, 2, 5),
};
/* clang-format on */

static uint32_t *field(struct programme_config *c, const struct programme_key *k)
{
	return (uint32_t *) ((char *) c + k->offset);
}

int programme_config_bound(struct programme_config *c)
{
	int n = 0;

	if ((unsigned) c->kind >= _PROGRAMME_KIND_MAX) {
		c->kind = PROGRAMME_KIND_EITHER;
		n++;
	}
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		n += session_bound_u32(field(c, &keys[i]), keys[i].lo, keys[i].hi);
	/* One baseline session is no average: a baseline has two or more. */
	if (c->baseline_sessions == 1) {
		c->baseline_sessions = 2;
		n++;
	}
	if (c->lower_points < c->bad_points) {
		c->lower_points = c->bad_points;
		n++;
	}
	return n;
}

const char *programme_kind_to_string(enum programme_kind k)
{
	static const char *const names[_PROGRAMME_KIND_MAX] = {
		[PROGRAMME_KIND_BIKE] = "bike",
		[PROGRAMME_KIND_TREADMILL] = "treadmill",
		[PROGRAMME_KIND_EITHER] = "either",
	};

	if ((unsigned) k >= _PROGRAMME_KIND_MAX)
		return "unknown";
	return names[k];
}

int programme_kind_from_string(const char *s, enum programme_kind *ret)
{
	for (int k = 0; k < _PROGRAMME_KIND_MAX; k++)
		if (strcmp(s, programme_kind_to_string(k)) == 0) {
			*ret = k;
			return 0;
		}
	return -EBADMSG;
}

static int parse_u32(const char *value, uint32_t *ret)
{
	char *end;
	long long v;

	if (!*value || strspn(value, "0123456789") != strlen(value))
		return -EBADMSG;
	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return -ERANGE;
	*ret = (uint32_t) v;
	return 0;
}

static int set_kind(struct programme_config *c, const char *value, char err[PROGRAMME_ERROR_MAX])
{
	if (programme_kind_from_string(value, &c->kind) == 0)
		return 0;
	(void) snprintf(err, PROGRAMME_ERROR_MAX,
			"[programme] kind: '%.40s' is not bike, treadmill or either", value);
	return -EBADMSG;
}

int programme_config_set(struct programme_config *c, const char *section, const char *key,
			 const char *value, char err[PROGRAMME_ERROR_MAX])
{
	uint32_t v;
	int r;

	if (strcmp(section, "programme") == 0 && strcmp(key, "kind") == 0)
		return set_kind(c, value, err);
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const struct programme_key *k = &keys[i];

		if (strcmp(section, k->section) != 0 || strcmp(key, k->key) != 0)
			continue;
		r = parse_u32(value, &v);
		if (r == 0 && (v < k->lo || v > k->hi))
			r = -ERANGE;
		if (r == 0 && strcmp(key, "baseline_sessions") == 0 && v == 1)
			r = -ERANGE;
		if (r < 0) {
			(void) snprintf(err, PROGRAMME_ERROR_MAX,
					"[%s] %s: '%.40s' is not a whole number from %u to %u%s",
					k->section, k->key, value, k->lo, k->hi,
					strcmp(key, "baseline_sessions") == 0 ? " (and not 1)"
									      : "");
			return r;
		}
		*field(c, k) = v;
		return 0;
	}
	(void) snprintf(err, PROGRAMME_ERROR_MAX, "[%.40s] %.40s: unknown key", section, key);
	return -ENOENT;
}

int programme_config_format(const struct programme_config *c, char *buf, size_t size)
{
	const char *section = NULL;
	size_t n;
	int r;

	r = snprintf(buf, size, "[programme]\nkind = %s\n", programme_kind_to_string(c->kind));
	if (r < 0)
		return -ERANGE;
	n = (size_t) r;
	section = "programme";
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const struct programme_key *k = &keys[i];
		bool head = strcmp(section, k->section) != 0;

		r = snprintf(n < size ? buf + n : NULL, n < size ? size - n : 0, "%s%s%s%s = %u\n",
			     head ? "\n[" : "", head ? k->section : "", head ? "]\n" : "", k->key,
			     *field((struct programme_config *) c, k));
		if (r < 0)
			return -ERANGE;
		n += (size_t) r;
		section = k->section;
	}
	return (int) n;
}
