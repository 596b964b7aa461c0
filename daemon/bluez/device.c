/* SPDX-License-Identifier: MIT */
/*
 * org.bluez.Device1: the connect sequence of notes §2.1 for the machine and the strap
 * (search, Connect, ServicesResolved, verify, subscribe, read, ready), reconnects with
 * backoff after link loss, pairing and trust.
 */
#include <errno.h>
#include <string.h>

#include "bluez-internal.h"
#include "log.h"

static void link_attempt(struct bz_link *l);
static void on_link_timer(uv_timer_t *t);

static void link_set_state(struct bz_link *l, enum link_state st)
{
	struct bluez *b = l->b;

	if (l->state == st)
		return;
	l->state = st;
	if (b->cb.link_changed)
		b->cb.link_changed(b->userdata, l->role, l->address, st);
}

static void link_done(struct bz_link *l, int error, const char *message)
{
	driver_done_fn done = l->done;

	l->done = NULL;
	if (done)
		done(l->done_userdata, error, message);
}

static const char *role_name(const struct bz_link *l)
{
	return l->role == LINK_ROLE_MACHINE ? "machine"
	       : l->role == LINK_ROLE_HR    ? "heart-rate strap"
					    : "sensor";
}

static void link_arm(struct bz_link *l, unsigned ms)
{
	(void) uv_timer_start(&l->timer, on_link_timer, ms, 0);
}

static void link_disconnect_device(struct bz_link *l)
{
	struct bz_device *d = bz_device_find(l->b, l->address);

	/* Also cancels a pending Connect (notes §1.4). The reply does not matter. A Keiser
	 * was never connected: it cannot be. */
	if (!d || l->keiser)
		return;
	d->disconnecting = d->connected;
	(void) bz_call(l->b, NULL, d->path, BZ_DEVICE_IFACE, "Disconnect", NULL, NULL, BZ_USEC_CALL,
		       NULL);
}

static void link_backoff(struct bz_link *l)
{
	const struct bluez_config *c = &l->b->cfg;

	l->backoff_ms =
		policy_backoff_next(l->backoff_ms, c->reconnect_min_ms, c->reconnect_max_ms);
	bz_event(l->b, DRIVER_EVENT_LINK, "%s %s: reconnecting in %u ms", role_name(l), l->address,
		 l->backoff_ms);
	link_set_state(l, LINK_STATE_BACKOFF);
	link_arm(l, l->backoff_ms);
}

static void link_reset(struct bz_link *l)
{
	uv_timer_stop(&l->timer);
	l->slot = sd_bus_slot_unref(l->slot);
	l->abort_wait = false;
	l->grace_used = false;
	bz_gatt_link_down(l);
}

/* An attempt failed: retry with backoff, or give up on a first connect. */
static void link_failed(struct bz_link *l, int error, const char *text, bool disconnect)
{
	bz_event(l->b, DRIVER_EVENT_LINK, "%s %s: connect failed: %s", role_name(l), l->address,
		 text);
	link_reset(l);
	if (disconnect)
		link_disconnect_device(l);
	if (!l->ever_ready && ++l->failures >= BZ_FIRST_TRIES) {
		log_warning("Cannot connect to the %s %s: %s.", role_name(l), l->address, text);
		link_set_state(l, LINK_STATE_IDLE);
		link_done(l, error, text);
		return;
	}
	link_backoff(l);
}

/* A ready link that carried data went down: ask for it again at once. The machine that drops
 * its link every few minutes is the most common complaint against FTMS apps; waiting the
 * backoff first only adds to the seconds the ride loses. A failed attempt backs off as usual,
 * and a link that brought no data since it was ready is paced by the backoff too, so a machine
 * that accepts and drops a link at once is not hammered. */
static void link_reconnect_now(struct bz_link *l)
{
	struct bz_device *d = bz_device_find(l->b, l->address);

	bz_event(l->b, DRIVER_EVENT_LINK, "%s %s: reconnecting at once", role_name(l), l->address);
	/* bluetoothd says ServicesResolved=false before Connected=false: a Connect now would
	 * find the old link still up. link_attempt() waits for it to drop. */
	if (d && d->connected)
		d->disconnecting = true;
	link_attempt(l);
}

