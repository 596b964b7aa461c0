/* SPDX-License-Identifier: MIT */
/* The connected FTMS machine as core's machine driver: its link and its control point. A
 * WalkingPad's link goes to its own driver (driver-walkingpad.c), chosen per connection. */
#include "bluez.h"

#include "bluez-internal.h"
#include "driver.h"
#include "policy.h"

static enum driver_link ftms_link(void *data)
{
	enum link_state st = bluez_link_state(data, LINK_ROLE_MACHINE, NULL);

	return st == LINK_STATE_READY  ? DRIVER_LINK_READY
	       : st == LINK_STATE_IDLE ? DRIVER_LINK_IDLE
				       : DRIVER_LINK_PENDING;
}

static void ftms_expect_data(void *data, bool expect)
{
	bluez_link_set_expect_data(data, LINK_ROLE_MACHINE, expect);
}

static int ftms_request_control(void *data)
{
	if (bz_pad_machine(data))
		return bz_pad_ops.request_control(data);
	return bluez_request_control(data);
}

static int ftms_set_target(void *data, enum driver_target t, int32_t value)
{
	if (bz_pad_machine(data))
		return bz_pad_ops.set_target(data, t, value);
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
	if (bz_pad_machine(data))
		return bz_pad_ops.start(data);
	return bluez_start_resume(data);
}

static int ftms_stop(void *data, bool pause)
{
	if (bz_pad_machine(data))
		return bz_pad_ops.stop(data, pause);
	return bluez_stop_pause(data, pause);
}

static int ftms_reset(void *data)
{
	if (bz_pad_machine(data))
		return -EOPNOTSUPP; /* no reset on the pad */
	return bluez_reset(data);
}

static int ftms_release(void *data)
{
	if (bz_pad_machine(data))
		return bz_pad_ops.release(data);
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
	*ret = (struct machine_driver) { .ops = &ftms_ops, .data = b };
}

/* ---- the BlueZ client as the registry's transport (machine_link_ops) ------------------ */

static int link_adapter_state(void *data)
{
	return bluez_adapter_state(data);
}

static int link_scan_start(void *data, unsigned seconds)
{
	return bluez_scan_start(data, seconds);
}

static int link_scan_stop(void *data)
{
	return bluez_scan_stop(data);
}

static bool link_scanning(void *data)
{
	return bluez_scanning(data);
}

static int link_device_get(void *data, const char *address, struct device_info *ret)
{
	return bluez_device_get(data, address, ret);
}

static int link_pair(void *data, const char *address, driver_done_fn done, void *userdata)
{
	return bluez_pair(data, address, done, userdata);
}

static int link_remove(void *data, const char *address)
{
	return bluez_remove(data, address);
}

static int link_start(void *data, enum link_role role, const char *address,
		      enum machine_protocol protocol, int resistance_form, driver_done_fn done,
		      void *userdata)
{
	return bluez_link_start(data, role, address, protocol, resistance_form, done, userdata);
}

static int link_stop(void *data, enum link_role role)
{
	return bluez_link_stop(data, role);
}

static enum link_state link_state(void *data, enum link_role role, const char **ret_address)
{
	return bluez_link_state(data, role, ret_address);
}

static void link_machine_driver(void *data, struct machine_driver *ret)
{
	bluez_machine_driver(data, ret);
}

static void link_free(void *data)
{
	bluez_free(data);
}

static const struct machine_link_ops link_ops = {
	.address_normalize = policy_address_normalize,
	.adapter_state = link_adapter_state,
	.scan_start = link_scan_start,
	.scan_stop = link_scan_stop,
	.scanning = link_scanning,
	.device_get = link_device_get,
	.pair = link_pair,
	.remove = link_remove,
	.link_start = link_start,
	.link_stop = link_stop,
	.link_state = link_state,
	.release_control = ftms_release,
	.machine_driver = link_machine_driver,
	.free = link_free,
};

void bluez_machine_links(struct bluez *b, struct machine_links *ret)
{
	*ret = (struct machine_links) { .ops = &link_ops, .data = b };
}
