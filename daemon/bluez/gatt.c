/* SPDX-License-Identifier: MIT */
/*
 * org.bluez.GattCharacteristic1: verify the objects after ServicesResolved, StartNotify
 * (control point indications first), read Feature and ranges, decode notifications, and
 * carry the control point queue's writes and timer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bluez-internal.h"
#include "log.h"

static const char *const chr_uuid[_BZ_CHR_MAX] = {
	[BZ_CHR_CP] = FTMS_UUID_CONTROL_POINT,
	[BZ_CHR_STATUS] = FTMS_UUID_MACHINE_STATUS,
	[BZ_CHR_TRAINING] = FTMS_UUID_TRAINING_STATUS,
	[BZ_CHR_FEATURE] = FTMS_UUID_FEATURE,
	[BZ_CHR_RANGE0 + FTMS_RANGE_SPEED] = FTMS_UUID_SPEED_RANGE,
	[BZ_CHR_RANGE0 + FTMS_RANGE_INCLINATION] = FTMS_UUID_INCLINATION_RANGE,
	[BZ_CHR_RANGE0 + FTMS_RANGE_RESISTANCE] = FTMS_UUID_RESISTANCE_RANGE,
	[BZ_CHR_RANGE0 + FTMS_RANGE_HEART_RATE] = FTMS_UUID_HEART_RATE_RANGE,
	[BZ_CHR_RANGE0 + FTMS_RANGE_POWER] = FTMS_UUID_POWER_RANGE,
	[BZ_CHR_HRM] = FTMS_UUID_HR_MEASUREMENT,
};

struct setup_step {
	enum bz_chr chr;
	bool notify; /* StartNotify, else ReadValue */
	bool required;
};

/* Control point indications before anything else (§7.3 rule 2). */
static const struct setup_step machine_steps[] = {
	{ BZ_CHR_CP, true, true },
	{ BZ_CHR_STATUS, true, false },
	{ BZ_CHR_TRAINING, true, false },
	{ BZ_CHR_DATA, true, true },
	{ BZ_CHR_FEATURE, false, false },
	{ BZ_CHR_RANGE0 + FTMS_RANGE_SPEED, false, false },
	{ BZ_CHR_RANGE0 + FTMS_RANGE_INCLINATION, false, false },
	{ BZ_CHR_RANGE0 + FTMS_RANGE_RESISTANCE, false, false },
	{ BZ_CHR_RANGE0 + FTMS_RANGE_HEART_RATE, false, false },
	{ BZ_CHR_RANGE0 + FTMS_RANGE_POWER, false, false },
};

/* WalkingPad: its status notifications; commands need no setup. */
static const struct setup_step pad_steps[] = {
	{ BZ_CHR_DATA, true, true },
};

static const struct setup_step hr_steps[] = {
	{ BZ_CHR_HRM, true, true },
};

static void chr_clear(struct bz_link *l)
{
	for (size_t i = 0; i < _BZ_CHR_MAX; i++) {
		free(l->chr[i]);
		l->chr[i] = NULL;
	}
}

static int chr_set(struct bz_link *l, enum bz_chr c, const char *path)
{
	char *p = strdup(path);

	if (!p)
		return -ENOMEM;
	free(l->chr[c]);
	l->chr[c] = p;
	return 0;
}

static void map_char(struct bz_link *l, const struct bz_gatt *g)
{
	enum machine_kind k;

	for (size_t i = 0; i < _BZ_CHR_MAX; i++)
		if (chr_uuid[i] && strcmp(chr_uuid[i], g->uuid) == 0) {
			(void) chr_set(l, (enum bz_chr) i, g->path);
			return;
		}
	k = policy_kind_from_data_uuid(g->uuid);
	/* A multi-mode machine: prefer the bike data, then the treadmill's. */
	if (k != MACHINE_KIND_UNKNOWN && (!l->chr[BZ_CHR_DATA] || k == MACHINE_KIND_BIKE)) {
		(void) chr_set(l, BZ_CHR_DATA, g->path);
		l->data_kind = k;
	}
}

/* The machine's service: FTMS first (a bike with a power meter beside FTMS is driven through
 * FTMS), then Cycling Power, then Cycling Speed and Cadence. */
