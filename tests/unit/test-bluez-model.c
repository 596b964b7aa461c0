/* SPDX-License-Identifier: MIT */
/*
 * The BlueZ object model read from org.bluez's messages: RSSI 127, HCI's "not available"
 * (btvirt reports it for every advertisement), is no RSSI; characteristic values; what a scan
 * lists; a Keiser M3i told by its manufacturer data; a resistance range in whole levels told
 * from the measured level.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "bluez-internal.h"
#include "keiser.h"

#define ADAPTER	  "/org/bluez/hci0"
#define BIKE	  "C0:FF:EE:00:00:01"
#define BIKE_PATH ADAPTER "/dev_C0_FF_EE_00_00_01"

/* Messages need a bus that is open, not a connected one: one end of a socketpair will do. */
struct fixture {
	sd_bus *bus;
	int peer;
	struct bluez b;
};

static int setup(void **state)
{
	static struct fixture f;
	int fds[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
	f = (struct fixture) { .peer = fds[1], .b = { .adapter_path = (char *) ADAPTER } };
	assert_int_equal(sd_bus_new(&f.bus), 0);
	assert_int_equal(sd_bus_set_fd(f.bus, fds[0], fds[0]), 0);
	assert_int_equal(sd_bus_start(f.bus), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	bz_model_clear(&f->b);
	f->bus = sd_bus_close_unref(f->bus);
	(void) close(f->peer);
	return 0;
}

static sd_bus_message *message(struct fixture *f)
{
	sd_bus_message *m = NULL;

	assert_int_equal(sd_bus_message_new_signal(f->bus, &m, "/t", "org.backride.Test", "T"), 0);
	return m;
}

/* Seal @m and read it from the start, as a received message. */
static sd_bus_message *sealed(sd_bus_message *m)
{
	assert_int_equal(sd_bus_message_seal(m, 1, 0), 0);
	assert_true(sd_bus_message_rewind(m, 1) >= 0);
	return m;
}

/* InterfacesAdded for the bike's Device1 with @rssi. */
static struct bz_device *add_bike(struct fixture *f, int16_t rssi)
{
	sd_bus_message *m = message(f);
	bool gatt_added = false;

	assert_true(sd_bus_message_append(m, "oa{sa{sv}}", BIKE_PATH, 1, BZ_DEVICE_IFACE, 2, "Name",
					  "s", "Bike", "RSSI", "n", rssi) >= 0);
	assert_true(bz_model_add_object(&f->b, sealed(m), &gatt_added) >= 0);
	sd_bus_message_unref(m);
	assert_false(gatt_added);
	return bz_device_find(&f->b, BIKE);
}

/* PropertiesChanged of Device1 (after the interface name) with RSSI @rssi. */
static void change_rssi(struct fixture *f, struct bz_device *d, int16_t rssi)
{
	sd_bus_message *m = message(f);
	struct bz_device_change ch = {};

	assert_true(sd_bus_message_append(m, "a{sv}as", 1, "RSSI", "n", rssi, 0) >= 0);
	assert_int_equal(bz_model_device_changed(d, sealed(m), &ch), 0);
	sd_bus_message_unref(m);
	assert_true(ch.seen);
}

static void test_rssi_known(void **state)
{
	struct fixture *f = *state;
	struct bz_device *d = add_bike(f, -58);
	struct device_info info;

	assert_non_null(d);
	assert_string_equal(d->name, "Bike");
	bz_device_info(d, &info);
	assert_true(info.has_rssi);
	assert_int_equal(info.rssi, -58);
}

static void test_rssi_127_is_unknown(void **state)
{
	struct fixture *f = *state;
	struct bz_device *d = add_bike(f, 127);
	struct device_info info;

	assert_non_null(d);
	bz_device_info(d, &info);
	assert_false(info.has_rssi);
	/* Still advertising: a scan must report it (btvirt reports nothing but 127). */
	assert_true(d->advertising);
	/* A real value later, then "not available" again. */
	change_rssi(f, d, -70);
	bz_device_info(d, &info);
	assert_true(info.has_rssi);
	assert_int_equal(info.rssi, -70);
	change_rssi(f, d, 127);
	bz_device_info(d, &info);
	assert_false(info.has_rssi);
	/* 126 is a value (Core: -127..+20 dBm), only 127 means none. */
	change_rssi(f, d, 126);
	bz_device_info(d, &info);
	assert_true(info.has_rssi);
}

static void test_char_value(void **state)
{
	static const uint8_t value[] = { 0x80, 0x00, 0x01 };
	struct fixture *f = *state;
	sd_bus_message *m;

	/* No link uses the characteristic: the value is read and dropped. */
	m = message(f);
	assert_true(sd_bus_message_append(m, "a{sv}", 2, "Notifying", "b", 1, "Value", "ay",
					  sizeof(value), value[0], value[1], value[2]) >= 0);
	assert_int_equal(bz_model_char_value(&f->b, BIKE_PATH "/service0010/char0011", sealed(m)),
			 0);
	sd_bus_message_unref(m);
	m = message(f);
	assert_true(sd_bus_message_append(m, "a{sv}", 1, "Value", "s", "not bytes") >= 0);
	assert_int_equal(bz_model_char_value(&f->b, BIKE_PATH "/service0010/char0011", sealed(m)),
			 -ENXIO);
	sd_bus_message_unref(m);
}

static unsigned found;
static char found_kind[16];

static void on_found(void *userdata, const struct device_info *d)
{
	found++;
	(void) snprintf(found_kind, sizeof(found_kind), "%s", machine_kind_to_string(d->kind));
}

/* InterfacesAdded for a device at dev_C0_FF_EE_00_00_0@n with a name, RSSI and @uuid (or none). */
static struct bz_device *add_advertiser(struct fixture *f, char n, const char *uuid)
{
	char path[] = BIKE_PATH, address[] = BIKE;
	sd_bus_message *m = message(f);
	bool gatt_added = false;

	path[sizeof(path) - 2] = address[sizeof(address) - 2] = n;
	assert_true(sd_bus_message_append(m, "o", path) >= 0);
	assert_true(sd_bus_message_open_container(m, 'a', "{sa{sv}}") >= 0);
	assert_true(sd_bus_message_open_container(m, 'e', "sa{sv}") >= 0);
	assert_true(sd_bus_message_append(m, "s", BZ_DEVICE_IFACE) >= 0);
	assert_true(sd_bus_message_open_container(m, 'a', "{sv}") >= 0);
	assert_true(sd_bus_message_append(m, "{sv}{sv}", "Name", "s", "Machine", "RSSI", "n",
					  (int16_t) -60) >= 0);
	if (uuid)
		assert_true(sd_bus_message_append(m, "{sv}", "UUIDs", "as", 1, uuid) >= 0);
	for (int i = 0; i < 3; i++)
		assert_true(sd_bus_message_close_container(m) >= 0);
	assert_true(bz_model_add_object(&f->b, sealed(m), &gatt_added) >= 0);
	sd_bus_message_unref(m);
	return bz_device_find(&f->b, address);
}

/*
 * What a scan lists (discovery has no UUID filter): the FTMS and Heart Rate services, and a
 * device that advertises a name and no service at all (backride-sim --quirk name-only: some
 * machines show FTMS only once connected), as unknown; not a device with other services.
 */
static void test_scan_lists(void **state)
{
	struct fixture *f = *state;
	struct bz_device *d;

	f->b.scan_user = true;
	f->b.cb.device_found = on_found;
	found = 0;
	d = add_advertiser(f, '1', FTMS_UUID_SERVICE);
	bz_adapter_device_changed(&f->b, d);
	assert_int_equal(found, 1);
	assert_string_equal(found_kind, "unknown"); /* no Service Data: learned on connecting */
	d = add_advertiser(f, '2', NULL);
	assert_non_null(d);
	bz_adapter_device_changed(&f->b, d);
	assert_int_equal(found, 2);
	assert_string_equal(found_kind, "unknown");
	d = add_advertiser(f, '3', "0000180f-0000-1000-8000-00805f9b34fb"); /* Battery only */
	bz_adapter_device_changed(&f->b, d);
	d = add_advertiser(f, '4', FTMS_UUID_HR_SERVICE);
	bz_adapter_device_changed(&f->b, d);
	assert_int_equal(found, 3);
	assert_string_equal(found_kind, "hr");
	/* Not scanning: nothing is listed. */
	f->b.scan_user = false;
	bz_adapter_device_changed(&f->b, bz_device_find(&f->b, "C0:FF:EE:00:00:02"));
	assert_int_equal(found, 3);
}

/* InterfacesAdded for dev_C0_FF_EE_00_00_0@n named "M3" with manufacturer data @company,
 * @data. */
static struct bz_device *add_mfr(struct fixture *f, char n, uint16_t company, const uint8_t *data,
				 size_t len)
{
	char path[] = BIKE_PATH, address[] = BIKE;
	sd_bus_message *m = message(f);
	bool gatt_added = false;

	path[sizeof(path) - 2] = address[sizeof(address) - 2] = n;
	assert_true(sd_bus_message_append(m, "o", path) >= 0);
	assert_true(sd_bus_message_open_container(m, 'a', "{sa{sv}}") >= 0);
	assert_true(sd_bus_message_open_container(m, 'e', "sa{sv}") >= 0);
	assert_true(sd_bus_message_append(m, "s", BZ_DEVICE_IFACE) >= 0);
	assert_true(sd_bus_message_open_container(m, 'a', "{sv}") >= 0);
	assert_true(sd_bus_message_append(m, "{sv}{sv}", "Name", "s", "M3", "RSSI", "n",
					  (int16_t) -60) >= 0);
	assert_true(sd_bus_message_open_container(m, 'e', "sv") >= 0);
	assert_true(sd_bus_message_append(m, "s", "ManufacturerData") >= 0);
	assert_true(sd_bus_message_open_container(m, 'v', "a{qv}") >= 0);
	assert_true(sd_bus_message_open_container(m, 'a', "{qv}") >= 0);
	assert_true(sd_bus_message_open_container(m, 'e', "qv") >= 0);
	assert_true(sd_bus_message_append(m, "q", company) >= 0);
	assert_true(sd_bus_message_open_container(m, 'v', "ay") >= 0);
	assert_true(sd_bus_message_append_array(m, 'y', data, len) >= 0);
	for (int i = 0; i < 8; i++)
		assert_true(sd_bus_message_close_container(m) >= 0);
	assert_true(bz_model_add_object(&f->b, sealed(m), &gatt_added) >= 0);
	sd_bus_message_unref(m);
	return bz_device_find(&f->b, address);
}

/*
 * A Keiser M3i is told by its manufacturer data: company 0x0102 and the M3i layout's major
 * version 6 (an M7i shares the company with major 1). It is a bike, protocol keiser, and a
 * scan shows its equipment ID. Real-time frame of console 6.30, equipment ID 7 (keiser.h).
 */
static void test_keiser_found(void **state)
{
	static const uint8_t m3i[] = { 0x06, 0x30, 0x00, 0x07, 0x20, 0x03, 0x74, 0x04, 0x7b,
				       0x00, 0x0a, 0x00, 0x01, 0x19, 0x06, 0x80, 0x08 };
	static const uint8_t m7i[] = { 0x01, 0x00, 0x00, 0x07, 0x20, 0x03, 0x74, 0x04,
				       0x7b, 0x00, 0x0a, 0x00, 0x01, 0x19, 0x06, 0x80 };
	struct fixture *f = *state;
	struct device_info info;
	struct bz_device *d;

	f->b.scan_user = true;
	f->b.cb.device_found = on_found;
	found = 0;
	d = add_mfr(f, '7', KEISER_COMPANY_ID, m3i, sizeof(m3i));
	assert_true(d->keiser);
	bz_device_info(d, &info);
	assert_int_equal(info.kind, MACHINE_KIND_BIKE);
	assert_int_equal(info.protocol, MACHINE_PROTOCOL_KEISER);
	assert_string_equal(info.name, "Keiser M3i #7");
	bz_adapter_device_changed(&f->b, d);
	assert_int_equal(found, 1);
	assert_string_equal(found_kind, "bike");
	d = add_mfr(f, '8', KEISER_COMPANY_ID, m7i, sizeof(m7i));
	assert_false(d->keiser);
	d = add_mfr(f, '9', 0x004c, m3i, sizeof(m3i)); /* another company */
	assert_false(d->keiser);
	bz_device_info(d, &info);
	assert_int_equal(info.protocol, MACHINE_PROTOCOL_FTMS);
	assert_string_equal(info.name, "M3");
}

static unsigned readies;
static struct ftms_range ready_range;

static void on_ready(void *userdata, const struct machine_info *info)
{
	readies++;
	ready_range = info->ranges[FTMS_RANGE_RESISTANCE];
}

static void bike_record(struct bz_link *l, int16_t level)
{
	struct ftms_indoor_bike_data d = { .present = FTMS_IBD_RESISTANCE, .resistance = level };

	bz_quirks_resistance_units(l, &d);
}

/*
 * A resistance range in whole levels (backride-sim --quirk resistance-units; SmartSpin2k
 * before its PR #698): the range 0..20 read in tenths is 0..2.0 levels, and a measured level
 * 5 (whole levels, as Indoor Bike Data has them) only fits it read in whole levels. Three
 * records in a row show it; a damaged one in between does not.
 */
static void test_resistance_whole_levels(void **state)
{
	struct fixture *f = *state;
	struct bz_link *l = &f->b.links[LINK_ROLE_MACHINE];

	*l = (struct bz_link) {
		.b = &f->b, .role = LINK_ROLE_MACHINE, .state = LINK_STATE_READY, .address = BIKE
	};
	l->has_range[FTMS_RANGE_RESISTANCE] = true;
	l->ranges[FTMS_RANGE_RESISTANCE] =
		(struct ftms_range) { .min = 0, .max = 20, .increment = 1 };
	f->b.cb.machine_ready = on_ready;
	readies = 0;
	bike_record(l, 5);
	bike_record(l, 5);
	bike_record(l, 2); /* fits the tenths: 2.0 levels */
	bike_record(l, 5);
	bike_record(l, 30000); /* fits neither */
	bike_record(l, 5);
	bike_record(l, 5);
	assert_false(l->resistance_whole);
	assert_int_equal(readies, 0);
	bike_record(l, 5);
	assert_true(l->resistance_whole);
	assert_int_equal(readies, 1);
	assert_int_equal(ready_range.max, 200);
	assert_int_equal(ready_range.increment, 10);
	/* Said and corrected once. */
	bike_record(l, 15);
	assert_int_equal(readies, 1);
	assert_int_equal(l->ranges[FTMS_RANGE_RESISTANCE].max, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rssi_known, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rssi_127_is_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_char_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keiser_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resistance_whole_levels, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
