/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <uv.h>

#include "ftms-server.h"
#include "machine-bike.h"
#include "machine-hr.h"
#include "machine-sensor.h"
#include "machine-treadmill.h"
#include "rng.h"
#include "sim.h"

/*
 * A simulated peripheral: the hardware behind the BlueZ objects. It has a GATT database
 * with ATT handles, a machine model, fault switches, and at most one link (to "bluetoothd").
 * It survives bluetoothd restarts.
 */

#define ATT_PROP_READ	      0x02
#define ATT_PROP_WRITE_NO_RSP 0x04
#define ATT_PROP_WRITE	      0x08
#define ATT_PROP_NOTIFY	      0x10
#define ATT_PROP_INDICATE     0x20

#define ATT_ECODE_READ_NOT_PERMITTED  0x02
#define ATT_ECODE_WRITE_NOT_PERMITTED 0x03
#define ATT_ECODE_INSUFF_AUTHEN	      0x05
#define ATT_ECODE_REQ_NOT_SUPP	      0x06
#define ATT_ECODE_INVALID_LEN	      0x0d
#define ATT_ECODE_UNLIKELY	      0x0e
#define ATT_ECODE_CCCD_IMPROPER	      0xfd
#define ATT_ECODE_PROC_IN_PROGRESS    0xfe

#define CCCD_NOTIFY   0x0001
#define CCCD_INDICATE 0x0002

/* Keiser M Series consoles 6.32 and later: one advertisement every 318.75 ms. A time-scaled
 * simulation sends at most one every KEISER_ADVERT_MIN_MS of real time (a scaled FTMS
 * machine's data rate), so that a loaded computer keeps up. */
#define KEISER_ADVERT_MS     318.75
#define KEISER_ADVERT_MIN_MS 50

#define PERIPH_MAX_SERVICES 5
#define PERIPH_MAX_CHARS    9

struct periph_char {
	uint16_t handle; /* declaration; the value is handle + 1, the CCCD handle + 2 */
	uint16_t uuid16;
	uint8_t props;
	uint16_t cccd;
};

struct periph_service {
	uint16_t handle;
	uint16_t uuid16;
	bool hidden; /* claimed by a bluetoothd plugin (GAP): not exported on D-Bus */
	size_t n_chars;
	struct periph_char chars[PERIPH_MAX_CHARS];
};

/* What the link end ("bluetoothd") gets from the peripheral. */
struct periph_link_ops {
	/* A notification or an indication (bluetoothd confirms indications itself). */
	void (*value)(void *userdata, const struct periph_char *c, const uint8_t *v, size_t n);
	/* The peripheral dropped the link. */
	void (*dropped)(void *userdata);
	/* The link cannot take more right now (for Flood). */
	bool (*busy)(void *userdata);
};

enum periph_fault {
	PF_REFUSE_CONNECT,
	PF_REFUSE_CONTROL,
	PF_CP_DELAY,
	PF_CP_OMIT,
	PF_TRUNCATE,
	PF_MALFORMED,
	PF_STOP_NOTIFY,
	PF_HR_SILENT,
	PF_SECURITY_REQUEST,
	PF_RESOLVE_EARLY,
	PF_CONNECT_ABORT,
	PF_REFUSE_PAIR,
	PF_REQUIRE_PAIRING,
	PF_QUIET_CONNECTED,
	PF_GARBAGE_DATA,
	PF_SILENT, /* Keiser: no advertisements (the rider left, the console sleeps) */
	PF_REVIEW, /* Keiser: review frames (the last workout's summary) between the others */
	_PF_MAX,
};

typedef void (*periph_done_fn)(void *userdata, uint32_t sent);

/* A WalkingPad's state on its legacy protocol (periph-walkingpad.c). */
struct pad_state {
	uint8_t belt;	    /* enum walkingpad_belt */
	uint8_t mode;	    /* enum walkingpad_mode */
	double countdown_s; /* left before the belt runs */
	uint64_t last_usec; /* real time of the last command taken */
	uint32_t commands;  /* taken */
	uint32_t ignored;   /* too soon, or not a command frame */
	uint32_t refused;   /* taken and not done (a start in standby, a speed while stopped) */
	unsigned answers;   /* fault malformed: status frames sent since it is on */
	unsigned damaged;   /* ... and damaged */
};

