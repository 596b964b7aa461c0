/* SPDX-License-Identifier: MIT */
/*
 * The floor of the ingest benchmark: a bare sd-bus client that only matches the
 * PropertiesChanged signals of GATT characteristics under /org/bluez and reads the Value
 * bytes. No loop library, no parsing, no storage: what merely being told costs.
 *
 * With --witness it counts org.backride.Machine1 "Data" changes instead, so the benchmark
 * can check that the daemon handled every notification without adding a counter to its API.
 *
 * With --stamp it prints, as they come, the CLOCK_MONOTONIC time (ns) of a link drop as
 * BlueZ signals it ("down NS": Device1.Connected false), of each Machine1.Link change
 * ("link STATE NS") and of each new sample the daemon signals ("data NS": a Data change on
 * its own, not the one that goes with Connected): the reconnect benchmark's clock.
 *
 * With --session it prints "elapsed E NS" for each Session1 change the daemon signals (E:
 * Session1.Elapsed, NS: CLOCK_MONOTONIC): when a sample left the daemon, for the web benchmark.
 *
 *   bench-floor --bus ADDRESS [--witness | --stamp | --session]
 *
 * SIGUSR1 prints "count N bytes B" on stdout; SIGTERM or SIGINT prints it and exits.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>

#define MATCH_BLUEZ                                                                             \
	"type='signal',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged'," \
	"path_namespace='/org/bluez',arg0='org.bluez.GattCharacteristic1'"
#define MATCH_WITNESS                                                                           \
	"type='signal',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged'," \
	"path_namespace='/org/backride/machine',arg0='org.backride.Machine1'"

#define MATCH_DEVICE                                                                            \
	"type='signal',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged'," \
	"path_namespace='/org/bluez',arg0='org.bluez.Device1'"

#define MATCH_SESSION                                                                           \
	"type='signal',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged'," \
	"path='/org/backride/session',arg0='org.backride.Session1'"

static volatile sig_atomic_t got_usr1, got_term;
static uint64_t count, bytes;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

/* Find one key in the a{sv} of PropertiesChanged; 1 if found (message at its variant). */
static int find_key(sd_bus_message *m, const char *want)
{
	const char *key;
	int r;

	r = sd_bus_message_skip(m, "s");
	if (r >= 0)
		r = sd_bus_message_enter_container(m, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &key);
		if (r < 0)
			return r;
		if (strcmp(key, want) == 0)
			return 1;
		r = sd_bus_message_skip(m, "v");
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
	}
	return r;
}

static int on_value(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	const void *v;
	size_t n;

	if (find_key(m, "Value") <= 0)
		return 0;
	if (sd_bus_message_enter_container(m, 'v', "ay") < 0 ||
	    sd_bus_message_read_array(m, 'y', &v, &n) < 0)
		return 0;
	count++;
	bytes += n;
	return 0;
}

static int on_data(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	if (find_key(m, "Data") > 0)
		count++;
	return 0;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	(void) clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long) ts.tv_sec * 1000000000ULL + (unsigned long long) ts.tv_nsec;
}

/* Machine1 changes: "link STATE NS" for Link, "data NS" for Data signalled on its own. */
static int on_stamp(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	unsigned long long t = now_ns();
	const char *key, *link = NULL;
	int data = 0, others = 0, r;

	r = sd_bus_message_skip(m, "s");
	if (r >= 0)
		r = sd_bus_message_enter_container(m, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		if (sd_bus_message_read(m, "s", &key) < 0)
			return 0;
		if (strcmp(key, "Link") == 0) {
			if (sd_bus_message_read(m, "v", "s", &link) < 0)
				return 0;
		} else {
			data += strcmp(key, "Data") == 0;
			others += strcmp(key, "Data") != 0;
			if (sd_bus_message_skip(m, "v") < 0)
				return 0;
		}
		r = sd_bus_message_exit_container(m);
	}
	if (link)
		printf("link %s %llu\n", link, t);
	if (data && !others && !link)
		printf("data %llu\n", t);
	fflush(stdout);
	return 0;
}

