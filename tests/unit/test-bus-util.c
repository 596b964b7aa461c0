/* SPDX-License-Identifier: MIT */
/* bus_dict_foreach(): the a{sv} walker of the daemon's D-Bus parsers and the BlueZ model. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "bus-util.h"

/* Messages need a bus that is open, not a connected one: one end of a socketpair will do. */
struct fixture {
	sd_bus *bus;
	int peer;
};

static int setup(void **state)
{
	static struct fixture f;
	int fds[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
	assert_int_equal(sd_bus_new(&f.bus), 0);
	assert_int_equal(sd_bus_set_fd(f.bus, fds[0], fds[0]), 0);
	assert_int_equal(sd_bus_start(f.bus), 0);
	f.peer = fds[1];
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	f->bus = sd_bus_close_unref(f->bus);
	(void) close(f->peer);
	return 0;
}

/* A sealed signal whose body is read from the start, as a received message would be. */
static sd_bus_message *message(void **state)
{
	struct fixture *f = *state;
	sd_bus_message *m = NULL;

	assert_int_equal(sd_bus_message_new_signal(f->bus, &m, "/t", "org.backride.Test", "T"), 0);
	return m;
}

static void seal(sd_bus_message *m)
{
	assert_int_equal(sd_bus_message_seal(m, 1, 0), 0);
	assert_true(sd_bus_message_rewind(m, 1) >= 0);
}

struct visit {
	char keys[8][16];
	unsigned n;
	int fail_at; /* return -EPROTO for this entry (1-based); 0 never */
	bool leave_value;
	uint32_t u;
};

static int on_entry(sd_bus_message *m, const char *key, void *userdata)
{
	struct visit *v = userdata;

	assert_true(v->n < 8);
	(void) snprintf(v->keys[v->n], sizeof(v->keys[0]), "%s", key);
	if (++v->n == (unsigned) v->fail_at)
		return -EPROTO;
	if (v->leave_value)
		return 0;
	if (strcmp(key, "u") == 0)
		return sd_bus_message_read(m, "v", "u", &v->u);
	return sd_bus_message_skip(m, "v");
}

static void test_keys_in_order(void **state)
{
	sd_bus_message *m = message(state);
	struct visit v = {};
	uint32_t after = 0;

	assert_true(sd_bus_message_append(m, "a{sv}u", 3, "u", "u", 7, "s", "s", "text", "as", "as",
					  2, "x", "y", 42) >= 0);
	seal(m);
	assert_int_equal(bus_dict_foreach(m, on_entry, &v), 0);
	assert_int_equal(v.n, 3);
	assert_string_equal(v.keys[0], "u");
	assert_string_equal(v.keys[1], "s");
	assert_string_equal(v.keys[2], "as");
	assert_int_equal(v.u, 7);
	/* The array is left: what follows it reads as usual. */
	assert_int_equal(sd_bus_message_read(m, "u", &after), 1);
	assert_int_equal(after, 42);
	sd_bus_message_unref(m);
}

static void test_empty(void **state)
{
	sd_bus_message *m = message(state);
	struct visit v = {};

	assert_true(sd_bus_message_append(m, "a{sv}", 0) >= 0);
	seal(m);
	assert_int_equal(bus_dict_foreach(m, on_entry, &v), 0);
	assert_int_equal(v.n, 0);
	assert_int_equal(sd_bus_message_at_end(m, 1), 1);
	sd_bus_message_unref(m);
}

static void test_handler_error_stops(void **state)
{
	sd_bus_message *m = message(state);
	struct visit v = { .fail_at = 2 };

	assert_true(sd_bus_message_append(m, "a{sv}", 3, "a", "u", 1, "b", "u", 2, "c", "u", 3) >=
		    0);
	seal(m);
	assert_int_equal(bus_dict_foreach(m, on_entry, &v), -EPROTO);
	assert_int_equal(v.n, 2);
	sd_bus_message_unref(m);
}

static void test_unread_value(void **state)
{
	sd_bus_message *m = message(state);
	struct visit v = { .leave_value = true };

	assert_true(sd_bus_message_append(m, "a{sv}", 1, "a", "u", 1) >= 0);
	seal(m);
	assert_int_equal(bus_dict_foreach(m, on_entry, &v), -EBUSY);
	assert_int_equal(v.n, 1);
	sd_bus_message_unref(m);
}

static void expect_not_a_dict(sd_bus_message *m)
{
	struct visit v = {};

	seal(m);
	assert_int_equal(bus_dict_foreach(m, on_entry, &v), -ENXIO);
	assert_int_equal(v.n, 0);
	sd_bus_message_unref(m);
}

static void test_wrong_signature(void **state)
{
	sd_bus_message *m;

	m = message(state);
	assert_true(sd_bus_message_append(m, "a{ss}", 1, "a", "b") >= 0);
	expect_not_a_dict(m);
	m = message(state);
	assert_true(sd_bus_message_append(m, "as", 1, "a") >= 0);
	expect_not_a_dict(m);
	m = message(state);
	assert_true(sd_bus_message_append(m, "u", 1) >= 0);
	expect_not_a_dict(m);
}

/* An aa{sv} read dict by dict: the end of the array is -ENXIO, as a caller's loop expects. */
static void test_array_of_dicts(void **state)
{
	sd_bus_message *m = message(state);
	struct visit v = {};
	int r, dicts = 0;

	assert_true(sd_bus_message_open_container(m, 'a', "a{sv}") >= 0);
	assert_true(sd_bus_message_append(m, "a{sv}", 1, "u", "u", 7) >= 0);
	assert_true(sd_bus_message_append(m, "a{sv}", 1, "x", "s", "y") >= 0);
	assert_true(sd_bus_message_close_container(m) >= 0);
	seal(m);
	assert_int_equal(sd_bus_message_enter_container(m, 'a', "a{sv}"), 1);
	while ((r = bus_dict_foreach(m, on_entry, &v)) >= 0)
		dicts++;
	assert_int_equal(r, -ENXIO);
	assert_int_equal(dicts, 2);
	assert_int_equal(v.n, 2);
	assert_int_equal(v.u, 7);
	assert_true(sd_bus_message_exit_container(m) >= 0);
	sd_bus_message_unref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_keys_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handler_error_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unread_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_array_of_dicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_signature, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
