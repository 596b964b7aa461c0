/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The BlueZ client (BlueZ 5.66 D-Bus API and its pitfalls): follows
 * org.bluez through its ObjectManager, scans for FTMS machines and heart-rate straps, pairs,
 * connects and keeps one machine and one strap connected, and drives the machine's control
 * point. Asynchronous only. It reports upward through struct bluez_callbacks and knows
 * nothing of the backride D-Bus API or of storage.
 */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <uv.h>

#include "ftms.h"
#include "sample.h"

#define BLUEZ_ADDRESS_MAX 18

enum bluez_kind {
	BLUEZ_KIND_UNKNOWN,
	BLUEZ_KIND_BIKE,
	BLUEZ_KIND_TREADMILL,
	BLUEZ_KIND_HR,
	BLUEZ_KIND_OTHER, /* an FTMS machine backride cannot drive (rower, cross trainer...) */
};

/* Return: "unknown", "bike", "treadmill", "hr" or "other". */
const char *bluez_kind_to_string(enum bluez_kind k);

enum bluez_pair_policy {
	BLUEZ_PAIR_AUTO,   /* pair; a machine that rejects pairing is used unpaired */
	BLUEZ_PAIR_ALWAYS, /* pairing must succeed */
	BLUEZ_PAIR_NEVER,  /* never pair, only trust */
};

enum bluez_role {
	BLUEZ_ROLE_MACHINE,
	BLUEZ_ROLE_HR,
};

enum bluez_link_state {
	BLUEZ_LINK_IDLE,	/* not wanted */
	BLUEZ_LINK_SEARCHING,	/* waiting for the device to be seen */
	BLUEZ_LINK_CONNECTING,	/* Device1.Connect() */
	BLUEZ_LINK_RESOLVING,	/* waiting for ServicesResolved */
	BLUEZ_LINK_SUBSCRIBING, /* StartNotify */
	BLUEZ_LINK_READING,	/* Feature and ranges */
	BLUEZ_LINK_READY,
	BLUEZ_LINK_BACKOFF, /* lost or failed: waiting to retry */
};

/* Return: "idle", "searching", "connecting", ... */
const char *bluez_link_state_to_string(enum bluez_link_state s);

struct bluez_config {
	const char *adapter; /* "hci0" */
	enum bluez_pair_policy pair;
	unsigned cp_timeout_ms;
	unsigned cp_retries;
	unsigned reconnect_min_ms;
	unsigned reconnect_max_ms;
	unsigned resolve_timeout_ms; /* ServicesResolved and GATT setup */
	unsigned hr_stale_s;
};

/* A device seen by a scan (or updated while known). Strings are borrowed for the call. */
struct bluez_device_info {
	const char *address;
	const char *name; /* "" if it has none */
	enum bluez_kind kind;
	int16_t rssi;
	bool has_rssi;
	bool paired;
	bool connected;
};

/* What the connected machine can do, read after connecting. */
struct bluez_machine_info {
	const char *address;
	const char *name;
	enum bluez_kind kind;
	struct ftms_features features;
	struct ftms_range ranges[_FTMS_RANGE_KIND_MAX];
	bool has_range[_FTMS_RANGE_KIND_MAX];
};

/* What an event is about; its text is for the record and for people only. */
enum bluez_event_type {
	BLUEZ_EVENT_LINK,
	BLUEZ_EVENT_CONTROL,
	BLUEZ_EVENT_BLUEZ,
	BLUEZ_EVENT_FAULT,
};

/* Return: "link", "control", "bluez" or "fault". */
const char *bluez_event_type_to_string(enum bluez_event_type t);

/* Something worth recording. Behaviour hangs on the typed callbacks, never on @detail. */
struct bluez_event {
	enum bluez_event_type type;
	/* An echo of what was asked: a Machine Status the machine notified, or a target it
	 * accepted. A session's record leaves it out (its samples carry the targets). */
	bool echo;
	const char *detail; /* a sentence, borrowed for the call */
};

struct bluez_callbacks {
	/* A scan result, or a change of one (name, RSSI). */
	void (*device_found)(void *userdata, const struct bluez_device_info *d);
	/* BlueZ dropped a machine's device object (e.g. not seen for a while after a scan). */
	void (*device_removed)(void *userdata, const char *address);
	void (*scan_finished)(void *userdata);
	/* A link changed state. */
	void (*link_changed)(void *userdata, enum bluez_role role, const char *address,
			     enum bluez_link_state state);
	/* The machine is subscribed and its features read (sent before link_changed READY). */
	void (*machine_ready)(void *userdata, const struct bluez_machine_info *info);
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
	/* The machine notified a Fitness Machine Status (op code and parameter, as parsed). */
	void (*machine_status)(void *userdata, const char *address,
			       const struct ftms_machine_status *st);
	/* Something worth recording happened (after any typed callback above for it). */
	void (*event)(void *userdata, const struct bluez_event *e);
};

struct bluez;

/*
 * Start following org.bluez on @bus. @config and @cb are copied. Timers run on @loop.
 * Return: 0 and *ret, or -errno.
 */
