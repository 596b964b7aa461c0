/* SPDX-License-Identifier: MIT */
/*
 * dbus-fuzz: send thousands of bad calls to every method backrided exports and check that each
 * is answered with a named error, that the daemon stays on the bus, and that nothing that
 * changes state succeeds. The methods come from the daemon's own introspection, so a new
 * method is fuzzed without touching this file (it is treated as one that changes state).
 *
 *   dbus-fuzz --bus ADDRESS [--seed N] [--calls N] [--huge N] [--quiet]
 *
 * Per method, --calls calls (default 2000) of these kinds, chosen at random:
 *   signature  arguments of a random other signature (sd-bus refuses them itself)
 *   values     the right signature with random values: extremes, random and huge strings,
 *              unknown ids, random dictionaries with known and unknown keys and wrong types
 *   invalid    for methods whose valid call changes state (StartScan, Checkin, Stop,
 *              ReportPain...): values outside the documented range only
 *   path       the method on an unknown object, an unknown interface or a misspelt name
 * plus --huge calls with a 1 MiB string or a 10,000-entry dictionary (default 3).
 *
 * Accepted answers: an error named org.backride.Error.* or one of sd-bus's own for bad calls
 * (org.freedesktop.DBus.Error.InvalidArgs, UnknownMethod, UnknownObject, UnknownInterface,
 * UnknownProperty, PropertyReadOnly); a method return only for methods that only read.
 * Anything else (no reply, an unnamed System.Error.*, Failed, a success of a method that
 * changes state) is a failure, printed with the call. Exit 0 when there was none.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#define DEST	    "org.backride"
#define CALL_USEC   (30ULL * 1000000ULL)
#define MAX_METHODS 128
#define MAX_NAMES   48
#define HUGE_STRING (1024 * 1024)
#define HUGE_DICT   10000

/* ---- random ---------------------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static unsigned rndn(unsigned n)
{
	return n ? (unsigned) (rnd() % n) : 0;
}

/* ---- what to fuzz ---------------------------------------------------------------------- */

enum policy {
	POLICY_READONLY, /* a success is fine: it only reads */
	POLICY_INVALID,	 /* a valid call changes state: send out-of-range values only */
	POLICY_SIGONLY,	 /* a valid call changes state and has no bad values: signatures only */
	POLICY_RANDOM,	 /* random values always fail (unknown addresses, no machine...) */
};

struct method {
	char path[128];
	char iface[64];
	char name[64];
	char sig[64];
	enum policy policy;
	unsigned calls;
	unsigned n_names;
	struct {
		char name[80];
		unsigned count;
	} names[MAX_NAMES];
};

static struct method methods[MAX_METHODS];
static unsigned n_methods;
static unsigned n_failures;
static bool quiet;
/* Connect("") connects the remembered machine: a success when a session runs. Never sent. */
static bool no_empty;

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
static int discover(sd_bus *bus, const char *path, unsigned depth)
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

/* ---- random arguments ------------------------------------------------------------------ */

static const char basic_types[] = "ybnqiuxtdsog";

/* The length of the complete type at @s. */
static size_t type_len(const char *s)
{
	size_t n;

	switch (*s) {
	case 'a':
		return 1 + type_len(s + 1);
	case '(':
	case '{':
		n = 1;
		while (s[n] && s[n] != ')' && s[n] != '}')
			n += type_len(s + n);
		return n + 1;
	default:
		return 1;
	}
}

static void random_type(char *buf, size_t size, unsigned depth)
{
	unsigned k = rndn(depth < 2 ? 16 : 12);
	char inner[32];

	if (k < 12 || size < 8) {
		(void) snprintf(buf, size, "%c", basic_types[k % 12]);
		return;
	}
	random_type(inner, sizeof(inner), depth + 1);
	switch (k) {
	case 12:
		(void) snprintf(buf, size, "a%s", inner);
		break;
	case 13:
		(void) snprintf(buf, size, "a{s%s}", inner);
		break;
	case 14:
		(void) snprintf(buf, size, "(%si)", inner);
		break;
	default:
		(void) snprintf(buf, size, "v");
		break;
	}
}

static char *huge_string(void)
{
	static char *s;

	if (!s) {
		s = malloc(HUGE_STRING + 1);
		if (!s)
			abort();
		for (size_t i = 0; i < HUGE_STRING; i++)
			s[i] = (char) ('a' + i % 26);
		s[HUGE_STRING] = '\0';
	}
	return s;
}

