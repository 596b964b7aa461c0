/* SPDX-License-Identifier: MIT */
#include "ctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "btd.h"
#include "bus-source.h"
#include "bus-util.h"
#include "log.h"
#include "periph.h"

struct ctl {
	struct sim *sim;
	sd_bus *bus;
	struct bus_source *src;
	sd_bus_slot *slot;
	sd_bus_slot *machine_slots[SIM_MAX_DEVICES];
	sd_bus_slot *name_slot;
};

static const char *const one_shots[] = { "drop-link", "lose-control", "safety-key", "power-cycle",
					 "bluetoothd-restart" };

static int one_shot(struct sim *sim, const char *name, struct periph *p)
{
	if (strcmp(name, "drop-link") == 0) {
		periph_drop_link(p);
		return 0;
	}
	if (strcmp(name, "lose-control") == 0)
		return periph_lose_control(p);
	if (strcmp(name, "safety-key") == 0)
		return periph_safety_key(p);
	if (strcmp(name, "power-cycle") == 0) /* not as a real peripheral (--ble) */
		return sim->btd ? btd_power_cycle(sim->btd, p->address) : -EOPNOTSUPP;
	return -ENOENT;
}

int sim_apply_fault(struct sim *sim, const char *name, const char *value, const char *address,
		    bool on)
{
	int r, applied = 0, last = -ENOENT;

	if (strcmp(name, "bluetoothd-restart") == 0)
		return on ? sim_bluetoothd_restart(sim) : 0;
	for (size_t i = 0; i < sim->n_periphs; i++) {
		struct periph *p = sim->periphs[i];
		bool shot = false;

		if (address && *address && strcasecmp(address, p->address) != 0)
			continue;
		for (size_t j = 0; j < ARRAY_SIZE(one_shots); j++)
			shot |= strcmp(name, one_shots[j]) == 0;
		r = shot ? (on ? one_shot(sim, name, p) : 0) : periph_set_fault(p, name, value, on);
		if (r == -EINVAL || (r == -ENOENT && !shot))
			return r;
		if (r >= 0)
			applied++;
		else
			last = r;
	}
	return applied > 0 ? 0 : last;
}

static int ctl_error(sd_bus_error *e, int r, const char *what)
{
	if (r == -ENOENT)
		return sd_bus_error_setf(e, SIM_CTL_ERROR ".NotFound", "%s: not found", what);
	if (r == -EINVAL)
		return sd_bus_error_setf(e, SIM_CTL_ERROR ".InvalidArguments", "%s: bad value",
					 what);
	if (r == -EOPNOTSUPP)
		return sd_bus_error_setf(e, SIM_CTL_ERROR ".NotSupported",
					 "%s: not supported by this device", what);
	if (r == -ENOTCONN)
		return sd_bus_error_setf(e, SIM_CTL_ERROR ".NotConnected", "%s: not connected",
					 what);
	return sd_bus_error_set_errno(e, r);
}

struct fault_params {
	char *address, *value;
	size_t alen, vlen;
};

static int fault_param(sd_bus_message *m, const char *key, void *userdata)
{
	struct fault_params *f = userdata;
	const char *s, *contents;
	uint32_t u;
	int r;

	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
	if (strcmp(contents, "s") == 0) {
		r = sd_bus_message_read(m, "v", "s", &s);
		if (r >= 0)
			snprintf(strcmp(key, "address") == 0 ? f->address : f->value,
				 strcmp(key, "address") == 0 ? f->alen : f->vlen, "%s", s);
	} else if (strcmp(contents, "u") == 0 || strcmp(contents, "i") == 0) {
		r = sd_bus_message_read(m, "v", contents, &u);
		if (r >= 0)
			snprintf(f->value, f->vlen, "%u", u);
	} else {
		return -EINVAL;
	}
	return r;
}

/* a{sv} with optional "address" (s) and "value" (s, u or i). */
static int read_fault_params(sd_bus_message *m, char *address, size_t alen, char *value,
			     size_t vlen)
{
	struct fault_params f = { .address = address, .value = value, .alen = alen, .vlen = vlen };

	return bus_dict_foreach(m, fault_param, &f);
}

