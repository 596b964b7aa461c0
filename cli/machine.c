/* SPDX-License-Identifier: MIT */
#include "machine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backride-dbus.h"
#include "bus-util.h"
#include "output.h"

/* The targets Machine1.Features offers and the names of their ranges in Machine1.Ranges. */
static const struct {
	uint32_t target;
	const char *name;
} target_ranges[] = {
	{ BR_TARGET_POWER, "power" },
	{ BR_TARGET_RESISTANCE, "resistance" },
	{ BR_TARGET_SPEED, "speed" },
	{ BR_TARGET_INCLINATION, "inclination" },
};

static void copy(char *dst, size_t n, const char *s)
{
	(void) snprintf(dst, n, "%s", s);
}

/* Ranges a{s(iiu)}: the target bit of each of target_ranges[] present and not empty. */
static int read_ranges(sd_bus_message *m, uint32_t *ret)
{
	const char *name;
	int32_t min, max;
	uint32_t inc;
	int r;

	r = sd_bus_message_enter_container(m, 'v', "a{s(iiu)}");
	if (r >= 0)
		r = sd_bus_message_enter_container(m, 'a', "{s(iiu)}");
	while (r >= 0 && (r = sd_bus_message_read(m, "{s(iiu)}", &name, &min, &max, &inc)) > 0)
		for (size_t i = 0; i < sizeof(target_ranges) / sizeof(target_ranges[0]); i++)
			if (strcmp(name, target_ranges[i].name) == 0 && min < max)
				*ret |= target_ranges[i].target;
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	return r >= 0 ? sd_bus_message_exit_container(m) : r;
}

int cli_machine_missing_ranges(const struct cli_machine *x, char *buf, size_t size)
{
	size_t len = 0;
	int n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(target_ranges) / sizeof(target_ranges[0]); i++) {
		if (!(x->targets & target_ranges[i].target) ||
		    (x->ranges & target_ranges[i].target))
			continue;
		if (len < size)
			len += (size_t) snprintf(buf + len, size - len, "%s%s", n ? ", " : "",
						 target_ranges[i].name);
		n++;
	}
	return n;
}

static int read_prop(sd_bus_message *m, const char *name, void *userdata)
{
	struct cli_machine *x = userdata;
	const char *s;

	if (strcmp(name, "Address") == 0 || strcmp(name, "Name") == 0 ||
	    strcmp(name, "Kind") == 0 || strcmp(name, "Link") == 0 ||
	    strcmp(name, "Protocol") == 0) {
		int r = sd_bus_message_read(m, "v", "s", &s);

		if (r < 0)
			return r;
		if (name[0] == 'A')
			copy(x->address, sizeof(x->address), s);
		else if (name[0] == 'N')
			copy(x->name, sizeof(x->name), s);
		else if (name[0] == 'K')
			copy(x->kind, sizeof(x->kind), s);
		else if (name[0] == 'P')
			copy(x->protocol, sizeof(x->protocol), s);
		else
			copy(x->link, sizeof(x->link), s);
		return 0;
	}
	if (strcmp(name, "Paired") == 0)
		return sd_bus_message_read(m, "v", "b", &x->paired);
	if (strcmp(name, "Remembered") == 0)
		return sd_bus_message_read(m, "v", "b", &x->remembered);
	if (strcmp(name, "Connected") == 0)
		return sd_bus_message_read(m, "v", "b", &x->connected);
	if (strcmp(name, "LastSeen") == 0)
		return sd_bus_message_read(m, "v", "x", &x->last_seen);
	if (strcmp(name, "RSSI") == 0)
		return sd_bus_message_read(m, "v", "n", &x->rssi);
	if (strcmp(name, "Features") == 0) {
		uint32_t machine;

		return sd_bus_message_read(m, "v", "(uu)", &machine, &x->targets);
	}
	if (strcmp(name, "Ranges") == 0)
		return read_ranges(m, &x->ranges);
	return sd_bus_message_skip(m, "v");
}

int cli_machine_read(sd_bus_message *m, struct cli_machine *ret)
{
	*ret = (struct cli_machine) { 0 };
	return bus_dict_foreach(m, read_prop, ret);
}

static void machine_path(const char *address, char *path, size_t len)
{
	(void) snprintf(path, len, "%s%s", BR_MACHINE_PATH_PREFIX, address);
	for (char *p = path + strlen(BR_MACHINE_PATH_PREFIX); *p; p++)
		*p = *p == ':' ? '_' : (char) (*p >= 'a' && *p <= 'f' ? *p - 'a' + 'A' : *p);
}

const char *cli_kind_label(const char *kind, const char *protocol)
{
	if (strcmp(kind, "bike") == 0 && strcmp(protocol, "cycling-power") == 0)
		return "bike (power meter)";
	if (strcmp(kind, "bike") == 0 && strcmp(protocol, "csc") == 0)
		return "bike (cadence sensor)";
	return kind;
}

void cli_machine_protocol(struct cli *cli, const char *address, char *buf, size_t len)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	char path[64], *s = NULL;

	machine_path(address, path, sizeof(path));
	if (sd_bus_get_property_string(cli->bus, BR_BUS_NAME, path, BR_MACHINE_IFACE, "Protocol",
				       &e, &s) < 0)
		s = NULL;
	copy(buf, len, s ? s : "ftms");
	free(s);
	sd_bus_error_free(&e);
}

int cli_machine_get(struct cli *cli, const char *address, struct cli_machine *ret)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	char path[64];
	int r;

	machine_path(address, path, sizeof(path));
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, path, "org.freedesktop.DBus.Properties",
			       "GetAll", &e, &reply, "s", BR_MACHINE_IFACE);
	if (r >= 0)
		r = cli_machine_read(reply, ret);
	r = r < 0 ? cli_call_failed(cli, "read the machine", &e, r) : CLI_EXIT_OK;
	sd_bus_message_unref(reply);
	sd_bus_error_free(&e);
	return r;
}

const char *cli_machine_status(const struct cli_machine *x)
{
	return x->connected ? "connected" : x->remembered ? "remembered" : "found";
}

void cli_machine_json(FILE *f, const struct cli_machine *x)
{
	fputs("{\"address\":", f);
	json_string(f, x->address);
	fputs(",\"name\":", f);
	json_string(f, x->name);
	fputs(",\"kind\":", f);
	json_string(f, x->kind);
	fputs(",\"protocol\":", f);
	json_string(f, x->protocol);
	fprintf(f, ",\"paired\":%s,\"remembered\":%s,\"connected\":%s,\"link\":",
		x->paired ? "true" : "false", x->remembered ? "true" : "false",
		x->connected ? "true" : "false");
	json_string(f, x->link);
	/* Machine1.RSSI is 0 when unknown (as backride scan --json: null). */
	fprintf(f, ",\"last_seen\":%lld,\"rssi\":", (long long) x->last_seen);
	if (x->rssi)
		fprintf(f, "%d", x->rssi);
	else
		fputs("null", f);
	fputs(",\"missing_ranges\":[", f);
	for (size_t i = 0, n = 0; i < sizeof(target_ranges) / sizeof(target_ranges[0]); i++)
		if ((x->targets & target_ranges[i].target) &&
		    !(x->ranges & target_ranges[i].target))
			fprintf(f, "%s\"%s\"", n++ ? "," : "", target_ranges[i].name);
	fputs("]}", f);
}
