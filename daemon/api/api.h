/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>
#include <uv.h>

struct manager;

/* The D-Bus server: one vtable per interface, thin handlers. */
struct api;

/*
 * Export org.freedesktop.DBus.ObjectManager and org.backride.Manager1 at
 * /org/backride on @bus.
 * Return: 0 and *ret, or -errno.
 */
int api_new(struct manager *m, sd_bus *bus, struct api **ret);

void api_free(struct api *a);

/* Emit PropertiesChanged for Manager1.State. Return: 0 or -errno. */
int api_emit_state_changed(struct api *a);

/* ---- machines (machine-iface.c, manager-iface.c) --------------------------------------- */

#include <stdint.h>

#include "sample.h"

#define API_ADDRESS_MAX 18
#define API_NAME_MAX	249

/* Indexes of api_machine_props.ranges, named as in Machine1.Ranges. */
enum api_range {
	API_RANGE_SPEED,
	API_RANGE_INCLINATION,
	API_RANGE_RESISTANCE,
	API_RANGE_HEART_RATE,
	API_RANGE_POWER,
	_API_RANGE_MAX,
};

/* The properties of one org.backride.Machine1 object. Strings are static or copied. */
struct api_machine_props {
	char address[API_ADDRESS_MAX];
	char name[API_NAME_MAX];
	const char *kind; /* "bike", "treadmill", "hr", "other", "unknown" */
	int paired;	  /* paired (bonded) in BlueZ */
	int remembered;	  /* in the database: paired with backride and not forgotten */
	int connected;
	const char *link; /* the link state, "idle" when not connected */
	uint32_t machine_features;
	uint32_t target_features;
	struct {
		int32_t min;
		int32_t max;
		uint32_t increment;
		int valid;
	} ranges[_API_RANGE_MAX];
	const char *resistance_form; /* "unknown", "uint8", "sint16" */
	int64_t last_seen;	     /* unix seconds, 0 never */
	int16_t rssi;
	int has_rssi;
};

/*
 * Export or update the Machine1 object of p->address; changed properties are signalled.
 * Return: 0 or -errno.
 */
int api_machine_set(struct api *a, const struct api_machine_props *p);

/* Return: 0 and the current properties in *ret, or -ENOENT. */
int api_machine_get(struct api *a, const char *address, struct api_machine_props *ret);

/* Remove the Machine1 object. Return: 0 or -ENOENT. */
int api_machine_remove(struct api *a, const char *address);

/* Set Machine1.Data of an exported machine. Return: 0, -ENOENT or -errno. */
int api_machine_set_data(struct api *a, const char *address, const struct br_sample *d);

/* Manager1 signals. Return: 0 or -errno. */
int api_emit_machine_found(struct api *a, const struct api_machine_props *p);
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

/* ---- org.backride.Debug1 (debug-iface.c) ----------------------------------------------- */

struct bluez_machine_info;

/*
 * Debug1's safety envelope follows the machine: @info when its link became ready (set up from
 * [safety] as a session's, every channel primed at its floor), NULL when Debug1 must not drive
 * it (the link is down, or a session took the machine over). @loop runs the ramp timer.
 * Nothing happens without [debug] targets.
 */
void api_debug_machine(struct api *a, uv_loop_t *loop, const struct bluez_machine_info *info);
