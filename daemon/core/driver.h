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
