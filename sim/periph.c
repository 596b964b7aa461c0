/* SPDX-License-Identifier: MIT */
#include "periph.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csc.h"
#include "later.h"
#include "log.h"
#include "quirks.h"

#define UUID16_GATT	       0x1801
#define UUID16_GAP	       0x1800
#define UUID16_SERVICE_CHANGED 0x2A05
#define UUID16_DEVICE_NAME     0x2A00
#define UUID16_APPEARANCE      0x2A01
#define FLOOD_BATCH	       64

struct periph_service *periph_add_service(struct periph *p, uint16_t uuid16, bool hidden)
{
	struct periph_service *s = &p->services[p->n_services++];

	s->handle = p->next_handle++;
	s->uuid16 = uuid16;
	s->hidden = hidden;
	return s;
}

void periph_add_char(struct periph *p, uint16_t uuid16, uint8_t props)
{
	struct periph_service *s = &p->services[p->n_services - 1];
	struct periph_char *c = &s->chars[s->n_chars++];

	c->handle = p->next_handle;
	c->uuid16 = uuid16;
	c->props = props;
	p->next_handle += 2;
	if (props & (ATT_PROP_NOTIFY | ATT_PROP_INDICATE))
		p->next_handle++;
}

static void periph_build_common(struct periph *p)
{
	p->next_handle = 1;
	periph_add_service(p, UUID16_GATT, false);
	periph_add_char(p, UUID16_SERVICE_CHANGED, ATT_PROP_INDICATE);
	periph_add_service(p, UUID16_GAP, true);
	periph_add_char(p, UUID16_DEVICE_NAME, ATT_PROP_READ);
	periph_add_char(p, UUID16_APPEARANCE, ATT_PROP_READ);
}

#define POWER_CYCLE_SHIFT 0x10 /* handles a power cycle moves the machine's services by */

int periph_power_cycle(struct periph *p)
{
	if (p->kind == SIM_HR || p->kind == SIM_KEISER || sim_kind_sensor(p->kind))
		return -EOPNOTSUPP;
	periph_advance(p);
	later_cancel(&p->cp_later);
	p->cp_busy = false;
	p->power_cycles++;
	memset(p->services, 0, sizeof(p->services));
	p->n_services = 0;
	periph_build_common(p);
	/* Another firmware's layout: every other power cycle, the services start further on. */
	p->next_handle += p->power_cycles % 2 ? POWER_CYCLE_SHIFT : 0;
	if (p->kind == SIM_WALKINGPAD)
		periph_pad_setup(p);
	else
		periph_machine_setup(p); /* models and the FTMS server at power-on */
	p->last_usec = sim_now_usec(p->sim);
	return 0;
}

struct periph_char *periph_find_char(struct periph *p, uint16_t handle)
{
	for (size_t i = 0; i < p->n_services; i++)
		for (size_t j = 0; j < p->services[i].n_chars; j++)
			if (p->services[i].chars[j].handle == handle)
				return &p->services[i].chars[j];
	return NULL;
}

struct periph_char *periph_char_by_uuid(struct periph *p, uint16_t uuid16)
{
	for (size_t i = 0; i < p->n_services; i++)
		for (size_t j = 0; j < p->services[i].n_chars; j++)
			if (p->services[i].chars[j].uuid16 == uuid16)
				return &p->services[i].chars[j];
	return NULL;
}

void periph_advance(struct periph *p)
{
	uint64_t now = sim_now_usec(p->sim);
	double dt = (double) (now - p->last_usec) / 1e6;

	p->last_usec = now;
	if (dt <= 0)
		return;
	switch (p->kind) {
	case SIM_BIKE:
	case SIM_KEISER:
		bike_model_advance(&p->bike, dt);
		hr_model_advance(&p->hr, dt, p->bike.power_w);
		break;
	case SIM_TREADMILL:
		treadmill_model_advance(&p->tm, dt);
		hr_model_advance(&p->hr, dt, treadmill_model_effort(&p->tm));
		break;
	case SIM_HR:
		hr_model_advance(&p->hr, dt, sim_rider_effort(p->sim));
		break;
	case SIM_POWER_METER:
	case SIM_CSC:
		periph_sensor_advance(p, (double) now / 1e6, dt);
		hr_model_advance(&p->hr, dt, p->bike.power_w);
		break;
	case SIM_WALKINGPAD:
		periph_pad_advance(p, dt);
		hr_model_advance(&p->hr, dt, treadmill_model_effort(&p->tm));
		break;
	}
}

