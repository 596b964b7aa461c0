/* SPDX-License-Identifier: MIT */
#include "later.h"

#include <errno.h>
#include <stdlib.h>

struct later {
	uv_timer_t timer;
	later_fn fn;
	void *userdata;
	struct later **slot;
};

static void later_closed(uv_handle_t *h)
{
	free(h->data);
}

static void later_fire(uv_timer_t *t)
{
	struct later *l = t->data;

	*l->slot = NULL;
	uv_close((uv_handle_t *) &l->timer, later_closed);
	l->fn(l->userdata);
}

int later_start(uv_loop_t *loop, uint64_t ms, later_fn fn, void *userdata, struct later **slot)
{
	struct later *l;

	later_cancel(slot);
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	(void) uv_timer_init(loop, &l->timer);
	l->timer.data = l;
	l->fn = fn;
	l->userdata = userdata;
	l->slot = slot;
	*slot = l;
	(void) uv_timer_start(&l->timer, later_fire, ms, 0);
	return 0;
}

void later_cancel(struct later **slot)
{
	struct later *l = *slot;

	if (!l)
		return;
	*slot = NULL;
	(void) uv_timer_stop(&l->timer);
	uv_close((uv_handle_t *) &l->timer, later_closed);
}
