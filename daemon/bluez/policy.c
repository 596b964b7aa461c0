/* SPDX-License-Identifier: MIT */
#include "policy.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "ftms.h"
#include "macro.h"

unsigned policy_backoff_next(unsigned cur_ms, unsigned min_ms, unsigned max_ms)
{
	if (cur_ms < min_ms)
		return MIN(min_ms, max_ms);
	if (cur_ms >= max_ms / 2)
		return max_ms;
	return cur_ms * 2;
}

int32_t policy_heart_rate(int32_t strap_bpm, uint64_t strap_usec, int32_t machine_bpm,
			  uint64_t now_usec, unsigned stale_s)
{
	if (strap_bpm != BR_NONE && now_usec >= strap_usec &&
	    now_usec - strap_usec < (uint64_t) stale_s * USEC_PER_SEC)
		return strap_bpm;
	return machine_bpm;
}

enum machine_kind policy_kind_from_service_data(const uint8_t *buf, size_t len)
{
	struct ftms_service_data sd;

	if (ftms_service_data_parse(buf, len, &sd) < 0)
		return MACHINE_KIND_UNKNOWN;
	if (sd.machine_type & FTMS_MACHINE_INDOOR_BIKE)
		return MACHINE_KIND_BIKE;
	if (sd.machine_type & FTMS_MACHINE_TREADMILL)
		return MACHINE_KIND_TREADMILL;
	if (sd.machine_type & 0x3F)
		return MACHINE_KIND_OTHER;
	return MACHINE_KIND_UNKNOWN;
}

enum machine_kind policy_kind_from_data_uuid(const char *uuid)
{
	static const char *const other[] = {
		FTMS_UUID_CROSS_TRAINER_DATA,
		FTMS_UUID_STEP_CLIMBER_DATA,
		FTMS_UUID_STAIR_CLIMBER_DATA,
		FTMS_UUID_ROWER_DATA,
	};

	if (strcmp(uuid, FTMS_UUID_INDOOR_BIKE_DATA) == 0)
		return MACHINE_KIND_BIKE;
	if (strcmp(uuid, FTMS_UUID_TREADMILL_DATA) == 0)
		return MACHINE_KIND_TREADMILL;
	for (size_t i = 0; i < ARRAY_SIZE(other); i++)
		if (strcmp(uuid, other[i]) == 0)
			return MACHINE_KIND_OTHER;
	return MACHINE_KIND_UNKNOWN;
}

static bool address_valid_sep(const char *s, char sep)
{
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2) {
			if (s[i] != sep)
				return false;
		} else if (!isxdigit((unsigned char) s[i])) {
			return false;
		}
	}
	return s[17] == '\0';
}

bool policy_address_valid(const char *s)
{
	return s && strlen(s) == 17 && address_valid_sep(s, ':');
}

int policy_address_normalize(const char *s, char ret[18])
{
	if (!policy_address_valid(s))
		return -EINVAL;
	for (int i = 0; i < 18; i++)
		ret[i] = (char) toupper((unsigned char) s[i]);
	return 0;
}

int policy_address_from_device_path(const char *path, char ret[18])
{
	const char *p = strrchr(path, '/');

	if (!p || strncmp(p, "/dev_", 5) != 0 || strlen(p + 5) != 17 ||
	    !address_valid_sep(p + 5, '_'))
		return -EINVAL;
	for (int i = 0; i < 17; i++)
		ret[i] = p[5 + i] == '_' ? ':' : (char) toupper((unsigned char) p[5 + i]);
	ret[17] = '\0';
	return 0;
}

void policy_address_to_path_component(const char *address, char ret[18])
{
	for (int i = 0; i < 17; i++)
		ret[i] = address[i] == ':' ? '_' : address[i];
	ret[17] = '\0';
}

bool policy_walkingpad_name(const char *name)
{
	static const char *const prefixes[] = {
		"WalkingPad", "KingSmith", "R1 Pro", "KS-ST-A1P", "KS-BLC", "KS-BLR", "KS-F0",
	};

	for (size_t i = 0; name && i < ARRAY_SIZE(prefixes); i++)
		if (strncasecmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}
