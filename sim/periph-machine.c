/* SPDX-License-Identifier: MIT */
/* The FTMS side of a simulated bike or treadmill: GATT layout, data, control point. */
#include "periph.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "later.h"
#include "quirks.h"

#define UUID16_DIS	     0x180A
#define UUID16_MANUFACTURER  0x2A29
#define UUID16_MODEL	     0x2A24
#define KMH_PER_MPH	     1.609344
#define MPH_FIRMWARE_MAX_KMH 20.0

static void machine_features(const struct periph *p, struct ftms_features *f)
{
	if (p->kind == SIM_BIKE) {
		f->machine = FTMS_FEAT_CADENCE | FTMS_FEAT_TOTAL_DISTANCE |
			     FTMS_FEAT_RESISTANCE_LEVEL | FTMS_FEAT_EXPENDED_ENERGY |
			     FTMS_FEAT_HEART_RATE | FTMS_FEAT_ELAPSED_TIME | FTMS_FEAT_POWER;
		f->target = FTMS_TARGET_RESISTANCE;
		if (!p->resistance_only)
			f->target |= FTMS_TARGET_POWER;
		return;
	}
	f->machine = FTMS_FEAT_TOTAL_DISTANCE | FTMS_FEAT_INCLINATION | FTMS_FEAT_ELEVATION_GAIN |
		     FTMS_FEAT_EXPENDED_ENERGY | FTMS_FEAT_HEART_RATE | FTMS_FEAT_ELAPSED_TIME;
	f->target = FTMS_TARGET_SPEED | FTMS_TARGET_INCLINATION;
}

static void add_ranges(struct periph *p, bool bike)
{
	if (bike) {
		periph_add_char(p, FTMS_UUID16_RESISTANCE_RANGE, ATT_PROP_READ);
		if (!p->resistance_only)
			periph_add_char(p, FTMS_UUID16_POWER_RANGE, ATT_PROP_READ);
	} else {
		periph_add_char(p, FTMS_UUID16_SPEED_RANGE, ATT_PROP_READ);
		if (!periph_quirk(p, SQ_NO_INCLINATION_RANGE))
			periph_add_char(p, FTMS_UUID16_INCLINATION_RANGE, ATT_PROP_READ);
	}
}

void periph_machine_setup(struct periph *p)
{
	struct ftms_features f = { 0 };
	bool bike = p->kind == SIM_BIKE;

	periph_add_service(p, UUID16_DIS, false);
	periph_add_char(p, UUID16_MANUFACTURER, ATT_PROP_READ);
	periph_add_char(p, UUID16_MODEL, ATT_PROP_READ);
	periph_add_service(p, FTMS_UUID16_SERVICE, false);
	periph_add_char(p, FTMS_UUID16_FEATURE, ATT_PROP_READ);
	periph_add_char(p, bike ? FTMS_UUID16_INDOOR_BIKE_DATA : FTMS_UUID16_TREADMILL_DATA,
			ATT_PROP_NOTIFY);
	/* Quirks leave characteristics out, as some machines do (sim/README.md, "Quirks"). */
	if (!periph_quirk(p, SQ_NO_TRAINING_STATUS))
		periph_add_char(p, FTMS_UUID16_TRAINING_STATUS, ATT_PROP_READ | ATT_PROP_NOTIFY);
	if (!periph_quirk(p, SQ_NO_RANGES))
		add_ranges(p, bike);
	/* A machine that only sends data: no control point (FTMS v1.0 lists it as optional). */
	if (!periph_quirk(p, SQ_NO_CONTROL_POINT))
		periph_add_char(p, FTMS_UUID16_CONTROL_POINT, ATT_PROP_WRITE | ATT_PROP_INDICATE);
	if (!periph_quirk(p, SQ_NO_MACHINE_STATUS))
		periph_add_char(p, FTMS_UUID16_MACHINE_STATUS, ATT_PROP_NOTIFY);

	machine_features(p, &f);
	ftms_server_init(&p->ftms, &f);
	p->ftms.cold_start = periph_quirk(p, SQ_COLD_START);
	if (bike) {
		bike_model_init(&p->bike, p->sim->opt->seed);
		const int32_t *pr = p->sim->opt->power_range, *rr = p->sim->opt->resistance_range;

		/* Quirk resistance-units: range and targets in whole levels, not tenths. */
		int32_t unit = periph_quirk(p, SQ_RESISTANCE_UNITS) ? 10 : 1;

		ftms_server_set_range(&p->ftms, FTMS_RANGE_RESISTANCE, rr[0] / unit, rr[1] / unit,
				      (uint32_t) MAX(rr[2] / unit, 1));
		if (!p->resistance_only)
			ftms_server_set_range(&p->ftms, FTMS_RANGE_POWER, pr[0], pr[1],
					      (uint32_t) pr[2]);
		p->bike.max_power_w = pr[1];
		p->bike.max_resistance = rr[1] / 10.0;
	} else {
		treadmill_model_init(&p->tm);
		const int32_t *sr = p->sim->opt->speed_range;

		/* Without its characteristic the range still holds: the control point refuses a
		 * target outside it with Invalid Parameter (FTMS §4.16.2). */
		ftms_server_set_range(&p->ftms, FTMS_RANGE_SPEED, sr[0], sr[1], (uint32_t) sr[2]);
		ftms_server_set_range(&p->ftms, FTMS_RANGE_INCLINATION, -30, 150, 5);
	}
}