/* The link was up (or coming up) and went away: reconnect. */
static void link_lost(struct bz_link *l, const char *why)
{
	bool worked = l->state == LINK_STATE_READY && l->carried_data;

	bz_event(l->b, DRIVER_EVENT_LINK, "%s %s: link lost: %s", role_name(l), l->address, why);
	link_reset(l);
	l->carried_data = false;
	if (!l->ever_ready) {
		link_failed(l, -ECONNRESET, why, false);
		return;
	}
	log_notice("Lost the link to the %s %s (%s); reconnecting.", role_name(l), l->address, why);
	if (worked)
		link_reconnect_now(l);
	else
		link_backoff(l);
}

static int on_connect(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bz_link *l = userdata;
	struct bz_device *d = bz_device_find(l->b, l->address);
	const char *text = "";
	int r;

	l->slot = sd_bus_slot_unref(l->slot);
	r = bz_reply_error(reply, &text);
	if (r == 0 && !bz_reply_current(l->b, reply))
		return 0;
	if (r == -ECONNABORTED && l->aborts++ == 0) {
		/* Retrying at once usually works, but only once BlueZ says Connected=false
		 * (notes §2.6). Only the first time in a row; then the backoff paces retries. */
		bz_event(l->b, DRIVER_EVENT_LINK, "%s %s: %s, retrying%s", role_name(l), l->address,
			 text, d && d->connected ? " after disconnect" : "");
		if (d && d->connected) {
			l->abort_wait = true;
			link_arm(l, BZ_ABORT_WAIT_MS);
		} else
			link_attempt(l);
		return 0;
	}
	if (r < 0) {
		/* InProgress: someone's stale pending connect; Disconnect cancels it. */
		link_failed(l, r, text, r == -EINPROGRESS || r == -ETIMEDOUT);
		return 0;
	}
	bz_event(l->b, DRIVER_EVENT_LINK, "%s %s: connected, resolving services", role_name(l),
		 l->address);
	link_set_state(l, LINK_STATE_RESOLVING);
	link_arm(l, l->b->cfg.resolve_timeout_ms);
	if (d && d->resolved)
		bz_links_device_changed(l->b, d, true);
	return 0;
}

static void link_resolved(struct bz_link *l)
{
	uv_timer_stop(&l->timer);
	/* A machine without a control point is taken once the grace is over: it may be one
	 * that can only be guided, not one whose objects are late. */
	if (!bz_gatt_find(l, !l->grace_used)) {
		if (!l->grace_used) {
			/* Objects may still be on their way (bluez#1489): wait a little. */
			l->grace_used = true;
			link_arm(l, BZ_GRACE_MS);
			return;
		}
		bz_event(l->b, DRIVER_EVENT_FAULT,
			 "%s %s: the %s service or a needed characteristic is missing",
			 role_name(l), l->address,
			 l->role == LINK_ROLE_MACHINE ? "FTMS (or WalkingPad)"
			 : l->role == LINK_ROLE_HR    ? "Heart Rate"
						      : "Cycling Power or CSC");
		link_failed(l, -EPROTO, "the machine does not offer what backride needs", true);
		return;
	}
	link_set_state(l, LINK_STATE_SUBSCRIBING);
	link_arm(l, l->b->cfg.resolve_timeout_ms);
	bz_gatt_setup_start(l);
}

