/* SPDX-License-Identifier: MIT */
#include "machines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "backride-dbus.h"
#include "coach.h"
#include "log.h"
#include "machines-internal.h"
#include "macro.h"
#include "plausible.h"
#include "storage.h"

#define IMPLAUSIBLE_LOG_USEC (60 * USEC_PER_SEC) /* at most one notice a minute (real time) */

static int64_t now_s(void)
{
	return (int64_t) time(NULL);
}

static enum storage_kind to_storage_kind(enum machine_kind k)
{
	return k == MACHINE_KIND_TREADMILL ? STORAGE_KIND_TREADMILL
	       : k == MACHINE_KIND_HR	   ? STORAGE_KIND_HR
					   : STORAGE_KIND_BIKE;
}

static const char *form_name(int form)
{
	return form == STORAGE_RESISTANCE_UINT8	   ? "uint8"
	       : form == STORAGE_RESISTANCE_SINT16 ? "sint16"
						   : "unknown";
}

void machines_state_update(struct machines *mc)
{
	const char *s = machines_state(mc);

	if (mc->state == s)
		return;
	mc->state = s;
	if (mc->cb.state_changed)
		mc->cb.state_changed(mc->userdata);
}

/* ---- plausibility of the machine's data ------------------------------------------------ */

/* The filter's clock: monotonic, scaled like session time (simulations run faster). */
static uint64_t plausible_now(const struct machines *mc, uint64_t mono_usec)
{
	return mono_usec * mc->config->time_scale;
}

/* A new link: a fresh filter, with the machine's kind and ranges once it is ready (@info). */
static void plausible_start(struct machines *mc, const struct machine_info *info)
{
	struct session_machine m;

	plausible_init(&mc->plausible, info && coach_machine(info, &m) >= 0 ? &m : NULL);
	mc->implausible_log.at = 0;
	mc->implausible_log.dropped = 0;
}

/* The sample's values, in the order of enum plausible_field. */
static int32_t *sample_field(struct br_sample *s, enum plausible_field f)
{
	switch (f) {
	case PLAUSIBLE_POWER:
		return &s->power_w;
	case PLAUSIBLE_CADENCE:
		return &s->cadence_hrpm;
	case PLAUSIBLE_SPEED:
		return &s->speed_ckmh;
	case PLAUSIBLE_DISTANCE:
		return &s->distance_m;
	case PLAUSIBLE_HEART_RATE:
		return &s->hr_bpm;
	case PLAUSIBLE_INCLINE:
		return &s->incline_dpct;
	case PLAUSIBLE_RESISTANCE:
		return &s->resistance;
	case PLAUSIBLE_ELAPSED:
	case _PLAUSIBLE_FIELD_MAX:
		break;
	}
	return &s->elapsed_s;
}

/* A notice when a link first sends implausible values, then at most once a minute. */
static void implausible_notice(struct machines *mc, uint32_t dropped,
			       const struct plausible_sample *raw, uint64_t now)
{
	int f = __builtin_ctz(dropped);

	mc->implausible_log.dropped += (uint32_t) __builtin_popcount(dropped);
	(void) plausible_format((enum plausible_field) f, raw->v[f], mc->implausible_log.example,
				sizeof(mc->implausible_log.example));
	if (mc->implausible_log.at && now - mc->implausible_log.at < IMPLAUSIBLE_LOG_USEC)
		return;
	log_notice("The machine sends implausible data: %u value%s dropped%s (e.g. %s).",
		   mc->implausible_log.dropped, mc->implausible_log.dropped == 1 ? "" : "s",
		   mc->implausible_log.at ? " in the last minute" : "",
		   mc->implausible_log.example);
	mc->implausible_log.at = now;
	mc->implausible_log.dropped = 0;
}

/*
 * Check a sample against the machine's bounds before anyone uses it: *ret is @raw with the
 * implausible values absent.
 * Return: the fields dropped (bits of enum plausible_field).
 */
static uint32_t plausible_filter(struct machines *mc, const struct br_sample *raw,
				 struct br_sample *ret)
{
	struct plausible_sample x, in;
	uint32_t dropped;

