/* SPDX-License-Identifier: MIT */
#include "wallclock.h"

#include <errno.h>
#include <time.h>

/* One daemon, one clock: the offset is process-wide like the system clock it shifts. */
static int64_t offset_s;

int64_t wallclock_now(void)
{
	return (int64_t) time(NULL) + offset_s;
}

int wallclock_advance(int64_t seconds)
{
	if (seconds <= 0 || seconds > 366 * 24 * 3600 || offset_s > 10 * 366 * 24 * 3600)
		return -EINVAL;
	offset_s += seconds;
	return 0;
}
