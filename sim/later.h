/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>
#include <uv.h>

/*
 * A one-shot timer with an owner slot: later_start() stores the timer in *slot, which is
 * cleared just before the callback runs or when later_cancel() is called. The owner keeps
 * the slot and cancels it in its free function.
 */
struct later;

typedef void (*later_fn)(void *userdata);

/* Return: 0, or -ENOMEM. Any timer already in *slot is cancelled first. */
int later_start(uv_loop_t *loop, uint64_t ms, later_fn fn, void *userdata, struct later **slot);

/* Cancel the timer in *slot (if any) and clear the slot. */
void later_cancel(struct later **slot);