/* Strings that reach the daemon's parsers: near misses of what it knows, and junk. */
static const char *const words[] = {
	"",
	"bike",
	"treadmill",
	"hr",
	"tcx",
	"fit",
	"csv",
	"json",
	"kind",
	"minutes",
	"machine",
	"pain_before",
	"stretches",
	"since",
	"until",
	"limit",
	"offset",
	"C0:FF:EE:00:00:99",
	"c0:ff:ee:00:00:98",
	"00:00:00:00:00:00",
	"FF:FF:FF:FF:FF:FF",
	"C0:FF:EE:00:00",
	"C0:FF:EE:00:00:01:02",
	"C0_FF_EE_00_00_97",
	"zz:zz:zz:zz:zz:zz",
	"%s%s%s%n",
	"../../etc/passwd",
	"Bike",
	" bike",
	"bike\n",
	"\xc3\xa9",
	"org.backride.Manager1",
	"Version",
	"State",
	"Data",
	"Nope",
};

static void random_string(char *buf, size_t size, const char **ret)
{
	unsigned k = rndn(10), n;

	if (k < 5) {
		*ret = words[rndn(sizeof(words) / sizeof(words[0]))];
		if (no_empty && !**ret)
			*ret = "C0:FF:EE:00:00:99";
		return;
	}
	n = k < 8 ? rndn(24) : rndn((unsigned) size - 1);
	for (unsigned i = 0; i < n; i++)
		buf[i] = (char) (0x20 + rndn(0x5f));
	buf[n] = '\0';
	*ret = n == 0 && no_empty ? "C0:FF:EE:00:00:99" : buf;
}

static uint64_t random_int(void)
{
	static const uint64_t special[] = { 0,		1,	    2,		3,
					    9,		10,	    11,		100,
					    255,	256,	    300,	301,
					    1000,	65535,	    65536,	0x7fffffff,
					    0x80000000, 0xffffffff, UINT64_MAX, UINT64_MAX - 1,
					    1ULL << 63 };

	switch (rndn(3)) {
	case 0:
		return special[rndn(sizeof(special) / sizeof(special[0]))];
	case 1:
		return rndn(20);
	default:
		return rnd();
	}
}

static int append_value(sd_bus_message *m, const char *type, unsigned depth);

static int append_basic(sd_bus_message *m, char t)
{
	static char buf[4096];
	const char *s;
	uint64_t v = random_int();
	double d;

	switch (t) {
	case 'b': {
		int b = (int) (v & 1);

		return sd_bus_message_append_basic(m, t, &b);
	}
	case 'd':
		d = rndn(4) == 0 ? -1e308 : (double) (int64_t) v / 7.0;
		return sd_bus_message_append_basic(m, t, &d);
	case 's':
		random_string(buf, sizeof(buf), &s);
		return sd_bus_message_append_basic(m, t, s);
	case 'o':
		return sd_bus_message_append_basic(m, t, rndn(2) ? "/" : "/org/backride/nope");
	case 'g':
		return sd_bus_message_append_basic(m, t, rndn(2) ? "" : "a{sv}");
	default:
		return sd_bus_message_append_basic(m, t, &v); /* little-endian: the low bytes */
	}
}

static int append_dict(sd_bus_message *m, const char *entry, unsigned depth, unsigned n)
{
	char key = entry[1];
	char value[32];
	int r;

	(void) snprintf(value, sizeof(value), "%.*s", (int) type_len(entry + 2), entry + 2);
	r = sd_bus_message_open_container(m, 'a', entry);
	for (unsigned i = 0; r >= 0 && i < n; i++) {
		char inner[34];

		(void) snprintf(inner, sizeof(inner), "%c%s", key, value);
		r = sd_bus_message_open_container(m, 'e', inner);
		if (r >= 0)
			r = append_basic(m, key);
		if (r >= 0)
			r = append_value(m, value, depth + 1);
		if (r >= 0)
			r = sd_bus_message_close_container(m);
	}
	return r < 0 ? r : sd_bus_message_close_container(m);
}

