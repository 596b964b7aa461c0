/* SPDX-License-Identifier: MIT */
/*
 * Control targets on the connected machine. The session engine's safety envelope sits in
 * front of these; here every value is still clamped into the machine's supported range and
 * into fixed hard limits, so no unbounded value ever reaches a machine.
 */
#include <errno.h>

#include "bluez-internal.h"

static struct bz_link *machine(struct bluez *b)
{
	struct bz_link *l = &b->links[LINK_ROLE_MACHINE];

	return l->state == LINK_STATE_READY ? l : NULL;
}

static int32_t clamp_range(const struct bz_link *l, enum ftms_range_kind k, int32_t v, int32_t lo,
			   int32_t hi)
{
	if (l->has_range[k]) {
		lo = MAX(lo, l->ranges[k].min);
		hi = MIN(hi, l->ranges[k].max);
	}
	if (lo > hi)
		return lo; /* a range outside the hard limits: stay at the hard floor */
	return CLAMP(v, lo, hi);
}

static int submit(struct bluez *b, struct ftms_cp_request *req)
{
	struct bz_link *l = machine(b);

	if (!l)
		return -ENOTCONN;
	if (!l->chr[BZ_CHR_CP])
		return -EOPNOTSUPP; /* a machine that only sends data */
	/* Features are hints (§2), but a target the machine says it lacks is not sent. */
	if ((l->features.machine || l->features.target) &&
	    !ftms_features_supports_op(&l->features, req->op))
		return -EOPNOTSUPP;
	return cp_queue_submit(&l->cp, req);
}

int bluez_request_control(struct bluez *b)
{
	struct ftms_cp_request req = { .op = FTMS_CP_REQUEST_CONTROL };

	return submit(b, &req);
}

int bluez_set_target_power(struct bluez *b, int32_t watts)
{
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_POWER };
	struct bz_link *l = machine(b);

	if (!l)
		return -ENOTCONN;
	req.param.power = (int16_t) clamp_range(l, FTMS_RANGE_POWER, watts, 0, BLUEZ_MAX_POWER_W);
	return submit(b, &req);
}

int bluez_set_target_resistance(struct bluez *b, int32_t level_d)
{
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_RESISTANCE };
	struct bz_link *l = machine(b);

	if (!l)
		return -ENOTCONN;
	req.param.resistance.level =
		(int16_t) clamp_range(l, FTMS_RANGE_RESISTANCE, level_d, 0, BLUEZ_MAX_RESISTANCE_D);
	/* A machine that takes whole levels (gatt.c, resistance_units()). */
	if (l->resistance_whole)
		req.param.resistance.level = (int16_t) ((req.param.resistance.level + 5) / 10);
	return submit(b, &req);
}

int bluez_set_target_speed(struct bluez *b, int32_t ckmh)
{
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_SPEED };
	struct bz_link *l = machine(b);

	if (!l)
		return -ENOTCONN;
	req.param.speed =
		(uint16_t) clamp_range(l, FTMS_RANGE_SPEED, ckmh, 0, BLUEZ_MAX_SPEED_CKMH);
	return submit(b, &req);
}

int bluez_set_target_inclination(struct bluez *b, int32_t dpct)
{
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_INCLINATION };
	struct bz_link *l = machine(b);

	if (!l)
		return -ENOTCONN;
	req.param.inclination = (int16_t) clamp_range(
		l, FTMS_RANGE_INCLINATION, dpct, BLUEZ_MIN_INCLINE_DPCT, BLUEZ_MAX_INCLINE_DPCT);
	return submit(b, &req);
}

int bluez_start_resume(struct bluez *b)
{
	struct ftms_cp_request req = { .op = FTMS_CP_START_RESUME };

	return submit(b, &req);
}

int bluez_stop_pause(struct bluez *b, bool pause)
{
	struct ftms_cp_request req = { .op = FTMS_CP_STOP_PAUSE };

	req.param.stop_pause = pause ? FTMS_PAUSE : FTMS_STOP;
	return submit(b, &req);
}

int bluez_reset(struct bluez *b)
{
	struct ftms_cp_request req = { .op = FTMS_CP_RESET };

	return submit(b, &req);
}

int bluez_release_control(struct bluez *b)
{
	struct bz_link *l = machine(b);

	if (!l)
		return -ENOTCONN;
	if (!l->chr[BZ_CHR_CP])
		return 1; /* never had control */
	return cp_queue_release(&l->cp);
}