	*ret = *raw;
	for (int f = 0; f < _PLAUSIBLE_FIELD_MAX; f++)
		x.v[f] = *sample_field(ret, (enum plausible_field) f);
	in = x;
	dropped = plausible_check(&mc->plausible, plausible_now(mc, raw->mono_usec), &x);
	for (int f = 0; f < _PLAUSIBLE_FIELD_MAX; f++)
		*sample_field(ret, (enum plausible_field) f) = x.v[f];
	if (dropped)
		implausible_notice(mc, dropped, &in, raw->mono_usec);
	return dropped;
}

bool machines_data_implausible(struct machines *mc)
{
	return plausible_persistent(&mc->plausible, plausible_now(mc, uv_hrtime() / 1000));
}

bool machines_data_still_bad(struct machines *mc)
{
	return plausible_still_bad(&mc->plausible);
}

/* ---- from the BlueZ client ------------------------------------------------------------ */

/* Return: true the first time @address is found in this scan. */
static bool found_first(struct machines *mc, const char *address)
{
	for (unsigned i = 0; i < mc->n_found; i++)
		if (strcmp(mc->found[i], address) == 0)
			return false;
	if (mc->n_found < ARRAY_SIZE(mc->found))
		memcpy(mc->found[mc->n_found++], address, MACHINE_ADDRESS_MAX);
	return true;
}

static void on_device_found(void *userdata, const struct device_info *d)
{
	struct machines *mc = userdata;
	struct machine_props p, old;
	bool announce;

	machines_props_get(mc, d->address, &p);
	old = p;
	if (*d->name)
		(void) snprintf(p.name, sizeof(p.name), "%s", d->name);
	if (d->kind != MACHINE_KIND_UNKNOWN || !p.remembered) {
		p.kind = machine_kind_to_string(d->kind);
		p.protocol = machine_protocol_to_string(d->protocol);
	}
	p.paired = d->paired;
	p.rssi = d->rssi;
	p.has_rssi = d->has_rssi;
	p.last_seen = now_s();
	announce = found_first(mc, d->address) || strcmp(old.name, p.name) != 0 ||
		   strcmp(old.kind, p.kind) != 0 || strcmp(old.protocol, p.protocol) != 0;
	(void) machines_props_set(mc, &p);
	if (announce && mc->cb.machine_found)
		mc->cb.machine_found(mc->userdata, &p);
}

static void on_device_removed(void *userdata, const char *address)
{
	struct machines *mc = userdata;
	struct machine_props p;

	/* Found by a scan and gone again: nothing left to show. Remembered ones stay. */
	if (machines_get(mc, address, &p) >= 0 && !p.remembered && strcmp(p.link, "idle") == 0)
		(void) machines_props_remove(mc, address);
}

static void on_scan_finished(void *userdata)
{
	struct machines *mc = userdata;

	if (mc->cb.scan_finished)
		mc->cb.scan_finished(mc->userdata);
	machines_state_update(mc);
}

static void on_link_changed(void *userdata, enum link_role role, const char *address,
			    enum link_state st)
{
	struct machines *mc = userdata;
	struct machine_props p;

	/* The machine being given back dropped the link by itself: nothing left to wait for. */
	if (mc->handover.active && role == LINK_ROLE_MACHINE && st != LINK_STATE_READY)
		machines_handover_soon(mc);

	machines_props_get(mc, address, &p);
	p.connected = st == LINK_STATE_READY;
	p.link = link_state_to_string(st);
	if (p.connected)
		p.last_seen = now_s();
	(void) machines_props_set(mc, &p);
	machines_state_update(mc);
	/* Data comes from the subscription on; counters may restart with a new link. */
	if (role == LINK_ROLE_MACHINE && st != LINK_STATE_READY)
		plausible_start(mc, NULL);
	if (mc->listener.link_changed)
		mc->listener.link_changed(mc->listener_userdata, role, st);
}

