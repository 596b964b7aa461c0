/* SPDX-License-Identifier: MIT */
/*
 * The Keiser M3i: a bike that never connects. Its console broadcasts its data in the
 * manufacturer data (company 0x0102) of non-connectable advertisements, about three times a
 * second. The machine link to it is discovery kept running (Transport le, DuplicateData, so
 * that bluetoothd sends every advert as a PropertiesChanged of Device1.ManufacturerData) until
 * its adverts come: each real-time frame is a sample, review frames are ignored, malformed ones
 * dropped and counted. Silence for 2 s means the rider stopped (zeros), for 5 minutes that the
 * bike is gone (link lost). Both are in rider time ([daemon] time_scale). It has no control
 * point: sessions on it are guided.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bluez-internal.h"
#include "bus-util.h"
#include "keiser.h"
#include "log.h"

#define KEISER_SILENT_MS  2000	 /* rider time without an advert: the rider stopped */
#define KEISER_GONE_MS	  300000 /* rider time without an advert: the bike is gone */
#define KEISER_TICK_MS	  1000	 /* zeros every second of rider time while silent */
#define KEISER_FLOOR_MS	  1000	 /* real time: a time-scaled daemon still waits this long */
#define KEISER_SEARCH_MS  10000	 /* a first link: adverts within this, three tries */
#define KEISER_LABEL_SIZE 40

static uint64_t now_usec(void)
{
	return uv_hrtime() / 1000;
}

/* @ms of rider time in real ms. */
static unsigned real_ms(const struct bluez *b, unsigned ms)
{
	unsigned scale = b->cfg.time_scale ? b->cfg.time_scale : 1;

	return MAX(ms / scale, (unsigned) KEISER_FLOOR_MS);
}

/* The name a scan shows: the equipment ID tells the bikes of a gym apart. */
static int set_label(struct bz_device *d, uint8_t id)
{
	char label[KEISER_LABEL_SIZE];
	char *c;

	(void) snprintf(label, sizeof(label), "Keiser M3i #%u", id);
	if (d->keiser_label && strcmp(d->keiser_label, label) == 0)
		return 0;
	c = strdup(label);
	if (!c)
		return -ENOMEM;
	free(d->keiser_label);
	d->keiser_label = c;
	return 0;
}

static int mfr_entry(sd_bus_message *m, struct bz_device *d)
{
	const void *data;
	uint16_t company;
	size_t len;
	int r;

	r = sd_bus_message_read(m, "q", &company);
	if (r < 0)
		return r;
	if (company != KEISER_COMPANY_ID)
		return sd_bus_message_skip(m, "v");
	r = sd_bus_message_enter_container(m, 'v', "ay");
	if (r < 0)
		return r;
	r = sd_bus_message_read_array(m, 'y', &data, &len);
	if (r < 0)
		return r;
	d->keiser_len = MIN(len, sizeof(d->keiser_data));
	memcpy(d->keiser_data, data, d->keiser_len);
	/* The M3i layout's major version: an M7i (major 1) shares the company ID. Once a Keiser
	 * M3i, always: a malformed advert does not make it something else. */
	if (len >= 4 && d->keiser_data[0] == KEISER_M3I_MAJOR) {
		d->keiser = true;
		r = set_label(d, d->keiser_data[3]);
		if (r < 0)
			return r;
	}
	return sd_bus_message_exit_container(m);
}