static const struct bz_gatt *machine_service(struct bluez *b, const struct bz_device *d,
					     bool sensor_only, enum machine_protocol *ret)
{
	static const struct {
		const char *uuid;
		enum machine_protocol protocol;
	} services[] = {
		{ FTMS_UUID_SERVICE, MACHINE_PROTOCOL_FTMS },
		{ FTMS_UUID_CPS_SERVICE, MACHINE_PROTOCOL_CYCLING_POWER },
		{ CSC_UUID_SERVICE, MACHINE_PROTOCOL_CSC },
	};

	for (size_t i = sensor_only ? 1 : 0; i < ARRAY_SIZE(services); i++)
		for (const struct bz_gatt *g = b->gatt; g; g = g->next)
			if (g->service && strcmp(g->parent, d->path) == 0 &&
			    strcmp(g->uuid, services[i].uuid) == 0) {
				*ret = services[i].protocol;
				return g;
			}
	return NULL;
}

static const struct bz_gatt *strap_service(struct bluez *b, const struct bz_device *d)
{
	for (const struct bz_gatt *g = b->gatt; g; g = g->next)
		if (g->service && strcmp(g->parent, d->path) == 0 &&
		    strcmp(g->uuid, FTMS_UUID_HR_SERVICE) == 0)
			return g;
	return NULL;
}

/* A sensor's measurement is the machine's data; it has no control point to wait for. */
static void map_sensor_char(struct bz_link *l, const struct bz_gatt *g)
{
	const char *data = l->protocol == MACHINE_PROTOCOL_CYCLING_POWER ? FTMS_UUID_CP_MEASUREMENT
									 : CSC_UUID_MEASUREMENT;

	if (strcmp(g->uuid, data) == 0) {
		(void) chr_set(l, BZ_CHR_DATA, g->path);
		l->data_kind = MACHINE_KIND_BIKE;
	}
}

static const struct bz_gatt *find_service(struct bluez *b, const struct bz_device *d,
					  const char *uuid)
{
	const struct bz_gatt *svc = NULL;

	for (const struct bz_gatt *g = b->gatt; g; g = g->next)
		if (g->service && strcmp(g->parent, d->path) == 0 && strcmp(g->uuid, uuid) == 0)
			svc = g;
	return svc;
}

/* A WalkingPad (0xFE00 and no FTMS): status on 0xFE01 as the data, commands to 0xFE02. */
static bool find_pad(struct bz_link *l, const struct bz_gatt *svc)
{
	for (const struct bz_gatt *g = l->b->gatt; g; g = g->next) {
		if (g->service || strcmp(g->parent, svc->path) != 0)
			continue;
		if (strcmp(g->uuid, BZ_UUID_PAD_NOTIFY) == 0)
			(void) chr_set(l, BZ_CHR_DATA, g->path);
		else if (strcmp(g->uuid, BZ_UUID_PAD_WRITE) == 0)
			(void) chr_set(l, BZ_CHR_CP, g->path);
	}
	l->pad.on = true;
	l->protocol = MACHINE_PROTOCOL_WALKINGPAD;
	l->data_kind = MACHINE_KIND_TREADMILL;
	return l->chr[BZ_CHR_DATA] && l->chr[BZ_CHR_CP];
}

bool bz_gatt_find(struct bz_link *l, bool need_cp)
{
	struct bluez *b = l->b;
	struct bz_device *d = bz_device_find(b, l->address);
	const struct bz_gatt *svc;

	chr_clear(l);
	l->data_kind = MACHINE_KIND_UNKNOWN;
	l->protocol = MACHINE_PROTOCOL_FTMS;
	l->pad.on = false;
	if (!d)
		return false;
	/* Rebuilt from UUIDs every time: paths encode handles and get reused (notes §1.1). */
	svc = l->role == LINK_ROLE_HR
		      ? strap_service(b, d)
		      : machine_service(b, d, l->role == LINK_ROLE_SENSOR, &l->protocol);
	if (!svc && l->role == LINK_ROLE_MACHINE && (svc = find_service(b, d, BZ_UUID_PAD_SERVICE)))
		return find_pad(l, svc);
	if (!svc)
		return false;
	for (const struct bz_gatt *g = b->gatt; g; g = g->next)
		if (!g->service && strcmp(g->parent, svc->path) == 0) {
			if (l->role != LINK_ROLE_HR && l->protocol != MACHINE_PROTOCOL_FTMS)
				map_sensor_char(l, g);
			else
				map_char(l, g);
		}
	if (l->role == LINK_ROLE_HR)
		return l->chr[BZ_CHR_HRM];
	if (l->protocol != MACHINE_PROTOCOL_FTMS)
		return l->chr[BZ_CHR_DATA];
	return l->chr[BZ_CHR_DATA] && (l->chr[BZ_CHR_CP] || !need_cp);
}

