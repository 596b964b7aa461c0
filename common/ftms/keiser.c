/* SPDX-License-Identifier: MIT */
/* Keiser M3i advertisement manufacturer data (keiser.h). */
#include "keiser.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t) (p[0] | p[1] << 8);
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t) v;
	p[1] = (uint8_t) (v >> 8);
}

bool keiser_m3i_real_time(uint8_t data_type)
{
	return data_type == 0 || (data_type >= 128 && data_type <= 227);
}

int keiser_m3i_parse(const uint8_t *buf, size_t len, struct keiser_m3i *ret)
{
	struct keiser_m3i k = { 0 };

	assert(ret);
	assert(buf || len == 0);
	if (len < KEISER_M3I_LEN)
		return -EBADMSG;
	if (buf[0] != KEISER_M3I_MAJOR || !keiser_m3i_real_time(buf[2]))
		return -EPROTO;
	if (buf[13] > 59)
		return -EBADMSG;
	k.major = buf[0];
	k.minor = buf[1];
	k.data_type = buf[2];
	k.equipment_id = buf[3];
	k.cadence = get_le16(buf + 4);
	k.heart_rate = get_le16(buf + 6);
	k.power = get_le16(buf + 8);
	k.energy = get_le16(buf + 10);
	k.minutes = buf[12];
	k.seconds = buf[13];
	k.distance = get_le16(buf + 14);
	k.has_gear = k.minor >= KEISER_M3I_GEAR_MINOR && len > KEISER_M3I_LEN;
	if (k.has_gear)
		k.gear = buf[KEISER_M3I_LEN];
	*ret = k;
	return 0;
}

int keiser_m3i_encode(const struct keiser_m3i *k, uint8_t *buf, size_t len)
{
	uint8_t f[KEISER_M3I_LEN + 1];
	size_t n;

	assert(k);
	assert(buf || len == 0);
	n = KEISER_M3I_LEN + (k->has_gear ? 1 : 0);
	if (len < n)
		return -ENOBUFS;
	f[0] = k->major;
	f[1] = k->minor;
	f[2] = k->data_type;
	f[3] = k->equipment_id;
	put_le16(f + 4, k->cadence);
	put_le16(f + 6, k->heart_rate);
	put_le16(f + 8, k->power);
	put_le16(f + 10, k->energy);
	f[12] = k->minutes;
	f[13] = k->seconds;
	put_le16(f + 14, k->distance);
	f[16] = k->gear;
	memcpy(buf, f, n);
	return (int) n;
}

uint32_t keiser_m3i_time(const struct keiser_m3i *k)
{
	return (uint32_t) k->minutes * 60 + k->seconds;
}

uint32_t keiser_m3i_distance_m(const struct keiser_m3i *k)
{
	uint32_t tenths = k->distance & ~KEISER_M3I_DISTANCE_KM;

	if (k->distance & KEISER_M3I_DISTANCE_KM)
		return tenths * 100;
	/* 0.1 mile = 160.9344 m */
	return (uint32_t) (((uint64_t) tenths * 1609344 + 5000) / 10000);
}
