/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "periph.h"
#include "sim.h"

/*
 * backride-sim --ble: the simulated device as a real BLE peripheral, served by the real
 * bluetoothd through its peripheral API on one adapter: a GATT application registered with
 * org.bluez.GattManager1 (the device's services, minus GAP and GATT which BlueZ serves
 * itself) and an advertisement registered with org.bluez.LEAdvertisingManager1 (the
 * service UUID and the FTMS Service Data). The device's address is the adapter's.
 * A link is a central's Device1 on that adapter with Connected=true.
 */
#define BLE_APP_ROOT	 "/org/backride/sim/app"
#define BLE_ADV_PATH	 "/org/backride/sim/adv"
#define BLE_MAX_CHARS	 (PERIPH_MAX_SERVICES * PERIPH_MAX_CHARS)
#define BLE_GATT_SERVICE "org.bluez.GattService1"
#define BLE_GATT_CHAR	 "org.bluez.GattCharacteristic1"

struct ble;

struct ble_char {
	struct ble *b;
	struct periph_char *pc;
	char path[96];
	char svc_path[64];
	sd_bus_slot *slot;
	bool notifying; /* BlueZ called StartNotify (some central enabled the CCCD) */
	uint8_t value[512];
	size_t value_len;
};

struct ble_service {
	struct periph_service *ps;
	char path[64];
	sd_bus_slot *slot;
};

struct ble {
	struct sim *sim;
	struct periph *p;
	sd_bus *bus;
	struct bus_source *src;
	char adapter_path[32];
	char address[18];
	sd_bus_slot *om_slot;
	sd_bus_slot *adv_slot;
	sd_bus_slot *noc_slot;
	sd_bus_slot *props_slot;
	sd_bus_slot *added_slot;
	sd_bus_slot *removed_slot;
	sd_bus_slot *app_call;
	sd_bus_slot *adv_call;
	bool adv_registered;
	bool need_app; /* not registered with this bluetoothd yet */
	bool need_adv;
	struct later *register_later;
	struct later *readvertise_later; /* --readvertise */
	struct ble_service services[PERIPH_MAX_SERVICES];
	size_t n_services;
	struct ble_char chars[BLE_MAX_CHARS];
	size_t n_chars;
	/* The central's Device1 on our adapter; "" when there is no link. */
	char link_path[96];
	bool dropping; /* we asked BlueZ to disconnect it; ATT requests are refused meanwhile */
};

/*
 * Open the bus, read the adapter's address (it becomes the device's), export the GATT
 * application and the advertisement and register both; re-register whenever bluetoothd
 * comes back. sim->periphs[0] is the device.
 * Return: 0 and *ret, or -errno (logged).
 */
int ble_new(struct sim *sim, struct ble **ret);

void ble_free(struct ble *b);

/* The Keiser M3i's manufacturer data changed (p->adv_data): PropertiesChanged on the
 * advertisement, which bluetoothd reads and advertises afresh (src/advertising.c,
 * properties_changed()). */
void ble_advert_changed(struct ble *b);

/*
 * May an ATT request from `device` (its "device" option, or NULL) go to the device? A
 * request from a central we have not seen connect yet attaches the link.
 */
bool ble_att_allowed(struct ble *b, const char *device);

/* ble-gatt.c */
/* Export the application's objects below BLE_APP_ROOT. Return: 0 or -errno. */
int ble_gatt_export(struct ble *b);
void ble_gatt_unexport(struct ble *b);
/* A notification or indication from the device: PropertiesChanged(Value). */
void ble_gatt_value(struct ble *b, const struct periph_char *pc, const uint8_t *v, size_t n);
/* Give the device the CCCD state BlueZ told us about (at the start of a link). */
void ble_gatt_restore_cccd(struct ble *b);
/* BlueZ went away: every notify session with it. */
void ble_gatt_reset(struct ble *b);
