/* SPDX-License-Identifier: MIT */
#include "manager.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include "api/api.h"
#include "backride-build.h"
#include "backride-dbus.h"
#include "bluez.h"
#include "bus-source.h"
#include "bus-util.h"
#include "coach.h"
#include "log.h"
#include "machines.h"
#include "macro.h"
#include "storage.h"

struct manager {
	uv_loop_t *loop;
	const struct config *config;
	uv_signal_t sigterm;
	uv_signal_t sigint;
	sd_bus *api_bus;
	sd_bus *bluez_bus;
	struct bus_source *api_src;
	struct bus_source *bluez_src;
	sd_bus_slot *name_slot;
	struct api *api;
	struct storage *storage;
	struct machines *machines;
	struct coach *coach;
	int stopping;
	int exit_code;
};

static void on_coach_shut_down(void *userdata)
{
	manager_stop(userdata, 0);
}

/* ---- the core reports upward: on to the D-Bus API ------------------------------------ */

static void on_machine_changed(void *userdata, const struct machine_props *p)
{
	struct manager *m = userdata;

	if (m->api)
		(void) api_machine_set(m->api, p);
}

static void on_machine_removed(void *userdata, const char *address)
{
	struct manager *m = userdata;

	if (m->api)
		(void) api_machine_remove(m->api, address);
}

static void on_machine_data(void *userdata, const char *address, const struct br_sample *s)
{
	struct manager *m = userdata;

	if (m->api)
		(void) api_machine_set_data(m->api, address, s);
}

static void on_machine_found(void *userdata, const struct machine_props *p)
{
	struct manager *m = userdata;

	if (m->api)
		(void) api_emit_machine_found(m->api, p);
}

static void on_scan_finished(void *userdata)
{
	struct manager *m = userdata;

	if (m->api)
		(void) api_emit_scan_finished(m->api);
}

static void on_state_changed(void *userdata)
{
	struct manager *m = userdata;

	if (m->api)
		(void) api_emit_state_changed(m->api);
}

static void on_event(void *userdata, const char *type, const char *detail)
{
	struct manager *m = userdata;

	if (m->api)
		(void) api_emit_event(m->api, type, detail);
}

static const struct machines_callbacks machines_callbacks = {
	.machine_changed = on_machine_changed,
	.machine_removed = on_machine_removed,
	.machine_data = on_machine_data,
	.machine_found = on_machine_found,
	.scan_finished = on_scan_finished,
	.state_changed = on_state_changed,
	.event = on_event,
};

static int on_session_begun(void *userdata)
{
	struct manager *m = userdata;

	return m->api ? api_session_export(m->api) : 0;
}

static void on_session_changed(void *userdata)
{
	struct manager *m = userdata;

	if (m->api)
		(void) api_session_changed(m->api);
}

static const struct coach_callbacks coach_callbacks = {
	.session_begun = on_session_begun,
	.session_changed = on_session_changed,
	.state_changed = on_state_changed,
	.event = on_event,
};

/* ---- lifetime ------------------------------------------------------------------------ */

static void on_signal(uv_signal_t *h, int signum)
{
	struct manager *m = h->data;

	log_info("Received %s, shutting down.", strsignal(signum));
	/* A running session first brings the machine to a safe state (bounded). */
	if (m->coach && coach_shutdown(m->coach, on_coach_shut_down, m) > 0)
		return;
	manager_stop(m, 0);
}

static void on_bus_lost(struct bus_source *s, int error, void *userdata)
{
	struct manager *m = userdata;

	log_error_errno(error, "Lost the connection to the %s bus",
			s == m->api_src ? "API" : "BlueZ");
	manager_stop(m, 1);
}

static int on_name_acquired(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
	struct manager *m = userdata;
	const sd_bus_error *e = sd_bus_message_get_error(reply);
	uint32_t result = 0;

	if (e) {
		log_error("Cannot own the bus name %s: %s%s%s", BR_BUS_NAME, e->name,
			  e->message ? ": " : "", e->message ? e->message : "");
		if (sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED))
			log_error("Is the D-Bus policy for %s installed?", BR_BUS_NAME);
		manager_stop(m, 1);
		return 0;
	}
	/* The raw RequestName reply: 1 primary owner, 2 queued, 3 exists, 4 already owner. */
	if (sd_bus_message_read(reply, "u", &result) < 0 || (result != 1 && result != 4)) {
		log_error("Cannot own the bus name %s: another backrided already runs on this bus.",
			  BR_BUS_NAME);
		manager_stop(m, 1);
		return 0;
	}
	log_info("backrided %s ready on %s.", BACKRIDE_VERSION, BR_BUS_NAME);
	(void) sd_notify(0, "READY=1\nSTATUS=Idle");
	return 0;
}

static int manager_open_bus(struct manager *m, const char *name, const char *what, sd_bus **bus,
			    struct bus_source **src)
{
	int r;

	r = bus_open_by_name(name, what, bus);
	if (r < 0)
		return log_error_errno(r, "Cannot connect to the %s bus '%s'", what, name);
	r = bus_source_new(m->loop, *bus, on_bus_lost, m, src);
	if (r < 0)
		return log_error_errno(r, "Cannot watch the %s bus", what);
	return 0;
}

/* Return: true if the directory of @path, copied to @dir, does not exist. */
static bool database_dir_missing(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (!slash)
		return false;
	(void) snprintf(dir, size, "%.*s", (int) (slash == path ? 1 : slash - path), path);
	return stat(dir, &st) < 0 && errno == ENOENT;
}