static int append_value(sd_bus_message *m, const char *type, unsigned depth)
{
	char inner[64];
	int r;

	switch (type[0]) {
	case 'a':
		(void) snprintf(inner, sizeof(inner), "%.*s", (int) type_len(type + 1), type + 1);
		if (inner[0] == '{')
			return append_dict(m, inner, depth, depth > 2 ? 0 : rndn(6));
		r = sd_bus_message_open_container(m, 'a', inner);
		for (unsigned i = 0, n = depth > 2 ? 0 : rndn(5); r >= 0 && i < n; i++)
			r = append_value(m, inner, depth + 1);
		return r < 0 ? r : sd_bus_message_close_container(m);
	case '(':
		(void) snprintf(inner, sizeof(inner), "%.*s", (int) type_len(type) - 2, type + 1);
		r = sd_bus_message_open_container(m, 'r', inner);
		for (const char *p = inner; r >= 0 && *p; p += type_len(p)) {
			char one[32];

			(void) snprintf(one, sizeof(one), "%.*s", (int) type_len(p), p);
			r = append_value(m, one, depth + 1);
		}
		return r < 0 ? r : sd_bus_message_close_container(m);
	case 'v':
		if (depth > 2)
			(void) snprintf(inner, sizeof(inner), "u");
		else
			random_type(inner, sizeof(inner), depth);
		r = sd_bus_message_open_container(m, 'v', inner);
		if (r >= 0)
			r = append_value(m, inner, depth + 1);
		return r < 0 ? r : sd_bus_message_close_container(m);
	default:
		return append_basic(m, type[0]);
	}
}

static int append_signature(sd_bus_message *m, const char *sig)
{
	int r = 0;

	for (const char *p = sig; r >= 0 && *p; p += type_len(p)) {
		char one[64];

		(void) snprintf(one, sizeof(one), "%.*s", (int) type_len(p), p);
		r = append_value(m, one, 0);
	}
	return r;
}

/* Values outside the documented range, for methods whose valid calls change state. */
static int append_invalid(sd_bus_message *m, const struct method *me)
{
	uint32_t u = 11 + (uint32_t) rndn(0x7ffffff0);

	if (strcmp(me->name, "StartScan") == 0)
		return sd_bus_message_append(m, "u", 301 + (uint32_t) rndn(0x7ffffff0));
	if (strcmp(me->name, "Checkin") == 0 || strcmp(me->name, "ReportPain") == 0)
		return sd_bus_message_append(m, "u", rndn(2) ? u : UINT32_MAX);
	if (strcmp(me->name, "Stop") == 0)
		return sd_bus_message_append(m, "i", (int32_t) (rndn(2) ? u : INT32_MAX));
	if (strcmp(me->name, "StartSession") == 0) {
		/* One bad option among good ones: the whole call must be refused. */
		static const char *const bad[][2] = { { "kind", "rower" },
						      { "machine", "not an address" },
						      { "nope", "x" } };
		unsigned k = rndn(6);

		if (k < 3)
			return sd_bus_message_append(m, "a{sv}", 2, "minutes", "u", 10, bad[k][0],
						     "s", bad[k][1]);
		if (k == 3)
			return sd_bus_message_append(m, "a{sv}", 1, "minutes", "u",
						     rndn(2) ? rndn(3) : 91 + rndn(1000));
		if (k == 4)
			return sd_bus_message_append(m, "a{sv}", 1, "pain_before", "i",
						     rndn(2) ? -1 - (int32_t) rndn(100)
							     : 11 + (int32_t) rndn(100));
		return sd_bus_message_append(m, "a{sv}", 1, "minutes", "s", "10");
	}
	return -EOPNOTSUPP;
}

/* ---- calls ----------------------------------------------------------------------------- */

static bool name_expected(const char *name)
{
	static const char *const ok[] = {
		"org.freedesktop.DBus.Error.InvalidArgs",
		"org.freedesktop.DBus.Error.UnknownMethod",
		"org.freedesktop.DBus.Error.UnknownObject",
		"org.freedesktop.DBus.Error.UnknownInterface",
		"org.freedesktop.DBus.Error.UnknownProperty",
		"org.freedesktop.DBus.Error.PropertyReadOnly",
	};

	if (strncmp(name, "org.backride.Error.", 19) == 0 &&
	    strcmp(name, "org.backride.Error.Failed") != 0)
		return true;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(name, ok[i]) == 0)
			return true;
	return false;
}

