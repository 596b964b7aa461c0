/* SPDX-License-Identifier: MIT */
/* dbus-fuzz: a reproducible random source and random arguments of any signature. */
#include "dbus-fuzz.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

/* ---- random ---------------------------------------------------------------------------- */

uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

unsigned rndn(unsigned n)
{
	return n ? (unsigned) (rnd() % n) : 0;
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

void random_type(char *buf, size_t size, unsigned depth)
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

char *huge_string(void)
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

int append_dict(sd_bus_message *m, const char *entry, unsigned depth, unsigned n)
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

int append_signature(sd_bus_message *m, const char *sig)
{
	int r = 0;

	for (const char *p = sig; r >= 0 && *p; p += type_len(p)) {
		char one[64];

		(void) snprintf(one, sizeof(one), "%.*s", (int) type_len(p), p);
		r = append_value(m, one, 0);
	}
	return r;
}

int append_invalid(sd_bus_message *m, const struct method *me)
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
