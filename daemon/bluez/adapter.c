/* SPDX-License-Identifier: MIT */
/* org.bluez.Adapter1: discovery with an FTMS + Heart Rate filter over LE. */
#include <errno.h>
#include <string.h>

#include "bluez-internal.h"
#include "log.h"

static bool adapter_usable(const struct bluez *b)
{
	return b->owner && b->have_objects && b->adapter_present && b->adapter_powered;
}

static int on_discovery_started(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	const char *text;
	int r;

	b->scan_slot = sd_bus_slot_unref(b->scan_slot);
	r = bz_reply_error(reply, &text);
	if (r < 0 && r != -EINPROGRESS) {
		/* InProgress: this connection already has a session; that is what we want. */
		b->discovering = false;
		bz_event(b, DRIVER_EVENT_BLUEZ, "StartDiscovery failed: %s", text);
		return 0; /* no retry loop on a lasting failure */
	}
	bz_adapter_update_discovery(b); /* the scan may have ended while this was in flight */
	return 0;
}

static int on_filter_set(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	const char *text;

	b->filter_slot = sd_bus_slot_unref(b->filter_slot);
	if (bz_reply_error(reply, &text) < 0)
		bz_event(b, DRIVER_EVENT_BLUEZ, "SetDiscoveryFilter failed: %s", text);
	return 0;
}

static int discovery_start(struct bluez *b)
{
	int r;

	/* Filter first: it applies to this connection's session (notes §1.3). DuplicateData
	 * keeps Service Data and RSSI changes coming. No UUIDs: a machine whose advert has only
	 * its name would not pass them (bz_adapter_device_changed picks). */
	r = bz_call(b, &b->filter_slot, b->adapter_path, BZ_ADAPTER_IFACE, "SetDiscoveryFilter",
		    on_filter_set, b, BZ_USEC_CALL, "a{sv}", 2, "Transport", "s", "le",
		    "DuplicateData", "b", 1);
	if (r < 0)
		return r;
	r = bz_call(b, &b->scan_slot, b->adapter_path, BZ_ADAPTER_IFACE, "StartDiscovery",
		    on_discovery_started, b, BZ_USEC_CALL, NULL);
	if (r < 0)
		return r;
	b->discovering = true;
	return 0;
}

static int on_discovery_stopped(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;

	b->scan_slot = sd_bus_slot_unref(b->scan_slot);
	/* "No discovery started" is fine too. A scan asked for meanwhile starts now. */
	bz_adapter_update_discovery(b);
	return 0;
}

static void discovery_stop(struct bluez *b)
{
	b->discovering = false;
	(void) bz_call(b, &b->scan_slot, b->adapter_path, BZ_ADAPTER_IFACE, "StopDiscovery",
		       on_discovery_stopped, b, BZ_USEC_CALL, NULL);
}

void bz_adapter_update_discovery(struct bluez *b)
{
	bool want = b->scan_user || bz_link_wants_discovery(b);
	int r;

	if (!adapter_usable(b))
		return;
	/* One StartDiscovery or StopDiscovery in flight at a time. The real bluetoothd 5.66 answers
	 * a StartDiscovery sent while this client's StopDiscovery is still completing with
	 * InProgress and then has no session for it (seen in the vm suite), and a second call would
	 * also replace scan_slot and drop the first one's reply. Each reply reconciles. */
	if (b->scan_slot)
		return;
	if (want && !b->discovering) {
		r = discovery_start(b);
		if (r < 0)
			bz_event(b, DRIVER_EVENT_BLUEZ, "cannot start discovery: %s", strerror(-r));
	} else if (!want && b->discovering)
		discovery_stop(b);
}

static void report(struct bluez *b, struct bz_device *d)
{
	struct device_info info;

	bz_device_info(d, &info);
	if (b->cb.device_found)
		b->cb.device_found(b->userdata, &info);
}

