/* SPDX-License-Identifier: MIT */
/*
 * org.bluez.Agent1 with NoInputNoOutput (notes §1.8): Just Works pairing is accepted,
 * anything that needs a PIN or passkey is rejected, since nobody types one in.
 */
#include <errno.h>
#include <string.h>

#include "bluez-internal.h"
#include "log.h"

#define BZ_ERROR_REJECTED "org.bluez.Error.Rejected"

static bool from_bluez(struct bluez *b, sd_bus_message *m)
{
	const char *sender = sd_bus_message_get_sender(m);

	return b->owner && sender && strcmp(sender, b->owner) == 0;
}

static int agent_accept(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;

	if (!from_bluez(b, m))
		return sd_bus_error_set(err, BZ_ERROR_REJECTED, "Only BlueZ may call the agent");
	bz_event(b, DRIVER_EVENT_BLUEZ, "agent: %s accepted", sd_bus_message_get_member(m));
	return sd_bus_reply_method_return(m, "");
}

static int agent_reject(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;

	bz_event(b, DRIVER_EVENT_BLUEZ, "agent: %s rejected (no input, no output)",
		 sd_bus_message_get_member(m));
	return sd_bus_error_set(err, BZ_ERROR_REJECTED,
				"backride cannot show or enter a PIN or passkey");
}

static int agent_ok(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable agent_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("Release", "", "", agent_ok, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("RequestPinCode", "o", "s", agent_reject, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("DisplayPinCode", "os", "", agent_reject, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("RequestPasskey", "o", "u", agent_reject, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("DisplayPasskey", "ouq", "", agent_ok, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("RequestConfirmation", "ou", "", agent_accept, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("RequestAuthorization", "o", "", agent_accept, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("AuthorizeService", "os", "", agent_accept, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("Cancel", "", "", agent_ok, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

int bz_agent_export(struct bluez *b)
{
	/* The object exists before RegisterAgent (notes §1.8). */
	return sd_bus_add_object_vtable(b->bus, &b->agent_object, BZ_AGENT_PATH, BZ_AGENT_IFACE,
					agent_vtable, b);
}

static int on_default_agent(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	const char *text;

	b->agent_call = sd_bus_slot_unref(b->agent_call);
	if (bz_reply_error(reply, &text) < 0)
		bz_event(b, DRIVER_EVENT_BLUEZ, "RequestDefaultAgent failed: %s", text);
	return 0;
}

static int on_agent_registered(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct bluez *b = userdata;
	const char *text;
	int r;

	b->agent_call = sd_bus_slot_unref(b->agent_call);
	r = bz_reply_error(reply, &text);
	if (r < 0 && r != -EEXIST) {
		log_warning("Cannot register the pairing agent with BlueZ: %s", text);
		return 0;
	}
	/* Default agent: remote-initiated Just Works asks the default agent (notes §1.8). */
	r = bz_call(b, &b->agent_call, "/org/bluez", BZ_AGENT_MANAGER_IFACE, "RequestDefaultAgent",
		    on_default_agent, b, BZ_USEC_CALL, "o", BZ_AGENT_PATH);
	if (r < 0)
		log_warning("Cannot ask to be BlueZ's default agent: %s", strerror(-r));
	return 0;
}

void bz_agent_register(struct bluez *b)
{
	int r;

	r = bz_call(b, &b->agent_call, "/org/bluez", BZ_AGENT_MANAGER_IFACE, "RegisterAgent",
		    on_agent_registered, b, BZ_USEC_CALL, "os", BZ_AGENT_PATH, "NoInputNoOutput");
	if (r < 0)
		log_warning("Cannot register the pairing agent with BlueZ: %s", strerror(-r));
}

void bz_agent_close(struct bluez *b)
{
	b->agent_call = sd_bus_slot_unref(b->agent_call);
	if (b->owner)
		(void) bz_call(b, NULL, "/org/bluez", BZ_AGENT_MANAGER_IFACE, "UnregisterAgent",
			       NULL, NULL, BZ_USEC_CALL, "o", BZ_AGENT_PATH);
	b->agent_object = sd_bus_slot_unref(b->agent_object);
}
