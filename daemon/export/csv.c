/* SPDX-License-Identifier: MIT */
/* CSV: one header row, then one row per recorded second. RFC 4180, CRLF-free (LF). */
#include "export-internal.h"

#define CSV_HEADER                                                                             \
	"time,t,phase,power_w,cadence_rpm,speed_kmh,distance_m,hr_bpm,incline_pct,resistance," \
	"target_power_w,target_speed_kmh,target_resistance,target_incline_pct\n"

/* Append ",value" with @scale decimals (0, 1 or 2), or "," when absent. */
static void cell(struct export_buf *b, int32_t v, int scale)
{
	if (!export_has(v))
		export_buf_puts(b, ",");
	else if (scale == 0)
		export_buf_printf(b, ",%d", v);
	else
		export_buf_printf(b, ",%s%d.%0*d", v < 0 ? "-" : "",
				  abs(v) / (scale == 1 ? 10 : 100), scale,
				  abs(v) % (scale == 1 ? 10 : 100));
}

int export_csv(const struct export_input *in, struct export_buf *out)
{
	export_buf_puts(out, CSV_HEADER);
	for (size_t i = 0; i < in->n_samples; i++) {
		const struct storage_sample *x = &in->samples[i];

		export_buf_iso_time(out, in->session->started_at + x->t);
		export_buf_printf(out, ",%u,%s", x->t, export_phase_to_string(x->phase));
		cell(out, x->power_w, 0);
		/* cadence is stored in 0.5 rpm */
		if (export_has(x->cadence_hrpm))
			export_buf_printf(out, ",%d%s", x->cadence_hrpm / 2,
					  x->cadence_hrpm % 2 ? ".5" : "");
		else
			export_buf_puts(out, ",");
		cell(out, x->speed_ckmh, 2);
		cell(out, x->distance_m, 0);
		cell(out, x->hr_bpm, 0);
		cell(out, x->incline_dpct, 1);
		cell(out, x->resistance_d, 1);
		cell(out, x->target_power_w, 0);
		cell(out, x->target_speed_ckmh, 2);
		cell(out, x->target_resistance_d, 1);
		cell(out, x->target_incline_dpct, 1);
		export_buf_puts(out, "\n");
	}
	return out->err;
}
