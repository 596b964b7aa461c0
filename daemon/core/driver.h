/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The machine-driver interface: what the coach (sessions and Debug1) needs of the machine it
 * drives, whatever protocol reaches it. FTMS over BlueZ (daemon/bluez/driver-ftms.c) is the
 * first driver. A driver without a control point (a sensor that only sends data) leaves the
 * control operations NULL: each then answers -EOPNOTSUPP.
 *
 * Identity, kind, capabilities and ranges come with the machine's readiness, and data samples
 * and status events through the registry's callbacks (machines.h, coach.h).
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "ftms.h"
#include "sample.h"

/* ---- the machine and its link: what a link reports ----------------------------------- */

#define MACHINE_ADDRESS_MAX 18

enum machine_kind {
	MACHINE_KIND_UNKNOWN,
	MACHINE_KIND_BIKE,
	MACHINE_KIND_TREADMILL,
	MACHINE_KIND_HR,
	MACHINE_KIND_OTHER, /* an FTMS machine backride cannot drive (rower, cross trainer...) */
};

/* Return: "unknown", "bike", "treadmill", "hr" or "other". */
static inline const char *machine_kind_to_string(enum machine_kind k)
{
	static const char *const names[] = {
		[MACHINE_KIND_UNKNOWN] = "unknown",	[MACHINE_KIND_BIKE] = "bike",
		[MACHINE_KIND_TREADMILL] = "treadmill", [MACHINE_KIND_HR] = "hr",
		[MACHINE_KIND_OTHER] = "other",
	};

	return (unsigned) k < sizeof(names) / sizeof(names[0]) ? names[k] : "unknown";
}

/*
 * How backride talks to a machine: FTMS (0x1826, control point and data), a sensor bike (Cycling
 * Power 0x1818 or Cycling Speed and Cadence 0x1816: data only, sessions guided), the KingSmith
 * WalkingPad's legacy protocol (0xFE00) or the Keiser M3i's advertisements (no connection).
 * The kind (bike, treadmill) is what the rider uses; the protocol picks the driver.
 */
enum machine_protocol {
	MACHINE_PROTOCOL_FTMS,
	MACHINE_PROTOCOL_CYCLING_POWER,
	MACHINE_PROTOCOL_CSC,
	MACHINE_PROTOCOL_WALKINGPAD,
	MACHINE_PROTOCOL_KEISER,
	_MACHINE_PROTOCOL_MAX,
};

/* Return: "ftms", "cycling-power", "csc", "walkingpad" or "keiser" (the stored and D-Bus
 * words). */
static inline const char *machine_protocol_to_string(enum machine_protocol p)
{
	static const char *const names[] = {
		[MACHINE_PROTOCOL_FTMS] = "ftms",
		[MACHINE_PROTOCOL_CYCLING_POWER] = "cycling-power",
		[MACHINE_PROTOCOL_CSC] = "csc",
		[MACHINE_PROTOCOL_WALKINGPAD] = "walkingpad",
		[MACHINE_PROTOCOL_KEISER] = "keiser",
	};

	return (unsigned) p < sizeof(names) / sizeof(names[0]) ? names[p] : "ftms";
}

/* Return: the protocol named @s, or -EINVAL. */
static inline int machine_protocol_from_string(const char *s)
{
	for (int p = 0; s && p < _MACHINE_PROTOCOL_MAX; p++)
		if (__builtin_strcmp(s, machine_protocol_to_string((enum machine_protocol) p)) == 0)
			return p;
	return -EINVAL;
}

enum link_role {
	LINK_ROLE_MACHINE,
	LINK_ROLE_HR,
	LINK_ROLE_SENSOR, /* a power meter or CSC sensor beside an FTMS machine ([sensor]) */
};

enum link_state {
	LINK_STATE_IDLE,	/* not wanted */
	LINK_STATE_SEARCHING,	/* waiting for the device to be seen */
	LINK_STATE_CONNECTING,	/* Device1.Connect() */
	LINK_STATE_RESOLVING,	/* waiting for ServicesResolved */
	LINK_STATE_SUBSCRIBING, /* StartNotify */
	LINK_STATE_READING,	/* Feature and ranges */
	LINK_STATE_READY,
	LINK_STATE_BACKOFF, /* lost or failed: waiting to retry */
};

/* Return: "idle", "searching", "connecting", ... */
static inline const char *link_state_to_string(enum link_state s)
{
	static const char *const names[] = {
		[LINK_STATE_IDLE] = "idle",
		[LINK_STATE_SEARCHING] = "searching",
		[LINK_STATE_CONNECTING] = "connecting",
		[LINK_STATE_RESOLVING] = "resolving",
		[LINK_STATE_SUBSCRIBING] = "subscribing",
		[LINK_STATE_READING] = "reading",
		[LINK_STATE_READY] = "ready",
		[LINK_STATE_BACKOFF] = "backoff",
	};

	return (unsigned) s < sizeof(names) / sizeof(names[0]) ? names[s] : "idle";
}