static void count(struct method *me, const char *name)
{
	unsigned i;

	for (i = 0; i < me->n_names; i++)
		if (strcmp(me->names[i].name, name) == 0)
			break;
	if (i == me->n_names) {
		if (me->n_names >= MAX_NAMES)
			return;
		(void) snprintf(me->names[i].name, sizeof(me->names[i].name), "%s", name);
		me->n_names++;
	}
	me->names[i].count++;
}

enum kind { KIND_SIGNATURE, KIND_VALUES, KIND_INVALID, KIND_PATH, KIND_HUGE };
static const char *const kind_names[] = { "signature", "values", "invalid", "path", "huge" };

static int build(sd_bus *bus, struct method *me, enum kind k, sd_bus_message **ret)
{
	const char *path = me->path, *iface = me->iface, *name = me->name;
	char sig[64], mname[80];
	sd_bus_message *m = NULL;
	int r;

	if (k == KIND_PATH) {
		unsigned w = rndn(3);

		if (w == 0)
			path = "/org/backride/nope";
		else if (w == 1)
			iface = "org.backride.Nope1";
		else {
			(void) snprintf(mname, sizeof(mname), "%sX", me->name);
			name = mname;
		}
	}
	r = sd_bus_message_new_method_call(bus, &m, DEST, path, iface, name);
	if (r < 0)
		return r;
	no_empty = strcmp(me->name, "Connect") == 0;
	switch (k) {
	case KIND_SIGNATURE:
		do {
			sig[0] = '\0';
			for (unsigned i = 0, n = rndn(4); i < n; i++)
				random_type(sig + strlen(sig), sizeof(sig) - strlen(sig), 1);
		} while (strcmp(sig, me->sig) == 0);
		r = append_signature(m, sig);
		break;
	case KIND_VALUES:
	case KIND_PATH:
		r = append_signature(m, me->sig);
		break;
	case KIND_INVALID:
		r = append_invalid(m, me);
		break;
	case KIND_HUGE:
		if (strchr(me->sig, 'a') && rndn(2))
			r = append_dict(m, "{sv}", 3, HUGE_DICT);
		else
			r = sd_bus_message_append(m, "s", huge_string());
		break;
	}
	if (r < 0) {
		sd_bus_message_unref(m);
		return r;
	}
	*ret = m;
	return 0;
}

static enum kind pick_kind(const struct method *me)
{
	unsigned w = rndn(10);

	if (w == 0)
		return KIND_PATH;
	switch (me->policy) {
	case POLICY_READONLY:
	case POLICY_RANDOM:
		return w < 4 ? KIND_SIGNATURE : KIND_VALUES;
	case POLICY_INVALID:
		return w < 4 ? KIND_SIGNATURE : KIND_INVALID;
	case POLICY_SIGONLY:
		return KIND_SIGNATURE;
	}
	return KIND_SIGNATURE;
}

/* A huge call to a method that takes no arguments or only numbers is a wrong signature. */
static bool success_allowed(const struct method *me, enum kind k)
{
	/* sd-bus answers Peer, and Properties.GetAll with extra arguments, itself: not ours. */
	if (me->policy == POLICY_READONLY && strncmp(me->iface, "org.freedesktop.DBus.", 21) == 0)
		return true;
	return me->policy == POLICY_READONLY && (k == KIND_VALUES || k == KIND_PATH);
}

static int one_call(sd_bus *bus, struct method *me, enum kind k)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL, *reply = NULL;
	const char *name;
	bool ok;
	int r;

	r = build(bus, me, k, &m);
	if (r == -EOPNOTSUPP)
		r = build(bus, me, KIND_SIGNATURE, &m);
	if (r < 0) {
		fprintf(stderr, "dbus-fuzz: cannot build a call to %s: %s\n", me->name,
			strerror(-r));
		return r;
	}
	me->calls++;
	r = sd_bus_call(bus, m, CALL_USEC, &e, &reply);
	if (r >= 0) {
		name = "(success)";
		ok = success_allowed(me, k);
	} else if (sd_bus_error_is_set(&e)) {
		name = e.name;
		ok = name_expected(name);
	} else {
		name = "(no reply)";
		ok = false;
	}
	count(me, name);
	if (!ok) {
		const char *first = NULL;

		n_failures++;
		(void) sd_bus_message_rewind(m, true);
		if (sd_bus_message_peek_type(m, NULL, NULL) > 0 &&
		    strcmp(sd_bus_message_get_signature(m, false), "s") == 0)
			(void) sd_bus_message_read(m, "s", &first);
		if (n_failures <= 20)
			fprintf(stderr, "FAIL: %s %s.%s (%s, %s args%s%.40s%s): %s: %s\n", me->path,
				me->iface, me->name, kind_names[k],
				sd_bus_message_get_signature(m, true), first ? " \"" : "",
				first ? first : "", first ? "\"" : "", name,
				e.message ? e.message : "");
	}
	sd_bus_error_free(&e);
	sd_bus_message_unref(reply);
	sd_bus_message_unref(m);
	return r == -ETIMEDOUT || r == -ECONNRESET || r == -ENOTCONN ? r : 0;
}

