/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>
#include <uv.h>

#include "config.h"

/*
 * The manager owns everything that lives for the daemon's lifetime: the signal
 * handles, both bus connections (the API bus where it owns org.backride, and
 * the BlueZ bus), the storage and the API objects.
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

const char *manager_state(const struct manager *m);
const struct config *manager_config(const struct manager *m);
sd_bus *manager_api_bus(const struct manager *m);
/* Return: the machines and the BlueZ client, NULL while starting or stopping. */
struct machines *manager_machines(const struct manager *m);
/* Return: the session coach, NULL while starting or stopping. */
struct coach *manager_coach(const struct manager *m);
/* Return: the open database, owned by the manager. */
struct storage *manager_storage(const struct manager *m);
