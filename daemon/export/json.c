/* SPDX-License-Identifier: MIT */
/*
 * JSON: {"session": {...}, "events": [...], "samples": [...]}. Units are in the key names;
 * a value the machine did not report is left out rather than written as null.
 */
#include "export-internal.h"

/* Append `,"key":v` (or without the comma when *first), unless v is absent. */
static void num(struct export_buf *b, bool *first, const char *key, int32_t v, int scale)
{
	if (!export_has(v))
		return;
	export_buf_printf(b, "%s\"%s\":", *first ? "" : ",", key);
	*first = false;
	if (scale == 1)
		export_buf_printf(b, "%d", v);
	else /* 2: half units (cadence), 10: tenths, 100: hundredths */
		export_buf_printf(b, "%.*f", scale == 100 ? 2 : 1, v / (double) scale);
}

static void str(struct export_buf *b, bool *first, const char *key, const char *v)
{
	export_buf_printf(b, "%s\"%s\":", *first ? "" : ",", key);
	*first = false;
	export_buf_json_string(b, v);
}

static void session(struct export_buf *b, const struct storage_session *s)
{
	bool first = false;

	export_buf_printf(b, "{\"id\":%lld", (long long) s->id);
	str(b, &first, "machine", s->machine_name);
	str(b, &first, "kind", storage_kind_to_string(s->kind));
	str(b, &first, "profile", s->profile);
	export_buf_puts(b, ",\"start\":\"");
	export_buf_iso_time(b, s->started_at);
	export_buf_puts(b, "\"");
	if (s->ended_at > 0) {
		export_buf_puts(b, ",\"end\":\"");
		export_buf_iso_time(b, s->ended_at);
		export_buf_puts(b, "\"");
	}
	num(b, &first, "duration_s", (int32_t) s->duration_s, 1);
	num(b, &first, "active_s", (int32_t) s->active_s, 1);
	num(b, &first, "planned_s", (int32_t) s->planned_s, 1);
	num(b, &first, "distance_m", s->distance_m, 1);
	num(b, &first, "energy_j", s->energy_j, 1);
	num(b, &first, "avg_power_w", s->avg_power_w, 1);
	num(b, &first, "max_power_w", s->max_power_w, 1);
	num(b, &first, "avg_speed_kmh", s->avg_speed_ckmh, 100);
	num(b, &first, "avg_hr_bpm", s->avg_hr_bpm, 1);
	num(b, &first, "max_hr_bpm", s->max_hr_bpm, 1);
	num(b, &first, "target_power_w", s->target_power_w, 1);
	num(b, &first, "target_speed_kmh", s->target_speed_ckmh, 100);
	num(b, &first, "pain_before", s->pain_before, 1);
	num(b, &first, "pain_max", s->pain_max, 1);
	num(b, &first, "pain_after", s->pain_after, 1);
	str(b, &first, "end_reason", s->end_reason);
	if (s->guided[0]) /* the rider set the machine from the advice events */
		str(b, &first, "guided", s->guided);
	export_buf_puts(b, "}");
}

static void event(struct export_buf *b, const struct storage_event *e)
{
	bool first = false;

	export_buf_printf(b, "{\"ts_usec\":%lld", (long long) e->ts_usec);
	num(b, &first, "t", e->t, 1);
	str(b, &first, "type", e->type);
	num(b, &first, "value", e->value, 1);
	if (e->detail)
		str(b, &first, "detail", e->detail);
	export_buf_puts(b, "}");
}

static void sample(struct export_buf *b, const struct storage_sample *x)
{
	bool first = false;

	export_buf_printf(b, "{\"t\":%u,\"phase\":\"%s\"", x->t, export_phase_to_string(x->phase));
	num(b, &first, "power_w", x->power_w, 1);
	num(b, &first, "cadence_rpm", x->cadence_hrpm, 2);
	num(b, &first, "speed_kmh", x->speed_ckmh, 100);
	num(b, &first, "distance_m", x->distance_m, 1);
	num(b, &first, "hr_bpm", x->hr_bpm, 1);
	num(b, &first, "incline_pct", x->incline_dpct, 10);
	num(b, &first, "resistance", x->resistance_d, 10);
	num(b, &first, "target_power_w", x->target_power_w, 1);
	num(b, &first, "target_speed_kmh", x->target_speed_ckmh, 100);
	num(b, &first, "target_resistance", x->target_resistance_d, 10);
	num(b, &first, "target_incline_pct", x->target_incline_dpct, 10);
	export_buf_puts(b, "}");
}

int export_json(const struct export_input *in, struct export_buf *out)
{
	export_buf_puts(out, "{\"session\":");
	session(out, in->session);
	export_buf_puts(out, ",\n\"events\":[");
	for (size_t i = 0; i < in->n_events; i++) {
		export_buf_puts(out, i ? ",\n" : "\n");
		event(out, &in->events[i]);
	}
	export_buf_puts(out, "],\n\"samples\":[");
	for (size_t i = 0; i < in->n_samples; i++) {
		export_buf_puts(out, i ? ",\n" : "\n");
		sample(out, &in->samples[i]);
	}
	export_buf_puts(out, "]}\n");
	return out->err;
}
