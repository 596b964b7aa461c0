/* SPDX-License-Identifier: MIT */
/*
 * Device1.ManufacturerData (a{qv}) as bluetoothd shows it: the property exists once an advert
 * carried manufacturer data, and changes with every advert whose data differs, or with every
 * advert at all while a client discovers with DuplicateData (src/device.c,
 * device_set_manufacturer_data(): with duplicate set the old data is cleared first, so the
 * same bytes are a change again). One company per device is enough for the Keiser M3i.
 */
#include <string.h>

#include "btd-internal.h"
#include "macro.h"

static int prop_get_mfr(sd_bus *bus, const char *path, const char *iface, const char *prop,
			sd_bus_message *reply, void *userdata, sd_bus_error *e)
{
	struct btd_device *d = userdata;
	int r;

	r = sd_bus_message_open_container(reply, 'a', "{qv}");
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'e', "qv");
	if (r >= 0)
		r = sd_bus_message_append(reply, "q", d->mfr_company);
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'v', "ay");
	if (r >= 0)
		r = sd_bus_message_append_array(reply, 'y', d->mfr, d->mfr_len);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static const sd_bus_vtable mfr_vtable[] = { SD_BUS_VTABLE_START(0),
					    SD_BUS_PROPERTY("ManufacturerData", "a{qv}",
							    prop_get_mfr, 0,
							    SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
					    SD_BUS_VTABLE_END };

void btd_device_set_mfr(struct btd_device *d, uint16_t company, const uint8_t *data, size_t len,
			bool duplicate)
{
	bool changed;

	len = MIN(len, sizeof(d->mfr));
	changed = !d->mfr_slot || d->mfr_company != company || d->mfr_len != len ||
		  memcmp(d->mfr, data, len) != 0;
	d->mfr_company = company;
	d->mfr_len = len;
	memcpy(d->mfr, data, len);
	if (!d->mfr_slot && sd_bus_add_object_vtable(d->b->bus, &d->mfr_slot, d->path,
						     BTD_DEVICE_IFACE, mfr_vtable, d) < 0)
		return;
	if (changed || duplicate)
		(void) sd_bus_emit_properties_changed(d->b->bus, d->path, BTD_DEVICE_IFACE,
						      "ManufacturerData", NULL);
}