/* ---- main ------------------------------------------------------------------------------ */

static int owner(sd_bus *bus, char *buf, size_t size)
{
	const char *unique;
	sd_bus_creds *c = NULL;
	int r;

	r = sd_bus_get_name_creds(bus, DEST, SD_BUS_CREDS_UNIQUE_NAME, &c);
	if (r >= 0)
		r = sd_bus_creds_get_unique_name(c, &unique);
	if (r >= 0)
		(void) snprintf(buf, size, "%s", unique);
	sd_bus_creds_unref(c);
	return r;
}

static void report(void)
{
	unsigned total = 0;

	for (unsigned i = 0; i < n_methods; i++) {
		struct method *me = &methods[i];

		total += me->calls;
		if (quiet)
			continue;
		printf("%s %s.%s(%s): %u calls:", me->path, me->iface, me->name, me->sig,
		       me->calls);
		for (unsigned j = 0; j < me->n_names; j++) {
			const char *n = me->names[j].name;
			const char *shortn = strrchr(n, '.');

			printf(" %s %u", shortn && n[0] != '(' ? shortn + 1 : n,
			       me->names[j].count);
		}
		printf("\n");
	}
	printf("dbus-fuzz: %u methods, %u calls, %u failures\n", n_methods, total, n_failures);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bus", required_argument, NULL, 'b' },   { "seed", required_argument, NULL, 's' },
		{ "calls", required_argument, NULL, 'c' }, { "huge", required_argument, NULL, 'H' },
		{ "quiet", no_argument, NULL, 'q' },	   {},
	};
	const char *address = NULL;
	unsigned calls = 2000, huge = 3;
	char before[64], after[64];
	sd_bus *bus = NULL;
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) >= 0) {
		switch (c) {
		case 'b':
			address = optarg;
			break;
		case 's':
			rng_state = strtoull(optarg, NULL, 0) * 0x9e3779b97f4a7c15ULL | 1;
			break;
		case 'c':
			calls = (unsigned) strtoul(optarg, NULL, 0);
			break;
		case 'H':
			huge = (unsigned) strtoul(optarg, NULL, 0);
			break;
		case 'q':
			quiet = true;
			break;
		default:
			fprintf(stderr, "Usage: dbus-fuzz --bus ADDRESS [--seed N] [--calls N] "
					"[--huge N] [--quiet]\n");
			return 2;
		}
	}
	if (!address) {
		fprintf(stderr, "dbus-fuzz: --bus ADDRESS is required\n");
		return 2;
	}
	r = sd_bus_new(&bus);
	if (r >= 0)
		r = sd_bus_set_address(bus, address);
	if (r >= 0)
		r = sd_bus_set_bus_client(bus, 1);
	if (r >= 0)
		r = sd_bus_start(bus);
	if (r >= 0)
		r = owner(bus, before, sizeof(before));
	if (r >= 0)
		r = discover(bus, "/org/backride", 0);
	if (r < 0) {
		fprintf(stderr, "dbus-fuzz: cannot reach %s on %s: %s\n", DEST, address,
			strerror(-r));
		return 1;
	}
	for (unsigned i = 0; i < n_methods; i++) {
		struct method *me = &methods[i];

		for (unsigned n = 0; r >= 0 && n < calls; n++)
			r = one_call(bus, me, pick_kind(me));
		for (unsigned n = 0; r >= 0 && n < huge; n++)
			r = one_call(bus, me, KIND_HUGE);
		if (r < 0)
			break;
	}
	if (r < 0 || owner(bus, after, sizeof(after)) < 0 || strcmp(before, after) != 0) {
		fprintf(stderr, "FAIL: the daemon (%s) is gone or was replaced\n", before);
		n_failures++;
	}
	report();
	sd_bus_flush_close_unref(bus);
	return n_failures ? 1 : 0;
}
