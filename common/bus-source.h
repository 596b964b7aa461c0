/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>
#include <uv.h>

/*
 * sd-bus attached to a libuv loop: a uv_poll_t on the bus fd, a uv_timer_t for
 * sd_bus_get_timeout() (an absolute CLOCK_MONOTONIC deadline) and a uv_prepare_t
 * that re-arms both before every sleep, because sends from other callbacks only
 * queue output. The bus is processed until sd_bus_process() returns 0.
 */
struct bus_source;

/* Called once when the connection is lost; the source stops watching the bus. */
typedef void (*bus_source_lost_fn)(struct bus_source *s, int error, void *userdata);

/*
 * Attach @bus (a reference is taken) to @loop.
 * Return: 0 and *ret, or -errno.
 */
int bus_source_new(uv_loop_t *loop, sd_bus *bus, bus_source_lost_fn lost, void *userdata,
		   struct bus_source **ret);

/* Close the handles; the source frees itself from the last close callback. */
void bus_source_close(struct bus_source *s);

sd_bus *bus_source_get_bus(struct bus_source *s);
