/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>
#include <uv.h>

#include "config.h"

/*
 * The manager owns everything that lives for the daemon's lifetime: the signal
 * handles, both bus connections (the API bus where it owns org.backride, and
 * the BlueZ bus) and the storage. It builds the layers (core, then the API that
 * serves it) and wires the callbacks; nothing below it knows that it exists.
 */
struct manager;

/*
 * Open the database and both buses, export the API and ask for the bus name.
 * @config is borrowed and must outlive the manager.
 * Return: 0 and *ret, or -errno (already logged). On failure *ret may still be
 * set: call manager_stop(), run the loop to close the handles, then manager_free().
 */
int manager_new(uv_loop_t *loop, const struct config *config, struct manager **ret);

/* Begin an orderly shutdown; the loop ends when every handle is closed. */
void manager_stop(struct manager *m, int exit_code);

/* Return: the exit code set by manager_stop(). */
int manager_exit_code(const struct manager *m);

/* Free what is left after the loop ended. */
void manager_free(struct manager *m);
