/* SPDX-License-Identifier: MIT */
/* The machine's own console: its buttons and target keys, as the user presses them. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "periph.h"

/* The control point request a button does; the status it causes is that request's twin. */
static int console_request(const struct periph *p, const char *button, double value,
			   struct ftms_cp_request *ret)
{
	*ret = (struct ftms_cp_request) { 0 };
	if (strcmp(button, "stop") == 0 || strcmp(button, "pause") == 0) {
		ret->op = FTMS_CP_STOP_PAUSE;
		ret->param.stop_pause = strcmp(button, "stop") == 0 ? FTMS_STOP : FTMS_PAUSE;
	} else if (strcmp(button, "start") == 0) {
		ret->op = FTMS_CP_START_RESUME;
	} else if (strcmp(button, "reset") == 0) {
		ret->op = FTMS_CP_RESET;
	} else if (!isfinite(value) || fabs(value) > 10000) {
		return -EINVAL;
	} else if (strcmp(button, "power") == 0) {
		ret->op = FTMS_CP_SET_TARGET_POWER;
		ret->param.power = (int16_t) lround(value);
	} else if (strcmp(button, "resistance") == 0) {
		ret->op = FTMS_CP_SET_TARGET_RESISTANCE;
		ret->param.resistance.level = (int16_t) lround(value * 10);
	} else if (strcmp(button, "speed") == 0) {
		if (value < 0)
			return -EINVAL;
		ret->op = FTMS_CP_SET_TARGET_SPEED;
		ret->param.speed = (uint16_t) lround(value * 100);
	} else if (strcmp(button, "incline") == 0) {
		ret->op = FTMS_CP_SET_TARGET_INCLINATION;
		ret->param.inclination = (int16_t) lround(value * 10);
	} else {
		return -EINVAL;
	}
	return 0;
}

int periph_console(struct periph *p, const char *button, double value)
{
	struct ftms_cp_request req;
	struct ftms_server_event ev;
	uint8_t buf[20];
	int n, r;

	if (p->kind == SIM_HR || p->kind == SIM_KEISER)
		return -EOPNOTSUPP;
	if (p->kind == SIM_WALKINGPAD)
		return periph_pad_remote(p, button, value); /* its remote: no status to notify */
	r = console_request(p, button, value, &req);
	if (r < 0)
		return r;
	periph_advance(p);
	r = ftms_server_console(&p->ftms, &req, &ev);
	if (r < 0)
		return r;
	periph_machine_apply(p, &ev.req);
	/* A treadmill started at its console with no speed set runs at its least speed. */
	if (req.op == FTMS_CP_START_RESUME && p->kind == SIM_TREADMILL &&
	    p->tm.target_speed_kmh <= 0)
		p->tm.target_speed_kmh = p->ftms.ranges[FTMS_RANGE_SPEED].min / 100.0;
	n = ftms_machine_status_encode(&ev.status, buf, sizeof(buf));
	if (n < 0)
		return n;
	periph_machine_status(p, buf, (size_t) n);
	if (ev.training_changed)
		periph_machine_training(p);
	return 0;
}
