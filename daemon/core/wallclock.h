/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The daemon's wall clock: when sessions start, check-ins are made, and which day a programme
 * is on. It is the system clock, plus an offset that only Debug1.AdvanceClock (tests, with
 * [debug] targets = yes) moves forward, so that a test lives through the weeks of a programme in
 * minutes while the daemon, not the test, decides what day it is.
 */

#include <stdint.h>

/* Return: unix seconds. */
int64_t wallclock_now(void);

/* Move the clock forward by @seconds (> 0). Return: 0; -EINVAL not forward or over a year. */
int wallclock_advance(int64_t seconds);
