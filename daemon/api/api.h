/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>
#include <uv.h>

#include "config.h"
#include "machines.h"

struct coach;
struct storage;

/* The D-Bus server: one vtable per interface, thin handlers. */
struct api;

/*
 * Export org.freedesktop.DBus.ObjectManager and org.backride.Manager1 at /org/backride on
 * @bus, and a Machine1 object for each machine @machines knows. The API serves @coach and
 * @machines; @config, @storage, @coach and @machines are borrowed and must outlive it.
 * Return: 0 and *ret, or -errno.
 */
int api_new(sd_bus *bus, const struct config *config, struct storage *storage, struct coach *coach,
	    struct machines *machines, struct api **ret);

void api_free(struct api *a);

/* Emit PropertiesChanged for Manager1.State. Return: 0 or -errno. */
int api_emit_state_changed(struct api *a);

/* ---- machines (machine-iface.c, manager-iface.c) --------------------------------------- */

#define API_ADDRESS_MAX MACHINE_ADDRESS_MAX

/*
 * Export or update the Machine1 object of p->address; changed properties are signalled.
 * Return: 0 or -errno.
 */
int api_machine_set(struct api *a, const struct machine_props *p);

/* Return: 0 and the current properties in *ret, or -ENOENT. */
int api_machine_get(struct api *a, const char *address, struct machine_props *ret);

/* Remove the Machine1 object. Return: 0 or -ENOENT. */
int api_machine_remove(struct api *a, const char *address);

/* Set Machine1.Data of an exported machine. Return: 0, -ENOENT or -errno. */
int api_machine_set_data(struct api *a, const char *address, const struct br_sample *d);

/* Manager1 signals. Return: 0 or -errno. */
int api_emit_machine_found(struct api *a, const struct machine_props *p);
int api_emit_scan_finished(struct api *a);
int api_emit_event(struct api *a, const char *type, const char *detail);

/* ---- sessions (session-iface.c) ------------------------------------------------------ */

/* Export org.backride.Session1 at BR_SESSION_PATH (once; it stays for the last session).
 * Return: 0 or -errno. */
int api_session_export(struct api *a);

/* One PropertiesChanged with every Session1 property that changes. Return: 0 or -errno. */
int api_session_changed(struct api *a);

/* Called when a Pair or Connect that was waited for finishes. */
void api_reply_done(void *userdata, int error, const char *message);