static void steps_of(const struct bz_link *l, const struct setup_step **ret, size_t *n)
{
	/* A sensor maps its measurement only: of the machine's steps, that one is taken. */
	*ret = l->role != LINK_ROLE_HR ? machine_steps : hr_steps;
	*n = l->role != LINK_ROLE_HR ? ARRAY_SIZE(machine_steps) : ARRAY_SIZE(hr_steps);
	if (l->role == LINK_ROLE_MACHINE && l->pad.on) {
		*ret = pad_steps;
		*n = ARRAY_SIZE(pad_steps);
	}
}

static void read_value(struct bz_link *l, enum bz_chr c, sd_bus_message *reply)
{
	const void *data;
	size_t len;

	if (sd_bus_message_read_array(reply, 'y', &data, &len) < 0)
		return;
	if (c == BZ_CHR_FEATURE) {
		if (ftms_features_parse(data, len, &l->features) < 0)
			bz_event(l->b, DRIVER_EVENT_FAULT, "%s: unreadable Feature value",
				 l->address);
		return;
	}
	if (c >= BZ_CHR_RANGE0 && c < BZ_CHR_RANGE0 + _FTMS_RANGE_KIND_MAX) {
		enum ftms_range_kind k = (enum ftms_range_kind)(c - BZ_CHR_RANGE0);

		l->has_range[k] = ftms_range_parse(k, data, len, &l->ranges[k]) >= 0 &&
				  l->ranges[k].min <= l->ranges[k].max;
		if (!l->has_range[k])
			bz_event(l->b, DRIVER_EVENT_FAULT, "%s: unusable supported range %d",
				 l->address, k);
	}
}

static void setup_next(struct bz_link *l);

static uint64_t now_usec(void)
{
	return uv_hrtime() / 1000;
}

void bz_gatt_report_ready(struct bz_link *l)
{
	struct bluez *b = l->b;
	struct bz_device *d = bz_device_find(b, l->address);
	struct machine_info info = {
		.address = l->address,
		.name = d && d->name ? d->name : "",
		.kind = l->kind,
		.protocol = l->protocol,
		.features = l->features,
	};

	memcpy(info.ranges, l->ranges, sizeof(info.ranges));
	memcpy(info.has_range, l->has_range, sizeof(info.has_range));
	info.has_control = l->chr[BZ_CHR_CP];
	if (b->cb.machine_ready)
		b->cb.machine_ready(b->userdata, &info);
}

static void setup_finish(struct bz_link *l)
{
	struct bluez *b = l->b;
	struct bz_device *d = bz_device_find(b, l->address);

	if (l->role == LINK_ROLE_MACHINE) {
		/* The data characteristic proves the kind; the advert's type may be wrong. */
		l->kind = l->data_kind;
		if (l->kind == MACHINE_KIND_UNKNOWN && d)
			l->kind = d->sd_kind;
		if (d && d->sd_kind != MACHINE_KIND_UNKNOWN &&
		    l->data_kind != MACHINE_KIND_UNKNOWN && d->sd_kind != l->data_kind)
			bz_event(b, DRIVER_EVENT_FAULT,
				 "%s: advertised as a %s, its data characteristic is a %s's: taken "
				 "as a %s",
				 l->address, machine_kind_to_string(d->sd_kind),
				 machine_kind_to_string(l->data_kind),
				 machine_kind_to_string(l->data_kind));
		if (l->pad.on)
			bz_pad_info(l);
		bz_gatt_report_ready(l);
	} else if (l->role == LINK_ROLE_HR)
		l->hr_usec = now_usec(); /* its first value is due within hr_stale_s */
	bz_link_setup_done(l, 0, NULL);
}