static void link_attempt(struct bz_link *l)
{
	struct bluez *b = l->b;
	struct bz_device *d = bz_device_find(b, l->address);
	int r;

	link_reset(l);
	if (l->keiser || (d && d->keiser)) {
		bz_keiser_attempt(l);
		return;
	}
	/* Nothing to connect with until the adapter is there and powered (it follows org.bluez
	 * by a moment when bluetoothd starts): wait as for a device not seen yet. */
	if (!d || bluez_adapter_state(b) < 0) {
		link_set_state(l, LINK_STATE_SEARCHING);
		link_arm(l, BZ_SEARCH_MS);
		bz_adapter_update_discovery(b);
		return;
	}
	bz_adapter_update_discovery(b);
	if (d->disconnecting && d->connected) {
		/* Our Disconnect is still completing (bluetoothd drops the link up to 2 s later,
		 * DISCONNECT_TIMER): a link taken over now would drop under the new user. Connect
		 * once it is down. */
		bz_event(b, DRIVER_EVENT_LINK, "%s %s: waiting for the last link to drop",
			 role_name(l), l->address);
		link_set_state(l, LINK_STATE_CONNECTING);
		l->abort_wait = true;
		link_arm(l, BZ_ABORT_WAIT_MS);
		return;
	}
	if (d->connected && d->resolved) {
		/* Someone (maybe us before a restart) holds the link already (bluez#89). */
		link_set_state(l, LINK_STATE_RESOLVING);
		link_resolved(l);
		return;
	}
	bz_event(b, DRIVER_EVENT_LINK, "%s %s: connecting", role_name(l), l->address);
	link_set_state(l, LINK_STATE_CONNECTING);
	r = bz_call(b, &l->slot, d->path, BZ_DEVICE_IFACE, "Connect", on_connect, l,
		    BZ_USEC_CONNECT, NULL);
	if (r < 0)
		link_failed(l, r, strerror(-r), false);
}

/* Why a search failed, for the user. */
static const char *not_seen(const struct bz_link *l)
{
	/* A Keiser's console advertises only while it is awake: while it is pedalled. */
	if (l->keiser)
		return "no advertisement seen; pedal to wake its console";
	return "not seen; is it switched on and in range?";
}

static void on_link_timer(uv_timer_t *t)
{
	struct bz_link *l = t->data;

	switch (l->state) {
	case LINK_STATE_SEARCHING:
		link_failed(l, -ENOENT, not_seen(l), false);
		break;
	case LINK_STATE_BACKOFF:
		link_attempt(l);
		break;
	case LINK_STATE_CONNECTING:
		if (l->abort_wait) {
			struct bz_device *d = bz_device_find(l->b, l->address);

			if (d) /* waited long enough: whatever BlueZ says now */
				d->disconnecting = false;
			link_attempt(l);
		}
		break;
	case LINK_STATE_RESOLVING:
		if (l->grace_used)
			link_resolved(l);
		else
			link_failed(l, -ETIMEDOUT, "services were not resolved in time", true);
		break;
	case LINK_STATE_SUBSCRIBING:
	case LINK_STATE_READING:
		link_failed(l, -ETIMEDOUT, "setting up notifications timed out", true);
		break;
	case LINK_STATE_READY:
		if (l->keiser) {
			bz_keiser_timer(l);
			break;
		}
		/* The machine stopped notifying while driven but kept the link: drop it and
		 * reconnect. Armed only while data is expected (bluez_link_set_expect_data). */
		bz_event(l->b, DRIVER_EVENT_LINK, "%s %s: link lost: no data for %u ms",
			 role_name(l), l->address, BZ_DATA_MS);
		log_notice("Lost the link to the %s %s (no data for %u ms); reconnecting.",
			   role_name(l), l->address, BZ_DATA_MS);
		link_reset(l);
		link_disconnect_device(l);
		link_backoff(l);
		break;
	case LINK_STATE_IDLE:
		break;
	}
}

void bz_link_set_state(struct bz_link *l, enum link_state st)
{
	link_set_state(l, st);
}

void bz_link_arm(struct bz_link *l, unsigned ms)
{
	link_arm(l, ms);
}

void bz_link_lost(struct bz_link *l, const char *why)
{
	link_lost(l, why);
}

/* The data watchdog: armed again by every valid sample while the machine is driven. */
static void link_data_arm(struct bz_link *l)
{
	if (l->state == LINK_STATE_READY && l->role == LINK_ROLE_MACHINE && l->expect_data &&
	    !l->keiser) /* a Keiser's silence is its own (keiser.c) */
		link_arm(l, BZ_DATA_MS);
}

