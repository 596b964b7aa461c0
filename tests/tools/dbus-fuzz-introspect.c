/* SPDX-License-Identifier: MIT */
/* dbus-fuzz: the methods to fuzz, from the daemon's own introspection, and what a valid call to
 * each of them does. */
#include "dbus-fuzz.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

/* The methods whose valid calls change state; everything not listed under READONLY either. */
static const struct {
	const char *iface, *name;
	enum policy policy;
} policies[] = {
	{ "org.backride.Manager1", "StartScan", POLICY_INVALID },
	{ "org.backride.Manager1", "StopScan", POLICY_SIGONLY },
	{ "org.backride.Manager1", "Pair", POLICY_RANDOM },
	{ "org.backride.Manager1", "Forget", POLICY_RANDOM },
	{ "org.backride.Manager1", "Connect", POLICY_RANDOM },
	{ "org.backride.Manager1", "Disconnect", POLICY_SIGONLY },
	{ "org.backride.Manager1", "StartSession", POLICY_INVALID },
	{ "org.backride.Manager1", "Checkin", POLICY_INVALID },
	{ "org.backride.Manager1", "NextPlan", POLICY_READONLY },
	{ "org.backride.History1", "ListSessions", POLICY_READONLY },
	{ "org.backride.History1", "GetSession", POLICY_READONLY },
	{ "org.backride.History1", "GetSamples", POLICY_READONLY },
	{ "org.backride.History1", "Progress", POLICY_READONLY },
	{ "org.backride.History1", "Export", POLICY_READONLY },
	{ "org.backride.Session1", "Stop", POLICY_INVALID },
	{ "org.backride.Session1", "ReportPain", POLICY_INVALID },
	{ "org.backride.Session1", "Pause", POLICY_SIGONLY },
	{ "org.backride.Session1", "Resume", POLICY_SIGONLY },
	{ "org.backride.Session1", "ConfirmBelt", POLICY_SIGONLY },
	{ "org.freedesktop.DBus.Properties", "Get", POLICY_READONLY },
	{ "org.freedesktop.DBus.Properties", "GetAll", POLICY_READONLY },
	{ "org.freedesktop.DBus.Properties", "Set", POLICY_RANDOM },
	{ "org.freedesktop.DBus.Introspectable", "Introspect", POLICY_READONLY },
	{ "org.freedesktop.DBus.Peer", "Ping", POLICY_READONLY },
	{ "org.freedesktop.DBus.Peer", "GetMachineId", POLICY_READONLY },
	{ "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", POLICY_READONLY },
};

static enum policy policy_of(const char *iface, const char *name)
{
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		if (strcmp(policies[i].iface, iface) == 0 && strcmp(policies[i].name, name) == 0)
			return policies[i].policy;
	return POLICY_SIGONLY; /* unknown: it may change state */
}

/* ---- introspection --------------------------------------------------------------------- */

/* Copy the value of attribute @attr inside the tag starting at @tag. */
static bool xml_attr(const char *tag, const char *attr, char *buf, size_t size)
{
	const char *end = strchr(tag, '>'), *p, *q;
	char key[32];

	(void) snprintf(key, sizeof(key), "%s=\"", attr);
	p = strstr(tag, key);
	if (!p || (end && p > end))
		return false;
	p += strlen(key);
	q = strchr(p, '"');
	if (!q || (size_t) (q - p) >= size)
		return false;
	memcpy(buf, p, (size_t) (q - p));
	buf[q - p] = '\0';
	return true;
}

static void add_method(const char *path, const char *iface, const char *name, const char *sig)
{
	struct method *m;

	if (n_methods >= MAX_METHODS)
		return;
	m = &methods[n_methods++];
	memset(m, 0, sizeof(*m));
	(void) snprintf(m->path, sizeof(m->path), "%s", path);
	(void) snprintf(m->iface, sizeof(m->iface), "%s", iface);
	(void) snprintf(m->name, sizeof(m->name), "%s", name);
	(void) snprintf(m->sig, sizeof(m->sig), "%s", sig);
	m->policy = policy_of(iface, name);
}

/* Add every method of @xml at @path; Properties everywhere, the other standard ones once. */
static void parse_methods(const char *path, const char *xml, bool standard)
{
	char iface[64] = "", name[64], sig[64], type[32], dir[8];
	const char *p = xml;

	while ((p = strchr(p, '<'))) {
		if (strncmp(p, "<interface ", 11) == 0)
			(void) xml_attr(p, "name", iface, sizeof(iface));
		if (strncmp(p, "<method ", 8) != 0 || !xml_attr(p, "name", name, sizeof(name))) {
			p++;
			continue;
		}
		sig[0] = '\0';
		for (p = strchr(p, '>'); p && *(p - 1) != '/' && (p = strchr(p, '<'));) {
			if (strncmp(p, "</method>", 9) == 0)
				break;
			if (strncmp(p, "<arg ", 5) == 0 &&
			    xml_attr(p, "type", type, sizeof(type)) &&
			    (!xml_attr(p, "direction", dir, sizeof(dir)) ||
			     strcmp(dir, "in") == 0) &&
			    strlen(sig) + strlen(type) < sizeof(sig))
				strcat(sig, type);
			p++;
		}
		if (!p)
			break;
		if (standard || strncmp(iface, "org.freedesktop.DBus.", 21) != 0 ||
		    strcmp(iface, "org.freedesktop.DBus.Properties") == 0)
			add_method(path, iface, name, sig);
		p++;
	}
}

static int introspect(sd_bus *bus, const char *path, char **ret)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *xml;
	int r;

	r = sd_bus_call_method(bus, DEST, path, "org.freedesktop.DBus.Introspectable", "Introspect",
			       &e, &reply, "");
	sd_bus_error_free(&e);
	if (r >= 0)
		r = sd_bus_message_read(reply, "s", &xml);
	if (r >= 0)
		*ret = strdup(xml);
	sd_bus_message_unref(reply);
	return r < 0 ? r : *ret ? 0 : -ENOMEM;
}

/* Walk the object tree below @path. */
int discover(sd_bus *bus, const char *path, unsigned depth)
{
	char *xml = NULL, child[128], full[256];
	const char *p;
	int n, r;

	r = introspect(bus, path, &xml);
	if (r < 0)
		return r;
	parse_methods(path, xml, strcmp(path, "/org/backride") == 0);
	for (p = xml; depth < 4 && (p = strstr(p, "<node name=\"")); p++) {
		if (!xml_attr(p, "name", child, sizeof(child)))
			continue;
		n = snprintf(full, sizeof(full), "%s%s%s", path, strcmp(path, "/") ? "/" : "",
			     child);
		if (n < 0 || (size_t) n >= sizeof(full))
			continue; /* a cut path would name another object */
		(void) discover(bus, full, depth + 1);
	}
	free(xml);
	return 0;
}
