/* SPDX-License-Identifier: MIT */
/*
 * sim-client: a scripted D-Bus client that keeps ONE connection for a whole script, for
 * the behaviours busctl cannot show (discovery and notify sessions live as long as the
 * caller's connection; two clients; an agent). Reads commands from stdin, one a line:
 *
 *   dest NAME                              destination of later calls (default org.bluez)
 *   call PATH IFACE MEMBER [SIG ARG...]    wait for the reply: "REPLY v..." / "ERROR name: msg"
 *   send PATH IFACE MEMBER [SIG ARG...]    do not wait; the reply prints when it comes
 *   get PATH IFACE PROP                    "VALUE v"
 *   wait PATH IFACE PROP VALUE MS  poll until PROP prints as VALUE:
 *                                  "WAIT ok" / "WAIT timeout v"
 *   watch [SENDER]                 print org.bluez's (or SENDER's) signals:
 *                                  "PC path prop=v", "IA path", "IR path", "SIG member path"
 *   sleep MS                       process the bus for MS milliseconds
 *   agent PATH CAPABILITY ok|reject  export Agent1 at PATH, RegisterAgent +
 *                                  RequestDefaultAgent
 *   echo TEXT                      print TEXT
 * Arguments: s o b(true/false) y n q i u d; "ay HEX" ("-" = empty); "as N s..."; "a{sv} N (KEY TYPE
 * VALUE)..." with TYPE one of s o b y n q i u d as.
 * Values print compactly: ay as hex, arrays as [a,b], dicts as {k=v}, variants bare.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>

static const char *dest = "org.bluez";
static bool agent_accept = true;
static int pending;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

static int print_value(sd_bus_message *m, FILE *f);

static int print_container(sd_bus_message *m, FILE *f, char type, const char *contents)
{
	bool first = true;
	int r;

	if (type == 'a' && strcmp(contents, "y") == 0) {
		const uint8_t *v;
		size_t n;

		r = sd_bus_message_read_array(m, 'y', (const void **) &v, &n);
		for (size_t i = 0; r >= 0 && i < n; i++)
			fprintf(f, "%02x", v[i]);
		if (r >= 0 && n == 0)
			fputs("-", f);
		return r;
	}
	r = sd_bus_message_enter_container(m, type, contents);
	if (r < 0)
		return r;
	fputs(type == 'a' ? (contents[0] == '{' ? "{" : "[") : type == 'r' ? "(" : "", f);
	while ((r = sd_bus_message_at_end(m, false)) == 0) {
		if (!first)
			fputs(type == 'e' ? "=" : ",", f);
		first = false;
		r = print_value(m, f);
		if (r < 0)
			return r;
	}
	fputs(type == 'a' ? (contents[0] == '{' ? "}" : "]") : type == 'r' ? ")" : "", f);
	return sd_bus_message_exit_container(m);
}

static int print_value(sd_bus_message *m, FILE *f)
{
	const char *contents;
	union {
		uint8_t y;
		int b;
		int16_t n;
		uint16_t q;
		int32_t i;
		uint32_t u;
		int64_t x;
		uint64_t t;
		double d;
		const char *s;
	} v;
	char type;
	int r;

	r = sd_bus_message_peek_type(m, &type, &contents);
	if (r <= 0)
		return r < 0 ? r : -EBADMSG;
	if (type == 'a' || type == 'v' || type == 'r' || type == 'e')
		return print_container(m, f, type, contents);
	r = sd_bus_message_read_basic(m, type, &v);
	if (r < 0)
		return r;
	switch (type) {
	case 'y':
		fprintf(f, "%u", v.y);
		break;
	case 'b':
		fputs(v.b ? "true" : "false", f);
		break;
	case 'n':
		fprintf(f, "%d", v.n);
		break;
	case 'q':
		fprintf(f, "%u", v.q);
		break;
	case 'i':
		fprintf(f, "%d", v.i);
		break;
	case 'u':
		fprintf(f, "%u", v.u);
		break;
	case 'x':
		fprintf(f, "%lld", (long long) v.x);
		break;
	case 't':
		fprintf(f, "%llu", (unsigned long long) v.t);
		break;
	case 'd':
		fprintf(f, "%g", v.d);
		break;
	case 'h':
		fprintf(f, "fd");
		break;
	default:
		fputs(v.s, f);
		break;
	}
	return 0;
}

static int print_all(sd_bus_message *m, FILE *f)
{
	int r;

	while ((r = sd_bus_message_at_end(m, true)) == 0) {
		fputc(' ', f);
		r = print_value(m, f);
		if (r < 0)
			return r;
	}
	return r < 0 ? r : 0;
}

static int append_basic(sd_bus_message *m, char type, const char *arg)
{
	switch (type) {
	case 'b':
		return sd_bus_message_append(m, "b", strcmp(arg, "true") == 0);
	case 'y':
		return sd_bus_message_append(m, "y", (uint8_t) strtoul(arg, NULL, 0));
	case 'n':
		return sd_bus_message_append(m, "n", (int16_t) strtol(arg, NULL, 0));
	case 'q':
		return sd_bus_message_append(m, "q", (uint16_t) strtoul(arg, NULL, 0));
	case 'i':
		return sd_bus_message_append(m, "i", (int32_t) strtol(arg, NULL, 0));
	case 'u':
		return sd_bus_message_append(m, "u", (uint32_t) strtoul(arg, NULL, 0));
	case 'd':
		return sd_bus_message_append(m, "d", strtod(arg, NULL));
	case 's':
		return sd_bus_message_append(m, "s", arg);
	case 'o':
		return sd_bus_message_append(m, "o", arg);
	default:
		return -EINVAL;
	}
}

static int append_hex(sd_bus_message *m, const char *hex)
{
	uint8_t buf[512];
	size_t n = 0;
	unsigned x;

	if (strcmp(hex, "-") != 0)
		for (; hex[0] && hex[1] && n < sizeof(buf); hex += 2) {
			if (sscanf(hex, "%2x", &x) != 1)
				return -EINVAL;
			buf[n++] = (uint8_t) x;
		}
	return sd_bus_message_append_array(m, 'y', buf, n);
}

/* Append one argument of type sig from tok[*i...]; *i advances. */
static int append_arg(sd_bus_message *m, const char *sig, char **tok, int ntok, int *i)
{
	int r, n;

	if (*i >= ntok)
		return -EINVAL;
	if (strcmp(sig, "ay") == 0)
		return append_hex(m, tok[(*i)++]);
	if (strcmp(sig, "as") == 0) {
		n = atoi(tok[(*i)++]);
		r = sd_bus_message_open_container(m, 'a', "s");
		for (int k = 0; r >= 0 && k < n && *i < ntok; k++)
			r = sd_bus_message_append(m, "s", tok[(*i)++]);
		return r < 0 ? r : sd_bus_message_close_container(m);
	}
	if (strcmp(sig, "a{sv}") == 0) {
		n = atoi(tok[(*i)++]);
		r = sd_bus_message_open_container(m, 'a', "{sv}");
		for (int k = 0; r >= 0 && k < n && *i + 2 < ntok + 1; k++) {
			const char *key = tok[(*i)++], *t = tok[(*i)++];

			r = sd_bus_message_open_container(m, 'e', "sv");
			if (r >= 0)
				r = sd_bus_message_append(m, "s", key);
			if (r >= 0)
				r = sd_bus_message_open_container(m, 'v', t);
			if (r >= 0)
				r = append_arg(m, t, tok, ntok, i);
			if (r >= 0)
				r = sd_bus_message_close_container(m);
			if (r >= 0)
				r = sd_bus_message_close_container(m);
		}
		return r < 0 ? r : sd_bus_message_close_container(m);
	}
	if (strlen(sig) != 1)
		return -EINVAL;
	return append_basic(m, sig[0], tok[(*i)++]);
}