static int method_set_fault(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct ctl *c = userdata;
	char address[18] = "", value[64] = "";
	const char *name;
	int r;

	r = sd_bus_message_read(m, "s", &name);
	if (r >= 0)
		r = read_fault_params(m, address, sizeof(address), value, sizeof(value));
	if (r < 0)
		return ctl_error(e, -EINVAL, "parameters");
	r = sim_apply_fault(c->sim, name, value, address, true);
	if (r < 0)
		return ctl_error(e, r, name);
	log_info("Fault %s%s%s set%s%s", name, *value ? "=" : "", value, *address ? " on " : "",
		 address);
	return sd_bus_reply_method_return(m, "");
}

static int method_clear_fault(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct ctl *c = userdata;
	const char *name;
	int r;

	r = sd_bus_message_read(m, "s", &name);
	if (r < 0)
		return r;
	r = sim_apply_fault(c->sim, name, NULL, NULL, false);
	if (r < 0)
		return ctl_error(e, r, name);
	return sd_bus_reply_method_return(m, "");
}

static int device_arg(struct ctl *c, sd_bus_message *m, sd_bus_error *e, struct periph **ret)
{
	const char *address;
	int r;

	r = sd_bus_message_read(m, "s", &address);
	if (r < 0)
		return r;
	*ret = sim_find_periph(c->sim, address);
	if (!*ret)
		return ctl_error(e, -ENOENT, address);
	return 0;
}

static int method_one_shot(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct ctl *c = userdata;
	const char *member = sd_bus_message_get_member(m);
	struct periph *p;
	int r;

	r = device_arg(c, m, e, &p);
	if (r < 0)
		return r;
	if (strcmp(member, "DropLink") == 0)
		r = one_shot(c->sim, "drop-link", p);
	else if (strcmp(member, "SafetyKey") == 0)
		r = one_shot(c->sim, "safety-key", p);
	else if (strcmp(member, "LoseControl") == 0)
		r = one_shot(c->sim, "lose-control", p);
	else if (strcmp(member, "PowerCycle") == 0)
		r = one_shot(c->sim, "power-cycle", p);
	else if (c->sim->btd)
		r = btd_remote_pairing(c->sim->btd, p->address);
	else
		r = -ENOTCONN;
	if (r < 0)
		return ctl_error(e, r, p->address);
	return sd_bus_reply_method_return(m, "");
}

static int method_console(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct ctl *c = userdata;
	struct periph *p;
	const char *button;
	double value;
	int r;

	r = device_arg(c, m, e, &p);
	if (r >= 0)
		r = sd_bus_message_read(m, "sd", &button, &value);
	if (r < 0)
		return r;
	r = periph_console(p, button, value);
	if (r == -EALREADY)
		return sd_bus_error_setf(e, SIM_CTL_ERROR ".Failed",
					 "%s: the machine is started or stopped already", button);
	if (r < 0)
		return ctl_error(e, r, button);
	log_info("Console of %s: %s", p->address, button);
	return sd_bus_reply_method_return(m, "");
}

static int method_restart(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct ctl *c = userdata;
	int r;

	r = sim_bluetoothd_restart(c->sim);
	if (r < 0)
		return ctl_error(e, r, "bluetoothd");
	return sd_bus_reply_method_return(m, "");
}

static int rider_entry(sd_bus_message *m, const char *key, void *userdata)
{
	struct periph *p = userdata;
	double d;
	int b, r;

	if (strcmp(key, "stop") == 0) {
		r = sd_bus_message_read(m, "v", "b", &b);
		p->bike.rider_stopped = b;
		return r;
	}
	r = sd_bus_message_read(m, "v", "d", &d);
	if (r < 0 || d < 0 || d > 200)
		return -EINVAL;
	if (strcmp(key, "cadence") == 0) {
		p->bike.rider_cadence_rpm = d;
		p->bike.rider_stopped = false;
	} else if (strcmp(key, "sag") == 0) {
		p->bike.sag_rpm_per_min = d;
	} else if (strcmp(key, "gear") == 0 && p->kind == SIM_KEISER && d >= 1 && d <= 24) {
		p->bike.resistance = d; /* the M3i's gear lever is the rider's */
	} else {
		return -EINVAL;
	}
	return 0;
}

