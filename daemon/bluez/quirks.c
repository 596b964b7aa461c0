/* SPDX-License-Identifier: MIT */
/*
 * Machines as they are: what a machine does that the specification does not say, found on the
 * way (the control point queue, the record mergers, the measured values), said once per
 * connection, and the corrections that follow. Each one is a backride-sim quirk
 * (sim/README.md, "Quirks", gives the sources).
 */
#include "bluez-internal.h"

void bz_quirks_data(struct bz_link *l, bool unterminated, bool cadence_inverted)
{
	if (unterminated && !l->said_unterminated) {
		l->said_unterminated = true;
		bz_event(l->b, DRIVER_EVENT_FAULT,
			 "%s: the data records never end (More Data always set); a record is taken "
			 "as complete when its fields come again",
			 l->address);
	}
	if (cadence_inverted && !l->said_cadence_inverted) {
		l->said_cadence_inverted = true;
		bz_event(l->b, DRIVER_EVENT_FAULT,
			 "%s: the cadence flag is inverted (bit 2 set means no cadence); read so "
			 "where the length shows it",
			 l->address);
	}
}

/*
 * A Supported Resistance Level Range in whole levels instead of tenths, with targets taken
 * the same way (SmartSpin2k before its PR #698, reference §6 and §12.3): the measured level
 * (whole levels, as the specification has it) lies inside the range only if the range is read
 * in whole levels, in BZ_RESISTANCE_WHOLE_RECORDS records in a row. From then on the range is in
 * tenths and targets go out in whole levels.
 */
void bz_quirks_resistance_units(struct bz_link *l, const struct ftms_indoor_bike_data *d)
{
	struct ftms_range *r = &l->ranges[FTMS_RANGE_RESISTANCE];

	if (l->resistance_whole || l->state != LINK_STATE_READY ||
	    !l->has_range[FTMS_RANGE_RESISTANCE] || !(d->present & FTMS_IBD_RESISTANCE))
		return;
	/* Several records in a row: one damaged record must not change how a machine is read. */
	if (d->resistance * 10 <= r->max || d->resistance < r->min || d->resistance > r->max) {
		l->resistance_whole_seen = 0;
		return;
	}
	if (++l->resistance_whole_seen < BZ_RESISTANCE_WHOLE_RECORDS)
		return;
	l->resistance_whole = true;
	bz_event(l->b, DRIVER_EVENT_FAULT,
		 "%s: the resistance range is in whole levels, not tenths (level %d measured, "
		 "range %d..%d); read and driven so",
		 l->address, d->resistance, r->min, r->max);
	r->min *= 10;
	r->max *= 10;
	r->increment *= 10;
	bz_gatt_report_ready(l);
}

void bz_quirks_cp(void *userdata, enum cp_quirk quirk)
{
	struct bz_link *l = userdata;

	switch (quirk) {
	case CP_QUIRK_NO_INDICATE:
		bz_event(l->b, DRIVER_EVENT_FAULT,
			 "%s: the control point never answers (no indication in %u ms); requests "
			 "count as carried out once written, the measured values tell",
			 l->address, l->cp.timeout_ms);
		break;
	case CP_QUIRK_WRONG_OPCODE:
		bz_event(l->b, DRIVER_EVENT_FAULT,
			 "%s: the control point's responses name another request; each is taken "
			 "as the answer to the one request in flight",
			 l->address);
		break;
	}
}