static void on_machine_ready(void *userdata, const struct machine_info *info)
{
	struct machines *mc = userdata;
	struct device_info dev;
	struct machine_props p;

	machines_props_get(mc, info->address, &p);
	if (*info->name)
		(void) snprintf(p.name, sizeof(p.name), "%s", info->name);
	if (info->kind != MACHINE_KIND_UNKNOWN)
		p.kind = machine_kind_to_string(info->kind);
	p.protocol = machine_protocol_to_string(info->protocol);
	/* A machine that asks for pairing is paired while connecting. */
	if (mc->links.ops->device_get(mc->links.data, info->address, &dev) >= 0)
		p.paired = dev.paired;
	plausible_start(mc, info);
	if (mc->listener.machine_ready)
		mc->listener.machine_ready(mc->listener_userdata, info);
	p.machine_features = info->features.machine;
	p.target_features = info->features.target;
	for (int i = 0; i < _MACHINE_RANGE_MAX; i++) {
		p.ranges[i].valid = info->has_range[i];
		p.ranges[i].min = info->has_range[i] ? info->ranges[i].min : 0;
		p.ranges[i].max = info->has_range[i] ? info->ranges[i].max : 0;
		p.ranges[i].increment = info->has_range[i] ? info->ranges[i].increment : 0;
	}
	(void) machines_props_set(mc, &p);
	if (!p.remembered)
		return;
	(void) storage_machine_upsert(mc->storage, info->address, p.name,
				      to_storage_kind(info->kind), now_s(), NULL);
	(void) storage_machine_set_features(mc->storage, info->address, info->features.machine,
					    info->features.target);
	(void) storage_machine_set_paired(mc->storage, info->address, p.paired);
	(void) storage_machine_set_protocol(mc->storage, info->address, p.protocol);
}

static void on_sample(void *userdata, const struct br_sample *raw)
{
	struct machines *mc = userdata;
	struct br_sample s;
	const char *address;
	uint32_t dropped;

	/* Nothing implausible goes further: not to Machine1.Data, the session or the record. */
	dropped = plausible_filter(mc, raw, &s);
	if (mc->links.ops->link_state(mc->links.data, LINK_ROLE_MACHINE, &address) ==
		    LINK_STATE_READY &&
	    mc->cb.machine_data)
		mc->cb.machine_data(mc->userdata, address, &s);
	if (mc->listener.sample)
		mc->listener.sample(mc->listener_userdata, &s, dropped,
				    mc->implausible_log.example);
}

static void on_cp_result(void *userdata, const char *address, const struct ftms_cp_request *req,
			 int outcome, bool final)
{
	struct machines *mc = userdata;

	if (mc->handover.active && final && req->op == FTMS_CP_RESET &&
	    strcmp(address, mc->handover.address) == 0)
		machines_handover_soon(mc);
	if (mc->listener.cp_result)
		mc->listener.cp_result(mc->listener_userdata, req, outcome, final);
	/* Recorded through on_event; the session engine will take the results from here. */
}

static void on_resistance_form(void *userdata, const char *address, int form)
{
	struct machines *mc = userdata;
	struct machine_props p;

	machines_props_get(mc, address, &p);
	p.resistance_form = form_name(form);
	(void) machines_props_set(mc, &p);
	if (p.remembered)
		(void) storage_machine_set_resistance_form(mc->storage, address,
							   (enum storage_resistance_form) form);
}