static int on_setup_paired(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bz_link *l = userdata;
	const char *text;
	int r;

	l->slot = sd_bus_slot_unref(l->slot);
	r = bz_reply_error(reply, &text);
	if (r < 0 && r != -EEXIST) {
		bz_link_setup_done(l, -EACCES, "it needs pairing and pairing failed");
		return 0;
	}
	bz_event(l->b, DRIVER_EVENT_LINK, "%s: paired, going on", l->address);
	setup_next(l); /* the same step again */
	return 0;
}

/* "Not paired" (insufficient authentication) on a GATT operation: pair once, then go on
 * (pair = auto or always: "when the machine needs it"). Return: true if pairing started. */
static bool pair_if_needed(struct bz_link *l, int r)
{
	struct bz_device *d = bz_device_find(l->b, l->address);

	if (r != -EPERM || l->pair_tried || !d || l->b->cfg.pair == BLUEZ_PAIR_NEVER)
		return false;
	l->pair_tried = true;
	bz_event(l->b, DRIVER_EVENT_LINK, "%s: the machine asks for pairing, pairing", l->address);
	return bz_call(l->b, &l->slot, d->path, BZ_DEVICE_IFACE, "Pair", on_setup_paired, l,
		       BZ_USEC_PAIR, NULL) >= 0;
}

static int on_step(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bz_link *l = userdata;
	const struct setup_step *steps;
	const char *text;
	size_t n;
	int r;

	l->slot = sd_bus_slot_unref(l->slot);
	steps_of(l, &steps, &n);
	r = bz_reply_error(reply, &text);
	if (r == -EINPROGRESS && steps[l->step].notify)
		r = 0; /* a session is pending already (notes §2.3) */
	if (pair_if_needed(l, r))
		return 0;
	if (r == -EPERM && l->b->cfg.pair == BLUEZ_PAIR_NEVER)
		text = "it needs pairing, which [bluez] pair = never forbids; set pair = auto";
	if (r < 0 && steps[l->step].required) {
		bz_link_setup_done(l, r, text);
		return 0;
	}
	if (r < 0)
		bz_event(l->b, DRIVER_EVENT_FAULT,
			 "%s: %s of an optional characteristic failed: %s", l->address,
			 steps[l->step].notify ? "StartNotify" : "ReadValue", text);
	else if (!steps[l->step].notify && bz_reply_current(l->b, reply))
		read_value(l, steps[l->step].chr, reply);
	l->step++;
	setup_next(l);
	return 0;
}

static void setup_next(struct bz_link *l)
{
	const struct setup_step *steps;
	size_t n;
	int r;

	steps_of(l, &steps, &n);
	while (l->step < n && !l->chr[steps[l->step].chr])
		l->step++;
	if (l->step >= n) {
		setup_finish(l);
		return;
	}
	if (steps[l->step].notify)
		r = bz_call(l->b, &l->slot, l->chr[steps[l->step].chr], BZ_CHAR_IFACE,
			    "StartNotify", on_step, l, BZ_USEC_CALL, NULL);
	else {
		if (l->state == LINK_STATE_SUBSCRIBING && l->b->cb.link_changed) {
			l->state = LINK_STATE_READING;
			l->b->cb.link_changed(l->b->userdata, l->role, l->address, l->state);
		}
		r = bz_call(l->b, &l->slot, l->chr[steps[l->step].chr], BZ_CHAR_IFACE, "ReadValue",
			    on_step, l, BZ_USEC_CALL, "a{sv}", 0);
	}
	if (r < 0)
		bz_link_setup_done(l, r, strerror(-r));
}

void bz_gatt_setup_start(struct bz_link *l)
{
	l->step = 0;
	l->pair_tried = false;
	if (!l->ever_ready) /* another machine: its counters mean nothing to this one */
		bz_sensor_reset(l, l->protocol == MACHINE_PROTOCOL_CYCLING_POWER);
	l->features = (struct ftms_features) { 0 };
	memset(l->has_range, 0, sizeof(l->has_range));
	setup_next(l);
}

/* ---- notifications ------------------------------------------------------------------- */

