/* SPDX-License-Identifier: MIT */
#pragma once

#include <sys/types.h>
#include <systemd/sd-bus.h>

/*
 * Who may control the daemon and read its history: root, the daemon's own
 * user, and members of the access group (default "backride"). The bus policy
 * says the same; this check makes a permissive bus policy not enough.
 */

/*
 * Check the sender of @m. The sender's uid comes from the bus (a round trip to
 * the bus driver, not to BlueZ, the first time per sender; then cached).
 * Return: 0 when allowed; otherwise -EACCES with @err set to
 * org.backride.Error.AccessDenied and a sentence saying what to do.
 */
int access_check(sd_bus_message *m, const char *group, sd_bus_error *err);

/*
 * The decision alone, for tests: is @uid root, @self, or a member of @group
 * (primary or supplementary)?
 * Return: 1 allowed, 0 not, -errno when the user or group cannot be looked up.
 */
int access_uid_allowed(uid_t uid, uid_t self, const char *group);
