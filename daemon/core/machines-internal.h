/* SPDX-License-Identifier: MIT */
#pragma once

/* Between machines.c (the registry and requests), machines-wait.c (what waits) and
 * machines-props.c (each machine's properties). */

#include "machines.h"
#include "plausible.h"

#define ADAPTER_WAIT_MS 5000 /* bluetoothd exports its adapter a moment after its name */
#define HANDOVER_MS	1000 /* a machine that does not answer the Reset is let go anyway */
#define WAITERS_MAX	8

enum wait_op {
	WAIT_SCAN,
	WAIT_PAIR,
	WAIT_CONNECT,
};

/* A scan, pair or connect asked for while the adapter was not usable yet. */
struct waiter {
	bool used;
	enum wait_op op;
	unsigned seconds;		     /* scan */
	struct machines_connect_request req; /* pair: address only */
	char address[MACHINE_ADDRESS_MAX];
	driver_done_fn done;
	void *userdata;
	uint64_t deadline_ms; /* loop time */
};

struct machines {
	uv_loop_t *loop;
	uv_timer_t wait_timer;
	struct waiter waiters[WAITERS_MAX];
	unsigned n_waiting_logged; /* "Waiting for the adapter" once per wait */
	/* A machine being given back: control first (until its Reset is answered), then the
	 * link. Requests wait meanwhile. */
	struct {
		bool active;
		char address[MACHINE_ADDRESS_MAX];
		uint64_t deadline_ms; /* loop time: the link goes then at the latest */
		bool answered;	      /* the Reset was answered (or the link went) */
	} handover;
	const struct config *config;
	struct storage *storage;
	struct machines_callbacks cb;
	void *userdata;
	struct machine_props *props; /* every machine known, with its properties */
	size_t n_props;
	struct machine_links links;	   /* the transport: scan, pair, connect (BlueZ) */
	struct machine_driver driver;	   /* the machine link's: FTMS over BlueZ */
	struct machines_listener listener; /* the coach, told about the machine */
	void *listener_userdata;
	const char *state; /* last State signalled */
	/* Reported as MachineFound in this scan: once each, RSSI updates go to Machine1.RSSI. */
	char found[32][MACHINE_ADDRESS_MAX];
	unsigned n_found;
	/* A Pair in flight and who waits for it. */
	char pair_address[MACHINE_ADDRESS_MAX];
	driver_done_fn pair_done;
	void *pair_userdata;
	/* The connected machine's data passes this filter before anyone sees it. */
	struct plausible plausible;
	struct {
		uint64_t at; /* real µs of the last notice, 0: none since the link came up */
		uint32_t dropped;
		char example[64];
	} implausible_log;
};

/* machines-props.c: the properties of @address as they are now, or a fresh set; keep @p as
 * its machine's and report them (Return: 0 or -ENOMEM); forget and report gone (Return: 0 or
 * -ENOENT). */
void machines_props_get(struct machines *mc, const char *address, struct machine_props *p);
int machines_props_set(struct machines *mc, const struct machine_props *p);
int machines_props_remove(struct machines *mc, const char *address);

/* Signal Manager1.State if it changed. */
void machines_state_update(struct machines *mc);

/*
 * Keep request @w until the adapter is usable and no machine is being given back (at most
 * ADAPTER_WAIT_MS). @r is the adapter's state (bluez_adapter_state()), or -EBUSY for a
 * handover. Return: 0 waiting (@w's done follows), or @r when no more requests can wait.
 */
int machines_wait_add(struct machines *mc, int r, const struct waiter *w);

/* Carry out what waited, if the adapter is usable and no machine is being given back. */
void machines_waiters_run(struct machines *mc);

/* Give the connected machine @address back: Reset, then (once answered) the links. */
void machines_handover_start(struct machines *mc, const char *address);

/* The Reset was answered or the link went: finish the handover from the loop. */
void machines_handover_soon(struct machines *mc);

/* The canonical form of the address @s in @ret, per the transport. Return: 0, or -EINVAL. */
static inline int links_address_normalize(const struct machines *mc, const char *s,
					  char ret[MACHINE_ADDRESS_MAX])
{
	return mc->links.ops->address_normalize(s, ret);
}