int bluez_new(uv_loop_t *loop, sd_bus *bus, const struct bluez_config *config,
	      const struct bluez_callbacks *cb, void *userdata, struct bluez **ret);

/* Stop everything and close the timers; the object frees itself once they are closed. */
void bluez_free(struct bluez *b);

/*
 * Whether the adapter can be used now.
 * Return: 0 usable, -ENODEV (BlueZ not running or no such adapter), -ENETDOWN (switched off).
 */
int bluez_adapter_state(const struct bluez *b);

/*
 * Discover FTMS machines and heart-rate straps over LE for @seconds.
 * Return: 0, -EALREADY (already scanning, the timeout is extended), -ENODEV (no adapter or
 * BlueZ not running).
 */
int bluez_scan_start(struct bluez *b, unsigned seconds);

/* Return: 0, -EALREADY not scanning. */
int bluez_scan_stop(struct bluez *b);

/* Return: whether a user scan is running. */
bool bluez_scanning(const struct bluez *b);

/*
 * What BlueZ knows about a device now. Strings in *ret are borrowed until the next event.
 * Return: 0, -ENOENT BlueZ has no such device (never seen, or gone after a scan).
 */
int bluez_device_get(struct bluez *b, const char *address, struct bluez_device_info *ret);

/* Called once when a pair or connect request finishes: 0 or -errno with a sentence. */
typedef void (*bluez_done_fn)(void *userdata, int error, const char *message);

/*
 * Pair (per the pair policy) and trust the device. @done is called once.
 * Return: 0 started, -ENOENT not seen by a scan, -EBUSY a pairing is running, -ENODEV.
 */
int bluez_pair(struct bluez *b, const char *address, bluez_done_fn done, void *userdata);

/* Remove the device from BlueZ (drops the bond), disconnecting it first if needed. */
int bluez_remove(struct bluez *b, const char *address);

/*
 * Connect and keep connected the machine (@role MACHINE) or the strap (@role HR), with
 * reconnects after link loss. @resistance_form is the remembered form (0 unknown).
 * @done (may be NULL) is called once: when the link is first ready, or on giving up.
 * Return: 0, -EINVAL bad address, -EBUSY another device holds the role.
 */
int bluez_link_start(struct bluez *b, enum bluez_role role, const char *address,
		     int resistance_form, bluez_done_fn done, void *userdata);

/* Disconnect and stop reconnecting. Return: 0, -ENOTCONN nothing held that role. */
int bluez_link_stop(struct bluez *b, enum bluez_role role);

/*
 * Whether the machine is being driven (a session has started it), so that its data must keep
 * coming: while @expect and the link is ready, no data for a few seconds is link loss (drop,
 * reconnect). Otherwise a quiet machine stays connected as long as BlueZ says Connected.
 * Kept across reconnects. The strap (@role HR) has its own staleness rule and ignores it.
 */
void bluez_link_set_expect_data(struct bluez *b, enum bluez_role role, bool expect);

/* Return: the link state of @role, and its address in *ret_address (may be NULL). */
enum bluez_link_state bluez_link_state(const struct bluez *b, enum bluez_role role,
				       const char **ret_address);

/*
 * Control targets on the connected machine, for the session engine (which puts its safety
 * envelope in front). Values are clamped into the machine's supported range and into fixed
 * hard limits before they are queued. Units as on the wire.
 * Return: 0 queued, 1 skipped (the machine has this target), -ENOTCONN, -EOPNOTSUPP (the
 * machine does not support it), -ENOBUFS.
 */
int bluez_request_control(struct bluez *b);
int bluez_set_target_power(struct bluez *b, int32_t watts);
int bluez_set_target_resistance(struct bluez *b, int32_t level_d); /* 0.1 units */
int bluez_set_target_speed(struct bluez *b, int32_t ckmh);	   /* 0.01 km/h */
int bluez_set_target_inclination(struct bluez *b, int32_t dpct);   /* 0.1 % */
int bluez_start_resume(struct bluez *b);
int bluez_stop_pause(struct bluez *b, bool pause);
int bluez_reset(struct bluez *b);

/*
 * Give control of the machine back (its console and other apps may drive it): FTMS Reset, and
 * no Request Control after it until the next command needs control.
 * Return: 0 queued, 1 nothing to release (control is not held), -ENOTCONN, -ENOBUFS.
 */
int bluez_release_control(struct bluez *b);

/* The machine link (@role MACHINE) as core's machine driver (driver.h), FTMS over BlueZ. */
struct machine_driver;
void bluez_machine_driver(struct bluez *b, struct machine_driver *ret);

/* Hard limits applied to every target, whatever the machine claims (wire units). */
#define BLUEZ_MAX_POWER_W      1000
#define BLUEZ_MAX_SPEED_CKMH   2000 /* 20 km/h */
#define BLUEZ_MIN_INCLINE_DPCT (-100)
#define BLUEZ_MAX_INCLINE_DPCT 150
#define BLUEZ_MAX_RESISTANCE_D 1000