/* Session1 changes: "elapsed E NS". */
static int on_session(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	unsigned long long t = now_ns();
	uint32_t elapsed;

	if (find_key(m, "Elapsed") <= 0 || sd_bus_message_read(m, "v", "u", &elapsed) < 0)
		return 0;
	printf("elapsed %u %llu\n", elapsed, t);
	fflush(stdout);
	return 0;
}

/* Device1 changes: "down NS" when BlueZ says the link is gone. */
static int on_device(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	unsigned long long t = now_ns();
	int connected;

	if (find_key(m, "Connected") <= 0 || sd_bus_message_read(m, "v", "b", &connected) < 0)
		return 0;
	if (!connected) {
		printf("down %llu\n", t);
		fflush(stdout);
	}
	return 0;
}

static void report(void)
{
	printf("count %llu bytes %llu\n", (unsigned long long) count, (unsigned long long) bytes);
	fflush(stdout);
}

static int open_bus(const char *address, sd_bus **ret)
{
	sd_bus *bus = NULL;
	int r;

	r = sd_bus_new(&bus);
	if (r >= 0)
		r = sd_bus_set_address(bus, address);
	if (r >= 0)
		r = sd_bus_set_bus_client(bus, 1);
	if (r >= 0)
		r = sd_bus_start(bus);
	if (r < 0) {
		sd_bus_unref(bus);
		return r;
	}
	*ret = bus;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bus", required_argument, NULL, 'b' },
		{ "witness", no_argument, NULL, 'w' },
		{ "stamp", no_argument, NULL, 's' },
		{ "session", no_argument, NULL, 'e' },
		{},
	};
	struct sigaction sa = { .sa_handler = on_signal };
	const char *address = NULL;
	sd_bus *bus = NULL;
	int witness = 0, stamp = 0, session = 0, c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) >= 0) {
		if (c == 'b')
			address = optarg;
		else if (c == 'w')
			witness = 1;
		else if (c == 's')
			stamp = 1;
		else if (c == 'e')
			session = 1;
		else
			return 2;
	}
	if (!address) {
		fprintf(stderr,
			"usage: bench-floor --bus ADDRESS [--witness | --stamp | --session]\n");
		return 2;
	}
	/* No SA_RESTART: the signal ends sd_bus_wait() with -EINTR. */
	(void) sigaction(SIGUSR1, &sa, NULL);
	(void) sigaction(SIGTERM, &sa, NULL);
	(void) sigaction(SIGINT, &sa, NULL);
	r = open_bus(address, &bus);
	if (r >= 0 && session) {
		r = sd_bus_add_match(bus, NULL, MATCH_SESSION, on_session, NULL);
	} else if (r >= 0 && stamp) {
		r = sd_bus_add_match(bus, NULL, MATCH_WITNESS, on_stamp, NULL);
		if (r >= 0)
			r = sd_bus_add_match(bus, NULL, MATCH_DEVICE, on_device, NULL);
	} else if (r >= 0)
		r = sd_bus_add_match(bus, NULL, witness ? MATCH_WITNESS : MATCH_BLUEZ,
				     witness ? on_data : on_value, NULL);
	if (r < 0) {
		fprintf(stderr, "bench-floor: %s: %s\n", address, strerror(-r));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!got_term) {
		if (got_usr1) {
			got_usr1 = 0;
			report();
		}
		r = sd_bus_process(bus, NULL);
		if (r > 0)
			continue;
		if (r == 0)
			r = sd_bus_wait(bus, UINT64_MAX);
		if (r < 0 && r != -EINTR) {
			fprintf(stderr, "bench-floor: %s\n", strerror(-r));
			break;
		}
	}
	report();
	sd_bus_flush_close_unref(bus);
	return 0;
}