/* SIG is a concatenation of the forms above, e.g. "aya{sv}" or "sa{sv}". */
static int append_args(sd_bus_message *m, const char *sig, char **tok, int ntok, int i)
{
	static const char *const forms[] = { "a{sv}", "ay", "as" };
	char one[8];
	int r;

	while (*sig) {
		size_t len = 1;

		for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++)
			if (strncmp(sig, forms[k], strlen(forms[k])) == 0)
				len = strlen(forms[k]);
		snprintf(one, sizeof(one), "%.*s", (int) len, sig);
		r = append_arg(m, one, tok, ntok, &i);
		if (r < 0)
			return r;
		sig += len;
	}
	return 0;
}

static void print_reply(sd_bus_message *reply, const char *tag)
{
	const sd_bus_error *e = sd_bus_message_get_error(reply);

	if (e) {
		printf("%s %s: %s\n", tag[0] == 'R' ? "ERROR" : "AERROR", e->name,
		       e->message ? e->message : "");
	} else {
		fputs(tag, stdout);
		(void) print_all(reply, stdout);
		fputc('\n', stdout);
	}
	fflush(stdout);
}

static int on_async_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
	pending--;
	print_reply(reply, "AREPLY");
	return 0;
}

static int cmd_call(sd_bus *bus, char **tok, int ntok, bool wait)
{
	sd_bus_message *m = NULL, *reply = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	if (ntok < 4)
		return -EINVAL;
	r = sd_bus_message_new_method_call(bus, &m, dest, tok[1], tok[2], tok[3]);
	if (r >= 0 && ntok > 4)
		r = append_args(m, tok[4], tok, ntok, 5);
	if (r < 0) {
		sd_bus_message_unref(m);
		return r;
	}
	if (!wait) {
		pending++;
		r = sd_bus_call_async(bus, NULL, m, on_async_reply, NULL, 60 * 1000000ULL);
		sd_bus_message_unref(m);
		return r;
	}
	r = sd_bus_call(bus, m, 60 * 1000000ULL, &e, &reply);
	if (r < 0)
		printf("ERROR %s: %s\n", e.name ? e.name : "errno",
		       e.message ? e.message : strerror(-r));
	else
		print_reply(reply, "REPLY");
	fflush(stdout);
	sd_bus_error_free(&e);
	sd_bus_message_unref(reply);
	sd_bus_message_unref(m);
	return 0;
}

