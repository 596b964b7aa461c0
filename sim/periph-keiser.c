/* SPDX-License-Identifier: MIT */
/*
 * The Keiser M3i: an indoor bike whose console only broadcasts. Every 318.75 ms it sends a
 * non-connectable advertisement, local name "M3", with manufacturer data (company 0x0102) that
 * carries the ride in real time (dev.keiser.com/mseries/direct; layout in common/ftms/keiser.h).
 * The rider model is the bike's; the gear lever (1-24) is the rider's too. Faults: malformed
 * (every other frame truncated or with seconds over 59), silent (the rider left and the
 * console sleeps: no adverts at all), review-frames (a review frame between real-time ones).
 */
#include "periph.h"

#include <math.h>
#include <string.h>

#include "ble.h"
#include "btd.h"
#include "keiser.h"

#define KEISER_EQUIPMENT_ID 7	 /* the number set on the console */
#define KEISER_MINOR	    0x30 /* firmware 6.30: sends the gear (from minor 0x21) */
#define KEISER_GEAR	    8	 /* the gear the rider starts in */
#define KEISER_REVIEW_TYPE  1	 /* a review frame's data type (1-99) */

void periph_keiser_setup(struct periph *p)
{
	bike_model_init(&p->bike, p->sim->opt->seed);
	p->bike.resistance = KEISER_GEAR;
	p->bike.max_resistance = 24;
	p->bike.running = true; /* the console's workout clock runs from the first stroke */
}

static uint16_t clamp16(double v)
{
	return (uint16_t) fmax(0, fmin(lround(v), 0xffff));
}

int periph_keiser_data(struct periph *p, uint8_t *buf, size_t len)
{
	const struct bike_model *b = &p->bike;
	uint32_t t = (uint32_t) b->elapsed_s;
	struct keiser_m3i k = {
		.major = KEISER_M3I_MAJOR,
		.minor = KEISER_MINOR,
		.data_type = 0,
		.equipment_id = KEISER_EQUIPMENT_ID,
		.cadence = clamp16(b->cadence_rpm * 10),
		.heart_rate = clamp16(hr_model_bpm(&p->hr) * 10),
		.power = clamp16(b->power_w),
		.energy = clamp16(b->energy_kcal),
		.minutes = (uint8_t) MIN(t / 60, 255u),
		.seconds = (uint8_t) (t % 60),
		/* trip distance in 0.1 km, bit 15 set: km */
		.distance = (uint16_t) (MIN(lround(b->distance_m / 100), 0x7fff) |
					KEISER_M3I_DISTANCE_KM),
		.has_gear = true,
		.gear = (uint8_t) fmax(1, fmin(lround(b->resistance), 24)),
	};

	if (p->fault[PF_MALFORMED] && p->adverts % 2)
		k.power = 999; /* recorded, it would show */
	if (p->fault[PF_REVIEW] && p->adverts % 2) {
		/* A review frame: the last workout's summary, nothing like the ride now. */
		k.data_type = KEISER_REVIEW_TYPE;
		k.power = 999;
		k.cadence = 1500;
	}
	return keiser_m3i_encode(&k, buf, len);
}

void periph_keiser_tick(struct periph *p)
{
	uint8_t buf[KEISER_M3I_LEN + 1];
	int n;

	if (!periph_advertising(p) || (!p->sim->btd && !p->sim->ble))
		return;
	n = periph_keiser_data(p, buf, sizeof(buf));
	if (n < 0)
		return;
	if (p->fault[PF_MALFORMED] && p->adverts % 2) {
		if (p->adverts % 4 == 1)
			n = KEISER_M3I_LEN - 6; /* cut short */
		else
			buf[13] = 75; /* seconds over 59 */
	}
	p->adverts++;
	memcpy(p->adv_data, buf, (size_t) n);
	p->adv_len = (size_t) n;
	if (p->sim->ble)
		ble_advert_changed(p->sim->ble);
	else
		btd_advertise(p->sim->btd, p, KEISER_COMPANY_ID, buf, (size_t) n);
}