int bz_keiser_read_mfr(struct bz_device *d, sd_bus_message *m)
{
	int r;

	d->keiser_len = 0; /* an advert without Keiser data has none */
	r = sd_bus_message_enter_container(m, 'a', "{qv}");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "qv")) > 0) {
		r = mfr_entry(m, d);
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

void bz_keiser_attempt(struct bz_link *l)
{
	struct bluez *b = l->b;

	struct bz_device *d = bz_device_find(b, l->address);

	if (!l->keiser)
		bz_event(b, DRIVER_EVENT_LINK,
			 "machine %s: a Keiser M3i, listening for its advertisements", l->address);
	l->keiser = true;
	/* The equipment ID it showed when paired: its frames may come from another address. */
	if (!l->keiser_has_id && d && d->keiser && d->keiser_len >= 4) {
		l->keiser_has_id = true;
		l->keiser_id = d->keiser_data[3];
	}
	l->keiser_zeroed = false;
	bz_link_set_state(l, LINK_STATE_SEARCHING);
	/* A first link gives up as a connect does (its console sleeps until pedalled); a link
	 * that was ready waits for the bike for as long as it is wanted. */
	if (!l->ever_ready)
		bz_link_arm(l, KEISER_SEARCH_MS);
	bz_adapter_update_discovery(b);
}

/* Whether @d's adverts are the link's bike: the address its frames come from, or, once that
 * has been quiet for half the silence that means a stopped rider, another address with the
 * same equipment ID (a bike whose address changed: a non-connectable advert may use a new
 * random address each time it is set up). Two bikes set to the same ID are not mixed while
 * the one followed advertises. */
static bool link_bike(const struct bz_link *l, const struct bz_device *d)
{
	const char *cur = *l->keiser_cur ? l->keiser_cur : l->address;

	if (strcmp(cur, d->address) == 0)
		return true;
	if (!l->keiser_has_id || !d->keiser || d->keiser_len < 4 ||
	    d->keiser_data[3] != l->keiser_id)
		return false;
	return l->state == LINK_STATE_SEARCHING ||
	       now_usec() - l->keiser_usec >= real_ms(l->b, KEISER_SILENT_MS) * 500ULL;
}

/* Follow the address @d's frames come from. */
static void follow(struct bz_link *l, const struct bz_device *d)
{
	if (strcmp(l->keiser_cur, d->address) == 0)
		return;
	if (*l->keiser_cur && !l->keiser_moved) {
		l->keiser_moved = true;
		bz_event(l->b, DRIVER_EVENT_LINK,
			 "machine %s: its advertisements come from %s now (equipment ID %u)",
			 l->address, d->address, l->keiser_id);
	}
	memcpy(l->keiser_cur, d->address, sizeof(l->keiser_cur));
}

static void report_ready(struct bz_link *l, const struct bz_device *d)
{
	struct bluez *b = l->b;
	struct machine_info info = {
		.address = l->address,
		.name = d->keiser_label,
		.kind = MACHINE_KIND_BIKE,
		.protocol = MACHINE_PROTOCOL_KEISER,
		.has_control = false,
	};

	info.features.machine = FTMS_FEAT_CADENCE | FTMS_FEAT_TOTAL_DISTANCE |
				FTMS_FEAT_EXPENDED_ENERGY | FTMS_FEAT_HEART_RATE |
				FTMS_FEAT_ELAPSED_TIME | FTMS_FEAT_POWER;
	if (b->cb.machine_ready)
		b->cb.machine_ready(b->userdata, &info);
}

/* Malformed: counted, said at the 1st, 10th, 100th... */
static void dropped(struct bz_link *l, int error)
{
	uint32_t n = ++l->keiser_dropped;

	for (uint32_t p = 1; p <= n && p <= 1000000000u; p *= 10)
		if (p == n) {
			bz_event(l->b, DRIVER_EVENT_FAULT,
				 "machine %s: malformed Keiser advertisement dropped (%s), %u so "
				 "far",
				 l->address, strerror(-error), n);
			return;
		}
}

static void frame(struct bz_link *l, const struct keiser_m3i *k)
{
	struct br_sample s;

	br_sample_init(&s);
	s.cadence_hrpm = (k->cadence + 2) / 5; /* 0.1 rpm to 0.5 rpm */
	s.power_w = k->power;
	s.distance_m = (int32_t) keiser_m3i_distance_m(k);
	s.elapsed_s = (int32_t) keiser_m3i_time(k);
	if (k->has_gear)
		s.resistance = k->gear * 10; /* the gear is its resistance level */
	l->keiser_last = s;
	l->keiser_usec = now_usec();
	if (l->keiser_zeroed)
		bz_event(l->b, DRIVER_EVENT_LINK, "machine %s: advertisements again", l->address);
	l->keiser_zeroed = false;
	/* 0.1 bpm; 0 without a strap or a grip sensor */
	bz_gatt_emit_sample(l, &s, k->heart_rate ? (k->heart_rate + 5) / 10 : BR_NONE);
	bz_link_data_seen(l);
	bz_link_arm(l, real_ms(l->b, KEISER_SILENT_MS));
}

void bz_keiser_advert(struct bluez *b, struct bz_device *d)
{
	struct bz_link *l = &b->links[LINK_ROLE_MACHINE];
	struct keiser_m3i k;
	int r;

	if (!l->keiser || !d->keiser || !d->keiser_len ||
	    (l->state != LINK_STATE_SEARCHING && l->state != LINK_STATE_READY) || !link_bike(l, d))
		return;
	r = keiser_m3i_parse(d->keiser_data, d->keiser_len, &k);
	if (r == -EPROTO && d->keiser_data[0] == KEISER_M3I_MAJOR &&
	    !keiser_m3i_real_time(d->keiser_data[2])) {
		l->keiser_review++; /* a summary of the last workout: not live data */
		return;
	}
	if (r < 0) {
		dropped(l, r);
		return;
	}
	if (!l->keiser_has_id) {
		l->keiser_has_id = true;
		l->keiser_id = k.equipment_id;
	}
	follow(l, d);
	if (l->state == LINK_STATE_SEARCHING) {
		report_ready(l, d);
		bz_link_setup_done(l, 0, NULL);
	}
	frame(l, &k);
}

void bz_keiser_timer(struct bz_link *l)
{
	struct bluez *b = l->b;
	uint64_t quiet_ms = (now_usec() - l->keiser_usec) / 1000;
	unsigned scale = b->cfg.time_scale ? b->cfg.time_scale : 1;
	struct br_sample s = l->keiser_last;

	if (quiet_ms * scale >= KEISER_GONE_MS && quiet_ms >= KEISER_FLOOR_MS) {
		bz_event(b, DRIVER_EVENT_FAULT, "machine %s: no advertisement for %u min: gone",
			 l->address, KEISER_GONE_MS / 60000);
		bz_link_lost(l, "no advertisement for 5 min");
		return;
	}
	if (!l->keiser_zeroed)
		bz_event(
			b, DRIVER_EVENT_LINK,
			"machine %s: no advertisement for %u s: the rider stopped, reporting zeros",
			l->address, KEISER_SILENT_MS / 1000);
	l->keiser_zeroed = true;
	/* The counters stay where they were; what moves is zero. */
	s.cadence_hrpm = 0;
	s.power_w = 0;
	bz_gatt_emit_sample(l, &s, BR_NONE);
	bz_link_arm(l, real_ms(b, KEISER_TICK_MS));
}
