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
#include "dbus-fuzz.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

struct method methods[MAX_METHODS];
unsigned n_methods;
static unsigned n_failures;
static bool quiet;
bool no_empty;

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