/* Say once when the strap's heart rate goes stale, and once when it is back. */
static void strap_check(struct bz_link *hr, uint64_t now)
{
	bool fresh;

	if (hr->state != LINK_STATE_READY)
		return;
	/* Silence counts, not the value: a strap without skin contact still talks. */
	fresh = now >= hr->hr_usec && now - hr->hr_usec < hr->b->cfg.hr_stale_s * USEC_PER_SEC;
	if (fresh == !hr->hr_silent)
		return;
	hr->hr_silent = !fresh;
	if (hr->hr_silent)
		bz_event(hr->b, DRIVER_EVENT_FAULT,
			 "heart-rate strap %s: no heart rate for %u s, reported as absent",
			 hr->address, hr->b->cfg.hr_stale_s);
	else
		bz_event(hr->b, DRIVER_EVENT_LINK, "heart-rate strap %s: heart rate back",
			 hr->address);
}

/* @v from the sensor if the machine lacks it, or if the config says the sensor replaces it. */
static bool take(int32_t *v, int32_t sensor, bool replace)
{
	if (sensor == BR_NONE || (*v != BR_NONE && !replace))
		return false;
	*v = sensor;
	return true;
}

/* The sensor beside the machine: its fresh values where the machine lacks them or they are
 * named in [sensor] replace; a silent sensor gives nothing (its last values are not news). */
static void merge_sensor(struct bz_link *l, struct br_sample *s)
{
	struct bz_link *x = &l->b->links[LINK_ROLE_SENSOR];
	unsigned replace = l->b->cfg.sensor_replace;
	bool used = false;

	if (x->state != LINK_STATE_READY || x->sensor_silent)
		return;
	used |= take(&s->power_w, x->sensor_last.power_w, replace & BLUEZ_SENSOR_POWER);
	used |= take(&s->cadence_hrpm, x->sensor_last.cadence_hrpm, replace & BLUEZ_SENSOR_CADENCE);
	used |= take(&s->speed_ckmh, x->sensor_last.speed_ckmh, replace & BLUEZ_SENSOR_SPEED);
	used |= take(&s->distance_m, x->sensor_last.distance_m, false);
	if (used && !l->said_sensor_used) {
		l->said_sensor_used = true;
		bz_event(l->b, DRIVER_EVENT_LINK, "%s: values from the sensor %s beside it",
			 l->address, x->address);
	}
}

void bz_gatt_emit_sample(struct bz_link *l, struct br_sample *s, int32_t machine_hr)
{
	struct bluez *b = l->b;
	struct bz_link *hr = &b->links[LINK_ROLE_HR];

	if (l->role != LINK_ROLE_MACHINE)
		return;
	if (l->protocol == MACHINE_PROTOCOL_FTMS)
		merge_sensor(l, s);
	s->mono_usec = now_usec();
	strap_check(hr, s->mono_usec);
	s->hr_bpm = policy_heart_rate(hr->state == LINK_STATE_READY ? hr->hr_bpm : BR_NONE,
				      hr->hr_usec, machine_hr, s->mono_usec, b->cfg.hr_stale_s);
	if (b->cb.sample)
		b->cb.sample(b->userdata, s);
}

#define PICK(present, bit, v) (((present) & (bit)) ? (int32_t) (v) : BR_NONE)

static int bike_data(struct bz_link *l, const uint8_t *buf, size_t len)
{
	struct ftms_indoor_bike_data d;
	struct br_sample s;
	int r;

	r = ftms_ibd_merger_feed(&l->ibd, buf, len, &d);
	bz_quirks_data(l, l->ibd.unterminated, l->ibd.cadence_inverted);
	if (r <= 0)
		return r;
	bz_quirks_resistance_units(l, &d);
	br_sample_init(&s);
	s.power_w = PICK(d.present, FTMS_IBD_INST_POWER, d.inst_power);
	s.cadence_hrpm = PICK(d.present, FTMS_IBD_INST_CADENCE, d.inst_cadence);
	s.speed_ckmh = PICK(d.present, FTMS_IBD_INST_SPEED, d.inst_speed);
	s.distance_m = PICK(d.present, FTMS_IBD_TOTAL_DISTANCE, d.total_distance);
	/* Indoor Bike Data reports whole levels (resolution 1); targets and the supported range
	 * are in tenths (0.1): keep one scale, the tenths. */
	s.resistance = PICK(d.present, FTMS_IBD_RESISTANCE, d.resistance * 10);
	s.elapsed_s = PICK(d.present, FTMS_IBD_ELAPSED_TIME, d.elapsed_time);
	bz_gatt_emit_sample(l, &s, PICK(d.present, FTMS_IBD_HEART_RATE, d.heart_rate));
	return 0;
}