static void on_event(void *userdata, const struct driver_event *ev)
{
	struct machines *mc = userdata;
	const char *type = driver_event_type_to_string(ev->type);
	struct timespec ts;
	struct storage_event e = {
		.t = BR_NONE,
		.type = type,
		.value = BR_NONE,
		.detail = ev->detail,
	};

	(void) clock_gettime(CLOCK_REALTIME, &ts);
	e.ts_usec = (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	(void) storage_event_add(mc->storage, &e);
	if (mc->cb.event)
		mc->cb.event(mc->userdata, type, ev->detail);
	if (mc->listener.event)
		mc->listener.event(mc->listener_userdata, ev);
}

static void on_bluez_changed(void *userdata, bool up)
{
	struct machines *mc = userdata;

	if (mc->listener.bluez_changed)
		mc->listener.bluez_changed(mc->listener_userdata, up);
}

static void on_machine_status(void *userdata, const char *address,
			      const struct ftms_machine_status *st)
{
	struct machines *mc = userdata;

	if (mc->listener.machine_status)
		mc->listener.machine_status(mc->listener_userdata, st);
}

static void on_adapter_changed(void *userdata, bool usable)
{
	struct machines *mc = userdata;

	if (usable)
		machines_waiters_run(mc);
}

static const struct driver_callbacks callbacks = {
	.adapter_changed = on_adapter_changed,
	.device_found = on_device_found,
	.device_removed = on_device_removed,
	.scan_finished = on_scan_finished,
	.link_changed = on_link_changed,
	.machine_ready = on_machine_ready,
	.sample = on_sample,
	.cp_result = on_cp_result,
	.resistance_form = on_resistance_form,
	.bluez_changed = on_bluez_changed,
	.machine_status = on_machine_status,
	.event = on_event,
};

/* ---- setup ---------------------------------------------------------------------------- */

static int export_remembered(const struct storage_machine *sm, void *userdata)
{
	struct machines *mc = userdata;
	struct machine_props p;
	int r;

	machines_props_get(mc, sm->address, &p);
	(void) snprintf(p.name, sizeof(p.name), "%s", sm->name);
	p.kind = storage_kind_to_string(sm->kind);
	r = machine_protocol_from_string(sm->protocol);
	p.protocol = machine_protocol_to_string(r < 0 ? MACHINE_PROTOCOL_FTMS
						      : (enum machine_protocol) r);
	p.paired = sm->paired;
	p.remembered = 1;
	p.machine_features = sm->machine_features;
	p.target_features = sm->target_features;
	p.resistance_form = form_name(sm->resistance_form);
	p.last_seen = sm->last_seen;
	/* Anything but 0 would end the walk: every remembered machine must be exported. */
	r = machines_props_set(mc, &p);
	return r < 0 ? r : 0;
}

int machines_new(uv_loop_t *loop, const struct config *config, struct storage *storage,
		 machine_links_new_fn links_new, void *links_arg,
		 const struct machines_callbacks *cb, void *userdata, struct machines **ret)
{
	struct machines *mc;
	int r;

	mc = calloc(1, sizeof(*mc));
	if (!mc)
		return -ENOMEM;
	mc->loop = loop;
	(void) uv_timer_init(loop, &mc->wait_timer);
	mc->wait_timer.data = mc;
	mc->config = config;
	plausible_start(mc, NULL);
	mc->storage = storage;
	mc->cb = *cb;
	mc->userdata = userdata;
	mc->state = BR_STATE_IDLE;
	r = storage_machines_list(storage, export_remembered, mc);
	if (r >= 0)
		r = links_new(links_arg, &callbacks, mc, &mc->links);
	if (r >= 0)
		mc->links.ops->machine_driver(mc->links.data, &mc->driver);
	if (r < 0) {
		machines_free(mc);
		return r;
	}
	*ret = mc;
	return 0;
}

static void on_wait_timer_closed(uv_handle_t *h)
{
	free(h->data);
}

void machines_free(struct machines *mc)
{
	if (!mc)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(mc->waiters); i++) {
		struct waiter w = mc->waiters[i];

		mc->waiters[i].used = false;
		if (w.used && w.done)
			w.done(w.userdata, -ECANCELED, "the daemon is stopping");
	}
	if (mc->links.ops)
		mc->links.ops->free(mc->links.data);
	mc->links = (struct machine_links) { 0 };
	free(mc->props);
	mc->props = NULL;
	mc->n_props = 0;
	uv_close((uv_handle_t *) &mc->wait_timer, on_wait_timer_closed);
}

const char *machines_state(const struct machines *mc)
{
	enum link_state st = mc->links.ops->link_state(mc->links.data, LINK_ROLE_MACHINE, NULL);

	if (st == LINK_STATE_READY)
		return BR_STATE_READY;
	if (st != LINK_STATE_IDLE)
		return BR_STATE_CONNECTING;
	if (mc->links.ops->scanning(mc->links.data))
		return BR_STATE_SCANNING;
	return BR_STATE_IDLE;
}

void machines_listen(struct machines *mc, const struct machines_listener *l, void *userdata)
{
	mc->listener = l ? *l : (struct machines_listener) { 0 };
	mc->listener_userdata = userdata;
}