#define LINK_DROPS_DEFAULT_S 180

/* Quirk link-drops: the machine drops its link every S simulated seconds of connection. */
static void link_drops_tick(struct periph *p)
{
	unsigned s = p->sim->opt->quirk_value[SQ_LINK_DROPS];

	if (!periph_quirk(p, SQ_LINK_DROPS) || !p->connected)
		return;
	if (sim_now_usec(p->sim) - p->connected_usec >=
	    (uint64_t) (s ? s : LINK_DROPS_DEFAULT_S) * 1000000)
		periph_drop_link(p);
}

static void on_data_timer(uv_timer_t *t)
{
	struct periph *p = t->data;

	link_drops_tick(p);
	periph_advance(p);
	if (p->kind == SIM_HR)
		periph_hr_tick(p);
	else if (sim_kind_sensor(p->kind))
		periph_sensor_tick(p);
	else if (p->kind == SIM_KEISER)
		periph_keiser_tick(p);
	else if (p->kind != SIM_WALKINGPAD) /* the pad answers commands, says nothing unasked */
		periph_machine_tick(p);
}

static void periph_handle_closed(uv_handle_t *h)
{
	struct periph *p = h->data;

	if (--p->open_handles == 0)
		free(p);
}

int periph_new(struct sim *sim, const struct sim_device_opt *o, struct periph **ret)
{
	struct periph *p;
	uint64_t period;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->sim = sim;
	p->kind = o->kind;
	snprintf(p->name, sizeof(p->name), "%s", o->name);
	snprintf(p->address, sizeof(p->address), "%s", o->address);
	p->resistance_only = sim->opt->resistance_only;
	p->mph_firmware = sim->opt->mph_firmware;
	/* The quirks are FTMS machines'; sensor bikes (periph-sensor.c) and the pad have their own
	 * ways. */
	p->quirks = sim_kind_ftms(o->kind) ? sim->opt->quirks : 0;
	snprintf(p->refuse_reason, sizeof(p->refuse_reason), "le-connection-abort-by-local");
	hr_model_init(&p->hr, sim->opt->seed + 7 * (uint64_t) (o->kind + 1));
	rng_seed(&p->garbage, sim->opt->seed + 31 * (uint64_t) (o->kind + 1));
	periph_build_common(p);
	if (p->kind == SIM_HR)
		periph_hr_setup(p);
	else if (sim_kind_sensor(p->kind))
		periph_sensor_setup(p);
	else if (p->kind == SIM_WALKINGPAD)
		periph_pad_setup(p);
	else if (p->kind == SIM_KEISER)
		periph_keiser_setup(p);
	else
		periph_machine_setup(p);
	p->last_usec = sim_now_usec(sim);
	(void) uv_timer_init(sim->loop, &p->data_timer);
	(void) uv_idle_init(sim->loop, &p->flood_idle);
	p->data_timer.data = p->flood_idle.data = p;
	p->open_handles = 2;
	/* A Keiser advertises at its own pace (periph-keiser.c), not at --rate. */
	if (p->kind == SIM_KEISER)
		period = MAX(sim_real_ms(sim, KEISER_ADVERT_MS), (uint64_t) KEISER_ADVERT_MIN_MS);
	else
		period = sim_real_ms(sim, 1000.0 / sim->opt->rate_hz);
	(void) uv_timer_start(&p->data_timer, on_data_timer, period, period);
	*ret = p;
	return 0;
}

void periph_close(struct periph *p)
{
	if (!p)
		return;
	periph_disconnect(p);
	uv_close((uv_handle_t *) &p->data_timer, periph_handle_closed);
	uv_close((uv_handle_t *) &p->flood_idle, periph_handle_closed);
}

