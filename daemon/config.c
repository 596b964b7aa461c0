/* SPDX-License-Identifier: MIT */
#include "config.h"

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
	if (strcmp(value, "system") != 0 && strcmp(value, "session") != 0 &&
	    !strchr(value, ':')) {
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

static const struct config_key config_keys[] = {
	{ "daemon", "api_bus", parse_bus, offsetof(struct config, api_bus) },
	{ "daemon", "bluez_bus", parse_bus, offsetof(struct config, bluez_bus) },
	{ "daemon", "database", parse_path, offsetof(struct config, database) },
	{ "daemon", "log_level", parse_log_level, offsetof(struct config, log_level) },
	{ "access", "group", parse_string, offsetof(struct config, access_group) },
};

int config_parse_log_level(const char *s)
{
	static const struct {
		const char *name;
		int level;
	} levels[] = {
		{ "error", LOG_ERR },	  { "warning", LOG_WARNING }, { "notice", LOG_NOTICE },
		{ "info", LOG_INFO },	  { "debug", LOG_DEBUG },
	};

	for (size_t i = 0; i < ARRAY_SIZE(levels); i++)
		if (strcmp(s, levels[i].name) == 0)
			return levels[i].level;
	return -EINVAL;
}

int config_init(struct config *c)
{
	*c = (struct config){
		.api_bus = strdup("system"),
		.bluez_bus = strdup("system"),
		.database = strdup(BACKRIDE_DB_FILE),
		.log_level = LOG_INFO,
		.access_group = strdup("backride"),
	};
	if (!c->api_bus || !c->bluez_bus || !c->database || !c->access_group) {
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
	*c = (struct config){ 0 };
}

static int config_copy(struct config *dst, const struct config *src)
{
	*dst = *src;
	dst->api_bus = strdup(src->api_bus);
	dst->bluez_bus = strdup(src->bluez_bus);
	dst->database = strdup(src->database);
	dst->access_group = strdup(src->access_group);
	if (!dst->api_bus || !dst->bluez_bus || !dst->database || !dst->access_group) {
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

int config_set(struct config *c, const char *section, const char *key, const char *value,
	       FILE *err)
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

	if (p)
		st->line++;
	return p;
}

static int config_handler(void *userdata, const char *section, const char *key, const char *value)
{
	struct config_parse_state *st = userdata;
	const char *why = NULL;
	int r;

	r = config_apply(st->c, section, key, value, &why);
	if (r == -ENOENT) {
		if (st->err)
			(void) fprintf(st->err, "%s:%d: unknown key '%s' in section [%s], ignored\n",
				       st->path, st->line, key, section);
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