static int bike_data(struct periph *p, uint16_t present, uint8_t *buf, size_t len)
{
	const struct bike_model *b = &p->bike;
	struct ftms_indoor_bike_data d = {
		.present = present,
		.inst_speed = (uint16_t) lround(b->speed_kmh * 100),
		.inst_cadence = (uint16_t) lround(b->cadence_rpm * 2),
		.total_distance = (uint32_t) fmin(b->distance_m, 0xFFFFFF),
		.resistance = (int16_t) lround(b->resistance),
		.inst_power = (int16_t) lround(b->power_w),
		.total_energy = (uint16_t) fmin(b->energy_kcal, 0xFFFE),
		.energy_per_hour = (uint16_t) lround(b->power_w * 3.6),
		.energy_per_minute = (uint8_t) fmin(lround(b->power_w * 0.06), 0xFE),
		.heart_rate = (uint8_t) hr_model_bpm(&p->hr),
		.elapsed_time = (uint16_t) fmin(b->elapsed_s, 0xFFFF),
	};

	return ftms_ibd_encode(&d, buf, len);
}

static int treadmill_data(struct periph *p, uint16_t present, uint8_t *buf, size_t len)
{
	const struct treadmill_model *t = &p->tm;
	struct ftms_treadmill_data d = {
		.present = present,
		.inst_speed = (uint16_t) lround(t->speed_kmh * 100),
		.total_distance = (uint32_t) fmin(t->distance_m, 0xFFFFFF),
		.inclination = (int16_t) lround(t->incline_pct * 10),
		.ramp_angle = (int16_t) lround(atan(t->incline_pct / 100) * 1800 / M_PI),
		.pos_elevation_gain = (uint16_t) fmin(t->elevation_gain_m * 10, 0xFFFF),
		.total_energy = (uint16_t) fmin(t->energy_kcal, 0xFFFE),
		.energy_per_hour = (uint16_t) lround(treadmill_model_effort(t) * 3.6),
		.energy_per_minute = (uint8_t) fmin(lround(treadmill_model_effort(t) * 0.06), 0xFE),
		.heart_rate = (uint8_t) hr_model_bpm(&p->hr),
		.elapsed_time = (uint16_t) fmin(t->elapsed_s, 0xFFFF),
	};

	return ftms_treadmill_encode(&d, buf, len);
}

#define BIKE_FIELDS                                                              \
	(FTMS_IBD_INST_SPEED | FTMS_IBD_INST_CADENCE | FTMS_IBD_TOTAL_DISTANCE | \
	 FTMS_IBD_RESISTANCE | FTMS_IBD_INST_POWER | FTMS_IBD_EXPENDED_ENERGY |  \
	 FTMS_IBD_HEART_RATE | FTMS_IBD_ELAPSED_TIME)
#define BIKE_FRAGMENT1 (FTMS_IBD_TOTAL_DISTANCE | FTMS_IBD_EXPENDED_ENERGY | FTMS_IBD_ELAPSED_TIME)
#define TM_FIELDS                                                                \
	(FTMS_TM_INST_SPEED | FTMS_TM_TOTAL_DISTANCE | FTMS_TM_INCLINATION |     \
	 FTMS_TM_ELEVATION_GAIN | FTMS_TM_EXPENDED_ENERGY | FTMS_TM_HEART_RATE | \
	 FTMS_TM_ELAPSED_TIME)
#define TM_FRAGMENT1 (FTMS_TM_TOTAL_DISTANCE | FTMS_TM_ELEVATION_GAIN | FTMS_TM_EXPENDED_ENERGY)

