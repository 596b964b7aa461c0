/* SPDX-License-Identifier: MIT */
#pragma once

/* dbus-fuzz (see dbus-fuzz.c): what it fuzzes, the random source and the random arguments
 * (dbus-fuzz-args.c), and the methods found by introspection (dbus-fuzz-introspect.c). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#define DEST	    "org.backride"
#define CALL_USEC   (30ULL * 1000000ULL)
#define MAX_METHODS 128
#define MAX_NAMES   48
#define HUGE_STRING (1024 * 1024)
#define HUGE_DICT   10000

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

extern struct method methods[MAX_METHODS];
extern unsigned n_methods;
/* Connect("") connects the remembered machine: a success when a session runs. Never sent. */
extern bool no_empty;
/* The state of the random source; --seed sets it. */
extern uint64_t rng_state;

/* The next random number. */
uint64_t rnd(void);
/* A random number below n (0 when n is 0). */
unsigned rndn(unsigned n);

/* Walk the object tree below @path and add every method found to methods[].
 * Return: 0, or a negative errno when @path cannot be introspected. */
int discover(sd_bus *bus, const char *path, unsigned depth);

/* A random complete type in @buf. */
void random_type(char *buf, size_t size, unsigned depth);
/* A string of HUGE_STRING bytes, made once. */
char *huge_string(void);
/* An array of @n random dictionary entries of type @entry ("{sv}").
 * Return: 0, or a negative errno from sd-bus. */
int append_dict(sd_bus_message *m, const char *entry, unsigned depth, unsigned n);
/* Random values of the signature @sig. Return: 0, or a negative errno from sd-bus. */
int append_signature(sd_bus_message *m, const char *sig);
/* Values outside the documented range, for methods whose valid calls change state.
 * Return: 0, -EOPNOTSUPP when there are none for @me, or a negative errno from sd-bus. */
int append_invalid(sd_bus_message *m, const struct method *me);
