/* SPDX-License-Identifier: MIT */
/*
 * TCX: Garmin TrainingCenterDatabase v2, one Activity, one Lap per session phase (laps.c), a new
 * Track at each pause and resume, a Trackpoint per recorded second with distance, heart rate and
 * cadence, and speed and watts in the ActivityExtension v2 (TPX). Element order follows the
 * XSD, which validators enforce. The extension elements declare their namespace as the default
 * (<TPX xmlns="...">), as Garmin devices do: readers that match names rather than namespaces
 * (gpsbabel) find them too.
 */
#include "export-internal.h"

#include <stdlib.h>

#define TCX_NS "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
#define TCX_AX "http://www.garmin.com/xmlschemas/ActivityExtension/v2"

static void tcx_head(struct export_buf *b, const struct storage_session *s)
{
	export_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<TrainingCenterDatabase xmlns=\"" TCX_NS "\""
			   " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
			   " xsi:schemaLocation=\"" TCX_NS
			   " http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd\">\n"
			   " <Activities>\n");
	/* TCX knows Running, Biking and Other; a treadmill walk is not a run. */
	export_buf_printf(b, "  <Activity Sport=\"%s\">\n   <Id>",
			  s->kind == STORAGE_KIND_BIKE ? "Biking" : "Other");
	export_buf_iso_time(b, s->started_at);
	export_buf_puts(b, "</Id>\n");
}

static void tcx_value(struct export_buf *b, const char *tag, int32_t v)
{
	if (export_has(v))
		export_buf_printf(b, "    <%s><Value>%d</Value></%s>\n", tag, v, tag);
}

static void tcx_trackpoint(struct export_buf *b, const struct storage_session *s,
			   const struct storage_sample *x)
{
	export_buf_puts(b, "     <Trackpoint>\n      <Time>");
	export_buf_iso_time(b, s->started_at + x->t);
	export_buf_puts(b, "</Time>\n");
	if (export_has(x->distance_m))
		export_buf_printf(b, "      <DistanceMeters>%d</DistanceMeters>\n", x->distance_m);
	if (export_has(x->hr_bpm) && x->hr_bpm > 0)
		export_buf_printf(b, "      <HeartRateBpm><Value>%d</Value></HeartRateBpm>\n",
				  x->hr_bpm);
	if (export_has(x->cadence_hrpm))
		export_buf_printf(b, "      <Cadence>%d</Cadence>\n",
				  MIN((x->cadence_hrpm + 1) / 2, 254));
	if (export_has(x->speed_ckmh) || export_has(x->power_w)) {
		export_buf_puts(b, "      <Extensions><TPX xmlns=\"" TCX_AX "\">");
		if (export_has(x->speed_ckmh))
			export_buf_printf(b, "<Speed>%.3f</Speed>", x->speed_ckmh / 360.0);
		if (export_has(x->power_w))
			export_buf_printf(b, "<Watts>%d</Watts>", x->power_w);
		export_buf_puts(b, "</TPX></Extensions>\n");
	}
	export_buf_puts(b, "     </Trackpoint>\n");
}

static void tcx_lap(struct export_buf *b, const struct export_input *in, const struct export_lap *l)
{
	const struct storage_session *s = in->session;

	export_buf_puts(b, "   <Lap StartTime=\"");
	export_buf_iso_time(b, s->started_at + l->start_t);
	export_buf_printf(b, "\">\n    <TotalTimeSeconds>%u</TotalTimeSeconds>\n", l->timer_s);
	export_buf_printf(b, "    <DistanceMeters>%d</DistanceMeters>\n", l->distance_m);
	if (export_has(l->max_speed_ckmh))
		export_buf_printf(b, "    <MaximumSpeed>%.3f</MaximumSpeed>\n",
				  l->max_speed_ckmh / 360.0);
	/* kJ of work ~ kcal burnt: human efficiency (~24 %) cancels 4.184 kJ/kcal. */
	export_buf_printf(b, "    <Calories>%lld</Calories>\n", (long long) (l->energy_j / 1000));
	tcx_value(b, "AverageHeartRateBpm", l->avg_hr_bpm);
	tcx_value(b, "MaximumHeartRateBpm", l->max_hr_bpm);
	/* TCX knows Active and Resting: the stretches are off the machine. */
	export_buf_printf(b, "    <Intensity>%s</Intensity>\n",
			  l->phase == EXPORT_PHASE_STRETCHES ? "Resting" : "Active");
	if (export_has(l->avg_cadence_hrpm) && s->kind == STORAGE_KIND_BIKE)
		export_buf_printf(b, "    <Cadence>%d</Cadence>\n",
				  MIN((l->avg_cadence_hrpm + 1) / 2, 254));
	export_buf_puts(b, "    <TriggerMethod>Manual</TriggerMethod>\n");
	/* A new Track where a pause begins or ends, as devices do: the gap between two tracks
	 * is the pause, at its real times. */
	for (size_t i = l->first; i < l->end; i++) {
		bool paused = export_paused_at(in, in->samples[i].t);

		if (i == l->first || paused != export_paused_at(in, in->samples[i - 1].t))
			export_buf_puts(b, i == l->first ? "    <Track>\n"
							 : "    </Track>\n    <Track>\n");
		tcx_trackpoint(b, s, &in->samples[i]);
	}
	if (l->end > l->first)
		export_buf_puts(b, "    </Track>\n");
	if (export_has(l->avg_speed_ckmh) || export_has(l->avg_power_w)) {
		export_buf_puts(b, "    <Extensions><LX xmlns=\"" TCX_AX "\">");
		if (export_has(l->avg_speed_ckmh))
			export_buf_printf(b, "<AvgSpeed>%.3f</AvgSpeed>",
					  l->avg_speed_ckmh / 360.0);
		if (export_has(l->avg_power_w))
			export_buf_printf(b, "<AvgWatts>%d</AvgWatts>", l->avg_power_w);
		if (export_has(l->max_power_w))
			export_buf_printf(b, "<MaxWatts>%d</MaxWatts>", l->max_power_w);
		export_buf_puts(b, "</LX></Extensions>\n");
	}
	export_buf_puts(b, "   </Lap>\n");
}

/* The activity's notes: what a person wants to see in another tool. */
static void tcx_notes(struct export_buf *b, const struct storage_session *s)
{
	export_buf_puts(b, "   <Notes>backride ");
	export_buf_xml_escape(b, s->profile);
	export_buf_puts(b, " session on ");
	export_buf_xml_escape(b, s->machine_name[0] ? s->machine_name : "an unnamed machine");
	if (export_has(s->pain_before))
		export_buf_printf(b, "; pain before %d", s->pain_before);
	if (export_has(s->pain_max))
		export_buf_printf(b, ", max %d", s->pain_max);
	if (export_has(s->pain_after))
		export_buf_printf(b, ", after %d", s->pain_after);
	if (s->end_reason[0]) {
		export_buf_puts(b, "; ended: ");
		export_buf_xml_escape(b, s->end_reason);
	}
	export_buf_puts(b, "</Notes>\n");
}

int export_tcx(const struct export_input *in, struct export_buf *out)
{
	_cleanup_free_ struct export_lap *laps = NULL;
	int n;

	n = export_laps(in, &laps);
	if (n < 0)
		return n;
	tcx_head(out, in->session);
	for (int i = 0; i < n; i++)
		tcx_lap(out, in, &laps[i]);
	tcx_notes(out, in->session);
	export_buf_puts(out, "  </Activity>\n </Activities>\n</TrainingCenterDatabase>\n");
	return out->err;
}