bool periph_advertising(const struct periph *p)
{
	/* Like most fitness machines, it stops advertising while connected. A Keiser whose
	 * rider left sleeps. */
	return !p->connected && !(p->kind == SIM_KEISER && p->fault[PF_SILENT]);
}

uint16_t periph_adv_uuid16(const struct periph *p)
{
	/* Quirk name-only: the FTMS service shows in GATT only (hassio-ftms#59). */
	if (periph_quirk(p, SQ_NAME_ONLY) || p->kind == SIM_KEISER)
		return 0; /* the Keiser: its name and manufacturer data only */
	if (p->kind == SIM_POWER_METER)
		return FTMS_UUID16_CPS_SERVICE;
	if (p->kind == SIM_CSC)
		return CSC_UUID16_SERVICE;
	if (p->kind == SIM_WALKINGPAD)
		return 0xFE00; /* the legacy service, with the pad's name (sim/README.md) */
	return p->kind == SIM_HR ? FTMS_UUID16_HR_SERVICE : FTMS_UUID16_SERVICE;
}

size_t periph_service_data(const struct periph *p, uint8_t *buf, size_t len)
{
	struct ftms_service_data sd = { .flags = FTMS_AD_FLAG_AVAILABLE };
	bool bike = p->kind == SIM_BIKE;
	int r;

	/* Quirks no-service-data and name-only: TrackMyIndoorWorkout#188, pyftms PR #49. */
	if (!sim_kind_ftms(p->kind) || periph_quirk(p, SQ_NO_SERVICE_DATA) ||
	    periph_quirk(p, SQ_NAME_ONLY))
		return 0;
	/* Quirk type-mismatch: the other type's bit (TrackMyIndoorWorkout#404). */
	if (periph_quirk(p, SQ_TYPE_MISMATCH))
		bike = !bike;
	sd.machine_type = bike ? FTMS_MACHINE_INDOOR_BIKE : FTMS_MACHINE_TREADMILL;
	r = ftms_service_data_encode(&sd, buf, len);
	return r < 0 ? 0 : (size_t) r;
}

