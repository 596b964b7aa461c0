/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

#include "sim.h"

/*
 * The org.bluez object tree as BlueZ 5.66 exports it, on one bus connection: ObjectManager
 * at /, AgentManager1 at /org/bluez, Adapter1 at /org/bluez/hci0, Device1 and the GATT
 * objects below it.
 */
struct bluez;

/* Register the objects and request org.bluez. Return: 0, or -errno. */
int bluez_new(struct sim *sim, sd_bus *bus, struct bluez **ret);

/* Drop every link, pending call and object. */
void bluez_free(struct bluez *b);

/*
 * The peripheral asks for security (SMP Security Request): remote-initiated Just Works,
 * which makes bluetoothd call RequestAuthorization on the default agent.
 * Return: 0, -ENOENT (no such device object), -ENOTCONN.
 */
int bluez_remote_pairing(struct bluez *b, const char *address);