int periph_machine_data(struct periph *p, uint8_t *buf, size_t len)
{
	if (p->kind == SIM_BIKE)
		return bike_data(p, BIKE_FIELDS, buf, len);
	return treadmill_data(p, TM_FIELDS, buf, len);
}

/* Damage a frame on purpose (faults "truncate" and "malformed"). */
static size_t damage(const struct periph *p, uint8_t *buf, size_t n)
{
	if (p->fault[PF_MALFORMED] && n >= 2) {
		/* Flags announce every field (and RFU bits) that the payload does not carry. */
		buf[0] = 0xFE;
		buf[1] = 0xFF;
	}
	if (p->fault[PF_TRUNCATE] && n > 3)
		n -= 3;
	return n;
}

static void send_data(struct periph *p, struct periph_char *c, uint16_t present)
{
	uint8_t buf[40];
	int n;

	if (p->kind == SIM_BIKE)
		n = bike_data(p, present, buf, sizeof(buf));
	else
		n = treadmill_data(p, present, buf, sizeof(buf));
	if (n < 0)
		return;
	/* Quirk cadence-flag-inverted: bit 2 set means no cadence, as the v1.0 table's erratum
	 * reads (Life Fitness bikes, ftms-reference §3.1). */
	if (p->kind == SIM_BIKE && periph_quirk(p, SQ_CADENCE_FLAG_INVERTED))
		buf[0] ^= FTMS_IBD_INST_CADENCE;
	periph_notify(p, c, buf, damage(p, buf, (size_t) n));
}

/*
 * Quirk split-records: one record in three notifications split at other fields, the one that
 * closes it (More Data = 0, the speed alone, flags 00 00 as Stages SB20 sends it) in the
 * middle, so part of each record comes after its end (TrackMyIndoorWorkout#234; resistance
 * after cadence and power: qdomyos-zwift ftmsbike.cpp).
 */
static void send_split(struct periph *p, struct periph_char *c, uint16_t all)
{
	uint16_t first = p->kind == SIM_BIKE ? FTMS_IBD_INST_CADENCE | FTMS_IBD_INST_POWER
					     : FTMS_TM_INCLINATION | FTMS_TM_ELEVATION_GAIN;

	send_data(p, c, all & first);
	send_data(p, c, all & FTMS_IBD_INST_SPEED); /* bit 0 is the speed in both */
	send_data(p, c, all & ~(first | FTMS_IBD_INST_SPEED));
}

/*
 * Fault "garbage-data": random bytes of a length a data record can have (2 bytes of flags up
 * to every field), so that some parse, some are fragments (More Data) and some are too short
 * for their flags: a machine whose firmware or link corrupts everything it sends.
 */
static void send_garbage(struct periph *p, struct periph_char *c)
{
	size_t max = p->kind == SIM_BIKE ? ftms_ibd_size(FTMS_IBD_ALL)
					 : ftms_treadmill_size(FTMS_TM_ALL);
	uint8_t buf[40];
	size_t n;

	max = MIN(max, (size_t) p->sim->opt->mtu - 3);
	n = 2 + (size_t) (rng_next(&p->garbage) % (max - 1));

	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t) (rng_next(&p->garbage) >> 56);
	periph_notify(p, c, buf, n);
}

void periph_machine_tick(struct periph *p)
{
	uint16_t all = p->kind == SIM_BIKE ? BIKE_FIELDS : TM_FIELDS;
	uint16_t first = p->kind == SIM_BIKE ? BIKE_FRAGMENT1 : TM_FRAGMENT1;
	size_t need = p->kind == SIM_BIKE ? ftms_ibd_size(all) : ftms_treadmill_size(all);
	struct periph_char *c;

	if (!p->connected || p->fault[PF_STOP_NOTIFY] || p->flood_done)
		return;
	c = periph_char_by_uuid(p, p->kind == SIM_BIKE ? FTMS_UUID16_INDOOR_BIKE_DATA
						       : FTMS_UUID16_TREADMILL_DATA);
	if (!c)
		return;
	if (p->fault[PF_GARBAGE_DATA]) {
		send_garbage(p, c);
		return;
	}
	/* Quirk more-data-always: More Data set in every notification, so the speed is never
	 * there and no notification ends a record. */
	if (periph_quirk(p, SQ_MORE_DATA_ALWAYS))
		all &= (uint16_t) ~FTMS_IBD_INST_SPEED;
	if (periph_quirk(p, SQ_SPLIT_RECORDS)) {
		send_split(p, c, all);
		return;
	}
	if (need <= p->sim->opt->mtu - 3) {
		send_data(p, c, all);
		return;
	}
	/* Too long for one notification: two fragments, More Data set on the first (§3.2). */
	send_data(p, c, first);
	send_data(p, c, all & ~first);
}