void bz_link_data_seen(struct bz_link *l)
{
	if (l->state == LINK_STATE_READY)
		l->carried_data = true;
	link_data_arm(l);
}

void bluez_link_set_expect_data(struct bluez *b, enum link_role role, bool expect)
{
	struct bz_link *l = &b->links[role];

	if (l->expect_data == expect)
		return;
	l->expect_data = expect;
	/* An idle machine may be silent (many stop notifying while stopped, reference §12):
	 * then the link lasts as long as BlueZ says Connected. */
	if (expect)
		link_data_arm(l);
	else if (l->state == LINK_STATE_READY && !l->keiser)
		uv_timer_stop(&l->timer);
}

void bz_links_init(struct bluez *b)
{
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++) {
		struct bz_link *l = &b->links[i];

		l->b = b;
		l->role = (enum link_role) i;
		l->state = LINK_STATE_IDLE;
		bz_gatt_init(l);
	}
}

void bz_link_setup_done(struct bz_link *l, int error, const char *text)
{
	if (error < 0) {
		link_failed(l, error, text, true);
		return;
	}
	uv_timer_stop(&l->timer);
	l->backoff_ms = 0;
	l->failures = 0;
	l->aborts = 0;
	l->carried_data = false;
	log_info("%s to the %s %s.", l->ever_ready ? "Reconnected" : "Connected", role_name(l),
		 l->address);
	l->ever_ready = true;
	bz_event(l->b, DRIVER_EVENT_LINK, "%s %s: ready", role_name(l), l->address);
	/* Online first: a target set from the link_changed callback must not be refused. */
	if (l->role == LINK_ROLE_MACHINE && l->chr[BZ_CHR_CP] && !l->pad.on)
		cp_queue_online(&l->cp);
	link_set_state(l, LINK_STATE_READY);
	if (l->role == LINK_ROLE_MACHINE && l->pad.on)
		bz_pad_online(l);
	link_data_arm(l);
	link_done(l, 0, NULL);
}

void bz_links_device_changed(struct bluez *b, struct bz_device *d, bool resolved_changed)
{
	if (!d->connected)
		d->disconnecting = false;
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++) {
		struct bz_link *l = &b->links[i];

		if (l->state == LINK_STATE_IDLE || strcmp(l->address, d->address) != 0)
			continue;
		/* A Keiser is never connected: only its adverts count (keiser.c). */
		if (l->keiser && l->state != LINK_STATE_SEARCHING)
			continue;
		if (l->state == LINK_STATE_SEARCHING ||
		    (l->state == LINK_STATE_BACKOFF && d->connected && d->resolved))
			link_attempt(l);
		else if (l->state == LINK_STATE_CONNECTING) {
			if (l->abort_wait && !d->connected)
				link_attempt(l);
		} else if (l->state >= LINK_STATE_RESOLVING && l->state <= LINK_STATE_READY) {
			if (!d->connected && d->resolved)
				/* Services resolved on a link BlueZ never said was up: bluetoothd
				 * 5.66 leaves out Connected=true for a bonded device it loaded as
				 * dual-mode (BR/EDR;LE) after a restart. Ask it. */
				bz_device_refresh(b, d);
			else if (!d->connected)
				link_lost(l, "disconnected");
			else if (l->state == LINK_STATE_RESOLVING && d->resolved)
				link_resolved(l);
			else if (resolved_changed && !d->resolved &&
				 l->state != LINK_STATE_RESOLVING)
				link_lost(l, "services no longer resolved");
		}
	}
}

void bz_links_device_removed(struct bluez *b, struct bz_device *d)
{
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++) {
		struct bz_link *l = &b->links[i];

		if (strcmp(l->address, d->address) != 0)
			continue;
		if (l->state >= LINK_STATE_CONNECTING && l->state <= LINK_STATE_READY)
			link_lost(l, "the device object was removed");
	}
}

