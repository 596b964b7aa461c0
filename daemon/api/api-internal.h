/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "config.h"

struct api {
	const struct config *config;
	struct storage *storage;
	struct coach *coach;
	struct machines *registry; /* the machines registry (core) */
	sd_bus *bus;
	sd_bus_slot *object_manager_slot;
	sd_bus_slot *filter_slot; /* access check for Properties and ObjectManager calls */
	sd_bus_slot *manager_slot;
	sd_bus_slot *history_slot;
	sd_bus_slot *programme_slot;	   /* programme-iface.c */
	struct api_machine *machines;	   /* machine-iface.c */
	sd_bus_slot *debug_slot;	   /* debug-iface.c, only with [debug] targets */
	sd_bus_slot *session_manager_slot; /* session-iface.c: Manager1's session methods */
	sd_bus_slot *session_slot;	   /* session-iface.c: Session1, once exported */
};

/* Return: Manager1.State: "session" while a session runs, else the machines' state. */
const char *api_state(const struct api *a);
/*
 * The check before a method runs: the daemon is @ready (not starting or stopping), and the
 * caller is root or in the access group.
 * Return: 0, or -errno with @err set (org.backride.Error.Failed, NotPermitted).
 */
int api_check(struct api *a, sd_bus_message *m, bool ready, sd_bus_error *err);

/* Register org.backride.Manager1. Return: 0 or -errno. */
int api_manager_register(struct api *a);

/* Register org.backride.History1 (history-iface.c). Return: 0 or -errno. */
int api_history_register(struct api *a);

/* Register org.backride.Programme1 (programme-iface.c). Return: 0 or -errno. */
int api_programme_register(struct api *a);

/* History1.Programme's and History1.Checkins' handlers (programme-iface.c). */
int api_history_programme(sd_bus_message *m, void *userdata, sd_bus_error *err);
int api_history_checkins(sd_bus_message *m, void *userdata, sd_bus_error *err);

/* Drop every Machine1 object (machine-iface.c). */
void api_machines_free(struct api *a);

/* Register Manager1's session methods (session-iface.c). Return: 0 or -errno. */
int api_session_register(struct api *a);

/* Register org.backride.Debug1 (debug-iface.c). Return: 0 or -errno. */
int api_debug_register(struct api *a);