static int machine_range(struct periph *p, enum ftms_range_kind kind, uint8_t *buf, size_t *len)
{
	int r;

	if (!p->ftms.has_range[kind])
		return ATT_ECODE_UNLIKELY;
	r = ftms_range_encode(kind, &p->ftms.ranges[kind], buf, *len);
	if (r < 0)
		return ATT_ECODE_UNLIKELY;
	*len = (size_t) r;
	return 0;
}

int periph_machine_read(struct periph *p, struct periph_char *c, uint8_t *buf, size_t *len)
{
	const char *s = NULL;
	int r;

	switch (c->uuid16) {
	case UUID16_MANUFACTURER:
		s = "backride-sim";
		break;
	case UUID16_MODEL:
		s = p->kind == SIM_BIKE ? (p->resistance_only ? "SIM-BIKE-R" : "SIM-BIKE-ERG")
					: (p->mph_firmware ? "SIM-TREAD-MPH" : "SIM-TREAD");
		break;
	case FTMS_UUID16_FEATURE:
		r = ftms_features_encode(&p->ftms.features, buf, *len);
		break;
	case FTMS_UUID16_TRAINING_STATUS:
		r = ftms_server_training_value(&p->ftms, buf, *len);
		break;
	case FTMS_UUID16_SPEED_RANGE:
		return machine_range(p, FTMS_RANGE_SPEED, buf, len);
	case FTMS_UUID16_INCLINATION_RANGE:
		return machine_range(p, FTMS_RANGE_INCLINATION, buf, len);
	case FTMS_UUID16_RESISTANCE_RANGE:
		return machine_range(p, FTMS_RANGE_RESISTANCE, buf, len);
	case FTMS_UUID16_POWER_RANGE:
		return machine_range(p, FTMS_RANGE_POWER, buf, len);
	default:
		return ATT_ECODE_READ_NOT_PERMITTED;
	}
	if (s) {
		*len = MIN(strlen(s), *len);
		memcpy(buf, s, *len);
		return 0;
	}
	if (r < 0)
		return ATT_ECODE_UNLIKELY;
	*len = (size_t) r;
	return 0;
}

void periph_machine_apply(struct periph *p, const struct ftms_cp_request *req)
{
	double kmh, level;

	switch (req->op) {
	case FTMS_CP_RESET:
		if (p->kind == SIM_BIKE)
			bike_model_reset(&p->bike);
		else
			treadmill_model_reset(&p->tm);
		break;
	case FTMS_CP_START_RESUME:
		p->bike.running = p->tm.running = true;
		break;
	case FTMS_CP_STOP_PAUSE:
		p->bike.running = p->tm.running = false;
		break;
	case FTMS_CP_SET_TARGET_POWER:
		bike_model_set_power(&p->bike, req->param.power);
		break;
	case FTMS_CP_SET_TARGET_RESISTANCE:
		/* Quirk resistance-units: the parameter read as whole levels (SmartSpin2k). */
		level = req->param.resistance.level;
		if (!periph_quirk(p, SQ_RESISTANCE_UNITS))
			level /= 10;
		bike_model_set_resistance(&p->bike, level);
		break;
	case FTMS_CP_SET_TARGET_SPEED:
		kmh = req->param.speed / 100.0;
		/* A firmware that reads the km/h value as mph (Horizon T202, reference §12.2). */
		if (p->mph_firmware)
			kmh = fmin(kmh * KMH_PER_MPH, MPH_FIRMWARE_MAX_KMH);
		p->tm.target_speed_kmh = kmh;
		break;
	case FTMS_CP_SET_TARGET_INCLINATION:
		p->tm.target_incline_pct = req->param.inclination / 10.0;
		break;
	default:
		break;
	}
}

/* The targets the quirk ignore-target ignores: the main one of each machine, speed or power
 * (and resistance); the incline and Start/Stop still work, as reported. */
static bool ignored_op(uint8_t op)
{
	return op == FTMS_CP_SET_TARGET_SPEED || op == FTMS_CP_SET_TARGET_POWER ||
	       op == FTMS_CP_SET_TARGET_RESISTANCE;
}

void periph_machine_status(struct periph *p, const uint8_t *v, size_t n)
{
	struct periph_char *c = periph_char_by_uuid(p, FTMS_UUID16_MACHINE_STATUS);

	if (c && !p->fault[PF_STOP_NOTIFY])
		periph_notify(p, c, v, n);
}

