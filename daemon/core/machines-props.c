/* SPDX-License-Identifier: MIT */
/* The properties of every machine known, kept by the registry and reported upward. */
#include "machines-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct machine_props *find(const struct machines *mc, const char *address)
{
	for (size_t i = 0; i < mc->n_props; i++)
		if (strcasecmp(mc->props[i].address, address) == 0)
			return &mc->props[i];
	return NULL;
}

int machines_get(const struct machines *mc, const char *address, struct machine_props *ret)
{
	const struct machine_props *p = find(mc, address);

	if (!p)
		return -ENOENT;
	*ret = *p;
	return 0;
}

int machines_foreach(const struct machines *mc,
		     int (*fn)(const struct machine_props *p, void *userdata), void *userdata)
{
	for (size_t i = 0; i < mc->n_props; i++) {
		int r = fn(&mc->props[i], userdata);

		if (r != 0)
			return r;
	}
	return 0;
}

/* The properties of @address as they are now, or a fresh set. */
void machines_props_get(struct machines *mc, const char *address, struct machine_props *p)
{
	if (machines_get(mc, address, p) >= 0)
		return;
	*p = (struct machine_props) {
		.kind = "unknown",
		.protocol = "ftms",
		.link = "idle",
		.resistance_form = "unknown",
	};
	(void) snprintf(p->address, sizeof(p->address), "%s", address);
}

/* Keep @p as the properties of its machine and report them. Return: 0 or -ENOMEM. */
int machines_props_set(struct machines *mc, const struct machine_props *p)
{
	struct machine_props *x = find(mc, p->address);

	if (!x) {
		x = reallocarray(mc->props, mc->n_props + 1, sizeof(*x));
		if (!x)
			return -ENOMEM;
		mc->props = x;
		x = &mc->props[mc->n_props++];
	}
	*x = *p;
	if (mc->cb.machine_changed)
		mc->cb.machine_changed(mc->userdata, p);
	return 0;
}

/* Forget the properties of @address and report it gone. Return: 0 or -ENOENT. */
int machines_props_remove(struct machines *mc, const char *address)
{
	struct machine_props *x = find(mc, address);

	if (!x)
		return -ENOENT;
	*x = mc->props[--mc->n_props];
	if (mc->cb.machine_removed)
		mc->cb.machine_removed(mc->userdata, address);
	return 0;
}