static int manager_open_storage(struct manager *m)
{
	char dir[PATH_MAX];
	int r;

	r = storage_open(m->config->database, &m->storage);
	if (r < 0 && database_dir_missing(m->config->database, dir, sizeof(dir)))
		log_error("Cannot open the database: %s; create %s (systemd's StateDirectory= does "
			  "for the default %s) or pass --database FILE.",
			  storage_open_error(), dir, BACKRIDE_DB_FILE);
	else if (r < 0)
		log_error("Cannot open the database: %s", storage_open_error());
	return r < 0 ? r : 0;
}

/* The machines registry's transport: the BlueZ client on the BlueZ bus, from [bluez]. */
static int new_bluez_links(void *arg, const struct driver_callbacks *cb, void *userdata,
			   struct machine_links *ret)
{
	struct manager *m = arg;
	const struct config *config = m->config;
	struct bluez_config bc = {
		.adapter = config->bluez_adapter,
		.pair = config->bluez_pair == CONFIG_PAIR_ALWAYS  ? BLUEZ_PAIR_ALWAYS
			: config->bluez_pair == CONFIG_PAIR_NEVER ? BLUEZ_PAIR_NEVER
								  : BLUEZ_PAIR_AUTO,
		.cp_timeout_ms = config->cp_timeout_ms,
		.cp_retries = config->cp_retries,
		.reconnect_min_ms = MIN(config->reconnect_min_ms, config->reconnect_max_ms),
		.reconnect_max_ms = config->reconnect_max_ms,
		.resolve_timeout_ms = config->connect_timeout_ms,
		.hr_stale_s = config->hr_stale_s,
		.wheel_mm = config->wheel_mm,
		.sensor_replace =
			(config->sensor_replace & CONFIG_SENSOR_POWER ? BLUEZ_SENSOR_POWER : 0) |
			(config->sensor_replace & CONFIG_SENSOR_CADENCE ? BLUEZ_SENSOR_CADENCE
									: 0) |
			(config->sensor_replace & CONFIG_SENSOR_SPEED ? BLUEZ_SENSOR_SPEED : 0),
		.time_scale = config->time_scale,
	};
	struct bluez *b;
	int r;

	r = bluez_new(m->loop, m->bluez_bus, &bc, cb, userdata, &b);
	if (r < 0)
		return r;
	bluez_machine_links(b, ret);
	return 0;
}

int manager_new(uv_loop_t *loop, const struct config *config, struct manager **ret)
{
	struct manager *m;
	int r;

	m = calloc(1, sizeof(*m));
	if (!m)
		return log_error_errno(-ENOMEM, "Out of memory");
	m->loop = loop;
	m->config = config;
	(void) uv_signal_init(loop, &m->sigterm);
	(void) uv_signal_init(loop, &m->sigint);
	m->sigterm.data = m->sigint.data = m;
	(void) uv_signal_start(&m->sigterm, on_signal, SIGTERM);
	(void) uv_signal_start(&m->sigint, on_signal, SIGINT);
	*ret = m;

	r = manager_open_storage(m);
	if (r < 0)
		return r;
	r = manager_open_bus(m, config->api_bus, "API", &m->api_bus, &m->api_src);
	if (r < 0)
		return r;
	r = manager_open_bus(m, config->bluez_bus, "BlueZ", &m->bluez_bus, &m->bluez_src);
	if (r < 0)
		return r;
	r = machines_new(loop, config, m->storage, new_bluez_links, m, &machines_callbacks, m,
			 &m->machines);
	if (r < 0)
		return log_error_errno(r, "Cannot start the BlueZ client");
	r = coach_new(loop, config, m->storage, m->machines, &coach_callbacks, m, &m->coach);
	if (r < 0)
		return log_error_errno(r, "Cannot start the session coach");
	r = api_new(m->api_bus, config, m->storage, m->coach, m->machines, &m->api);
	if (r < 0)
		return log_error_errno(r, "Cannot export the D-Bus API");
	/* Flags 0: sd-bus asks not to be queued behind another owner. */
	r = sd_bus_request_name_async(m->api_bus, &m->name_slot, BR_BUS_NAME, 0, on_name_acquired,
				      m);
	if (r < 0)
		return log_error_errno(r, "Cannot request the bus name %s", BR_BUS_NAME);
	return 0;
}

static void manager_close_bus(sd_bus **bus, struct bus_source **src)
{
	bus_source_close(*src);
	*src = NULL;
	if (*bus) {
		/* Blocking flush is fine here: the loop is ending. */
		sd_bus_flush_close_unref(*bus);
		*bus = NULL;
	}
}

void manager_stop(struct manager *m, int exit_code)
{
	if (m->stopping)
		return;
	m->stopping = 1;
	m->exit_code = exit_code;
	(void) sd_notify(0, "STOPPING=1");
	/* The session closes first, while the machine and storage are still there. */
	coach_free(m->coach);
	m->coach = NULL;
	/* Before the API: pending Pair and Connect calls get their answer. */
	machines_free(m->machines);
	m->machines = NULL;
	api_free(m->api);
	m->api = NULL;
	m->name_slot = sd_bus_slot_unref(m->name_slot);
	manager_close_bus(&m->api_bus, &m->api_src);
	manager_close_bus(&m->bluez_bus, &m->bluez_src);
	uv_close((uv_handle_t *) &m->sigterm, NULL);
	uv_close((uv_handle_t *) &m->sigint, NULL);
}

int manager_exit_code(const struct manager *m)
{
	return m->exit_code;
}

void manager_free(struct manager *m)
{
	if (!m)
		return;
	assert(m->stopping);
	storage_free(m->storage);
	free(m);
}
