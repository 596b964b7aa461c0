/* SPDX-License-Identifier: MIT */
/* Laps and pauses: what TCX and FIT both need beyond the samples. */
#include "export-internal.h"

#include <errno.h>
#include <string.h>

uint32_t export_session_end_t(const struct export_input *in)
{
	uint32_t end = in->session->duration_s;

	if (in->n_samples > 0)
		end = MAX(end, in->samples[in->n_samples - 1].t + 1);
	return end;
}

bool export_paused_at(const struct export_input *in, uint32_t t)
{
	return export_paused_s(in, t, t + 1) > 0;
}

uint32_t export_paused_s(const struct export_input *in, uint32_t from, uint32_t to)
{
	int64_t paused_at = -1, total = 0;

	for (size_t i = 0; i < in->n_events; i++) {
		const struct storage_event *e = &in->events[i];

		if (!export_has(e->t) || e->t < 0 || !e->type)
			continue;
		if (strcmp(e->type, "pause") == 0 && paused_at < 0)
			paused_at = e->t;
		else if (strcmp(e->type, "resume") == 0 && paused_at >= 0) {
			total += MAX(0, MIN((int64_t) e->t, (int64_t) to) -
						MAX(paused_at, (int64_t) from));
			paused_at = -1;
		}
	}
	if (paused_at >= 0)
		total += MAX(0, (int64_t) to - MAX(paused_at, (int64_t) from));
	return (uint32_t) MIN(total, (int64_t) (to - from));
}

/* Track an average and a maximum over the samples that have a value. */
struct stat {
	int64_t sum;
	uint32_t n;
	int32_t max;
};

static void stat_add(struct stat *s, int32_t v)
{
	if (!export_has(v))
		return;
	s->sum += v;
	s->max = s->n == 0 ? v : MAX(s->max, v);
	s->n++;
}

static void stat_get(const struct stat *s, int32_t *avg, int32_t *max)
{
	*avg = s->n ? (int32_t) ((s->sum + s->n / 2) / s->n) : BR_NONE;
	*max = s->n ? s->max : BR_NONE;
}

void export_lap_fill(const struct export_input *in, struct export_lap *l)
{
	struct stat power = {}, cadence = {}, speed = {}, hr = {};
	int32_t d0 = BR_NONE, d1 = BR_NONE;

	for (size_t i = l->first; i < l->end; i++) {
		const struct storage_sample *x = &in->samples[i];

		stat_add(&power, x->power_w);
		stat_add(&cadence, x->cadence_hrpm);
		stat_add(&speed, x->speed_ckmh);
		stat_add(&hr, x->hr_bpm > 0 ? x->hr_bpm : BR_NONE);
		if (export_has(x->power_w) && x->power_w > 0)
			l->energy_j += x->power_w;
		if (export_has(x->distance_m)) {
			d0 = export_has(d0) ? d0 : x->distance_m;
			d1 = x->distance_m;
		}
	}
	/* The distance covered during the lap: from the previous lap's last reading. */
	if (l->first > 0 && export_has(in->samples[l->first - 1].distance_m))
		d0 = in->samples[l->first - 1].distance_m;
	else if (l->first == 0)
		d0 = 0;
	l->distance_m = export_has(d1) ? MAX(0, d1 - d0) : 0;
	stat_get(&power, &l->avg_power_w, &l->max_power_w);
	stat_get(&cadence, &l->avg_cadence_hrpm, &l->max_cadence_hrpm);
	stat_get(&speed, &l->avg_speed_ckmh, &l->max_speed_ckmh);
	stat_get(&hr, &l->avg_hr_bpm, &l->max_hr_bpm);
	l->timer_s = l->end_t - l->start_t - export_paused_s(in, l->start_t, l->end_t);
}

/* The lap a sample of @phase belongs to, after a sample of lap @before (README.md). */
static uint8_t lap_phase(uint8_t phase, uint8_t before)
{
	switch (phase) {
	case EXPORT_PHASE_WAITING:
	case EXPORT_PHASE_COUNTDOWN:
		return EXPORT_PHASE_WARMUP;
	case EXPORT_PHASE_STOPPING:
	case EXPORT_PHASE_DONE:
		return before;
	default:
		return phase;
	}
}

static void lap_close(const struct export_input *in, struct export_lap *l, size_t end)
{
	l->end = end;
	l->end_t = end < in->n_samples ? in->samples[end].t : export_session_end_t(in);
	export_lap_fill(in, l);
}

int export_laps(const struct export_input *in, struct export_lap **ret)
{
	uint8_t cur = EXPORT_PHASE_WARMUP, p;
	struct export_lap *laps;
	size_t n = 1;

	for (size_t i = 0; i < in->n_samples; i++) {
		p = lap_phase(in->samples[i].phase, cur);
		n += i > 0 && p != cur;
		cur = p;
	}
	laps = calloc(n, sizeof(*laps));
	if (!laps)
		return -ENOMEM;
	cur = in->n_samples ? lap_phase(in->samples[0].phase, EXPORT_PHASE_WARMUP)
			    : EXPORT_PHASE_WARMUP;
	laps[0] = (struct export_lap) { .phase = cur };
	n = 0;
	for (size_t i = 1; i < in->n_samples; i++) {
		p = lap_phase(in->samples[i].phase, cur);
		if (p == cur)
			continue;
		lap_close(in, &laps[n++], i);
		laps[n] =
			(struct export_lap) { .first = i, .phase = p, .start_t = in->samples[i].t };
		cur = p;
	}
	lap_close(in, &laps[n++], in->n_samples);
	*ret = laps;
	return (int) n;
}