const char *machines_active(const struct machines *mc)
{
	const char *active = NULL;

	(void) mc->links.ops->link_state(mc->links.data, LINK_ROLE_MACHINE, &active);
	return active;
}

const struct machine_driver *machines_driver(const struct machines *mc)
{
	return &mc->driver;
}

/* ---- requests --------------------------------------------------------------------------- */

int machines_scan_start(struct machines *mc, unsigned seconds, driver_done_fn done, void *userdata)
{
	struct waiter w = {
		.op = WAIT_SCAN, .seconds = seconds, .done = done, .userdata = userdata
	};
	int r;

	r = mc->links.ops->adapter_state(mc->links.data);
	if (r < 0)
		return machines_wait_add(mc, r, &w) < 0 ? r : 1;
	mc->n_found = 0; /* a second caller wants to hear about every machine too */
	r = mc->links.ops->scan_start(mc->links.data, seconds ? seconds : mc->config->scan_seconds);

	machines_state_update(mc);
	return r;
}

int machines_scan_stop(struct machines *mc)
{
	return mc->links.ops->scan_stop(mc->links.data);
}

static void on_paired(void *userdata, int error, const char *message)
{
	struct machines *mc = userdata;
	driver_done_fn done = mc->pair_done;
	struct device_info info;
	struct machine_props p;
	enum machine_kind kind;
	int r;

	mc->pair_done = NULL;
	if (error >= 0 && mc->links.ops->device_get(mc->links.data, mc->pair_address, &info) >= 0) {
		machines_props_get(mc, mc->pair_address, &p);
		kind = info.kind;
		if (kind == MACHINE_KIND_UNKNOWN && strcmp(p.kind, "treadmill") == 0)
			kind = MACHINE_KIND_TREADMILL;
		r = storage_machine_upsert(mc->storage, info.address,
					   *info.name ? info.name : p.name, to_storage_kind(kind),
					   now_s(), NULL);
		if (r >= 0)
			r = storage_machine_set_paired(mc->storage, info.address, info.paired);
		if (r >= 0)
			r = storage_machine_set_trusted(mc->storage, info.address, true);
		if (r >= 0)
			r = storage_machine_set_protocol(mc->storage, info.address,
							 machine_protocol_to_string(info.protocol));
		/* The sensor that goes beside the machine is not the machine to connect. */
		if (r >= 0 && kind != MACHINE_KIND_HR &&
		    !(mc->config->sensor_address &&
		      strcasecmp(mc->config->sensor_address, info.address) == 0))
			r = storage_machine_set_preferred(mc->storage, info.address);
		if (r < 0) {
			error = r;
			message = "cannot remember the machine in the database";
		} else {
			p.remembered = 1;
			p.paired = info.paired;
			p.protocol = machine_protocol_to_string(info.protocol);
			p.kind = machine_kind_to_string(
				kind == MACHINE_KIND_UNKNOWN ? MACHINE_KIND_BIKE : kind);
			(void) machines_props_set(mc, &p);
		}
	}
	if (done)
		done(mc->pair_userdata, error, message);
}

int machines_pair(struct machines *mc, const char *address, driver_done_fn done, void *userdata)
{
	char addr[MACHINE_ADDRESS_MAX];
	int r;

	struct waiter w = { .op = WAIT_PAIR, .done = done, .userdata = userdata };

	if (links_address_normalize(mc, address, addr) < 0)
		return -EINVAL;
	if (mc->pair_done)
		return -EBUSY;
	r = mc->links.ops->adapter_state(mc->links.data);
	if (r < 0) {
		memcpy(w.address, addr, sizeof(addr));
		return machines_wait_add(mc, r, &w);
	}
	memcpy(mc->pair_address, addr, sizeof(addr));
	mc->pair_done = done;
	mc->pair_userdata = userdata;
	r = mc->links.ops->pair(mc->links.data, addr, on_paired, mc);
	if (r < 0)
		mc->pair_done = NULL;
	return r;
}

