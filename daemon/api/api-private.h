/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

struct manager;

struct api {
	struct manager *manager;
	sd_bus *bus;
	sd_bus_slot *object_manager_slot;
	sd_bus_slot *manager_slot;
	sd_bus_slot *history_slot;
};

/* Register org.backride.Manager1. Return: 0 or -errno. */
int api_manager_register(struct api *a);

/* Register org.backride.History1 (history-iface.c). Return: 0 or -errno. */
int api_history_register(struct api *a);
