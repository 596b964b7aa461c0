/* SPDX-License-Identifier: MIT */
#include "sim.h"

#include <errno.h>
#include <math.h>
#include <strings.h>

#include "btd.h"
#include "bus-source.h"
#include "bus-util.h"
#include "log.h"
#include "periph.h"

#define RESTART_GAP_MS 300

uint64_t sim_now_usec(const struct sim *s)
{
	return (uint64_t) ((double) (uv_hrtime() - s->start_ns) / 1000.0 * s->opt->time_scale);
}

uint64_t sim_real_ms(const struct sim *s, double sim_ms)
{
	double ms = sim_ms / s->opt->time_scale;

	return ms < 1 ? 1 : (uint64_t) llround(ms);
}

struct periph *sim_find_periph(struct sim *s, const char *address)
{
	for (size_t i = 0; i < s->n_periphs; i++)
		if (strcasecmp(s->periphs[i]->address, address) == 0)
			return s->periphs[i];
	return NULL;
}

double sim_rider_effort(const struct sim *s)
{
	for (size_t i = 0; i < s->n_periphs; i++) {
		const struct periph *p = s->periphs[i];

		if (p->kind == SIM_BIKE || p->kind == SIM_KEISER || sim_kind_sensor(p->kind))
			return p->bike.power_w;
		if (p->kind == SIM_TREADMILL || p->kind == SIM_WALKINGPAD)
			return treadmill_model_effort(&p->tm);
	}
	return 0;
}

static void bluez_bus_lost(struct bus_source *src, int error, void *userdata)
{
	struct sim *s = userdata;

	log_error_errno(error, "Lost the org.bluez bus connection");
	sim_quit(s, 1);
}

int sim_bluetoothd_start(struct sim *s)
{
	int r;

	r = bus_open_by_name(s->opt->bus, "backride-sim-bluez", &s->bus);
	if (r < 0)
		return log_error_errno(r, "Cannot open bus %s", s->opt->bus);
	r = btd_new(s, s->bus, &s->btd);
	if (r >= 0)
		r = bus_source_new(s->loop, s->bus, bluez_bus_lost, s, &s->bus_src);
	if (r < 0) {
		sim_bluetoothd_stop(s);
		return log_error_errno(r, "Cannot export org.bluez");
	}
	return 0;
}

void sim_bluetoothd_stop(struct sim *s)
{
	btd_free(s->btd);
	s->btd = NULL;
	bus_source_close(s->bus_src);
	s->bus_src = NULL;
	/* Closing the connection releases org.bluez, as bluetoothd exiting does. */
	s->bus = sd_bus_flush_close_unref(s->bus);
}

static void on_restart_timer(uv_timer_t *t)
{
	struct sim *s = t->data;

	if (s->stopping)
		return;
	if (sim_bluetoothd_start(s) < 0)
		sim_quit(s, 1);
	else
		log_info("bluetoothd is back");
}

int sim_bluetoothd_restart(struct sim *s)
{
	/* --ble: the real bluetoothd is not ours to restart. */
	if (s->opt->ble)
		return -EOPNOTSUPP;
	if (!s->btd)
		return -EALREADY;
	log_info("Restarting bluetoothd");
	sim_bluetoothd_stop(s);
	return uv_timer_start(&s->restart_timer, on_restart_timer, RESTART_GAP_MS, 0);
}

void sim_quit(struct sim *s, int exit_code)
{
	if (s->stopping)
		return;
	s->stopping = true;
	s->exit_code = exit_code;
	uv_stop(s->loop);
}