/* A device seen by a scan (or updated while known). Strings are borrowed for the call. */
struct device_info {
	const char *address;
	const char *name; /* "" if it has none */
	enum machine_kind kind;
	enum machine_protocol protocol;
	int16_t rssi;
	bool has_rssi;
	bool paired;
	bool connected;
};

/* What the connected machine can do, read after connecting. */
struct machine_info {
	const char *address;
	const char *name;
	enum machine_kind kind;
	enum machine_protocol protocol;
	struct ftms_features features;
	struct ftms_range ranges[_FTMS_RANGE_KIND_MAX];
	bool has_range[_FTMS_RANGE_KIND_MAX];
	bool has_control; /* a control point: targets can be written (else guided only) */
};

/* What an event is about; its text is for the record and for people only. */
enum driver_event_type {
	DRIVER_EVENT_LINK,
	DRIVER_EVENT_CONTROL,
	DRIVER_EVENT_BLUEZ,
	DRIVER_EVENT_FAULT,
};

/* Return: "link", "control", "bluez" or "fault". */
static inline const char *driver_event_type_to_string(enum driver_event_type t)
{
	static const char *const names[] = {
		[DRIVER_EVENT_LINK] = "link",
		[DRIVER_EVENT_CONTROL] = "control",
		[DRIVER_EVENT_BLUEZ] = "bluez",
		[DRIVER_EVENT_FAULT] = "fault",
	};

	return (unsigned) t < sizeof(names) / sizeof(names[0]) ? names[t] : "fault";
}

/* Something worth recording. Behaviour hangs on the typed callbacks, never on @detail. */
struct driver_event {
	enum driver_event_type type;
	/* An echo of what was asked: a Machine Status the machine notified, or a target it
	 * accepted. A session's record leaves it out (its samples carry the targets). */
	bool echo;
	const char *detail; /* a sentence, borrowed for the call */
};

/* Called once when a pair or connect request finishes: 0 or -errno with a sentence. */
typedef void (*driver_done_fn)(void *userdata, int error, const char *message);

/* What a machine link reports upward: the registry (machines.c) takes it. */
struct driver_callbacks {
	/* A scan result, or a change of one (name, RSSI). */
	void (*device_found)(void *userdata, const struct device_info *d);
	/* BlueZ dropped a machine's device object (e.g. not seen for a while after a scan). */
	void (*device_removed)(void *userdata, const char *address);
	void (*scan_finished)(void *userdata);
	/* A link changed state. */
	void (*link_changed)(void *userdata, enum link_role role, const char *address,
			     enum link_state state);
	/* The machine is subscribed and its features read (sent before link_changed READY). */
	void (*machine_ready)(void *userdata, const struct machine_info *info);
	void (*sample)(void *userdata, const struct br_sample *s);
	/* A control point result (every one, intermediate retries included). */
	void (*cp_result)(void *userdata, const char *address, const struct ftms_cp_request *req,
			  int outcome, bool final);
	/* The machine's resistance form was learned: 1 uint8, 2 sint16. */
	void (*resistance_form)(void *userdata, const char *address, int form);
	/* The adapter became usable (there and powered, BlueZ running) or stopped being so. */
	void (*adapter_changed)(void *userdata, bool usable);
	/* BlueZ took its bus name and its objects are known (@up), or it went away. */
	void (*bluez_changed)(void *userdata, bool up);
	/* The machine notified a Fitness Machine Status (op code and parameter, as parsed),
	 * other than an echo of a request backride sent: the machine changed by itself. */
	void (*machine_status)(void *userdata, const char *address,
			       const struct ftms_machine_status *st);
	/* Something worth recording happened (after any typed callback above for it). */
	void (*event)(void *userdata, const struct driver_event *e);
};

/* ---- finding, pairing and connecting (the registry's side) ----------------------------- */

struct machine_driver;

/*
 * What the machines registry needs of the transport that finds, pairs and connects machines
 * (the BlueZ client is the first).
 */