int periph_append_service_data(const struct periph *p, sd_bus_message *reply)
{
	uint8_t sd[8];
	size_t n = periph_service_data(p, sd, sizeof(sd));
	char uuid[37];
	int r;

	r = sd_bus_message_open_container(reply, 'a', "{sv}");
	if (r >= 0 && n > 0) {
		snprintf(uuid, sizeof(uuid), "0000%04x-0000-1000-8000-00805f9b34fb",
			 periph_adv_uuid16(p));
		r = sd_bus_message_open_container(reply, 'e', "sv");
		if (r >= 0)
			r = sd_bus_message_append(reply, "s", uuid);
		if (r >= 0)
			r = sd_bus_message_open_container(reply, 'v', "ay");
		if (r >= 0)
			r = sd_bus_message_append_array(reply, 'y', sd, n);
		if (r >= 0)
			r = sd_bus_message_close_container(reply);
		if (r >= 0)
			r = sd_bus_message_close_container(reply);
	}
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

int periph_connect(struct periph *p, const struct periph_link_ops *ops, void *userdata)
{
	/* A Keiser's advertisements are non-connectable: bluetoothd's LE connection attempt never
	 * completes. */
	if (p->fault[PF_REFUSE_CONNECT] || p->kind == SIM_KEISER)
		return -ECONNREFUSED;
	if (p->fault[PF_CONNECT_ABORT])
		return -ECONNABORTED;
	p->connected = true;
	p->connected_usec = sim_now_usec(p->sim);
	p->link = ops;
	p->link_ud = userdata;
	return 0;
}

static void periph_link_reset(struct periph *p)
{
	p->connected = false;
	p->link = NULL;
	p->link_ud = NULL;
	p->cp_busy = false;
	later_cancel(&p->cp_later);
	(void) uv_idle_stop(&p->flood_idle);
	if (p->flood_done) {
		periph_done_fn done = p->flood_done;

		p->flood_done = NULL;
		done(p->flood_ud, p->flood_sent);
	}
	/* No bond-aware CCCD storage: the central re-enables after every connection. */
	for (size_t i = 0; i < p->n_services; i++)
		for (size_t j = 0; j < p->services[i].n_chars; j++)
			p->services[i].chars[j].cccd = 0;
	if (p->kind == SIM_WALKINGPAD)
		periph_pad_link_lost(p);
	else if (sim_kind_ftms(p->kind))
		periph_machine_link_lost(p);
}

void periph_disconnect(struct periph *p)
{
	if (!p->connected)
		return;
	periph_link_reset(p);
}

void periph_drop_link(struct periph *p)
{
	const struct periph_link_ops *ops = p->link;
	void *ud = p->link_ud;

	if (!p->connected)
		return;
	periph_link_reset(p);
	if (ops && ops->dropped)
		ops->dropped(ud);
}

void periph_notify(struct periph *p, struct periph_char *c, const uint8_t *v, size_t n)
{
	uint16_t bit = (c->props & ATT_PROP_NOTIFY) ? CCCD_NOTIFY : CCCD_INDICATE;
	size_t max = p->sim->opt->mtu - 3;

	if (!p->connected || !(c->cccd & bit) || !p->link)
		return;
	p->link->value(p->link_ud, c, v, MIN(n, max));
}

int periph_read(struct periph *p, struct periph_char *c, uint8_t *buf, size_t *len)
{
	if (!(c->props & ATT_PROP_READ))
		return ATT_ECODE_READ_NOT_PERMITTED;
	periph_advance(p);
	switch (c->uuid16) {
	case UUID16_DEVICE_NAME:
		*len = MIN(strlen(p->name), *len);
		memcpy(buf, p->name, *len);
		return 0;
	case UUID16_APPEARANCE:
		buf[0] = 0;
		buf[1] = 0;
		*len = 2;
		return 0;
	default:
		break;
	}
	if (p->kind == SIM_HR)
		return periph_hr_read(p, c, buf, len);
	if (sim_kind_sensor(p->kind))
		return periph_sensor_read(p, c, buf, len);
	return periph_machine_read(p, c, buf, len);
}

int periph_write(struct periph *p, struct periph_char *c, const uint8_t *v, size_t n,
		 bool with_response)
{
	bool allowed =
		with_response ? (c->props & ATT_PROP_WRITE) : (c->props & ATT_PROP_WRITE_NO_RSP);

	if (!allowed)
		return ATT_ECODE_WRITE_NOT_PERMITTED;
	periph_advance(p);
	if (p->kind == SIM_HR || sim_kind_sensor(p->kind))
		return ATT_ECODE_WRITE_NOT_PERMITTED;
	if (p->kind == SIM_WALKINGPAD)
		return periph_pad_write(p, c, v, n);
	return periph_machine_write(p, c, v, n);
}

void periph_write_cccd(struct periph *p, struct periph_char *c, uint16_t value)
{
	c->cccd = value;
}

static const char *const fault_names[_PF_MAX] = {
	[PF_REFUSE_CONNECT] = "refuse-connect",
	[PF_REFUSE_CONTROL] = "refuse-control",
	[PF_CP_DELAY] = "cp-delay",
	[PF_CP_OMIT] = "cp-omit",
	[PF_TRUNCATE] = "truncate",
	[PF_MALFORMED] = "malformed",
	[PF_STOP_NOTIFY] = "stop-notify",
	[PF_HR_SILENT] = "hr-silent",
	[PF_SECURITY_REQUEST] = "security-request",
	[PF_RESOLVE_EARLY] = "resolve-early",
	[PF_CONNECT_ABORT] = "connect-abort",
	[PF_REFUSE_PAIR] = "refuse-pair",
	[PF_REQUIRE_PAIRING] = "require-pairing",
	[PF_QUIET_CONNECTED] = "quiet-connected",
	[PF_GARBAGE_DATA] = "garbage-data",
	[PF_SILENT] = "silent",
	[PF_REVIEW] = "review-frames",
};

/* Pair() failures of bluetoothd 5.66 (new_authentication_return in src/device.c). */
static const char *const pair_errors[][2] = {
	{ "AuthenticationRejected", "Authentication Rejected" },
	{ "AuthenticationFailed", "Authentication Failed" },
	{ "AuthenticationCanceled", "Authentication Canceled" },
	{ "AuthenticationTimeout", "Authentication Timeout" },
	{ "ConnectionAttemptFailed", "Page Timeout" },
};

void periph_pair_error(const struct periph *p, const char **name, const char **message)
{
	*name = pair_errors[p->refuse_pair][0];
	*message = pair_errors[p->refuse_pair][1];
}

static int set_pair_error(struct periph *p, const char *value)
{
	for (size_t i = 0; i < ARRAY_SIZE(pair_errors); i++)
		if (strcmp(value, pair_errors[i][0]) == 0) {
			p->refuse_pair = (unsigned) i;
			return 0;
		}
	return -EINVAL;
}

static int periph_fault_value(struct periph *p, enum periph_fault f, const char *value)
{
	char *end;
	unsigned long v;

	if (f == PF_REFUSE_PAIR)
		return set_pair_error(p, value && *value ? value : pair_errors[0][0]);
	if (!value || !*value)
		return 0;
	if (f == PF_REFUSE_CONNECT) {
		snprintf(p->refuse_reason, sizeof(p->refuse_reason), "%s", value);
		return 0;
	}
	/* The others take no value. */
	if (f != PF_CP_DELAY && f != PF_REFUSE_CONTROL)
		return -EINVAL;
	v = strtoul(value, &end, 0);
	if (*end || v > 600000)
		return -EINVAL;
	if (f == PF_CP_DELAY)
		p->cp_delay_ms = (unsigned) v;
	else if (v < 1 || v > 0xff)
		return -EINVAL;
	else
		p->ftms.refuse_control = (uint8_t) v;
	return 0;
}

int periph_set_fault(struct periph *p, const char *name, const char *value, bool on)
{
	int r;

	for (int f = 0; f < _PF_MAX; f++) {
		if (strcmp(name, fault_names[f]) != 0)
			continue;
		if (on) {
			if (f == PF_CP_DELAY)
				p->cp_delay_ms = 2000;
			if (f == PF_REFUSE_CONTROL)
				p->ftms.refuse_control = FTMS_CP_OPERATION_FAILED;
			r = periph_fault_value(p, f, value);
			if (r < 0)
				return r;
		} else if (f == PF_REFUSE_CONTROL) {
			p->ftms.refuse_control = 0;
		}
		p->fault[f] = on;
		return 0;
	}
	return -ENOENT;
}

static void on_flood_idle(uv_idle_t *h)
{
	struct periph *p = h->data;
	struct periph_char *c = periph_char_by_uuid(
		p, p->kind == SIM_BIKE ? FTMS_UUID16_INDOOR_BIKE_DATA : FTMS_UUID16_TREADMILL_DATA);
	uint8_t buf[40];
	int n;

	if (p->link && p->link->busy && p->link->busy(p->link_ud))
		return;
	for (int i = 0; i < FLOOD_BATCH && p->flood_left > 0; i++, p->flood_left--) {
		n = periph_machine_data(p, buf, sizeof(buf));
		if (n < 0 || !c)
			break;
		periph_notify(p, c, buf, (size_t) n);
		p->flood_sent++;
	}
	if (p->flood_left > 0 && c)
		return;
	(void) uv_idle_stop(&p->flood_idle);
	if (p->flood_done) {
		periph_done_fn done = p->flood_done;

		p->flood_done = NULL;
		done(p->flood_ud, p->flood_sent);
	}
}

int periph_flood(struct periph *p, uint32_t count, periph_done_fn done, void *userdata)
{
	if (p->kind == SIM_HR || sim_kind_sensor(p->kind))
		return -EOPNOTSUPP;
	if (!p->connected)
		return -ENOTCONN;
	if (p->flood_done)
		return -EBUSY;
	p->flood_left = count;
	p->flood_sent = 0;
	p->flood_done = done;
	p->flood_ud = userdata;
	(void) uv_idle_start(&p->flood_idle, on_flood_idle);
	return 0;
}
