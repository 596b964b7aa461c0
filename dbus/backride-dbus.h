/* SPDX-License-Identifier: MIT */
/*
 * Every D-Bus name of the backride API, shared by backrided and the backride CLI.
 * The contract itself is the introspection XML beside this file.
 */
#pragma once

#define BR_BUS_NAME	       "org.backride"
#define BR_MANAGER_PATH	       "/org/backride"
#define BR_MACHINE_PATH_PREFIX "/org/backride/machine/"
#define BR_SESSION_PATH	       "/org/backride/session"
#define BR_DEBUG_PATH	       "/org/backride/debug"

#define BR_MANAGER_IFACE   "org.backride.Manager1"
#define BR_MACHINE_IFACE   "org.backride.Machine1"
#define BR_SESSION_IFACE   "org.backride.Session1"
#define BR_HISTORY_IFACE   "org.backride.History1"
#define BR_PROGRAMME_IFACE "org.backride.Programme1"
#define BR_DEBUG_IFACE	   "org.backride.Debug1" /* only with [debug] targets = yes */

/* Machine1.Features is the FTMS Feature characteristic; the target setting bits of its second
 * member (FTMS v1.0) that the CLI reads. */
#define BR_TARGET_SPEED	      (1u << 0)
#define BR_TARGET_INCLINATION (1u << 1)
#define BR_TARGET_RESISTANCE  (1u << 2)
#define BR_TARGET_POWER	      (1u << 3)

#define BR_ERROR_PREFIX	       "org.backride.Error."
#define BR_ERROR_INVALID_ARGS  BR_ERROR_PREFIX "InvalidArguments"
#define BR_ERROR_NOT_FOUND     BR_ERROR_PREFIX "NotFound"
#define BR_ERROR_NOT_CONNECTED BR_ERROR_PREFIX "NotConnected"
#define BR_ERROR_BUSY	       BR_ERROR_PREFIX "Busy"
#define BR_ERROR_NOT_PERMITTED BR_ERROR_PREFIX "NotPermitted"
#define BR_ERROR_ACCESS_DENIED BR_ERROR_PREFIX "AccessDenied"
#define BR_ERROR_STORAGE       BR_ERROR_PREFIX "Storage"
#define BR_ERROR_FAILED	       BR_ERROR_PREFIX "Failed"

/* Values of Manager1.State. */
#define BR_STATE_IDLE	    "idle"
#define BR_STATE_SCANNING   "scanning"
#define BR_STATE_CONNECTING "connecting"
#define BR_STATE_READY	    "ready"
#define BR_STATE_SESSION    "session"
