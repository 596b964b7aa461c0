/* SPDX-License-Identifier: MIT */
#include "session-types.h"

#include "macro.h"

const char *session_kind_to_string(enum session_kind k)
{
	static const char *const names[_SESSION_KIND_MAX] = {
		[SESSION_KIND_BIKE] = "bike",
		[SESSION_KIND_TREADMILL] = "treadmill",
	};

	return (unsigned) k < _SESSION_KIND_MAX ? names[k] : "unknown";
}

const char *session_end_to_string(enum session_end e)
{
	static const char *const names[_SESSION_END_MAX] = {
		[SESSION_END_NONE] = "none",
		[SESSION_END_COMPLETED] = "completed",
		[SESSION_END_USER_STOP] = "stopped",
		[SESSION_END_PAIN] = "pain",
		[SESSION_END_INTERRUPTED] = "interrupted",
		[SESSION_END_SAFETY_KEY] = "safety-key",
		[SESSION_END_SHUTDOWN] = "shutdown",
		[SESSION_END_FAULT] = "fault",
	};

	return (unsigned) e < _SESSION_END_MAX ? names[e] : "unknown";
}

const char *session_channel_to_string(enum session_channel c)
{
	static const char *const names[_SESSION_CH_MAX] = {
		[SESSION_CH_POWER] = "power",
		[SESSION_CH_RESISTANCE] = "resistance",
		[SESSION_CH_SPEED] = "speed",
		[SESSION_CH_INCLINE] = "incline",
	};

	return (unsigned) c < _SESSION_CH_MAX ? names[c] : "unknown";
}

int session_bound_u32(uint32_t *v, uint32_t lo, uint32_t hi)
{
	uint32_t x = CLAMP(*v, lo, hi);

	if (x == *v)
		return 0;
	*v = x;
	return 1;
}
