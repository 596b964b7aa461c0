/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

#include "buf.h"

/*
 * What backrided says of the running session, kept as JSON for the page: Session1's
 * properties, Manager1.State and its latest Event signals. It listens on the bus only while
 * it is watched (a browser is connected), so an idle backride-web receives nothing.
 */
struct live;

/* Called after every change the daemon signalled (one Session1 second, a state, an event). */
typedef void (*live_changed_fn)(struct live *l, void *userdata);

/* Return: 0 and *ret, or -ENOMEM. */
int live_new(sd_bus *bus, live_changed_fn changed, void *userdata, struct live **ret);
struct live *live_free(struct live *l);
DEFINE_FREEP(struct live, live_free)

/*
 * Start (@on) or stop listening: matches on Session1's and Manager1's PropertiesChanged and
 * Manager1.Event, and a GetAll of both to start from.
 * Return: 0, or -errno from sd-bus.
 */
int live_watch(struct live *l, int on);

/* The state as one JSON object: {"state":..., "session":{...}|null, "events":[...]}. */
void live_json(struct live *l, struct buf *b);