void bz_links_gatt_added(struct bluez *b)
{
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++) {
		struct bz_link *l = &b->links[i];

		if (l->state == LINK_STATE_RESOLVING && l->grace_used && bz_gatt_find(l, true))
			link_resolved(l);
	}
}

void bz_links_gatt_removed(struct bluez *b, const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++) {
		struct bz_link *l = &b->links[i];

		if (l->state < LINK_STATE_SUBSCRIBING || l->state > LINK_STATE_READY)
			continue;
		for (size_t c = 0; c < _BZ_CHR_MAX; c++)
			if (l->chr[c] && strcmp(l->chr[c], path) == 0) {
				link_lost(l, "GATT objects were removed (services changed)");
				break;
			}
	}
}

void bz_links_bluez_gone(struct bluez *b)
{
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++) {
		struct bz_link *l = &b->links[i];

		if (l->state >= LINK_STATE_CONNECTING && l->state <= LINK_STATE_READY)
			link_lost(l, "bluetoothd went away");
	}
}

void bz_links_bluez_back(struct bluez *b)
{
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++) {
		struct bz_link *l = &b->links[i];

		if (l->state == LINK_STATE_SEARCHING || l->state == LINK_STATE_BACKOFF)
			link_attempt(l);
	}
}

bool bz_link_wants_discovery(struct bluez *b)
{
	/* A Keiser's adverts come only while discovering: its link needs discovery for as long
	 * as it lasts, whatever a user's scan does. */
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++)
		if (b->links[i].state == LINK_STATE_SEARCHING ||
		    (b->links[i].keiser && b->links[i].state != LINK_STATE_IDLE))
			return true;
	return false;
}

void bz_links_close(struct bluez *b)
{
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++)
		(void) bluez_link_stop(b, (enum link_role) i);
}

int bluez_link_start(struct bluez *b, enum link_role role, const char *address,
		     enum machine_protocol protocol, int resistance_form, driver_done_fn done,
		     void *userdata)
{
	struct bz_link *l = &b->links[role];
	char addr[MACHINE_ADDRESS_MAX];

	if (policy_address_normalize(address, addr) < 0)
		return -EINVAL;
	if (!b->owner)
		return -ENODEV;
	if (l->state != LINK_STATE_IDLE) {
		if (strcmp(l->address, addr) != 0)
			return -EBUSY;
		if (l->state == LINK_STATE_READY || l->done)
			return -EALREADY;
		l->done = done;
		l->done_userdata = userdata;
		return 0;
	}
	memcpy(l->address, addr, sizeof(addr));
	l->done = done;
	l->done_userdata = userdata;
	l->backoff_ms = 0;
	l->failures = 0;
	l->aborts = 0;
	l->ever_ready = false;
	/* A Keiser remembered as one is listened for even before bluetoothd has seen its
	 * advert again (after a restart it knows the device without its data). */
	l->keiser = protocol == MACHINE_PROTOCOL_KEISER;
	l->keiser_has_id = false;
	l->keiser_moved = false;
	l->keiser_cur[0] = '\0';
	l->cp.form = (enum cp_resistance_form) resistance_form;
	l->cp.released = false; /* a new link: control is requested as usual */
	link_attempt(l);
	return 0;
}

int bluez_link_stop(struct bluez *b, enum link_role role)
{
	struct bz_link *l = &b->links[role];

	if (l->state == LINK_STATE_IDLE)
		return -ENOTCONN;
	link_reset(l);
	link_disconnect_device(l);
	bz_event(b, DRIVER_EVENT_LINK, "%s %s: disconnected on request", role_name(l), l->address);
	log_info("Disconnected from the %s %s.", role_name(l), l->address);
	link_set_state(l, LINK_STATE_IDLE);
	link_done(l, -ECANCELED, "the connection was cancelled");
	bz_adapter_update_discovery(b);
	return 0;
}