static int get_prop(sd_bus *bus, char **tok, char *buf, size_t len)
{
	sd_bus_message *reply = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	FILE *f;
	int r;

	r = sd_bus_call_method(bus, dest, tok[1], "org.freedesktop.DBus.Properties", "Get", &e,
			       &reply, "ss", tok[2], tok[3]);
	if (r < 0) {
		snprintf(buf, len, "ERROR %s", e.name ? e.name : strerror(-r));
		sd_bus_error_free(&e);
		return 0;
	}
	f = fmemopen(buf, len, "w");
	if (!f)
		return -errno;
	(void) print_value(reply, f);
	fclose(f);
	sd_bus_message_unref(reply);
	return 0;
}

static void run_for(sd_bus *bus, uint64_t ms)
{
	uint64_t end = now_ms() + ms, t;
	int r;

	for (;;) {
		while ((r = sd_bus_process(bus, NULL)) > 0)
			;
		if (r < 0)
			return;
		t = now_ms();
		if (t >= end)
			return;
		(void) sd_bus_wait(bus, (end - t) * 1000);
	}
}

static int cmd_wait(sd_bus *bus, char **tok, int ntok)
{
	char buf[1024] = "";
	uint64_t end;

	if (ntok < 6)
		return -EINVAL;
	end = now_ms() + strtoull(tok[5], NULL, 0);
	do {
		get_prop(bus, tok, buf, sizeof(buf));
		if (strcmp(buf, tok[4]) == 0) {
			printf("WAIT ok\n");
			fflush(stdout);
			return 0;
		}
		run_for(bus, 20);
	} while (now_ms() < end);
	printf("WAIT timeout %s\n", buf);
	fflush(stdout);
	return 0;
}

static int on_signal(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	const char *member = sd_bus_message_get_member(m), *path = sd_bus_message_get_path(m);
	const char *iface, *key;

	if (strcmp(member, "PropertiesChanged") == 0) {
		if (sd_bus_message_read(m, "s", &iface) < 0)
			return 0;
		printf("PC %s", path);
		sd_bus_message_enter_container(m, 'a', "{sv}");
		while (sd_bus_message_enter_container(m, 'e', "sv") > 0) {
			sd_bus_message_read(m, "s", &key);
			printf(" %s=", key);
			print_value(m, stdout);
			sd_bus_message_exit_container(m);
		}
		sd_bus_message_exit_container(m);
		sd_bus_message_enter_container(m, 'a', "s");
		while (sd_bus_message_read(m, "s", &key) > 0)
			printf(" -%s", key);
		printf("\n");
	} else if (strcmp(member, "InterfacesAdded") == 0 ||
		   strcmp(member, "InterfacesRemoved") == 0) {
		if (sd_bus_message_read(m, "o", &path) >= 0)
			printf("%s %s\n", member[10] == 'A' ? "IA" : "IR", path);
	} else {
		printf("SIG %s %s\n", member, path);
	}
	fflush(stdout);
	return 0;
}