struct periph {
	struct sim *sim;
	enum sim_kind kind;
	char name[64];
	char address[18];
	struct periph_service services[PERIPH_MAX_SERVICES];
	size_t n_services;
	uint16_t next_handle;
	bool resistance_only;
	bool mph_firmware;
	uint32_t quirks; /* 1 << enum sim_quirk, from --quirk */
	/* periph_power_cycle() so far. */
	unsigned power_cycles;
	unsigned adverts;     /* Keiser: advertisements sent */
	uint8_t adv_data[31]; /* Keiser: the last advert's manufacturer data (after the ID) */
	size_t adv_len;
	/* Models. */
	struct bike_model bike;
	struct treadmill_model tm;
	struct hr_model hr;
	struct sensor_counter crank, wheel; /* sensor bikes */
	struct ftms_server ftms;
	struct pad_state pad;
	uint64_t last_usec;
	uint64_t last_data_usec;
	/* Faults. */
	bool fault[_PF_MAX];
	unsigned cp_delay_ms;
	char refuse_reason[48];
	unsigned refuse_pair; /* index of the error Pair() fails with (periph_pair_error) */
	struct rng garbage;   /* the bytes of garbage-data, from --seed */
	/* Link. */
	bool connected;
	uint64_t connected_usec; /* simulated time the link came up */
	const struct periph_link_ops *link;
	void *link_ud;
	bool cp_busy;
	uint8_t cp_resp[20];
	size_t cp_resp_len;
	uint8_t cp_status[20];
	int cp_status_len;
	bool cp_training;
	uint8_t cp_prev_op; /* quirk cp-wrong-opcode: the op code its next response names */
	struct later *cp_later;
	/* Handles. */
	uv_timer_t data_timer;
	uv_idle_t flood_idle;
	uint32_t flood_left;
	uint32_t flood_sent;
	periph_done_fn flood_done;
	void *flood_ud;
	int open_handles;
};

/* Return: whether the machine has quirk @q (enum sim_quirk). */
static inline bool periph_quirk(const struct periph *p, int q)
{
	return p->quirks & (1u << q);
}

/* Create a device of the given kind. Return: 0, or -errno. */
int periph_new(struct sim *sim, const struct sim_device_opt *o, struct periph **ret);

/* Drop the link and close the handles; the object frees itself. */
void periph_close(struct periph *p);

/* Return: the characteristic with this declaration handle, or NULL. */
struct periph_char *periph_find_char(struct periph *p, uint16_t handle);

/* Advertising: UUIDs (16-bit) and the FTMS service data, when not connected. */
bool periph_advertising(const struct periph *p);
uint16_t periph_adv_uuid16(const struct periph *p);
/* Return: bytes of service data for periph_adv_uuid16(), 0 if none. */
size_t periph_service_data(const struct periph *p, uint8_t *buf, size_t len);
/*
 * Append the ServiceData property's value as BlueZ shows it, a{sv} of {uuid: <ay>}: the FTMS
 * flags (available) and machine type; empty for the strap.
 * Return: 0 or -errno.
 */
int periph_append_service_data(const struct periph *p, sd_bus_message *reply);

/*
 * Accept a link. Return: 0, -ECONNREFUSED (p->refuse_reason says why) or -ECONNABORTED
 * (fault connect-abort: the link came up and was aborted at once).
 */
int periph_connect(struct periph *p, const struct periph_link_ops *ops, void *userdata);

/* The central went away (no callback). */
void periph_disconnect(struct periph *p);

/* The peripheral drops the link (fault injection): ops->dropped() runs. */
void periph_drop_link(struct periph *p);

/* ATT requests on a characteristic. Return: 0, or an ATT error code (> 0). */
int periph_read(struct periph *p, struct periph_char *c, uint8_t *buf, size_t *len);
int periph_write(struct periph *p, struct periph_char *c, const uint8_t *v, size_t n,
		 bool with_response);
void periph_write_cccd(struct periph *p, struct periph_char *c, uint16_t value);

/* Send a notification if the central enabled it. */
void periph_notify(struct periph *p, struct periph_char *c, const uint8_t *v, size_t n);

/* Return: the characteristic with this UUID, or NULL. */
struct periph_char *periph_char_by_uuid(struct periph *p, uint16_t uuid16);