void bz_adapter_device_changed(struct bluez *b, struct bz_device *d)
{
	/* The FTMS or Heart Rate service, or a name and no service at all: some machines show
	 * FTMS only after connecting (hassio-ftms#59); they are listed with kind "unknown". */
	if (b->scan_user && d->advertising &&
	    (d->ftms || d->hr || d->cps || d->csc || d->walkingpad || d->keiser ||
	     (!d->uuids && d->name)))
		report(b, d);
}

void bz_adapter_appeared(struct bluez *b)
{
	b->discovering = false;
	bz_adapter_update_discovery(b);
}

int bluez_adapter_state(const struct bluez *b)
{
	if (!b->owner || !b->have_objects || !b->adapter_present)
		return -ENODEV;
	return b->adapter_powered ? 0 : -ENETDOWN;
}

void bz_adapter_report(struct bluez *b)
{
	bool present = b->owner && b->have_objects && b->adapter_present;
	int powered = present && b->adapter_powered;
	bool usable = bluez_adapter_state(b) == 0;

	/* At the default log level: a user reading the journal after a bad ride sees when the
	 * adapter came and went. */
	if (present && !b->reported_present)
		log_info("Bluetooth adapter %s appeared%s.", b->cfg.adapter,
			 powered ? "" : ", switched off");
	else if (!present && b->reported_present)
		log_notice("Bluetooth adapter %s went away.", b->cfg.adapter);
	else if (present && powered && !b->reported_powered)
		log_info("Bluetooth adapter %s is switched on.", b->cfg.adapter);
	else if (present && !powered && b->reported_powered)
		log_notice("Bluetooth adapter %s was switched off.", b->cfg.adapter);
	b->reported_present = present;
	b->reported_powered = powered;
	if (usable == b->reported_usable)
		return;
	b->reported_usable = usable;
	bz_event(b, DRIVER_EVENT_BLUEZ, "adapter %s %s", b->cfg.adapter,
		 usable ? "usable" : "unusable");
	if (usable)
		bz_links_bluez_back(b); /* links that waited for it */
	if (b->cb.adapter_changed)
		b->cb.adapter_changed(b->userdata, usable);
}

void bz_adapter_vanished(struct bluez *b)
{
	b->discovering = false;
	b->scan_slot = sd_bus_slot_unref(b->scan_slot);
	b->filter_slot = sd_bus_slot_unref(b->filter_slot);
}

static void scan_finish(struct bluez *b)
{
	b->scan_user = false;
	uv_timer_stop(&b->scan_timer);
	bz_adapter_update_discovery(b);
	if (b->cb.scan_finished)
		b->cb.scan_finished(b->userdata);
}

static void on_scan_timeout(uv_timer_t *t)
{
	scan_finish(t->data);
}

int bluez_scan_start(struct bluez *b, unsigned seconds)
{
	bool again = b->scan_user;
	int r;

	r = bluez_adapter_state(b);
	if (r < 0)
		return r;
	b->scan_user = true;
	(void) uv_timer_start(&b->scan_timer, on_scan_timeout, (uint64_t) seconds * 1000, 0);
	if (again)
		return -EALREADY;
	/* Machines seen just before (a link's search, another client's scan) count too. */
	for (struct bz_device *d = b->devices; d; d = d->next)
		if (d->advertising &&
		    (d->ftms || d->hr || d->cps || d->csc || d->walkingpad || d->keiser))
			report(b, d);
	bz_adapter_update_discovery(b);
	return 0;
}

int bluez_scan_stop(struct bluez *b)
{
	if (!b->scan_user)
		return -EALREADY;
	scan_finish(b);
	return 0;
}

bool bluez_scanning(const struct bluez *b)
{
	return b->scan_user;
}

void bz_adapter_close(struct bluez *b)
{
	b->scan_user = false;
	b->scan_slot = sd_bus_slot_unref(b->scan_slot);
	if (b->discovering && b->owner)
		discovery_stop(b);
	uv_timer_stop(&b->scan_timer);
	b->scan_slot = sd_bus_slot_unref(b->scan_slot);
	b->filter_slot = sd_bus_slot_unref(b->filter_slot);
}