static int method_set_rider(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct ctl *c = userdata;
	struct periph *p;
	int r;

	r = device_arg(c, m, e, &p);
	if (r < 0)
		return r;
	if (p->kind != SIM_BIKE && p->kind != SIM_KEISER && !sim_kind_sensor(p->kind))
		return ctl_error(e, -EOPNOTSUPP, p->address);
	periph_advance(p);
	r = bus_dict_foreach(m, rider_entry, p);
	if (r < 0)
		return ctl_error(e, -EINVAL, "rider");
	return sd_bus_reply_method_return(m, "");
}

static void flood_done(void *userdata, uint32_t sent)
{
	sd_bus_message *m = userdata;

	(void) sd_bus_reply_method_return(m, "u", sent);
	sd_bus_message_unref(m);
}

static int method_flood(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct ctl *c = userdata;
	struct periph *p;
	uint32_t count;
	int r;

	r = device_arg(c, m, e, &p);
	if (r >= 0)
		r = sd_bus_message_read(m, "u", &count);
	if (r < 0)
		return r;
	r = periph_flood(p, count, flood_done, sd_bus_message_ref(m));
	if (r < 0) {
		sd_bus_message_unref(m);
		return ctl_error(e, r, p->address);
	}
	return 1;
}

static int prop_devices(sd_bus *bus, const char *path, const char *iface, const char *prop,
			sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct ctl *c = userdata;
	int r;

	if (strcmp(prop, "TimeScale") == 0)
		return sd_bus_message_append(reply, "d", c->sim->opt->time_scale);
	if (strcmp(prop, "BluetoothdRunning") == 0)
		return sd_bus_message_append(reply, "b", c->sim->btd != NULL);
	r = sd_bus_message_open_container(reply, 'a', "s");
	for (size_t i = 0; r >= 0 && i < c->sim->n_periphs; i++)
		r = sd_bus_message_append(reply, "s", c->sim->periphs[i]->address);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

#define UNPRIV SD_BUS_VTABLE_UNPRIVILEGED
static const sd_bus_vtable ctl_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_NAMES("SetFault", "sa{sv}", SD_BUS_PARAM(name) SD_BUS_PARAM(params), "",
				 , method_set_fault, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("ClearFault", "s", SD_BUS_PARAM(name), "", , method_clear_fault,
				 UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("DropLink", "s", SD_BUS_PARAM(address), "", , method_one_shot,
				 UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("SafetyKey", "s", SD_BUS_PARAM(address), "", , method_one_shot,
				 UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("LoseControl", "s", SD_BUS_PARAM(address), "", , method_one_shot,
				 UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("PowerCycle", "s", SD_BUS_PARAM(address), "", , method_one_shot,
				 UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("RequestPairing", "s", SD_BUS_PARAM(address), "", ,
				 method_one_shot, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("Console", "ssd",
				 SD_BUS_PARAM(address) SD_BUS_PARAM(button) SD_BUS_PARAM(value), "",
				 , method_console, UNPRIV),
	SD_BUS_METHOD("BluetoothdRestart", "", "", method_restart, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("SetRider", "sa{sv}", SD_BUS_PARAM(address) SD_BUS_PARAM(params),
				 "", , method_set_rider, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("Flood", "su", SD_BUS_PARAM(address) SD_BUS_PARAM(count), "u",
				 SD_BUS_PARAM(sent), method_flood, UNPRIV),
	SD_BUS_PROPERTY("Devices", "as", prop_devices, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("TimeScale", "d", prop_devices, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("BluetoothdRunning", "b", prop_devices, 0, 0),
	SD_BUS_VTABLE_END
};

/* The machine's true state, for tests: what it is doing, not what it reports. */
static int machine_get(sd_bus *bus, const char *path, const char *iface, const char *prop,
		       sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct periph *p = userdata;
	static const char *const kinds[] = {
		[SIM_BIKE] = "bike",
		[SIM_TREADMILL] = "treadmill",
		[SIM_HR] = "hr",
		[SIM_POWER_METER] = "power-meter",
		[SIM_CSC] = "cadence-sensor",
		[SIM_WALKINGPAD] = "walkingpad",
		[SIM_KEISER] = "keiser",
	};
	const struct bike_model *b = &p->bike;
	const struct treadmill_model *t = &p->tm;
	bool bike = p->kind == SIM_BIKE || p->kind == SIM_KEISER || sim_kind_sensor(p->kind);

	periph_advance(p);
	if (strcmp(prop, "Address") == 0)
		return sd_bus_message_append(reply, "s", p->address);
	if (strcmp(prop, "Kind") == 0)
		return sd_bus_message_append(reply, "s", kinds[p->kind]);
	if (strcmp(prop, "Mode") == 0)
		return sd_bus_message_append(reply, "s",
					     b->mode == BIKE_MODE_ERG ? "erg" : "resistance");
	if (strcmp(prop, "Connected") == 0)
		return sd_bus_message_append(reply, "b", p->connected);
	if (strcmp(prop, "HasControl") == 0)
		return sd_bus_message_append(reply, "b", p->ftms.control);
	if (strcmp(prop, "Started") == 0)
		return sd_bus_message_append(reply, "b", p->ftms.started);
	if (strcmp(prop, "MphFirmware") == 0)
		return sd_bus_message_append(reply, "b", p->mph_firmware);
	/* The WalkingPad's (0 on the other machines). */
	if (strcmp(prop, "Belt") == 0)
		return sd_bus_message_append(reply, "y", p->pad.belt);
	if (strcmp(prop, "Commands") == 0)
		return sd_bus_message_append(reply, "u", p->pad.commands);
	if (strcmp(prop, "Ignored") == 0)
		return sd_bus_message_append(reply, "u", p->pad.ignored);
	if (strcmp(prop, "Refused") == 0)
		return sd_bus_message_append(reply, "u", p->pad.refused);
	if (strcmp(prop, "TrainingStatus") == 0)
		return sd_bus_message_append(reply, "y", p->ftms.training);
	if (strcmp(prop, "CrankRevolutions") == 0) /* sensor bikes: as the wire has it */
		return sd_bus_message_append(reply, "u", sensor_counter_revs(&p->crank) & 0xFFFFu);
	if (strcmp(prop, "HeartRate") == 0)
		return sd_bus_message_append(reply, "u", hr_model_bpm(&p->hr));
	if (strcmp(prop, "TargetPower") == 0)
		return sd_bus_message_append(reply, "d", b->target_power_w);
	if (strcmp(prop, "Power") == 0)
		return sd_bus_message_append(reply, "d", b->power_w);
	if (strcmp(prop, "Cadence") == 0)
		return sd_bus_message_append(reply, "d", b->cadence_rpm);
	if (strcmp(prop, "Resistance") == 0)
		return sd_bus_message_append(reply, "d", b->resistance);
	if (strcmp(prop, "TargetSpeed") == 0)
		return sd_bus_message_append(reply, "d", t->target_speed_kmh);
	if (strcmp(prop, "Speed") == 0)
		return sd_bus_message_append(reply, "d", bike ? b->speed_kmh : t->speed_kmh);
	if (strcmp(prop, "TargetIncline") == 0)
		return sd_bus_message_append(reply, "d", t->target_incline_pct);
	if (strcmp(prop, "Incline") == 0)
		return sd_bus_message_append(reply, "d", t->incline_pct);
	if (strcmp(prop, "Distance") == 0)
		return sd_bus_message_append(reply, "d", bike ? b->distance_m : t->distance_m);
	if (strcmp(prop, "Energy") == 0)
		return sd_bus_message_append(reply, "d", bike ? b->energy_kcal : t->energy_kcal);
	return sd_bus_message_append(reply, "d", bike ? b->elapsed_s : t->elapsed_s);
}

#define MPROP(name, sig) SD_BUS_PROPERTY(name, sig, machine_get, 0, 0)
static const sd_bus_vtable machine_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Address", "s", machine_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Kind", "s", machine_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	MPROP("Connected", "b"),
	MPROP("HasControl", "b"),
	MPROP("Started", "b"),
	MPROP("TrainingStatus", "y"),
	MPROP("Mode", "s"),
	MPROP("TargetPower", "d"),
	MPROP("CrankRevolutions", "u"),
	MPROP("Power", "d"),
	MPROP("Cadence", "d"),
	MPROP("Resistance", "d"),
	MPROP("Speed", "d"),
	MPROP("TargetSpeed", "d"),
	MPROP("TargetIncline", "d"),
	MPROP("Incline", "d"),
	MPROP("MphFirmware", "b"),
	MPROP("HeartRate", "u"),
	MPROP("Distance", "d"),
	MPROP("Energy", "d"),
	MPROP("ElapsedTime", "d"),
	MPROP("Belt", "y"),
	MPROP("Commands", "u"),
	MPROP("Ignored", "u"),
	MPROP("Refused", "u"),
	SD_BUS_VTABLE_END
};

static void ctl_bus_lost(struct bus_source *s, int error, void *userdata)
{
	struct ctl *c = userdata;

	log_error_errno(error, "Lost the control bus connection");
	sim_quit(c->sim, 1);
}

static int ctl_export_machines(struct ctl *c)
{
	char path[96], *x;
	int r;

	for (size_t i = 0; i < c->sim->n_periphs; i++) {
		snprintf(path, sizeof(path), SIM_CTL_PATH "/dev_%s", c->sim->periphs[i]->address);
		for (x = path; *x; x++)
			if (*x == ':')
				*x = '_';
		r = sd_bus_add_object_vtable(c->bus, &c->machine_slots[i], path,
					     SIM_CTL_MACHINE_IFACE, machine_vtable,
					     c->sim->periphs[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Without the name the simulator still works, only uncontrolled: on a real system bus
 * (--ble) owning org.backride.Sim needs a bus policy that a user may not have installed.
 */
static int on_name_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	const sd_bus_error *e = sd_bus_message_get_error(m);

	if (e)
		log_warning("Cannot own %s, so 'backride-sim ctl' cannot reach this simulator: %s",
			    SIM_CTL_SERVICE, e->message ? e->message : e->name);
	return 0;
}

int ctl_new(struct sim *sim, struct ctl **ret)
{
	struct ctl *c;
	int r;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->sim = sim;
	r = bus_open_by_name(sim->opt->bus, "backride-sim-ctl", &c->bus);
	if (r >= 0)
		r = sd_bus_add_object_vtable(c->bus, &c->slot, SIM_CTL_PATH, SIM_CTL_IFACE,
					     ctl_vtable, c);
	if (r >= 0)
		r = ctl_export_machines(c);
	if (r >= 0)
		r = sd_bus_request_name_async(c->bus, &c->name_slot, SIM_CTL_SERVICE, 0,
					      on_name_reply, c);
	if (r >= 0)
		r = bus_source_new(sim->loop, c->bus, ctl_bus_lost, c, &c->src);
	if (r < 0) {
		ctl_free(c);
		return r;
	}
	*ret = c;
	return 0;
}

void ctl_free(struct ctl *c)
{
	if (!c)
		return;
	bus_source_close(c->src);
	sd_bus_slot_unref(c->name_slot);
	for (size_t i = 0; i < SIM_MAX_DEVICES; i++)
		sd_bus_slot_unref(c->machine_slots[i]);
	sd_bus_slot_unref(c->slot);
	if (c->bus)
		sd_bus_flush_close_unref(c->bus);
	free(c);
}
