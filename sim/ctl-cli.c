/* SPDX-License-Identifier: MIT */
/* backride-sim ctl: a command line for the org.backride.Sim1 control interface. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus-source.h"
#include "bus-util.h"
#include "ctl.h"
#include "macro.h"

static void ctl_help(void)
{
	printf("Usage: backride-sim ctl [--bus BUS] VERB [ARG]...\n"
	       "Drive a running backride-sim through org.backride.Sim1.\n\n"
	       "  --bus BUS                     system (default), session or a D-Bus address\n\n"
	       "Verbs:\n"
	       "  devices                       list the simulated devices\n"
	       "  state ADDRESS                 the machine's true state\n"
	       "  fault NAME[=VALUE] [ADDRESS]  switch a fault on (all devices by default)\n"
	       "  clear NAME                    switch a fault off\n"
	       "  drop-link ADDRESS             the machine drops the link\n"
	       "  lose-control ADDRESS          Machine Status 0xFF, control is lost\n"
	       "  safety-key ADDRESS            pull the treadmill's safety key\n"
	       "  power-cycle ADDRESS           switch the machine off and on: it resets, its\n"
	       "                                GATT objects go and come back (Service Changed)\n"
	       "  pair-request ADDRESS          the machine asks for pairing (agent is called)\n"
	       "  restart-bluetoothd            release org.bluez and take it again\n"
	       "  rider ADDRESS [cadence=RPM] [sag=RPM_PER_MIN] [gear=N] [stop] [go]\n"
	       "                                change what the bike's rider does\n"
	       "  flood ADDRESS COUNT           send COUNT data notifications at once\n"
	       "  console ADDRESS BUTTON [VALUE]\n"
	       "                                the user at the machine's console: stop, pause,\n"
	       "                                start, reset, or power W, resistance LEVEL,\n"
	       "                                speed KMH, incline PCT\n\n"
	       "Faults: refuse-connect[=REASON] refuse-control[=RESULT] cp-delay[=MS] cp-omit\n"
	       "        truncate malformed stop-notify hr-silent security-request\n"
	       "        resolve-early connect-abort quiet-connected refuse-pair[=ERROR]\n"
	       "        require-pairing\n"
	       "        drop-link lose-control safety-key power-cycle bluetoothd-restart\n"
	       "        (one-shot)\n");
}

static int call(sd_bus *bus, const char *member, sd_bus_message **reply, const char *sig, ...)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL;
	va_list ap;
	int r;

	r = sd_bus_message_new_method_call(bus, &m, SIM_CTL_SERVICE, SIM_CTL_PATH, SIM_CTL_IFACE,
					   member);
	if (r >= 0 && sig) {
		va_start(ap, sig);
		r = sd_bus_message_appendv(m, sig, ap);
		va_end(ap);
	}
	if (r >= 0)
		r = sd_bus_call(bus, m, 120 * USEC_PER_SEC, &e, reply);
	sd_bus_message_unref(m);
	if (r < 0)
		fprintf(stderr, "backride-sim ctl %s: %s\n", member,
			e.message ? e.message : strerror(-r));
	sd_bus_error_free(&e);
	return r;
}

static int cmd_fault(sd_bus *bus, int argc, char **argv)
{
	char name[64], *eq;
	const char *value = NULL, *address = argc > 2 ? argv[2] : "";

	if (argc < 2)
		return -EINVAL;
	snprintf(name, sizeof(name), "%s", argv[1]);
	eq = strchr(name, '=');
	if (eq) {
		*eq = '\0';
		value = eq + 1;
	}
	if (value)
		return call(bus, "SetFault", NULL, "sa{sv}", name, 2, "address", "s", address,
			    "value", "s", value);
	return call(bus, "SetFault", NULL, "sa{sv}", name, 1, "address", "s", address);
}

static int cmd_rider(sd_bus *bus, int argc, char **argv)
{
	sd_bus_message *m = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	if (argc < 2)
		return -EINVAL;
	r = sd_bus_message_new_method_call(bus, &m, SIM_CTL_SERVICE, SIM_CTL_PATH, SIM_CTL_IFACE,
					   "SetRider");
	if (r >= 0)
		r = sd_bus_message_append(m, "s", argv[1]);
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'a', "{sv}");
	for (int i = 2; r >= 0 && i < argc; i++) {
		if (strcmp(argv[i], "stop") == 0 || strcmp(argv[i], "go") == 0)
			r = sd_bus_message_append(m, "{sv}", "stop", "b",
						  strcmp(argv[i], "stop") == 0);
		else if (strncmp(argv[i], "cadence=", 8) == 0)
			r = sd_bus_message_append(m, "{sv}", "cadence", "d", atof(argv[i] + 8));
		else if (strncmp(argv[i], "sag=", 4) == 0)
			r = sd_bus_message_append(m, "{sv}", "sag", "d", atof(argv[i] + 4));
		else if (strncmp(argv[i], "gear=", 5) == 0)
			r = sd_bus_message_append(m, "{sv}", "gear", "d", atof(argv[i] + 5));
		else
			r = -EINVAL;
	}
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	if (r >= 0)
		r = sd_bus_call(bus, m, 0, &e, NULL);
	if (r < 0)
		fprintf(stderr, "backride-sim ctl rider: %s\n",
			e.message ? e.message : strerror(-r));
	sd_bus_error_free(&e);
	sd_bus_message_unref(m);
	return r;
}

static int print_variant(sd_bus_message *m)
{
	const char *contents, *s;
	double d;
	uint32_t u;
	uint8_t y;
	int b, r;

	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
	if (strcmp(contents, "s") == 0 && (r = sd_bus_message_read(m, "v", "s", &s)) >= 0)
		printf("%s\n", s);
	else if (strcmp(contents, "b") == 0 && (r = sd_bus_message_read(m, "v", "b", &b)) >= 0)
		printf("%s\n", b ? "yes" : "no");
	else if (strcmp(contents, "d") == 0 && (r = sd_bus_message_read(m, "v", "d", &d)) >= 0)
		printf("%.2f\n", d);
	else if (strcmp(contents, "u") == 0 && (r = sd_bus_message_read(m, "v", "u", &u)) >= 0)
		printf("%u\n", u);
	else if (strcmp(contents, "y") == 0 && (r = sd_bus_message_read(m, "v", "y", &y)) >= 0)
		printf("%u\n", y);
	else
		r = sd_bus_message_skip(m, "v");
	return r;
}

static int print_entry(sd_bus_message *m, const char *key, void *userdata)
{
	printf("%-15s ", key);
	return print_variant(m);
}

static int cmd_state(sd_bus *bus, const char *address)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	char path[96], *x;
	int r;

	snprintf(path, sizeof(path), SIM_CTL_PATH "/dev_%s", address);
	for (x = path; *x; x++)
		if (*x == ':')
			*x = '_';
	r = sd_bus_call_method(bus, SIM_CTL_SERVICE, path, "org.freedesktop.DBus.Properties",
			       "GetAll", &e, &reply, "s", SIM_CTL_MACHINE_IFACE);
	if (r < 0) {
		fprintf(stderr, "backride-sim ctl state: %s\n",
			e.message ? e.message : strerror(-r));
		sd_bus_error_free(&e);
		return r;
	}
	r = bus_dict_foreach(reply, print_entry, NULL);
	sd_bus_message_unref(reply);
	return r;
}

static int cmd_devices(sd_bus *bus)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	char **list = NULL;
	int r;

	r = sd_bus_get_property_strv(bus, SIM_CTL_SERVICE, SIM_CTL_PATH, SIM_CTL_IFACE, "Devices",
				     &e, &list);
	if (r < 0) {
		fprintf(stderr, "backride-sim ctl devices: %s\n",
			e.message ? e.message : strerror(-r));
		sd_bus_error_free(&e);
		return r;
	}
	for (char **s = list; *s; s++) {
		printf("%s\n", *s);
		free(*s);
	}
	free(list);
	return 0;
}

static int cmd_console(sd_bus *bus, int argc, char **argv)
{
	double value = 0;
	char *end;

	if (argc == 4) {
		value = strtod(argv[3], &end);
		if (end == argv[3] || *end)
			return -EINVAL;
	}
	return call(bus, "Console", NULL, "ssd", argv[1], argv[2], value);
}

static int ctl_run(sd_bus *bus, int argc, char **argv)
{
	const char *verb = argv[0];
	sd_bus_message *reply = NULL;
	uint32_t sent;
	int r;

	if (strcmp(verb, "devices") == 0)
		return cmd_devices(bus);
	if (strcmp(verb, "state") == 0 && argc == 2)
		return cmd_state(bus, argv[1]);
	if (strcmp(verb, "fault") == 0)
		return cmd_fault(bus, argc, argv);
	if (strcmp(verb, "clear") == 0 && argc == 2)
		return call(bus, "ClearFault", NULL, "s", argv[1]);
	if (strcmp(verb, "restart-bluetoothd") == 0)
		return call(bus, "BluetoothdRestart", NULL, NULL);
	if (strcmp(verb, "rider") == 0)
		return cmd_rider(bus, argc, argv);
	if (strcmp(verb, "flood") == 0 && argc == 3) {
		r = call(bus, "Flood", &reply, "su", argv[1], (uint32_t) strtoul(argv[2], NULL, 0));
		if (r >= 0 && sd_bus_message_read(reply, "u", &sent) > 0)
			printf("%u\n", sent);
		sd_bus_message_unref(reply);
		return r;
	}
	if (strcmp(verb, "console") == 0 && (argc == 3 || argc == 4))
		return cmd_console(bus, argc, argv);
	if (argc != 2)
		return -EINVAL;
	if (strcmp(verb, "drop-link") == 0)
		return call(bus, "DropLink", NULL, "s", argv[1]);
	if (strcmp(verb, "lose-control") == 0)
		return call(bus, "LoseControl", NULL, "s", argv[1]);
	if (strcmp(verb, "safety-key") == 0)
		return call(bus, "SafetyKey", NULL, "s", argv[1]);
	if (strcmp(verb, "power-cycle") == 0)
		return call(bus, "PowerCycle", NULL, "s", argv[1]);
	if (strcmp(verb, "pair-request") == 0)
		return call(bus, "RequestPairing", NULL, "s", argv[1]);
	return -EINVAL;
}

int ctl_cli_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bus", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	const char *busname = "system";
	sd_bus *bus = NULL;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) >= 0) {
		if (c == 'b') {
			busname = optarg;
		} else if (c == 'h') {
			ctl_help();
			return 0;
		} else {
			return 2;
		}
	}
	if (optind >= argc) {
		ctl_help();
		return 2;
	}
	r = bus_open_by_name(busname, "backride-sim-ctl-cli", &bus);
	if (r < 0) {
		fprintf(stderr, "backride-sim ctl: cannot open bus %s: %s\n", busname,
			strerror(-r));
		return 1;
	}
	r = ctl_run(bus, argc - optind, argv + optind);
	sd_bus_flush_close_unref(bus);
	if (r == -EINVAL) {
		fprintf(stderr, "backride-sim ctl: bad arguments (see --help)\n");
		return 2;
	}
	return r < 0 ? 1 : 0;
}
