/* SPDX-License-Identifier: MIT */
#include "bus-util.h"

#include <errno.h>
#include <string.h>

int bus_dict_foreach(sd_bus_message *m, bus_dict_fn fn, void *userdata)
{
	const char *key;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{sv}");
	if (r <= 0)
		return r < 0 ? r : -ENXIO; /* at the end of the enclosing container */
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &key);
		if (r >= 0)
			r = fn(m, key, userdata);
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	r = sd_bus_message_exit_container(m);
	return r < 0 ? r : 0;
}

int bus_open_by_name(const char *name, const char *description, sd_bus **ret)
{
	sd_bus *bus = NULL;
	int r;

	if (!name || !*name)
		return -EINVAL;
	if (strcmp(name, "system") == 0)
		r = sd_bus_open_system_with_description(&bus, description);
	else if (strcmp(name, "session") == 0 || strcmp(name, "user") == 0)
		r = sd_bus_open_user_with_description(&bus, description);
	else {
		r = sd_bus_new(&bus);
		if (r < 0)
			return r;
		(void) sd_bus_set_description(bus, description);
		r = sd_bus_set_address(bus, name);
		if (r >= 0)
			r = sd_bus_set_bus_client(bus, 1);
		if (r >= 0)
			r = sd_bus_set_trusted(bus, 0);
		if (r >= 0)
			r = sd_bus_start(bus);
		if (r < 0) {
			sd_bus_unref(bus);
			return r;
		}
	}
	if (r < 0)
		return r;
	*ret = bus;
	return 0;
}