static int treadmill_data(struct bz_link *l, const uint8_t *buf, size_t len)
{
	struct ftms_treadmill_data d;
	struct br_sample s;
	int r;

	r = ftms_treadmill_merger_feed(&l->tm, buf, len, &d);
	bz_quirks_data(l, l->tm.unterminated, false);
	if (r <= 0)
		return r;
	br_sample_init(&s);
	s.speed_ckmh = PICK(d.present, FTMS_TM_INST_SPEED, d.inst_speed);
	s.distance_m = PICK(d.present, FTMS_TM_TOTAL_DISTANCE, d.total_distance);
	if ((d.present & FTMS_TM_INCLINATION) && d.inclination != FTMS_NA_S16)
		s.incline_dpct = d.inclination;
	if ((d.present & FTMS_TM_FORCE_AND_POWER) && d.power_output != FTMS_NA_S16)
		s.power_w = d.power_output;
	s.elapsed_s = PICK(d.present, FTMS_TM_ELAPSED_TIME, d.elapsed_time);
	bz_gatt_emit_sample(l, &s, PICK(d.present, FTMS_TM_HEART_RATE, d.heart_rate));
	return 0;
}

static int sensor_data(struct bz_link *l, const uint8_t *buf, size_t len)
{
	struct br_sample s;
	int r;

	r = bz_sensor_data(l, buf, len, &s);
	if (r < 0)
		return r;
	bz_sensor_seen(l, &s);
	bz_gatt_emit_sample(l, &s, BR_NONE);
	return 0;
}

static int heart_rate(struct bz_link *l, const uint8_t *buf, size_t len)
{
	struct ftms_heart_rate h;
	int r;

	r = ftms_heart_rate_parse(buf, len, &h);
	if (r < 0)
		return r;
	/* No skin contact: the value means nothing. */
	l->hr_bpm = ftms_heart_rate_contact(&h) == 0 || h.heart_rate == 0 ? BR_NONE : h.heart_rate;
	l->hr_usec = now_usec();
	strap_check(l, l->hr_usec);
	return 0;
}

static int machine_status(struct bz_link *l, const uint8_t *buf, size_t len)
{
	struct ftms_machine_status st;
	int r;

	r = ftms_machine_status_parse(buf, len, &st);
	if (r == -EPROTO)
		return 0; /* RFU op code: nothing we act on */
	if (r < 0)
		return r;
	if (st.op == FTMS_STATUS_CONTROL_PERMISSION_LOST) {
		bz_event(l->b, DRIVER_EVENT_CONTROL,
			 "%s: control permission lost, requesting it again", l->address);
		cp_queue_control_lost(&l->cp);
	} else if (cp_queue_machine_status(&l->cp, &st)) {
		/* The machine echoes what backride asked: nothing happened at the machine. */
		bz_event_echo(l->b, DRIVER_EVENT_CONTROL, "%s: machine status 0x%02x (%s)",
			      l->address, st.op, "our request");
		return 0;
	}
	if (l->b->cb.machine_status)
		l->b->cb.machine_status(l->b->userdata, l->address, &st);
	return 0;
}

static int control_point(struct bz_link *l, const uint8_t *buf, size_t len)
{
	int r = cp_queue_indication(&l->cp, buf, len);

	if (r == -ESRCH) {
		bz_event(l->b, DRIVER_EVENT_CONTROL, "%s: a response nobody waited for, ignored",
			 l->address);
		return 0;
	}
	return r;
}

