/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Small pure rules of the BlueZ client, kept apart so unit tests can pin them down:
 * reconnect backoff, heart-rate freshness, machine type detection, address forms.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bluez.h"

/*
 * The next reconnect delay: @min_ms first, then doubling up to @max_ms.
 * @cur_ms is the previous delay, 0 before the first retry.
 * Return: the delay in ms.
 */
unsigned policy_backoff_next(unsigned cur_ms, unsigned min_ms, unsigned max_ms);

/*
 * The heart rate to report: the strap's if it is fresh (younger than @stale_s), else the
 * machine's from this very frame, else none. Old values are never repeated.
 * @strap_bpm and @machine_bpm are BR_NONE when absent; @strap_usec is when the strap's
 * value arrived (CLOCK_MONOTONIC µs).
 * Return: bpm or BR_NONE.
 */
int32_t policy_heart_rate(int32_t strap_bpm, uint64_t strap_usec, int32_t machine_bpm,
			  uint64_t now_usec, unsigned stale_s);

/*
 * The machine type from FTMS Service Data (the payload after the UUID, §10): bike or
 * treadmill (a multi-mode machine is taken as a bike first), other types as OTHER.
 * Return: the kind, MACHINE_KIND_UNKNOWN if the payload is malformed or names no type.
 */
enum machine_kind policy_kind_from_service_data(const uint8_t *buf, size_t len);

/*
 * The machine type from a data characteristic UUID (128-bit, lower case) when the machine
 * advertises no type: 0x2AD2 bike, 0x2ACD treadmill, other FTMS data characteristics OTHER.
 * Return: the kind, MACHINE_KIND_UNKNOWN if @uuid is no FTMS data characteristic.
 */
enum machine_kind policy_kind_from_data_uuid(const char *uuid);

/*
 * Whether @name is one a KingSmith WalkingPad on its legacy protocol (0xFE00) advertises: the
 * prefixes qdomyos-zwift takes for it ("WalkingPad", "KingSmith", "R1 Pro", "KS-ST-A1P",
 * "KS-BLC", "KS-BLR", "KS-F0"; any case). A name only makes it a candidate: 0xFE00 in GATT
 * decides.
 * Return: true if it is.
 */
bool policy_walkingpad_name(const char *name);

/*
 * Whether @s is a Bluetooth address "AA:BB:CC:DD:EE:FF" (either case).
 * Return: true if it is.
 */
bool policy_address_valid(const char *s);

/*
 * Normalise an address to upper case into @ret.
 * Return: 0, or -EINVAL if @s is no address.
 */
int policy_address_normalize(const char *s, char ret[18]);

/*
 * The address of a BlueZ device path ".../dev_AA_BB_CC_DD_EE_FF".
 * Return: 0, or -EINVAL if @path is no device path.
 */
int policy_address_from_device_path(const char *path, char ret[18]);

/*
 * An address with '_' for ':' (for object paths), into @ret.
 */
void policy_address_to_path_component(const char *address, char ret[18]);