/*
 * How Pair() fails under the fault refuse-pair: *name is the org.bluez.Error suffix,
 * *message bluetoothd's text for it.
 */
void periph_pair_error(const struct periph *p, const char **name, const char **message);

/* Faults by name ("cp-delay"...). Return: 0, -ENOENT unknown name, -EINVAL bad value. */
int periph_set_fault(struct periph *p, const char *name, const char *value, bool on);

/* Advance the models to now (simulated). */
void periph_advance(struct periph *p);

/*
 * The machine is switched off and on while its link holds (or is restored at once): models,
 * control point and FTMS server at power-on (control lost, not started, default targets), and
 * its GATT database changes: every other time the services start POWER_CYCLE_SHIFT handles
 * further on (new object paths). The caller presents the change as bluetoothd does.
 * Return: 0, -EOPNOTSUPP (the strap).
 */
int periph_power_cycle(struct periph *p);

/* Machine actions driven by the control interface. Return: 0 or -errno. */
int periph_safety_key(struct periph *p);
int periph_lose_control(struct periph *p);
int periph_flood(struct periph *p, uint32_t count, periph_done_fn done, void *userdata);

/* Machine-specific parts (periph-machine.c / periph-hr.c). */
void periph_machine_setup(struct periph *p);
void periph_machine_tick(struct periph *p);
int periph_machine_read(struct periph *p, struct periph_char *c, uint8_t *buf, size_t *len);
int periph_machine_write(struct periph *p, struct periph_char *c, const uint8_t *v, size_t n);
void periph_machine_link_lost(struct periph *p);
/* Apply an accepted control point request (or its console twin) to the model. */
void periph_machine_apply(struct periph *p, const struct ftms_cp_request *req);
/* Notify a Fitness Machine Status (@v, @n bytes); the current Training Status. */
void periph_machine_status(struct periph *p, const uint8_t *v, size_t n);
void periph_machine_training(struct periph *p);

/*
 * The user at the machine's console (periph-console.c): @button is stop, pause, start or
 * reset, or power (W), resistance (level), speed (km/h) or incline (%) set to @value. The
 * machine does it and notifies the Machine Status, as FTMS machines do (§7.3 rule 8).
 * Return: 0, -EINVAL (no such button or value), -EOPNOTSUPP (not on this machine), -ERANGE,
 * -EALREADY (started or stopped already).
 */
int periph_console(struct periph *p, const char *button, double value);
/* Return: bytes of one data notification (for Flood), or -errno. */
int periph_machine_data(struct periph *p, uint8_t *buf, size_t len);
/* Sensor bikes (periph-sensor.c): power meter or speed and cadence sensor. */
void periph_sensor_setup(struct periph *p);
void periph_sensor_advance(struct periph *p, double now_s, double dt);
void periph_sensor_tick(struct periph *p);
int periph_sensor_read(struct periph *p, struct periph_char *c, uint8_t *buf, size_t *len);
/* The WalkingPad (periph-walkingpad.c): its GATT database and belt, commands, remote. */
void periph_pad_setup(struct periph *p);
void periph_pad_advance(struct periph *p, double dt);
int periph_pad_write(struct periph *p, struct periph_char *c, const uint8_t *v, size_t n);
void periph_pad_link_lost(struct periph *p);
/* The pad's remote: stop, start, or speed (km/h). Return: 0, -EINVAL, -EALREADY, -ERANGE. */
int periph_pad_remote(struct periph *p, const char *button, double value);
/* The Keiser M3i (periph-keiser.c): a bike that only advertises. */
void periph_keiser_setup(struct periph *p);
/* One advertisement, at Keiser's interval. */
void periph_keiser_tick(struct periph *p);
/* Return: bytes of the manufacturer data after the company ID, or -errno. */
int periph_keiser_data(struct periph *p, uint8_t *buf, size_t len);
void periph_hr_setup(struct periph *p);
void periph_hr_tick(struct periph *p);
int periph_hr_read(struct periph *p, struct periph_char *c, uint8_t *buf, size_t *len);

/* Add a service / characteristic while building the database. */
struct periph_service *periph_add_service(struct periph *p, uint16_t uuid16, bool hidden);
void periph_add_char(struct periph *p, uint16_t uuid16, uint8_t props);