enum link_state bluez_link_state(const struct bluez *b, enum link_role role,
				 const char **ret_address)
{
	const struct bz_link *l = &b->links[role];

	if (ret_address)
		*ret_address = l->state == LINK_STATE_IDLE ? NULL : l->address;
	return l->state;
}

int bluez_device_get(struct bluez *b, const char *address, struct device_info *ret)
{
	struct bz_device *d = bz_device_find(b, address);

	if (!d)
		return -ENOENT;
	bz_device_info(d, ret);
	return 0;
}

/* ---- pairing ------------------------------------------------------------------------- */

void bz_pair_cancel(struct bluez *b, int error, const char *message)
{
	struct bz_pair *p = &b->pair;

	if (!p->active)
		return;
	p->active = false;
	p->slot = sd_bus_slot_unref(p->slot);
	p->done(p->userdata, error, message);
}

static int on_trusted(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	const char *text;
	int r;

	r = bz_reply_error(reply, &text);
	if (r < 0) {
		bz_pair_cancel(b, r, text);
		return 0;
	}
	bz_event(b, DRIVER_EVENT_LINK, "%s: trusted", b->pair.address);
	bz_pair_cancel(b, 0, NULL);
	return 0;
}

static void pair_trust(struct bluez *b)
{
	struct bz_device *d = bz_device_find(b, b->pair.address);
	int r;

	if (!d) {
		bz_pair_cancel(b, -ENOENT, "the device disappeared; scan again");
		return;
	}
	r = bz_call(b, &b->pair.slot, d->path, BZ_PROPS_IFACE, "Set", on_trusted, b, BZ_USEC_CALL,
		    "ssv", BZ_DEVICE_IFACE, "Trusted", "b", 1);
	if (r < 0)
		bz_pair_cancel(b, r, strerror(-r));
}

static int on_paired(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	const char *text;
	int r;

	r = bz_reply_error(reply, &text);
	if (r < 0 && r != -EEXIST) {
		if (b->cfg.pair == BLUEZ_PAIR_ALWAYS) {
			bz_pair_cancel(b, r, text);
			return 0;
		}
		/* Many FTMS machines reject pairing and work fine without it (notes §1.8). */
		bz_event(b, DRIVER_EVENT_LINK, "%s: pairing refused (%s), using it unpaired",
			 b->pair.address, text);
	} else
		bz_event(b, DRIVER_EVENT_LINK, "%s: paired", b->pair.address);
	pair_trust(b);
	return 0;
}

int bluez_pair(struct bluez *b, const char *address, driver_done_fn done, void *userdata)
{
	struct bz_device *d;
	int r;

	if (b->pair.active)
		return -EBUSY;
	if (!b->owner || !b->have_objects)
		return -ENODEV;
	d = bz_device_find(b, address);
	if (!d)
		return -ENOENT;
	b->pair = (struct bz_pair) { .done = done, .userdata = userdata, .active = true };
	memcpy(b->pair.address, d->address, sizeof(d->address));
	/* A Keiser M3i cannot be paired or connected (it only advertises): trusting it is all. */
	if (b->cfg.pair == BLUEZ_PAIR_NEVER || d->paired || d->keiser) {
		pair_trust(b);
		return 0;
	}
	r = bz_call(b, &b->pair.slot, d->path, BZ_DEVICE_IFACE, "Pair", on_paired, b, BZ_USEC_PAIR,
		    NULL);
	if (r < 0)
		b->pair.active = false;
	return r;
}

int bluez_remove(struct bluez *b, const char *address)
{
	struct bz_device *d;

	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++)
		if (b->links[i].state != LINK_STATE_IDLE &&
		    strcasecmp(b->links[i].address, address) == 0)
			(void) bluez_link_stop(b, (enum link_role) i);
	d = bz_device_find(b, address);
	if (!d)
		return -ENOENT;
	/* Drops the bond and the GATT cache too (notes §1.3). */
	return bz_call(b, NULL, b->adapter_path, BZ_ADAPTER_IFACE, "RemoveDevice", NULL, NULL,
		       BZ_USEC_CALL, "o", d->path);
}
