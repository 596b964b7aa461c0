/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <uv.h>

/*
 * backride-sim: the top-level context. "Hardware" (struct periph) lives as long as the
 * process; "bluetoothd" (struct btd) lives on its own bus connection and can be restarted.
 */

#define SIM_MAX_DEVICES 8
#define SIM_MAX_FAULTS	16

/* The value + 1 is the device's address byte: C0:FF:EE:00:00:01 (bike) to :07 (Keiser M3i). */
enum sim_kind {
	SIM_BIKE,
	SIM_TREADMILL,
	SIM_HR,
	SIM_POWER_METER,
	SIM_CSC,
	SIM_WALKINGPAD,
	SIM_KEISER,
};

/* Return: whether @k is a bike with only a sensor (Cycling Power, or Speed and Cadence). */
static inline bool sim_kind_sensor(enum sim_kind k)
{
	return k == SIM_POWER_METER || k == SIM_CSC;
}

/* Return: whether @k is an FTMS machine (the bike or the treadmill). */
static inline bool sim_kind_ftms(enum sim_kind k)
{
	return k == SIM_BIKE || k == SIM_TREADMILL;
}

struct sim_device_opt {
	enum sim_kind kind;
	char name[64];
	char address[18];
};

struct sim_fault_opt {
	char name[32];
	char value[64];
};

struct sim_options {
	const char *bus;
	bool ble;	     /* a real BLE peripheral through bluetoothd (sim/ble.h) */
	const char *adapter; /* --ble: the adapter, "hci0" */
	unsigned readvertise_ms;
	const char *state_dir;
	double time_scale;
	double rate_hz;
	uint64_t seed;
	unsigned temporary_timeout_s;
	unsigned att_latency_ms;
	unsigned connect_ms;
	unsigned resolve_ms;
	unsigned disconnect_ms;
	unsigned adapter_ms; /* org.bluez taken until the adapter is exported */
	unsigned mtu;
	bool resistance_only;
	int32_t power_range[3];	     /* W: min, max, increment */
	int32_t resistance_range[3]; /* 0.1 levels: min, max, increment */
	int32_t speed_range[3];	     /* 0.01 km/h: min, max, increment */
	bool mph_firmware;
	bool verbose;
	struct sim_device_opt devices[SIM_MAX_DEVICES];
	size_t n_devices;
	struct sim_fault_opt faults[SIM_MAX_FAULTS];
	size_t n_faults;
	uint32_t quirks;	  /* 1 << enum sim_quirk (quirks.h) */
	unsigned quirk_value[32]; /* VALUE of a quirk that takes one, 0 for its default */
};

struct periph;
struct btd;
struct ctl;
struct store;
struct bus_source;
struct ble;

struct sim {
	uv_loop_t *loop;
	const struct sim_options *opt;
	struct periph *periphs[SIM_MAX_DEVICES];
	size_t n_periphs;
	struct store *store;
	/* "bluetoothd": NULL while it is restarting. */
	sd_bus *bus;
	struct bus_source *bus_src;
	struct btd *btd;
	struct ctl *ctl;
	/* --ble: the device served by the real bluetoothd; bus and btd stay NULL. */
	struct ble *ble;
	uv_signal_t sigterm;
	uv_signal_t sigint;
	uv_timer_t restart_timer;
	uint64_t start_ns;
	bool stopping;
	int exit_code;
};

/* Simulated time since start in µs (wall clock × time scale). */
uint64_t sim_now_usec(const struct sim *s);

/* Milliseconds of real time for `sim_ms` of simulated time (at least 1). */
uint64_t sim_real_ms(const struct sim *s, double sim_ms);

/* Find a simulated device by address (case-insensitive). Return: the device or NULL. */
struct periph *sim_find_periph(struct sim *s, const char *address);

/*
 * Simulate a bluetoothd restart: drop org.bluez and its connection, then take the name
 * again on a fresh connection with fresh objects.
 * Return: 0 or -errno.
 */
int sim_bluetoothd_restart(struct sim *s);

/* Start "bluetoothd": open the bus, create the object tree, own org.bluez. Return: 0/-errno. */
int sim_bluetoothd_start(struct sim *s);

/* Stop "bluetoothd": disconnect all links, release the name, close the connection. */
void sim_bluetoothd_stop(struct sim *s);

/* The rider's effort in watts, shared by the machines and the heart-rate strap. */
double sim_rider_effort(const struct sim *s);

/* Ask the loop to stop (all handles get closed). */
void sim_quit(struct sim *s, int exit_code);
