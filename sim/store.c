/* SPDX-License-Identifier: MIT */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "macro.h"

#define STORE_MAX 32

struct store {
	char *path;
	struct store_entry entries[STORE_MAX];
	size_t n;
};

static void store_load(struct store *s)
{
	struct store_entry e;
	char line[256];
	int paired, bonded, trusted;
	FILE *f;

	f = fopen(s->path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && s->n < STORE_MAX) {
		e = (struct store_entry) { 0 };
		if (sscanf(line, "%17s paired=%d bonded=%d trusted=%d alias=%63[^\n]", e.address,
			   &paired, &bonded, &trusted, e.alias) < 4)
			continue;
		e.paired = paired;
		e.bonded = bonded;
		e.trusted = trusted;
		s->entries[s->n++] = e;
	}
	fclose(f);
}

static int store_save(const struct store *s)
{
	_cleanup_free_ char *tmp = NULL;
	FILE *f;

	if (!s->path)
		return 0;
	if (asprintf(&tmp, "%s.tmp", s->path) < 0)
		return -ENOMEM;
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	for (size_t i = 0; i < s->n; i++) {
		const struct store_entry *e = &s->entries[i];

		fprintf(f, "%s paired=%d bonded=%d trusted=%d alias=%s\n", e->address, e->paired,
			e->bonded, e->trusted, e->alias);
	}
	if (fclose(f) != 0 || rename(tmp, s->path) < 0)
		return -errno;
	return 0;
}

int store_open(const char *dir, struct store **ret)
{
	struct store *s;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (dir && asprintf(&s->path, "%s/devices", dir) < 0) {
		free(s);
		return -ENOMEM;
	}
	if (s->path)
		store_load(s);
	*ret = s;
	return 0;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	free(s->path);
	free(s);
}

const struct store_entry *store_get(const struct store *s, const char *address)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcasecmp(s->entries[i].address, address) == 0)
			return &s->entries[i];
	return NULL;
}

int store_put(struct store *s, const struct store_entry *e)
{
	struct store_entry *old = (struct store_entry *) store_get(s, e->address);

	if (old)
		*old = *e;
	else if (s->n < STORE_MAX)
		s->entries[s->n++] = *e;
	else
		return -ENOSPC;
	return store_save(s);
}

int store_remove(struct store *s, const char *address)
{
	for (size_t i = 0; i < s->n; i++) {
		if (strcasecmp(s->entries[i].address, address) != 0)
			continue;
		s->entries[i] = s->entries[--s->n];
		return store_save(s);
	}
	return 0;
}
