/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

/*
 * What bluetoothd keeps in /var/lib/bluetooth: devices that are no longer temporary, with
 * Paired/Bonded/Trusted. In memory always (it survives a simulated bluetoothd restart), in
 * STATE_DIR/devices when --state-dir is given (it survives a simulator restart).
 */
struct store_entry {
	char address[18];
	bool paired;
	bool bonded;
	bool trusted;
	char alias[64];
};

struct store;

/* Open the store; dir may be NULL (memory only). Return: 0, or -errno. */
int store_open(const char *dir, struct store **ret);
void store_free(struct store *s);

/* Return: the entry for address, or NULL. */
const struct store_entry *store_get(const struct store *s, const char *address);

/* Add or replace an entry and write the file. Return: 0, or -errno. */
int store_put(struct store *s, const struct store_entry *e);

/* Forget an entry (RemoveDevice). Return: 0, or -errno. */
int store_remove(struct store *s, const char *address);
