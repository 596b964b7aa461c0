/* SPDX-License-Identifier: MIT */
/* org.bluez.AgentManager1 at /org/bluez and the calls bluetoothd makes to agents. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btd-internal.h"
#include "log.h"

static const char *const capabilities[] = { "DisplayOnly",     "DisplayYesNo",	  "KeyboardOnly",
					    "NoInputNoOutput", "KeyboardDisplay", "" };

static struct btd_agent *agent_find(struct btd *b, const char *owner)
{
	for (struct btd_agent *a = b->agents; a; a = a->next)
		if (strcmp(a->owner, owner) == 0)
			return a;
	return NULL;
}

static void agent_free(struct btd *b, struct btd_agent *a)
{
	for (struct btd_agent **pp = &b->agents; *pp; pp = &(*pp)->next) {
		if (*pp == a) {
			*pp = a->next;
			free(a);
			return;
		}
	}
}

struct btd_agent *btd_agent_get(struct btd *b, const char *owner)
{
	struct btd_agent *best = NULL;

	if (owner) {
		best = agent_find(b, owner);
		if (best)
			return best;
	}
	/* The most recent RequestDefaultAgent wins; when it goes, the one before. */
	for (struct btd_agent *a = b->agents; a; a = a->next)
		if (a->default_seq && (!best || a->default_seq > best->default_seq))
			best = a;
	return best;
}

static int method_register(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd *b = userdata;
	const char *path, *cap, *owner = sd_bus_message_get_sender(m);
	struct btd_agent *a;
	bool ok = false;

	if (sd_bus_message_read(m, "os", &path, &cap) < 0)
		return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, BTD_MSG_INVALID_ARGS);
	if (agent_find(b, owner))
		return sd_bus_error_set(e, BTD_ERR_ALREADY_EXISTS, BTD_MSG_ALREADY_EXISTS);
	for (size_t i = 0; i < ARRAY_SIZE(capabilities); i++)
		ok |= strcmp(cap, capabilities[i]) == 0;
	if (!ok)
		return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, BTD_MSG_INVALID_ARGS);
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	snprintf(a->owner, sizeof(a->owner), "%s", owner);
	snprintf(a->path, sizeof(a->path), "%s", path);
	snprintf(a->capability, sizeof(a->capability), "%s", *cap ? cap : "KeyboardDisplay");
	a->next = b->agents;
	b->agents = a;
	log_info("Agent registered: %s %s (%s)", owner, path, a->capability);
	return sd_bus_reply_method_return(m, "");
}

/* The caller's agent, at the path the call names. Return: 0 and *ret, or -errno with @e set. */
static int caller_agent(struct btd *b, sd_bus_message *m, sd_bus_error *e, struct btd_agent **ret)
{
	struct btd_agent *a;
	const char *path;

	if (sd_bus_message_read(m, "o", &path) < 0)
		return sd_bus_error_set(e, BTD_ERR_INVALID_ARGS, BTD_MSG_INVALID_ARGS);
	a = agent_find(b, sd_bus_message_get_sender(m));
	if (!a || strcmp(a->path, path) != 0)
		return sd_bus_error_set(e, BTD_ERR_DOES_NOT_EXIST, "No such Agent");
	*ret = a;
	return 0;
}

static int method_unregister(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd *b = userdata;
	struct btd_agent *a;
	int r;

	r = caller_agent(b, m, e, &a);
	if (r < 0)
		return r;
	agent_free(b, a);
	return sd_bus_reply_method_return(m, "");
}

static int method_request_default(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct btd *b = userdata;
	struct btd_agent *a;
	int r;

	r = caller_agent(b, m, e, &a);
	if (r < 0)
		return r;
	a->default_seq = ++b->default_seq;
	return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable agent_manager_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_NAMES("RegisterAgent", "os",
				 SD_BUS_PARAM(agent) SD_BUS_PARAM(capability), "", ,
				 method_register, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("UnregisterAgent", "o", SD_BUS_PARAM(agent), "", ,
				 method_unregister, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("RequestDefaultAgent", "o", SD_BUS_PARAM(agent), "", ,
				 method_request_default, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END
};

int btd_agent_register(struct btd *b)
{
	return sd_bus_add_object_vtable(b->bus, &b->agent_mgr_slot, BTD_ROOT,
					BTD_AGENT_MANAGER_IFACE, agent_manager_vtable, b);
}

void btd_agent_client_gone(struct btd *b, const char *owner)
{
	struct btd_agent *a = agent_find(b, owner);

	if (a)
		agent_free(b, a);
}

/* bluetoothd going away releases every agent (agent_destroy -> Release). */
void btd_agent_free_all(struct btd *b)
{
	sd_bus_message *m = NULL;

	while (b->agents) {
		if (sd_bus_message_new_method_call(b->bus, &m, b->agents->owner, b->agents->path,
						   BTD_AGENT_IFACE, "Release") >= 0 &&
		    sd_bus_message_set_expect_reply(m, 0) >= 0)
			(void) sd_bus_send(b->bus, m, NULL);
		m = sd_bus_message_unref(m);
		agent_free(b, b->agents);
	}
}

static int on_authorization(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
	struct btd_device *d = userdata;
	const sd_bus_error *e = sd_bus_message_get_error(reply);

	d->agent_call = sd_bus_slot_unref(d->agent_call);
	if (e) {
		log_info("%s: agent rejected pairing: %s", d->periph->address, e->name);
		return 0;
	}
	btd_device_set_paired(d);
	return 0;
}

int btd_remote_pairing(struct btd *b, const char *address)
{
	struct btd_device *d = btd_device_find_address(b, address);
	struct btd_agent *a;

	if (!d)
		return -ENOENT;
	if (!d->connected)
		return -ENOTCONN;
	if (d->agent_call || d->pair_msg)
		return -EBUSY;
	a = btd_agent_get(b, NULL);
	if (!a) {
		/* No agent at all: bluetoothd rejects remote-initiated Just Works. */
		log_info("%s: security request rejected, no agent", address);
		return 0;
	}
	return sd_bus_call_method_async(b->bus, &d->agent_call, a->owner, a->path, BTD_AGENT_IFACE,
					"RequestAuthorization", on_authorization, d, "o", d->path);
}
