/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

/*
 * Called for each entry of an a{sv} with the message positioned at the entry's variant.
 * It must read or skip the variant (sd_bus_message_skip(m, "v")) before it returns;
 * @key is borrowed from the message.
 * Return: >= 0 to go on, or -errno to stop the walk with that error.
 */
typedef int (*bus_dict_fn)(sd_bus_message *m, const char *key, void *userdata);

/*
 * Walk the a{sv} at the read position of @m: enter the array and each "sv" entry, read the key,
 * call @fn, leave the entry; then leave the array.
 * Return: 0, or -errno: from sd-bus (-ENXIO if the next value is not an a{sv} or there is
 * none: the end of an array of them; -EBUSY if @fn left part of a variant unread) or the first
 * error @fn returned.
 */
int bus_dict_foreach(sd_bus_message *m, bus_dict_fn fn, void *userdata);

/*
 * Open a bus connection by name: "system", "session" or a D-Bus address.
 * The connection is started but not attached.
 * Return: 0 and *ret, or -errno (-EINVAL for an empty name).
 */
int bus_open_by_name(const char *name, const char *description, sd_bus **ret);
