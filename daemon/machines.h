/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>
#include <uv.h>

#include "bluez.h"
#include "config.h"

struct api;
struct storage;

/*
 * The machines the daemon knows: wires the BlueZ client to the database and to the
 * Machine1 objects and Manager1 signals. Owned by the manager.
 */
struct machines;

/*
 * Start the BlueZ client on @bluez_bus and export the remembered machines.
 * @config, @storage and @api are borrowed and must outlive the object.
 * Return: 0 and *ret, or -errno.
 */
int machines_new(uv_loop_t *loop, sd_bus *bluez_bus, const struct config *config,
		 struct storage *storage, struct api *api, struct machines **ret);

/* Disconnect, answer pending calls and free (the BlueZ client closes its timers later). */
void machines_free(struct machines *mc);

/* Return: "idle", "scanning", "connecting" or "ready". */
const char *machines_state(const struct machines *mc);

/*
 * Scan for @seconds (0: [bluez] scan_seconds). While BlueZ is up but its adapter is not yet
 * there or powered (bluetoothd exports it a moment after taking its name), the scan waits for
 * it for a few seconds; so do machines_pair() and machines_connect().
 * Return: 0 started, 1 waiting for the adapter (@done follows: 0 started, or -ENODEV /
 * -ENETDOWN), -EALREADY (still scanning; extended), -ENODEV / -ENETDOWN (no usable adapter).
 */
int machines_scan_start(struct machines *mc, unsigned seconds, bluez_done_fn done, void *userdata);
/* Return: 0 or -EALREADY. */
int machines_scan_stop(struct machines *mc);

/*
 * Pair (per [bluez] pair), trust and remember a machine or strap seen by a scan. @done is
 * called once unless this returns < 0.
 * Return: 0 started, -EINVAL bad address, -ENOENT not seen, -EBUSY, -ENODEV.
 */
int machines_pair(struct machines *mc, const char *address, bluez_done_fn done, void *userdata);

/* Forget a machine: out of the database and BlueZ. Return: 0, -EINVAL, -ENOENT. */
int machines_forget(struct machines *mc, const char *address);

/* What to connect (see machines_connect_request()). */
struct machines_connect_request {
	char address[BLUEZ_ADDRESS_MAX]; /* "": picked, see below */
	enum bluez_kind kind;		 /* BLUEZ_KIND_UNKNOWN: any kind */
	bool take_over; /* another machine is connected and idle: give it up first */
};

/*
 * Connect the machine @req names, else one picked: of any kind, [machine] address, else the
 * machine connected or connecting now, else the preferred one; of a kind, the machine connected
 * now, else [machine] address, else the preferred one, of that kind. With take_over another
 * machine connected now (which no session may be using) is given up first: control back
 * (FTMS Reset), then disconnected. Also connects the remembered strap.
 * @done is called once the machine is ready or the first attempts failed, unless this returns
 * < 0. Return: as machines_connect().
 */
int machines_connect_request(struct machines *mc, const struct machines_connect_request *req,
			     bluez_done_fn done, void *userdata);

/*
 * Connect the machine at @address ("" for [machine] address, else the machine connected or
 * connecting now, else the last one paired) and the remembered strap, and keep them connected.
 * @done is called once the machine is ready or the first attempts failed, unless this returns < 0.
 * Return: 0 (also when it is connected already: @done is called at once), -EINVAL,
 * -ENOENT (nothing to connect to), -ENODEV (no BlueZ), -EADDRINUSE (another machine has the link),
 * -EALREADY (a connect to it is already waited for).
 */
int machines_connect(struct machines *mc, const char *address, bluez_done_fn done, void *userdata);

/*
 * Disconnect the machine at @address ("": the one connected) and the strap, after giving
 * control back (FTMS Reset); an @address of the connected strap disconnects the strap alone.
 * Return: 0, -EINVAL not an address, -ENOTCONN @address (or anything) is not connected.
 */
int machines_disconnect(struct machines *mc, const char *address);

/* Pass the machine's readiness, link, data and events on to the session coach (NULL: none). */
struct coach;
void machines_set_coach(struct machines *mc, struct coach *co);

/* Return: the BlueZ client, for the session engine's control targets. */
struct bluez *machines_bluez(struct machines *mc);

/*
 * Whether the connected machine sends persistent garbage now: more than half of its records
 * of the last 10 s (session time) had an implausible value (daemon/session/plausible.h).
 * Return: true or false.
 */
bool machines_data_implausible(struct machines *mc);
/* Return: true while most of the machine's latest records had implausible values. */
bool machines_data_still_bad(struct machines *mc);
