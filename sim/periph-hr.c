/* SPDX-License-Identifier: MIT */
/* The heart-rate strap: Heart Rate Service 0x180D with Measurement (notify) and Location. */
#include "periph.h"

#include <math.h>

#define UUID16_BODY_SENSOR_LOCATION 0x2A38
#define LOCATION_CHEST		    1

void periph_hr_setup(struct periph *p)
{
	periph_add_service(p, FTMS_UUID16_HR_SERVICE, false);
	periph_add_char(p, FTMS_UUID16_HR_MEASUREMENT, ATT_PROP_NOTIFY);
	periph_add_char(p, UUID16_BODY_SENSOR_LOCATION, ATT_PROP_READ);
}

void periph_hr_tick(struct periph *p)
{
	struct periph_char *c = periph_char_by_uuid(p, FTMS_UUID16_HR_MEASUREMENT);
	struct ftms_heart_rate h = { .flags = FTMS_HRM_CONTACT_YES | FTMS_HRM_FLAG_RR };
	uint8_t buf[20];
	int n;

	if (!c || !p->connected || p->fault[PF_HR_SILENT] || p->fault[PF_STOP_NOTIFY])
		return;
	h.heart_rate = (uint16_t) hr_model_bpm(&p->hr);
	h.rr_count = 1;
	h.rr[0] = (uint16_t) lround(60.0 * 1024.0 / fmax(h.heart_rate, 30));
	n = ftms_heart_rate_encode(&h, buf, sizeof(buf));
	if (n < 0)
		return;
	if (p->fault[PF_TRUNCATE] && n > 1)
		n = 1;
	periph_notify(p, c, buf, (size_t) n);
}

int periph_hr_read(struct periph *p, struct periph_char *c, uint8_t *buf, size_t *len)
{
	if (c->uuid16 != UUID16_BODY_SENSOR_LOCATION || *len < 1)
		return ATT_ECODE_READ_NOT_PERMITTED;
	buf[0] = LOCATION_CHEST;
	*len = 1;
	return 0;
}