void bz_gatt_value(struct bluez *b, const char *path, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(b->links); i++) {
		struct bz_link *l = &b->links[i];
		int r = 0;

		if (l->state < LINK_STATE_SUBSCRIBING || l->state > LINK_STATE_READY)
			continue;
		if (l->pad.on && l->chr[BZ_CHR_DATA] && strcmp(path, l->chr[BZ_CHR_DATA]) == 0) {
			/* Dropped frames are counted and said once (driver-walkingpad.c). */
			if (bz_pad_value(l, buf, len) >= 0)
				bz_link_data_seen(l);
			return;
		}
		if (l->chr[BZ_CHR_CP] && strcmp(path, l->chr[BZ_CHR_CP]) == 0)
			r = control_point(l, buf, len);
		else if (l->chr[BZ_CHR_STATUS] && strcmp(path, l->chr[BZ_CHR_STATUS]) == 0)
			r = machine_status(l, buf, len);
		else if (l->chr[BZ_CHR_DATA] && strcmp(path, l->chr[BZ_CHR_DATA]) == 0) {
			r = l->protocol != MACHINE_PROTOCOL_FTMS     ? sensor_data(l, buf, len)
			    : l->data_kind == MACHINE_KIND_TREADMILL ? treadmill_data(l, buf, len)
			    : l->data_kind == MACHINE_KIND_BIKE	     ? bike_data(l, buf, len)
								     : 0;
			if (r >= 0) /* only data that parses: 4 s of garbage is a lost link */
				bz_link_data_seen(l);
		} else if (l->chr[BZ_CHR_HRM] && strcmp(path, l->chr[BZ_CHR_HRM]) == 0) {
			r = heart_rate(l, buf, len);
			if (r >= 0)
				bz_link_data_seen(l);
		} else
			continue;
		if (r < 0)
			bz_event(b, DRIVER_EVENT_FAULT,
				 "%s: malformed notification on %s (%zu bytes), ignored",
				 l->address, path, len);
		return;
	}
}

/* ---- control point transport --------------------------------------------------------- */

static int on_cp_written(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bz_link *l = userdata;
	const char *text;
	int r;

	l->cp_slot = sd_bus_slot_unref(l->cp_slot);
	r = bz_reply_error(reply, &text);
	if (r < 0)
		bz_event(l->b, DRIVER_EVENT_CONTROL, "%s: control point write failed: %s",
			 l->address, text);
	cp_queue_write_done(&l->cp, r);
	return 0;
}

int bz_gatt_write(struct bz_link *l, const uint8_t *buf, size_t len, bool request,
		  sd_bus_slot **slot, sd_bus_message_handler_t done)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
	int r;

	if (!l->chr[BZ_CHR_CP] || !l->b->owner)
		return -ENOTCONN;
	r = sd_bus_message_new_method_call(l->b->bus, &m, BZ_SERVICE, l->chr[BZ_CHR_CP],
					   BZ_CHAR_IFACE, "WriteValue");
	if (r >= 0)
		r = sd_bus_message_append_array(m, 'y', buf, len);
	/* No type: BlueZ writes without response where the characteristic allows only that. */
	if (r >= 0)
		r = request ? sd_bus_message_append(m, "a{sv}", 1, "type", "s", "request")
			    : sd_bus_message_append(m, "a{sv}", 0);
	if (r < 0)
		return r;
	/* Unref cancels a late reply of an earlier write, so it cannot be taken for this one. */
	*slot = sd_bus_slot_unref(*slot);
	return sd_bus_call_async(l->b->bus, slot, m, done, l, BZ_USEC_CALL);
}

static int cp_write(void *userdata, const uint8_t *buf, size_t len)
{
	return bz_gatt_write(userdata, buf, len, true, &((struct bz_link *) userdata)->cp_slot,
			     on_cp_written);
}

static void on_cp_timer(uv_timer_t *t)
{
	struct bz_link *l = t->data;

	bz_event(l->b, DRIVER_EVENT_CONTROL, "%s: no control point response in %u ms", l->address,
		 l->cp.timeout_ms);
	l->cp_slot = sd_bus_slot_unref(l->cp_slot);
	cp_queue_timeout(&l->cp);
}

static void cp_arm(void *userdata, unsigned ms)
{
	struct bz_link *l = userdata;

	(void) uv_timer_start(&l->cp_timer, on_cp_timer, ms, 0);
}

static void cp_disarm(void *userdata)
{
	struct bz_link *l = userdata;

	uv_timer_stop(&l->cp_timer);
}

