/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The BlueZ client (BlueZ 5.66 D-Bus API and its pitfalls): follows
 * org.bluez through its ObjectManager, scans for FTMS machines and heart-rate straps, pairs,
 * connects and keeps one machine and one strap connected, and drives the machine's control
 * point. Asynchronous only. It reports upward through struct driver_callbacks and knows
 * nothing of the backride D-Bus API or of storage.
 */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <uv.h>

#include "driver.h"
#include "ftms.h"
#include "sample.h"

enum bluez_pair_policy {
	BLUEZ_PAIR_AUTO,   /* pair; a machine that rejects pairing is used unpaired */
	BLUEZ_PAIR_ALWAYS, /* pairing must succeed */
	BLUEZ_PAIR_NEVER,  /* never pair, only trust */
};

struct bluez_config {
	const char *adapter; /* "hci0" */
	enum bluez_pair_policy pair;
	unsigned cp_timeout_ms;
	unsigned cp_retries;
	unsigned reconnect_min_ms;
	unsigned reconnect_max_ms;
	unsigned resolve_timeout_ms; /* ServicesResolved and GATT setup */
	unsigned hr_stale_s;
	unsigned wheel_mm;	 /* sensor bikes: wheel circumference for speed and distance */
	unsigned sensor_replace; /* BLUEZ_SENSOR_*: what a sensor beside the machine replaces */
	unsigned time_scale;	 /* [daemon] time_scale: the Keiser's silences are in rider time */
};

/* The values a sensor beside the machine replaces (it always fills those the machine lacks). */
enum bluez_sensor_value {
	BLUEZ_SENSOR_POWER = 1u << 0,
	BLUEZ_SENSOR_CADENCE = 1u << 1,
	BLUEZ_SENSOR_SPEED = 1u << 2,
};

struct bluez;

/*
 * Start following org.bluez on @bus. @config and @cb are copied. Timers run on @loop.
 * Return: 0 and *ret, or -errno.
 */
int bluez_new(uv_loop_t *loop, sd_bus *bus, const struct bluez_config *config,
	      const struct driver_callbacks *cb, void *userdata, struct bluez **ret);

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
int bluez_device_get(struct bluez *b, const char *address, struct device_info *ret);

/*
 * Pair (per the pair policy) and trust the device. @done is called once.
 * Return: 0 started, -ENOENT not seen by a scan, -EBUSY a pairing is running, -ENODEV.
 */
int bluez_pair(struct bluez *b, const char *address, driver_done_fn done, void *userdata);

/* Remove the device from BlueZ (drops the bond), disconnecting it first if needed. */
int bluez_remove(struct bluez *b, const char *address);

/*
 * Connect and keep connected the machine (@role MACHINE) or the strap (@role HR), with
 * reconnects after link loss. @resistance_form is the remembered form (0 unknown).
 * @done (may be NULL) is called once: when the link is first ready, or on giving up.
 * Return: 0, -EINVAL bad address, -EBUSY another device holds the role.
 */
int bluez_link_start(struct bluez *b, enum link_role role, const char *address,
		     enum machine_protocol protocol, int resistance_form, driver_done_fn done,
		     void *userdata);

/* Disconnect and stop reconnecting. Return: 0, -ENOTCONN nothing held that role. */
int bluez_link_stop(struct bluez *b, enum link_role role);

/*
 * Whether the machine is being driven (a session has started it), so that its data must keep
 * coming: while @expect and the link is ready, no data for a few seconds is link loss (drop,
 * reconnect). Otherwise a quiet machine stays connected as long as BlueZ says Connected.
 * Kept across reconnects. The strap (@role HR) has its own staleness rule and ignores it.
 */
void bluez_link_set_expect_data(struct bluez *b, enum link_role role, bool expect);

/* Return: the link state of @role, and its address in *ret_address (may be NULL). */
enum link_state bluez_link_state(const struct bluez *b, enum link_role role,
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
void bluez_machine_driver(struct bluez *b, struct machine_driver *ret);

/* The client as the machines registry's transport (driver.h): scan, pair, connect. */
void bluez_machine_links(struct bluez *b, struct machine_links *ret);

/* Hard limits applied to every target, whatever the machine claims (wire units). */
#define BLUEZ_MAX_POWER_W      1000
#define BLUEZ_MAX_SPEED_CKMH   2000 /* 20 km/h */
#define BLUEZ_MIN_INCLINE_DPCT (-100)
#define BLUEZ_MAX_INCLINE_DPCT 150
#define BLUEZ_MAX_RESISTANCE_D 1000
