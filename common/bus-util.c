/* SPDX-License-Identifier: MIT */
#include "bus-util.h"

#include <errno.h>

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