struct machine_link_ops {
	/* Write the canonical form of the address @s into @ret. Return: 0, or -EINVAL. */
	int (*address_normalize)(const char *s, char ret[MACHINE_ADDRESS_MAX]);
	/* 0 usable, -ENODEV (not running or no adapter), -ENETDOWN (switched off). */
	int (*adapter_state)(void *data);
	/* Discover machines for @seconds: 0, -EALREADY (extended), -ENODEV. */
	int (*scan_start)(void *data, unsigned seconds);
	/* 0, -EALREADY (not scanning). */
	int (*scan_stop)(void *data);
	bool (*scanning)(void *data);
	/* What the transport knows of a device now (strings borrowed): 0, -ENOENT. */
	int (*device_get)(void *data, const char *address, struct device_info *ret);
	/* Pair and trust; @done is called once: 0 started, -ENOENT, -EBUSY, -ENODEV. */
	int (*pair)(void *data, const char *address, driver_done_fn done, void *userdata);
	/* Forget the device (drops the bond), disconnecting it first. */
	int (*remove)(void *data, const char *address);
	/* Connect @role and keep it connected; @done (may be NULL) once, when first ready or on
	 * giving up: 0, -EINVAL, -EBUSY. @protocol: the remembered one (FTMS when unknown; the
	 * transport may learn better). @resistance_form: the remembered form (0 unknown). */
	int (*link_start)(void *data, enum link_role role, const char *address,
			  enum machine_protocol protocol, int resistance_form, driver_done_fn done,
			  void *userdata);
	/* Disconnect and stop reconnecting: 0, -ENOTCONN. */
	int (*link_stop)(void *data, enum link_role role);
	/* The link state of @role, its address in *ret_address (may be NULL). */
	enum link_state (*link_state)(void *data, enum link_role role, const char **ret_address);
	/* Give control of the machine back: 0 queued, 1 not held, -ENOTCONN, -ENOBUFS. */
	int (*release_control)(void *data);
	/* The machine link (@role MACHINE) as a machine driver (below). */
	void (*machine_driver)(void *data, struct machine_driver *ret);
	/* Stop everything; the transport frees itself. */
	void (*free)(void *data);
};

/* A transport: its operations and their object. */
struct machine_links {
	const struct machine_link_ops *ops;
	void *data;
};

/*
 * Creates a transport that reports to @cb and @userdata (copied). The manager supplies it with
 * what the transport needs (bus, loop, configuration) in @arg.
 * Return: 0 and *ret, or -errno.
 */
typedef int (*machine_links_new_fn)(void *arg, const struct driver_callbacks *cb, void *userdata,
				    struct machine_links *ret);

/* ---- driving the machine (the coach's side) ----------------------------------------------- */

/* What the driver's link to the machine is doing. */
enum driver_link {
	DRIVER_LINK_IDLE,    /* no machine wanted */
	DRIVER_LINK_PENDING, /* wanted: searching, connecting, setting up or waiting to retry */
	DRIVER_LINK_READY,   /* connected and set up: commands reach the machine */
};

/* The targets a machine may take, in the units of its wire format. */
enum driver_target {
	DRIVER_TARGET_POWER,	   /* W */
	DRIVER_TARGET_RESISTANCE,  /* 0.1 level */
	DRIVER_TARGET_SPEED,	   /* 0.01 km/h */
	DRIVER_TARGET_INCLINATION, /* 0.1 % */
};

struct machine_driver_ops {
	enum driver_link (*link)(void *data);
	/* While @expect and the link is ready, a machine that sends no data has lost its link. */
	void (*expect_data)(void *data, bool expect);

	/* Control: 0 queued, 1 skipped (nothing to change), or -errno (-ENOTCONN, -EOPNOTSUPP,
	 * -ENOBUFS). NULL: the machine has no control point. */
	int (*request_control)(void *data);
	int (*set_target)(void *data, enum driver_target t, int32_t value);
	int (*start)(void *data);
	int (*stop)(void *data, bool pause);
	int (*reset)(void *data);
	/* Give control back (the console and other apps may drive it); 1: control not held. */
	int (*release)(void *data);
};

/* A driver: its operations and their object. */
struct machine_driver {
	const struct machine_driver_ops *ops;
	void *data;
};

static inline enum driver_link driver_link(const struct machine_driver *d)
{
	return d->ops ? d->ops->link(d->data) : DRIVER_LINK_IDLE;
}

static inline bool driver_ready(const struct machine_driver *d)
{
	return driver_link(d) == DRIVER_LINK_READY;
}

static inline void driver_expect_data(const struct machine_driver *d, bool expect)
{
	if (d->ops && d->ops->expect_data)
		d->ops->expect_data(d->data, expect);
}

static inline int driver_request_control(const struct machine_driver *d)
{
	return d->ops && d->ops->request_control ? d->ops->request_control(d->data) : -EOPNOTSUPP;
}

static inline int driver_set_target(const struct machine_driver *d, enum driver_target t,
				    int32_t value)
{
	return d->ops && d->ops->set_target ? d->ops->set_target(d->data, t, value) : -EOPNOTSUPP;
}

static inline int driver_start(const struct machine_driver *d)
{
	return d->ops && d->ops->start ? d->ops->start(d->data) : -EOPNOTSUPP;
}

static inline int driver_stop(const struct machine_driver *d, bool pause)
{
	return d->ops && d->ops->stop ? d->ops->stop(d->data, pause) : -EOPNOTSUPP;
}

static inline int driver_reset(const struct machine_driver *d)
{
	return d->ops && d->ops->reset ? d->ops->reset(d->data) : -EOPNOTSUPP;
}

static inline int driver_release(const struct machine_driver *d)
{
	return d->ops && d->ops->release ? d->ops->release(d->data) : -EOPNOTSUPP;
}
