/* SPDX-License-Identifier: MIT */
/*
 * The machines' waits: requests kept until the adapter is usable (bluetoothd exports it a
 * moment after taking its name), and a machine given back (control first, then the link).
 */
#include <errno.h>
#include <string.h>

#include "log.h"
#include "machines-internal.h"
#include "machines.h"
#include "macro.h"

/* ---- waiting for the adapter ------------------------------------------------------------ */

static void on_wait_timer(uv_timer_t *t);
static void handover_finish(struct machines *mc);

static void wait_timer_arm(struct machines *mc)
{
	uint64_t next = UINT64_MAX, now = uv_now(mc->loop);

	for (size_t i = 0; i < ARRAY_SIZE(mc->waiters); i++)
		if (mc->waiters[i].used)
			next = MIN(next, mc->waiters[i].deadline_ms);
	if (mc->handover.active)
		next = MIN(next, mc->handover.deadline_ms);
	if (next == UINT64_MAX)
		(void) uv_timer_stop(&mc->wait_timer);
	else
		(void) uv_timer_start(&mc->wait_timer, on_wait_timer, next > now ? next - now : 0,
				      0);
}

/*
 * Keep a request until the adapter is usable and no machine is being given back, for a few
 * seconds: bluetoothd owns its name a moment before its adapter is exported and powered, and
 * a scan or start asked for in that window would otherwise fail. @r is the adapter's state
 * (bluez_adapter_state()), or -EBUSY for a handover.
 * Return: 0 waiting (@done follows), or @r when no more requests can wait.
 */
int machines_wait_add(struct machines *mc, int r, const struct waiter *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(mc->waiters); i++) {
		if (mc->waiters[i].used)
			continue;
		if (r != -EBUSY && !mc->n_waiting_logged++)
			log_info("Waiting up to %d s for Bluetooth adapter %s (%s).",
				 ADAPTER_WAIT_MS / 1000, mc->config->bluez_adapter,
				 r == -ENETDOWN ? "switched off" : "not there yet");
		mc->waiters[i] = *w;
		mc->waiters[i].used = true;
		mc->waiters[i].deadline_ms = uv_now(mc->loop) + ADAPTER_WAIT_MS;
		wait_timer_arm(mc);
		return 0;
	}
	return r;
}

static void waiter_resume(struct machines *mc, const struct waiter *w)
{
	int r;

	switch (w->op) {
	case WAIT_SCAN:
		r = machines_scan_start(mc, w->seconds, w->done, w->userdata);
		if (r == 0 || r == -EALREADY)
			w->done(w->userdata, 0, NULL);
		else if (r < 0)
			w->done(w->userdata, r, NULL);
		break;
	case WAIT_PAIR:
		r = machines_pair(mc, w->address, w->done, w->userdata);
		if (r < 0)
			w->done(w->userdata, r, NULL);
		break;
	case WAIT_CONNECT:
		r = machines_connect_request(mc, &w->req, w->done, w->userdata);
		if (r < 0)
			w->done(w->userdata, r, NULL);
		break;
	}
}

/* The adapter is usable and no machine is being given back: carry out what waited, in order. */
void machines_waiters_run(struct machines *mc)
{
	if (mc->handover.active || mc->links.ops->adapter_state(mc->links.data) < 0)
		return;
	mc->n_waiting_logged = 0;
	for (size_t i = 0; i < ARRAY_SIZE(mc->waiters); i++) {
		struct waiter w = mc->waiters[i];

		if (!w.used)
			continue;
		mc->waiters[i].used = false; /* before: resuming may wait again */
		waiter_resume(mc, &w);
	}
	wait_timer_arm(mc);
}

static void on_wait_timer(uv_timer_t *t)
{
	struct machines *mc = t->data;
	uint64_t now = uv_now(mc->loop);
	int r;

	if (mc->handover.active && mc->handover.deadline_ms <= now) {
		if (!mc->handover.answered)
			log_info("%s did not answer the Reset; disconnecting it anyway.",
				 mc->handover.address);
		handover_finish(mc);
	}
	r = mc->links.ops->adapter_state(mc->links.data);
	for (size_t i = 0; i < ARRAY_SIZE(mc->waiters); i++) {
		struct waiter w = mc->waiters[i];

		if (!w.used || w.deadline_ms > now)
			continue;
		mc->waiters[i].used = false;
		if (r == 0 && !mc->handover.active) /* usable after all (no change was reported) */
			waiter_resume(mc, &w);
		else if (r == 0)
			w.done(w.userdata, -EBUSY, NULL);
		else
			w.done(w.userdata, r, NULL);
	}
	mc->n_waiting_logged = 0;
	wait_timer_arm(mc);
}

/* ---- giving a machine back -------------------------------------------------------------- */

/* Control is back (or will never be): let the link go, then what waited. */
static void handover_finish(struct machines *mc)
{
	if (!mc->handover.active)
		return;
	mc->handover.active = false;
	(void) mc->links.ops->link_stop(mc->links.data, LINK_ROLE_HR);
	(void) mc->links.ops->link_stop(mc->links.data, LINK_ROLE_SENSOR);
	(void) mc->links.ops->link_stop(mc->links.data, LINK_ROLE_MACHINE);
	machines_state_update(mc);
	machines_waiters_run(mc);
	wait_timer_arm(mc);
}

/* The Reset was answered or the link went: finish from the loop, not from inside the BlueZ
 * client's callback (stopping the link there would pull its queue from under it). */
void machines_handover_soon(struct machines *mc)
{
	mc->handover.answered = true;
	mc->handover.deadline_ms = uv_now(mc->loop);
	wait_timer_arm(mc);
}

/*
 * Give the connected machine back: control first (FTMS Reset; its console and other apps may
 * drive it again), and once the machine has answered (at most HANDOVER_MS), disconnect it and
 * the strap. Without control held, at once.
 */
void machines_handover_start(struct machines *mc, const char *address)
{
	if (mc->handover.active)
		return;
	memcpy(mc->handover.address, address, MACHINE_ADDRESS_MAX);
	mc->handover.active = true;
	mc->handover.answered = false;
	mc->handover.deadline_ms = uv_now(mc->loop) + HANDOVER_MS;
	if (mc->links.ops->release_control(mc->links.data) != 0) {
		handover_finish(mc); /* nothing to give back, or no link to do it on */
		return;
	}
	wait_timer_arm(mc);
}
