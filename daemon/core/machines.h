/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>
#include <systemd/sd-bus.h>
#include <uv.h>

#include "config.h"
#include "driver.h"

struct storage;

#define MACHINE_NAME_MAX 249

/* Indexes of machine_props.ranges, named as in Machine1.Ranges. */
enum machine_range {
	MACHINE_RANGE_SPEED,
	MACHINE_RANGE_INCLINATION,
	MACHINE_RANGE_RESISTANCE,
	MACHINE_RANGE_HEART_RATE,
	MACHINE_RANGE_POWER,
	_MACHINE_RANGE_MAX,
};

/* The properties of one org.backride.Machine1 object. Strings are static or copied. */
struct machine_props {
	char address[MACHINE_ADDRESS_MAX];
	char name[MACHINE_NAME_MAX];
	const char *kind;     /* "bike", "treadmill", "hr", "other", "unknown" */
	const char *protocol; /* machine_protocol_to_string(): "ftms", "cycling-power", ... */
	int paired;	      /* paired (bonded) in BlueZ */
	int remembered;	      /* in the database: paired with backride and not forgotten */
	int connected;
	const char *link; /* the link state, "idle" when not connected */
	uint32_t machine_features;
	uint32_t target_features;
	struct {
		int32_t min;
		int32_t max;
		uint32_t increment;
		int valid;
	} ranges[_MACHINE_RANGE_MAX];
	const char *resistance_form; /* "unknown", "uint8", "sint16" */
	int64_t last_seen;	     /* unix seconds, 0 never */
	int16_t rssi;
	int has_rssi;
};

/*
 * What the registry reports upward (the manager passes it on to the D-Bus API). Strings are
 * borrowed for the call.
 */
struct machines_callbacks {
	/* A machine's properties are new or changed. */
	void (*machine_changed)(void *userdata, const struct machine_props *p);
	/* A machine is gone (forgotten, or only seen by a scan and dropped by BlueZ). */
	void (*machine_removed)(void *userdata, const char *address);
	/* The connected machine's data, implausible values already absent (BR_NONE). */
	void (*machine_data)(void *userdata, const char *address, const struct br_sample *s);
	/* A scan found a machine, or its name or kind changed. */
	void (*machine_found)(void *userdata, const struct machine_props *p);
	void (*scan_finished)(void *userdata);
	/* machines_state() changed. */
	void (*state_changed)(void *userdata);
	/* An event of the BlueZ client, as recorded: type and sentence, for people. */
	void (*event)(void *userdata, const char *type, const char *detail);
};

/*
 * The machines the daemon knows: wires the BlueZ client to the database, keeps each machine's
 * properties and reports them upward through struct machines_callbacks. Owned by the manager.
 */
struct machines;

/*
 * Start the transport (@links_new with @links_arg: the BlueZ client, which the manager
 * supplies) reporting to the registry, and report the remembered machines (machine_changed).
 * @config and @storage are borrowed and must outlive the object; @cb is copied.
 * Return: 0 and *ret, or -errno.
 */
int machines_new(uv_loop_t *loop, const struct config *config, struct storage *storage,
		 machine_links_new_fn links_new, void *links_arg,
		 const struct machines_callbacks *cb, void *userdata, struct machines **ret);

/*
 * Call @fn with the properties of every machine known, until it returns non-zero.
 * Return: 0, or what @fn returned.
 */
int machines_foreach(const struct machines *mc,
		     int (*fn)(const struct machine_props *p, void *userdata), void *userdata);

/* Return: 0 and the properties of the machine at @address in *ret, or -ENOENT. */
int machines_get(const struct machines *mc, const char *address, struct machine_props *ret);

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
int machines_scan_start(struct machines *mc, unsigned seconds, driver_done_fn done, void *userdata);
/* Return: 0 or -EALREADY. */
int machines_scan_stop(struct machines *mc);

/*
 * Pair (per [bluez] pair), trust and remember a machine or strap seen by a scan. @done is
 * called once unless this returns < 0.
 * Return: 0 started, -EINVAL bad address, -ENOENT not seen, -EBUSY, -ENODEV.
 */
int machines_pair(struct machines *mc, const char *address, driver_done_fn done, void *userdata);

/* Forget a machine: out of the database and BlueZ. Return: 0, -EINVAL, -ENOENT. */
int machines_forget(struct machines *mc, const char *address);

/* What to connect (see machines_connect_request()). */
struct machines_connect_request {
	char address[MACHINE_ADDRESS_MAX]; /* "": picked, see below */
	enum machine_kind kind;		   /* MACHINE_KIND_UNKNOWN: any kind */
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
			     driver_done_fn done, void *userdata);

/*
 * Connect the machine at @address ("" for [machine] address, else the machine connected or
 * connecting now, else the last one paired) and the remembered strap, and keep them connected.
 * @done is called once the machine is ready or the first attempts failed, unless this returns < 0.
 * Return: 0 (also when it is connected already: @done is called at once), -EINVAL,
 * -ENOENT (nothing to connect to), -ENODEV (no BlueZ), -EADDRINUSE (another machine has the link),
 * -EALREADY (a connect to it is already waited for).
 */
int machines_connect(struct machines *mc, const char *address, driver_done_fn done, void *userdata);

/*
 * Disconnect the machine at @address ("": the one connected) and the strap, after giving
 * control back (FTMS Reset); an @address of the connected strap disconnects the strap alone.
 * Return: 0, -EINVAL not an address, -ENOTCONN @address (or anything) is not connected.
 */
int machines_disconnect(struct machines *mc, const char *address);

/* What the machine reports, for the one who drives it (the coach registers itself). */
struct machines_listener {
	/* The machine is set up (before its link is reported ready). */
	void (*machine_ready)(void *userdata, const struct machine_info *info);
	void (*link_changed)(void *userdata, enum link_role role, enum link_state st);
	/* A sample, implausible values already absent: @dropped fields (plausible.h), the last
	 * one as people read it in @example. */
	void (*sample)(void *userdata, const struct br_sample *s, uint32_t dropped,
		       const char *example);
	/* A control point result: what was sent (@req), the outcome as driver.h's cp_result. */
	void (*cp_result)(void *userdata, const struct ftms_cp_request *req, int outcome,
			  bool final);
	void (*bluez_changed)(void *userdata, bool up);
	void (*machine_status)(void *userdata, const struct ftms_machine_status *st);
	void (*event)(void *userdata, const struct driver_event *e);
};

/* Report to @l from now on (NULL: to nobody); @l is copied. */
void machines_listen(struct machines *mc, const struct machines_listener *l, void *userdata);

/* Return: the address of the machine connected or being connected, or NULL. */
const char *machines_active(const struct machines *mc);

/* Return: the driver of the machine link, which sessions and Debug1 drive. */
const struct machine_driver *machines_driver(const struct machines *mc);

/*
 * Whether the connected machine sends persistent garbage now: more than half of its records
 * of the last 10 s (session time) had an implausible value (daemon/session/plausible.h).
 * Return: true or false.
 */
bool machines_data_implausible(struct machines *mc);
/* Return: true while most of the machine's latest records had implausible values. */
bool machines_data_still_bad(struct machines *mc);
