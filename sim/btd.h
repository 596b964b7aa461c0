/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

#include "sim.h"

/*
 * The simulated bluetoothd (hence btd, as BlueZ names its own daemon's internals): the
 * org.bluez object tree as BlueZ 5.66 exports it, on one bus connection: ObjectManager
 * at /, AgentManager1 at /org/bluez, Adapter1 at /org/bluez/hci0, Device1 and the GATT
 * objects below it.
 */
struct btd;

/* Register the objects and request org.bluez. Return: 0, or -errno. */
int btd_new(struct sim *sim, sd_bus *bus, struct btd **ret);

/* Drop every link, pending call and object. */
void btd_free(struct btd *b);

/*
 * The peripheral asks for security (SMP Security Request): remote-initiated Just Works,
 * which makes bluetoothd call RequestAuthorization on the default agent.
 * Return: 0, -ENOENT (no such device object), -ENOTCONN.
 */
int btd_remote_pairing(struct btd *b, const char *address);

/*
 * The connected machine at @address is power-cycled (periph_power_cycle()) and its GATT
 * database changes: its GATT objects are removed and, after the resolve delay, exported again
 * with the new handles, as bluetoothd does on Service Changed.
 * Return: 0, -ENOENT, -ENOTCONN, -EOPNOTSUPP (the strap).
 */
int btd_power_cycle(struct btd *b, const char *address);

/*
 * @p advertises manufacturer data (@company, then @data): while discovering, and if the
 * discovery filters let @p through, its device is seen and its ManufacturerData set, with a
 * PropertiesChanged when the data changed, or every time for a client that set DuplicateData
 * (bluetoothd's device_set_manufacturer_data()).
 */
void btd_advertise(struct btd *b, struct periph *p, uint16_t company, const uint8_t *data,
		   size_t len);
