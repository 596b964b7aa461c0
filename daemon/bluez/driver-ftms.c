/* SPDX-License-Identifier: MIT */
/* The connected FTMS machine as core's machine driver: its link and its control point. */
#include "bluez.h"

#include "driver.h"

static enum driver_link ftms_link(void *data)
{
	enum bluez_link_state st = bluez_link_state(data, BLUEZ_ROLE_MACHINE, NULL);

	return st == BLUEZ_LINK_READY  ? DRIVER_LINK_READY
	       : st == BLUEZ_LINK_IDLE ? DRIVER_LINK_IDLE
				       : DRIVER_LINK_PENDING;
}

static void ftms_expect_data(void *data, bool expect)
{
	bluez_link_set_expect_data(data, BLUEZ_ROLE_MACHINE, expect);
}

static int ftms_request_control(void *data)
{
	return bluez_request_control(data);
}

static int ftms_set_target(void *data, enum driver_target t, int32_t value)
{
	switch (t) {
	case DRIVER_TARGET_POWER:
		return bluez_set_target_power(data, value);
	case DRIVER_TARGET_RESISTANCE:
		return bluez_set_target_resistance(data, value);
	case DRIVER_TARGET_SPEED:
		return bluez_set_target_speed(data, value);
	case DRIVER_TARGET_INCLINATION:
		return bluez_set_target_inclination(data, value);
	}
	return -EINVAL;
}

static int ftms_start(void *data)
{
	return bluez_start_resume(data);
}

static int ftms_stop(void *data, bool pause)
{
	return bluez_stop_pause(data, pause);
}

static int ftms_reset(void *data)
{
	return bluez_reset(data);
}

static int ftms_release(void *data)
{
	return bluez_release_control(data);
}

static const struct machine_driver_ops ftms_ops = {
	.link = ftms_link,
	.expect_data = ftms_expect_data,
	.request_control = ftms_request_control,
	.set_target = ftms_set_target,
	.start = ftms_start,
	.stop = ftms_stop,
	.reset = ftms_reset,
	.release = ftms_release,
};

void bluez_machine_driver(struct bluez *b, struct machine_driver *ret)
{
	*ret = (struct machine_driver){ .ops = &ftms_ops, .data = b };
}