static int agent_method(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	const char *member = sd_bus_message_get_member(m), *dev = "";

	if (strcmp(member, "RequestAuthorization") == 0)
		(void) sd_bus_message_read(m, "o", &dev);
	printf("AGENT %s %s\n", member, dev);
	fflush(stdout);
	if (!agent_accept)
		return sd_bus_error_set(e, "org.bluez.Error.Rejected", "Rejected by test agent");
	return sd_bus_reply_method_return(m, "");
}

/* UNPRIVILEGED: otherwise sd-bus asks the bus for the caller's creds, and a Release sent by a
 * bluetoothd that has just exited is dropped because the caller is gone. */
static const sd_bus_vtable agent_vtable[] = {
	SD_BUS_VTABLE_START(SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("Release", "", "", agent_method, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("RequestAuthorization", "o", "", agent_method, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("RequestConfirmation", "ou", "", agent_method, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("AuthorizeService", "os", "", agent_method, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("Cancel", "", "", agent_method, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END
};

static int cmd_agent(sd_bus *bus, char **tok, int ntok)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	if (ntok < 4)
		return -EINVAL;
	agent_accept = strcmp(tok[3], "ok") == 0;
	r = sd_bus_add_object_vtable(bus, NULL, tok[1], "org.bluez.Agent1", agent_vtable, NULL);
	if (r >= 0)
		r = sd_bus_call_method(bus, "org.bluez", "/org/bluez", "org.bluez.AgentManager1",
				       "RegisterAgent", &e, NULL, "os", tok[1], tok[2]);
	if (r >= 0)
		r = sd_bus_call_method(bus, "org.bluez", "/org/bluez", "org.bluez.AgentManager1",
				       "RequestDefaultAgent", &e, NULL, "o", tok[1]);
	printf(r < 0 ? "ERROR %s\n" : "AGENT registered%s\n", r < 0 ? e.name : "");
	fflush(stdout);
	sd_bus_error_free(&e);
	return 0;
}

static int run_line(sd_bus *bus, char *line)
{
	char *tok[64], *save = NULL, *t, buf[1024];
	int ntok = 0;

	for (t = strtok_r(line, " \t\n", &save); t && ntok < 64; t = strtok_r(NULL, " \t\n", &save))
		tok[ntok++] = t;
	if (ntok == 0 || tok[0][0] == '#')
		return 0;
	if (strcmp(tok[0], "dest") == 0 && ntok == 2)
		dest = strdup(tok[1]);
	else if (strcmp(tok[0], "call") == 0 || strcmp(tok[0], "send") == 0)
		return cmd_call(bus, tok, ntok, tok[0][0] == 'c');
	else if (strcmp(tok[0], "get") == 0 && ntok == 4) {
		get_prop(bus, tok, buf, sizeof(buf));
		printf("VALUE %s\n", buf);
	} else if (strcmp(tok[0], "wait") == 0)
		return cmd_wait(bus, tok, ntok);
	else if (strcmp(tok[0], "watch") == 0) {
		char rule[160];

		(void) snprintf(rule, sizeof(rule), "type='signal',sender='%s'",
				ntok > 1 ? tok[1] : "org.bluez");
		return sd_bus_add_match(bus, NULL, rule, on_signal, NULL);
	} else if (strcmp(tok[0], "sleep") == 0 && ntok == 2)
		run_for(bus, strtoull(tok[1], NULL, 0));
	else if (strcmp(tok[0], "agent") == 0)
		return cmd_agent(bus, tok, ntok);
	else if (strcmp(tok[0], "echo") == 0)
		printf("%s\n", ntok > 1 ? tok[1] : "");
	else
		return -EINVAL;
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	sd_bus *bus = NULL;
	char line[4096];
	int r;

	r = sd_bus_new(&bus);
	if (r >= 0)
		r = sd_bus_set_address(bus, argc > 1 ? argv[1] : getenv("DBUS_SYSTEM_BUS_ADDRESS"));
	if (r >= 0)
		r = sd_bus_set_bus_client(bus, 1);
	if (r >= 0)
		r = sd_bus_start(bus);
	if (r < 0) {
		fprintf(stderr, "sim-client: cannot connect: %s\n", strerror(-r));
		return 1;
	}
	while (fgets(line, sizeof(line), stdin)) {
		r = run_line(bus, line);
		if (r < 0)
			printf("BAD %s\n", strerror(-r));
		fflush(stdout);
	}
	/* Dispatch what sd_bus_call() queued, and let async replies arrive. */
	run_for(bus, 20);
	for (int i = 0; i < 100 && pending > 0; i++)
		run_for(bus, 20);
	sd_bus_flush_close_unref(bus);
	return 0;
}