/* Return: whether @op sets a target (speed, power, ..., a targeted time or distance). */
static bool sets_target(uint8_t op)
{
	switch (op) {
	case FTMS_CP_SET_TARGET_SPEED:
	case FTMS_CP_SET_TARGET_INCLINATION:
	case FTMS_CP_SET_TARGET_RESISTANCE:
	case FTMS_CP_SET_TARGET_POWER:
	case FTMS_CP_SET_TARGET_HEART_RATE:
	case FTMS_CP_SET_TARGET_ENERGY:
	case FTMS_CP_SET_TARGET_STEPS:
	case FTMS_CP_SET_TARGET_STRIDES:
	case FTMS_CP_SET_TARGET_DISTANCE:
	case FTMS_CP_SET_TARGET_TRAINING_TIME:
	case FTMS_CP_SET_TARGET_TWO_HR_ZONES:
	case FTMS_CP_SET_TARGET_THREE_HR_ZONES:
	case FTMS_CP_SET_TARGET_FIVE_HR_ZONES:
	case FTMS_CP_SET_TARGET_CADENCE:
		return true;
	default:
		return false;
	}
}

static void cp_result(void *userdata, const struct cp_result *r)
{
	struct bz_link *l = userdata;
	struct bluez *b = l->b;

	if (r->outcome == FTMS_CP_SUCCESS && sets_target(r->req.op))
		bz_event_echo(b, DRIVER_EVENT_CONTROL, "%s: %s -> %s", l->address,
			      ftms_cp_op_to_string(r->req.op),
			      ftms_cp_result_to_string((uint8_t) r->outcome));
	else if (r->outcome > 0)
		bz_event(b, DRIVER_EVENT_CONTROL, "%s: %s -> %s%s", l->address,
			 ftms_cp_op_to_string(r->req.op),
			 ftms_cp_result_to_string((uint8_t) r->outcome),
			 r->final ? "" : ", retrying");
	else
		bz_event(b, DRIVER_EVENT_CONTROL, "%s: %s -> %s%s", l->address,
			 ftms_cp_op_to_string(r->req.op),
			 r->outcome == 0 ? "skipped, already set" : strerror(-r->outcome),
			 r->final ? "" : ", retrying");
	if (b->cb.cp_result)
		b->cb.cp_result(b->userdata, l->address, &r->req, r->outcome, r->final);
}

static void cp_form(void *userdata, enum cp_resistance_form form)
{
	struct bz_link *l = userdata;

	bz_event(l->b, DRIVER_EVENT_CONTROL, "%s: resistance is taken as %s", l->address,
		 form == CP_RESISTANCE_SINT16 ? "sint16" : "uint8");
	if (l->b->cb.resistance_form)
		l->b->cb.resistance_form(l->b->userdata, l->address, form);
}

static uint64_t cp_now_ms(void *userdata)
{
	(void) userdata;
	return uv_hrtime() / 1000000;
}

static const struct cp_transport cp_transport = {
	.now_ms = cp_now_ms,
	.write = cp_write,
	.arm = cp_arm,
	.disarm = cp_disarm,
	.result = cp_result,
	.form = cp_form,
	.quirk = bz_quirks_cp,
};

void bz_gatt_init(struct bz_link *l)
{
	cp_queue_init(&l->cp, &cp_transport, l, l->b->cfg.cp_timeout_ms, l->b->cfg.cp_retries,
		      CP_RESISTANCE_UNKNOWN);
	ftms_ibd_merger_init(&l->ibd);
	ftms_treadmill_merger_init(&l->tm);
	bz_sensor_reset(l, false);
	br_sample_init(&l->sensor_last);
	l->hr_bpm = BR_NONE;
	bz_pad_init(l);
}

void bz_gatt_link_down(struct bz_link *l)
{
	bz_sensor_stop(l);
	cp_queue_offline(&l->cp);
	l->cp_slot = sd_bus_slot_unref(l->cp_slot);
	ftms_ibd_merger_init(&l->ibd);
	ftms_treadmill_merger_init(&l->tm);
	l->said_unterminated = l->said_cadence_inverted = false;
	l->said_sensor_used = false;
	l->resistance_whole = false;
	l->resistance_whole_seen = 0;
	l->hr_bpm = BR_NONE;
	l->hr_silent = false;
	l->step = 0;
	bz_pad_link_down(l);
	chr_clear(l);
}
