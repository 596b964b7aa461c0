/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

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