int machines_forget(struct machines *mc, const char *address)
{
	char addr[MACHINE_ADDRESS_MAX];
	int r, removed;

	if (links_address_normalize(mc, address, addr) < 0)
		return -EINVAL;
	r = storage_machine_forget(mc->storage, addr);
	if (r < 0 && r != -ENOENT)
		return r;
	removed = machines_props_remove(mc, addr) >= 0;
	(void) mc->links.ops->remove(mc->links.data, addr);
	machines_state_update(mc);
	return r < 0 && !removed ? -ENOENT : 0;
}

/* The machine to connect when none is named: the config's, else the preferred one. */
static int pick_machine(const struct storage_machine *sm, void *userdata)
{
	char *address = userdata;

	if (sm->kind == STORAGE_KIND_HR)
		return 0;
	memcpy(address, sm->address, MACHINE_ADDRESS_MAX);
	return 1;
}

static int pick_strap(const struct storage_machine *sm, void *userdata)
{
	char *address = userdata;

	if (sm->kind != STORAGE_KIND_HR)
		return 0;
	memcpy(address, sm->address, MACHINE_ADDRESS_MAX);
	return 1;
}

struct kind_pick {
	enum storage_kind kind;
	char *address;
};

static int pick_kind(const struct storage_machine *sm, void *userdata)
{
	struct kind_pick *k = userdata;

	if (sm->kind != k->kind)
		return 0;
	memcpy(k->address, sm->address, MACHINE_ADDRESS_MAX);
	return 1;
}

/* Whether @address is a machine of @kind: as it said when it connected, else as remembered. */
static bool is_kind(struct machines *mc, const char *address, enum machine_kind kind)
{
	struct machine_props p;
	struct storage_machine sm;

	if (machines_get(mc, address, &p) >= 0 &&
	    (strcmp(p.kind, "bike") == 0 || strcmp(p.kind, "treadmill") == 0))
		return strcmp(p.kind, machine_kind_to_string(kind)) == 0;
	return storage_machine_get(mc->storage, address, &sm) >= 0 &&
	       sm.kind == to_storage_kind(kind);
}

/*
 * The machine to connect when none is named. Of any kind: the configured machine, else the one
 * connected (or connecting) now, else the preferred one. Of a kind: the one connected now, else
 * the configured one, else the preferred one, if of that kind.
 */
static void pick(struct machines *mc, enum machine_kind kind, const char *active, char *addr)
{
	const char *cfg = mc->config->machine_address;
	struct kind_pick k = { .kind = to_storage_kind(kind), .address = addr };

	if (kind == MACHINE_KIND_UNKNOWN) {
		if (cfg || active)
			(void) links_address_normalize(mc, cfg ? cfg : active, addr);
		else
			(void) storage_machines_list(mc->storage, pick_machine, addr);
	} else if (active && is_kind(mc, active, kind))
		memcpy(addr, active, MACHINE_ADDRESS_MAX);
	else if (cfg && is_kind(mc, cfg, kind))
		(void) links_address_normalize(mc, cfg, addr);
	else
		(void) storage_machines_list(mc->storage, pick_kind, &k);
}

/* The power meter or CSC sensor of [sensor] address connects beside the machine @addr. */
static void sensor_start(struct machines *mc, const char *addr)
{
	char sensor[MACHINE_ADDRESS_MAX];

	if (!mc->config->sensor_address ||
	    links_address_normalize(mc, mc->config->sensor_address, sensor) < 0 ||
	    strcmp(sensor, addr) == 0)
		return;
	(void) mc->links.ops->link_start(mc->links.data, LINK_ROLE_SENSOR, sensor,
					 MACHINE_PROTOCOL_FTMS, 0, NULL, NULL);
}

