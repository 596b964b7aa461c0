/* SPDX-License-Identifier: MIT */
#include "bus-source.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "macro.h"

struct bus_source {
	sd_bus *bus;
	uv_poll_t io;
	uv_timer_t timer;
	uv_prepare_t prepare;
	bus_source_lost_fn lost;
	void *userdata;
	int open_handles;
	int dead;
};

static void bus_source_handle_closed(uv_handle_t *h)
{
	struct bus_source *s = h->data;

	if (--s->open_handles > 0)
		return;
	sd_bus_unref(s->bus);
	free(s);
}

static void bus_source_stop(struct bus_source *s)
{
	if (s->dead)
		return;
	s->dead = 1;
	(void) uv_poll_stop(&s->io);
	(void) uv_timer_stop(&s->timer);
	(void) uv_prepare_stop(&s->prepare);
}

static void bus_source_run(struct bus_source *s)
{
	int r;

	if (s->dead)
		return;
	do
		r = sd_bus_process(s->bus, NULL);
	while (r > 0);
	if (r < 0) {
		bus_source_stop(s);
		if (s->lost)
			s->lost(s, r, s->userdata);
	}
}

static void on_io(uv_poll_t *h, int status, int events)
{
	bus_source_run(h->data);
}

static void on_timeout(uv_timer_t *h)
{
	bus_source_run(h->data);
}

static void on_prepare(uv_prepare_t *h)
{
	struct bus_source *s = h->data;
	uint64_t until, now, ms;
	int events, uv_events = 0;

	bus_source_run(s);
	if (s->dead)
		return;
	events = sd_bus_get_events(s->bus);
	if (events < 0) {
		bus_source_stop(s);
		if (s->lost)
			s->lost(s, events, s->userdata);
		return;
	}
	if (events & POLLIN)
		uv_events |= UV_READABLE;
	if (events & POLLOUT)
		uv_events |= UV_WRITABLE;
	(void) uv_poll_start(&s->io, uv_events, on_io);

	if (sd_bus_get_timeout(s->bus, &until) < 0 || until == UINT64_MAX) {
		(void) uv_timer_stop(&s->timer);
		return;
	}
	/* An absolute CLOCK_MONOTONIC deadline in µs; uv_hrtime() is the same clock. */
	now = uv_hrtime() / 1000;
	ms = until > now ? (until - now + 999) / 1000 : 0;
	(void) uv_timer_start(&s->timer, on_timeout, ms, 0);
}

int bus_source_new(uv_loop_t *loop, sd_bus *bus, bus_source_lost_fn lost, void *userdata,
		   struct bus_source **ret)
{
	struct bus_source *s;
	int fd, r;

	fd = sd_bus_get_fd(bus);
	if (fd < 0)
		return fd;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	r = uv_poll_init(loop, &s->io, fd);
	if (r < 0) {
		free(s);
		return r;
	}
	(void) uv_timer_init(loop, &s->timer);
	(void) uv_prepare_init(loop, &s->prepare);
	s->io.data = s->timer.data = s->prepare.data = s;
	s->open_handles = 3;
	s->bus = sd_bus_ref(bus);
	s->lost = lost;
	s->userdata = userdata;
	(void) uv_prepare_start(&s->prepare, on_prepare);
	(void) uv_poll_start(&s->io, UV_READABLE, on_io);
	*ret = s;
	return 0;
}

void bus_source_close(struct bus_source *s)
{
	if (!s)
		return;
	bus_source_stop(s);
	uv_close((uv_handle_t *) &s->io, bus_source_handle_closed);
	uv_close((uv_handle_t *) &s->timer, bus_source_handle_closed);
	uv_close((uv_handle_t *) &s->prepare, bus_source_handle_closed);
}

sd_bus *bus_source_get_bus(struct bus_source *s)
{
	return s->bus;
}