void periph_machine_training(struct periph *p)
{
	struct periph_char *c = periph_char_by_uuid(p, FTMS_UUID16_TRAINING_STATUS);
	uint8_t buf[8];
	int n = ftms_server_training_value(&p->ftms, buf, sizeof(buf));

	if (c && n > 0 && !p->fault[PF_STOP_NOTIFY])
		periph_notify(p, c, buf, (size_t) n);
}

static void cp_respond(void *userdata)
{
	struct periph *p = userdata;
	struct periph_char *c = periph_char_by_uuid(p, FTMS_UUID16_CONTROL_POINT);

	p->cp_busy = false;
	/* Quirk cp-no-indicate: the request is carried out, no response follows. */
	if (!p->fault[PF_CP_OMIT] && !periph_quirk(p, SQ_CP_NO_INDICATE) && c)
		periph_notify(p, c, p->cp_resp, p->cp_resp_len);
	if (p->cp_status_len > 0)
		periph_machine_status(p, p->cp_status, (size_t) p->cp_status_len);
	if (p->cp_training)
		periph_machine_training(p);
}

static int machine_cp_write(struct periph *p, struct periph_char *c, const uint8_t *v, size_t n)
{
	struct ftms_server_event ev;
	unsigned delay = p->sim->opt->att_latency_ms + 1;
	int r;

	if (!(c->cccd & CCCD_INDICATE))
		return ATT_ECODE_CCCD_IMPROPER;
	if (p->cp_busy)
		return ATT_ECODE_PROC_IN_PROGRESS;
	r = ftms_server_write(&p->ftms, v, n, &ev);
	if (r < 0)
		return ATT_ECODE_UNLIKELY;
	if (ev.att_error)
		return ev.att_error;
	/* ignore-target: answered with success, and the machine does not change (hassio-ftms#26:
	 * a treadmill whose speed writes have no effect while Start, Stop and incline work). */
	if (ev.result == FTMS_CP_SUCCESS &&
	    !(periph_quirk(p, SQ_IGNORE_TARGET) && ignored_op(ev.req.op)))
		periph_machine_apply(p, &ev.req);
	memcpy(p->cp_resp, ev.response, ev.response_len);
	p->cp_resp_len = ev.response_len;
	/* Quirk cp-wrong-opcode: the response names the request before this one. */
	if (periph_quirk(p, SQ_CP_WRONG_OPCODE) && ev.response_len >= 3) {
		p->cp_resp[1] = p->cp_prev_op;
		p->cp_prev_op = ev.req.op;
	}
	p->cp_status_len = 0;
	if (ev.has_status)
		p->cp_status_len =
			ftms_machine_status_encode(&ev.status, p->cp_status, sizeof(p->cp_status));
	p->cp_training = ev.training_changed;
	p->cp_busy = true;
	if (p->fault[PF_CP_DELAY])
		delay += p->cp_delay_ms;
	r = later_start(p->sim->loop, delay, cp_respond, p, &p->cp_later);
	if (r < 0)
		p->cp_busy = false;
	return r < 0 ? ATT_ECODE_UNLIKELY : 0;
}

int periph_machine_write(struct periph *p, struct periph_char *c, const uint8_t *v, size_t n)
{
	if (c->uuid16 == FTMS_UUID16_CONTROL_POINT)
		return machine_cp_write(p, c, v, n);
	return ATT_ECODE_WRITE_NOT_PERMITTED;
}

void periph_machine_link_lost(struct periph *p)
{
	ftms_server_link_lost(&p->ftms);
	if (p->ftms.cold_start)
		p->bike.running = p->tm.running = false;
}

int periph_lose_control(struct periph *p)
{
	uint8_t buf[4];
	int n;

	if (p->kind == SIM_HR)
		return -EOPNOTSUPP;
	n = ftms_server_revoke_control(&p->ftms, buf, sizeof(buf));
	if (n < 0)
		return n;
	periph_machine_status(p, buf, (size_t) n);
	return 0;
}

int periph_safety_key(struct periph *p)
{
	uint8_t buf[4];
	int n;

	if (p->kind != SIM_TREADMILL)
		return -EOPNOTSUPP;
	periph_advance(p);
	treadmill_model_safety_stop(&p->tm);
	n = ftms_server_user_stop(&p->ftms, FTMS_STATUS_STOPPED_BY_SAFETY_KEY, buf, sizeof(buf));
	if (n < 0)
		return n;
	periph_machine_status(p, buf, (size_t) n);
	periph_machine_training(p);
	return 0;
}