int machines_connect_request(struct machines *mc, const struct machines_connect_request *req,
			     driver_done_fn done, void *userdata)
{
	char addr[MACHINE_ADDRESS_MAX] = "", strap[MACHINE_ADDRESS_MAX] = "";
	struct waiter w = { .op = WAIT_CONNECT, .req = *req, .done = done, .userdata = userdata };
	const char *active = NULL;
	enum machine_protocol protocol = MACHINE_PROTOCOL_FTMS;
	struct storage_machine sm;
	struct device_info info;
	int r, form = 0;

	if (*req->address && links_address_normalize(mc, req->address, addr) < 0)
		return -EINVAL;
	if (mc->handover.active)
		return machines_wait_add(mc, -EBUSY, &w);
	r = mc->links.ops->adapter_state(mc->links.data);
	if (r < 0)
		return machines_wait_add(mc, r, &w);
	(void) mc->links.ops->link_state(mc->links.data, LINK_ROLE_MACHINE, &active);
	if (!*addr)
		pick(mc, req->kind, active, addr);
	if (!*addr)
		return -ENOENT;
	if (storage_machine_get(mc->storage, addr, &sm) >= 0) {
		form = sm.resistance_form;
		r = machine_protocol_from_string(sm.protocol);
		protocol = r >= 0 ? (enum machine_protocol) r : MACHINE_PROTOCOL_FTMS;
	} else if (mc->links.ops->device_get(mc->links.data, addr, &info) < 0)
		return -ENOENT;
	else
		protocol = info.protocol;
	if (active && strcmp(active, addr) != 0 && req->take_over) {
		/* The idle machine goes first; this request waits until it is gone. */
		log_info("Disconnecting %s, which no session uses, to connect %s.", active, addr);
		memcpy(w.req.address, addr, sizeof(addr));
		machines_handover_start(mc, active);
		if (mc->handover.active)
			return machines_wait_add(mc, -EBUSY, &w);
	}
	r = mc->links.ops->link_start(mc->links.data, LINK_ROLE_MACHINE, addr, protocol, form, done,
				      userdata);
	if (r == -EALREADY && mc->links.ops->link_state(mc->links.data, LINK_ROLE_MACHINE, NULL) ==
				      LINK_STATE_READY) {
		done(userdata, 0, NULL); /* connected already: nothing to wait for */
		return 0;
	}
	if (r == -EBUSY)
		return -EADDRINUSE; /* another machine has the link */
	if (r < 0)
		return r;
	(void) storage_machines_list(mc->storage, pick_strap, strap);
	if (*strap)
		(void) mc->links.ops->link_start(mc->links.data, LINK_ROLE_HR, strap,
						 MACHINE_PROTOCOL_FTMS, 0, NULL, NULL);
	sensor_start(mc, addr);
	machines_state_update(mc);
	return 0;
}

int machines_connect(struct machines *mc, const char *address, driver_done_fn done, void *userdata)
{
	struct machines_connect_request req = { .kind = MACHINE_KIND_UNKNOWN };

	if (*address && links_address_normalize(mc, address, req.address) < 0)
		return -EINVAL;
	return machines_connect_request(mc, &req, done, userdata);
}

int machines_disconnect(struct machines *mc, const char *address)
{
	char addr[MACHINE_ADDRESS_MAX];
	const char *machine = NULL, *strap = NULL, *sensor = NULL;
	int r;

	if (*address && links_address_normalize(mc, address, addr) < 0)
		return -EINVAL;
	(void) mc->links.ops->link_state(mc->links.data, LINK_ROLE_MACHINE, &machine);
	(void) mc->links.ops->link_state(mc->links.data, LINK_ROLE_HR, &strap);
	(void) mc->links.ops->link_state(mc->links.data, LINK_ROLE_SENSOR, &sensor);
	if (*address && strap && strcmp(strap, addr) == 0) /* the strap alone */
		return mc->links.ops->link_stop(mc->links.data, LINK_ROLE_HR);
	if (*address && sensor && strcmp(sensor, addr) == 0) /* the sensor beside it alone */
		return mc->links.ops->link_stop(mc->links.data, LINK_ROLE_SENSOR);
	if (*address && (!machine || strcmp(machine, addr) != 0))
		return -ENOTCONN;
	if (mc->handover.active)
		return 0; /* being given back already */
	if (mc->links.ops->link_state(mc->links.data, LINK_ROLE_MACHINE, NULL) ==
	    LINK_STATE_READY) {
		machines_handover_start(mc, machine);
		return 0;
	}
	(void) mc->links.ops->link_stop(mc->links.data, LINK_ROLE_HR);
	(void) mc->links.ops->link_stop(mc->links.data, LINK_ROLE_SENSOR);
	r = mc->links.ops->link_stop(mc->links.data, LINK_ROLE_MACHINE);
	machines_state_update(mc);
	return r;
}
