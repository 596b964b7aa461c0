/* SPDX-License-Identifier: MIT */
/* The report's charts, text and table, drawn through a canvas (cairo or SVG). */
#include "report.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "macro.h"

#define GRID	0xdddddd
#define AXIS	0x444444
#define BLUE	0x4a90d9
#define RED	0xd0021b
#define GREEN	0x3c9a1e
#define ORANGE	0xf5a623
#define PURPLE	0x9013fe
#define TEAL	0x2a8c8c
#define DKRED	0x8b0000
#define PAD_L	34.0
#define PAD_B	22.0
#define TITLE_H 28.0

static void day_label(int64_t t, char *buf, size_t size)
{
	time_t x = (time_t) t;
	struct tm tm;

	if (!localtime_r(&x, &tm) || strftime(buf, size, "%d %b", &tm) == 0)
		(void) snprintf(buf, size, "?");
}

/* A chart's frame: title, plot box, y grid from 0 to @ymax. Return: the plot box. */
struct plot {
	double x, y, w, h, ymax;
};

static struct plot frame(struct canvas *c, const char *title, double x, double y, double w,
			 double h, double ymax, const char *unit)
{
	struct plot p = { x + PAD_L, y + TITLE_H, w - PAD_L - 6, h - TITLE_H - PAD_B, ymax };
	char buf[32];

	c->ops->text(c, x, y + 11, title, 10, 0, true);
	int n = ymax == 10 ? 5 : 4; /* whole numbers on every line */

	for (int i = 0; i <= n; i++) {
		double gy = p.y + p.h - p.h * i / n;

		c->ops->line(c, p.x, gy, p.x + p.w, gy, i ? GRID : AXIS, i ? 0.5 : 1, false);
		(void) snprintf(buf, sizeof(buf), "%.0f", ymax * i / n);
		c->ops->text(c, p.x - 4, gy + 3, buf, 7, 2, false);
	}
	c->ops->line(c, p.x, p.y, p.x, p.y + p.h, AXIS, 1, false);
	c->ops->text(c, p.x - 4, p.y - 6, unit, 7, 2, false);
	return p;
}

static double ypos(const struct plot *p, double v)
{
	return p->y + p->h - p->h * MIN(MAX(v, 0), p->ymax) / p->ymax;
}

static double nice_max(double v, double least)
{
	double step = v <= 20 ? 4 : v <= 100 ? 20 : v <= 400 ? 40 : 100;

	return MAX(least, ceil(MAX(v, 1) / step) * step);
}

static void legend(struct canvas *c, double x, double y, const char *const *names,
		   const uint32_t *rgb, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		c->ops->rect(c, x, y - 6, 8, 6, rgb[i], true);
		c->ops->text(c, x + 11, y, names[i], 7, 0, false);
		x += 14 + 5.0 * (double) strlen(names[i]);
	}
}

void report_chart_minutes(struct canvas *c, const struct report *r, double x, double y, double w,
			  double h)
{
	double goal = r->has_programme ? r->programme.weekly_minutes : 0, top = goal;
	char buf[16];
	struct plot p;

	for (unsigned i = 0; i < r->n_weeks; i++)
		top = MAX(top, r->weeks[i].minutes);
	p = frame(c, "Minutes per week against the goal", x, y, w, h, nice_max(top * 1.1, 30),
		  "min");
	for (unsigned i = 0; i < r->n_weeks; i++) {
		double bw = p.w / r->n_weeks, bx = p.x + bw * i + bw * 0.15;
		double by = ypos(&p, r->weeks[i].minutes);

		if (r->weeks[i].minutes > 0)
			c->ops->rect(c, bx, by, bw * 0.7, p.y + p.h - by, BLUE, true);
		if (r->n_weeks <= 16 || i % ((r->n_weeks + 15) / 16) == 0) {
			day_label(r->weeks[i].start, buf, sizeof(buf));
			c->ops->text(c, bx + bw * 0.35, p.y + p.h + 10, buf, 6.5, 1, false);
		}
	}
	if (goal > 0) {
		c->ops->line(c, p.x, ypos(&p, goal), p.x + p.w, ypos(&p, goal), RED, 1.5, true);
		legend(c, p.x + p.w - 150, y + 11, (const char *const[]) { "minutes", "goal" },
		       (const uint32_t[]) { BLUE, RED }, 2);
	}
}

/* One series of per-session values as a polyline with dots; BR_NONE leaves a gap. */
static void series(struct canvas *c, const struct plot *p, const struct report *r, size_t offset,
		   uint32_t rgb, double dx)
{
	double px = NAN, py = NAN, n = (double) MAX(r->n_sessions, 1);

	for (size_t i = 0; i < r->n_sessions; i++) {
		const struct report_session *s = &r->sessions[i];
		int64_t v = *(const int64_t *) ((const char *) s + offset);
		double sx = p->x + p->w * (i + 0.5) / n + dx, sy;

		if (v == BR_NONE) {
			px = NAN;
			continue;
		}
		sy = ypos(p, (double) v);
		if (!isnan(px))
			c->ops->line(c, px, py, sx, sy, rgb, 1.2, false);
		c->ops->circle(c, sx, sy, 2.2, rgb);
		px = sx;
		py = sy;
	}
}

static void session_axis(struct canvas *c, const struct plot *p, const struct report *r)
{
	size_t every = (r->n_sessions + 11) / 12;
	char buf[16];

	for (size_t i = 0; i < r->n_sessions; i += MAX(every, (size_t) 1)) {
		day_label(r->sessions[i].s.start, buf, sizeof(buf));
		c->ops->text(c, p->x + p->w * (i + 0.5) / (double) r->n_sessions, p->y + p->h + 10,
			     buf, 6.5, 1, false);
	}
}

void report_chart_pain(struct canvas *c, const struct report *r, double x, double y, double w,
		       double h)
{
	struct plot p = frame(c, "Pain per session: before, during (highest), after, next morning",
			      x, y, w, h, 10, "0-10");

	series(c, &p, r, offsetof(struct report_session, s.pain_before), GREEN, -1.5);
	series(c, &p, r, offsetof(struct report_session, s.pain_max), RED, -0.5);
	series(c, &p, r, offsetof(struct report_session, s.pain_after), ORANGE, 0.5);
	series(c, &p, r, offsetof(struct report_session, checkin_pain), PURPLE, 1.5);
	session_axis(c, &p, r);
	legend(c, x + 40, y + h + 6,
	       (const char *const[]) { "before", "during", "after", "next morning" },
	       (const uint32_t[]) { GREEN, RED, ORANGE, PURPLE }, 4);
}

void report_chart_intensity(struct canvas *c, const struct report *r, double x, double y, double w,
			    double h)
{
	double top = 0, n = (double) MAX(r->n_sessions, 1);
	bool speed = false;
	struct plot p;

	for (size_t i = 0; i < r->n_sessions; i++) {
		const struct summary *s = &r->sessions[i].s;

		speed |= strcmp(s->kind, "treadmill") == 0;
		top = MAX(top, s->avg_power_w != BR_NONE ? (double) s->avg_power_w : 0);
		top = MAX(top, isnan(s->avg_speed_kmh) ? 0 : s->avg_speed_kmh * 10);
	}
	p = frame(c, "Intensity per session", x, y, w, h, nice_max(top * 1.1, 10),
		  speed ? "W (bike), 0.1 km/h (treadmill)" : "W");
	for (size_t i = 0; i < r->n_sessions; i++) {
		const struct summary *s = &r->sessions[i].s;
		double v = s->avg_power_w != BR_NONE  ? (double) s->avg_power_w
			   : !isnan(s->avg_speed_kmh) ? s->avg_speed_kmh * 10
						      : 0;
		double bw = p.w / n, by = ypos(&p, v);

		if (v > 0)
			c->ops->rect(c, p.x + bw * i + bw * 0.2, by, bw * 0.6, p.y + p.h - by, TEAL,
				     true);
	}
	session_axis(c, &p, r);
}

void report_chart_hr(struct canvas *c, const struct report *r, double x, double y, double w,
		     double h)
{
	double top = 0;
	struct plot p;

	for (size_t i = 0; i < r->n_sessions; i++)
		top = MAX(top, r->sessions[i].s.max_hr_bpm != BR_NONE
				       ? (double) r->sessions[i].s.max_hr_bpm
				       : 0);
	p = frame(c, "Heart rate per session", x, y, w, h, nice_max(top * 1.1, 100), "bpm");
	series(c, &p, r, offsetof(struct report_session, s.avg_hr_bpm), BLUE, 0);
	series(c, &p, r, offsetof(struct report_session, s.max_hr_bpm), DKRED, 0);
	session_axis(c, &p, r);
	legend(c, x + 40, y + h + 6, (const char *const[]) { "average", "highest" },
	       (const uint32_t[]) { BLUE, DKRED }, 2);
}

static double line(struct canvas *c, double x, double y, const char *s, bool bold)
{
	c->ops->text(c, x, y, s, 9, 0, bold);
	return y + 13;
}

double report_summary(struct canvas *c, const struct report *r, double x, double y)
{
	const struct programme_state *s = &r->programme;
	char buf[320], a[16], b[16];
	double minutes = 0;

	for (size_t i = 0; i < r->n_sessions; i++)
		minutes += (double) MAX(r->sessions[i].s.active_s, 0) / 60;
	(void) snprintf(buf, sizeof(buf), "%zu sessions, %.0f minutes of exercise in %u weeks.",
			r->n_sessions, minutes, r->n_weeks);
	y = line(c, x, y, buf, false);
	if (!r->has_programme)
		return line(c, x, y, "No programme runs: sessions are planned one at a time.",
			    false);
	(void) snprintf(buf, sizeof(buf),
			"Programme: %s, goal %u minutes a week in %u sessions, %u weeks of steps.",
			s->kind, s->weekly_minutes, s->sessions_per_week, s->weeks);
	y = line(c, x, y, buf, true);
	if (s->baseline_avg_s)
		(void) snprintf(buf, sizeof(buf),
				"Baseline: %u sessions, average %s min; steps began at %s min "
				"(graded activity: about 70 %% of the baseline).",
				s->baseline_done, format_duration(s->baseline_avg_s, a, sizeof(a)),
				format_duration(s->start_s, b, sizeof(b)));
	else
		(void) snprintf(buf, sizeof(buf), "Baseline: %u of %u sessions done.",
				s->baseline_done, s->baseline_sessions);
	y = line(c, x, y, buf, false);
	(void) snprintf(buf, sizeof(buf), "Now: %s, week %u of %u; next session %s min (goal %s).",
			s->phase, s->week, s->weeks, format_duration(s->session_s, a, sizeof(a)),
			format_duration(s->goal_s, b, sizeof(b)));
	y = line(c, x, y, buf, false);
	(void) snprintf(buf, sizeof(buf), "Why: %.280s", s->reason_text);
	return line(c, x, y, buf, false);
}

double report_flares(struct canvas *c, const struct report *r, double x, double y)
{
	char buf[320], when[32];

	y = line(c, x, y, "Flare-ups and what backride did", true);
	if (!r->has_programme || (r->programme.flares == 0 && r->n_flares == 0))
		return line(c, x, y, "None.", false);
	for (size_t i = 0; i < r->n_flares; i++) {
		(void) snprintf(buf, sizeof(buf),
				"%s%s%s%s: reported; sessions dropped to %u %% and rebuilt by the "
				"weekly steps.",
				format_time(r->flares[i].ts, when, sizeof(when)),
				r->flares[i].note[0] ? " (" : "", r->flares[i].note,
				r->flares[i].note[0] ? ")" : "", r->programme.flare_pct);
		y = line(c, x, y, buf, false);
	}
	if (r->programme.flares > r->n_flares) {
		(void) snprintf(buf, sizeof(buf),
				"%zu more from bad mornings in a row: the same drop and rebuild.",
				(size_t) r->programme.flares - r->n_flares);
		y = line(c, x, y, buf, false);
	}
	return y;
}

static void cell(struct canvas *c, double x, double y, int64_t v)
{
	char buf[16];

	if (v == BR_NONE)
		(void) snprintf(buf, sizeof(buf), "-");
	else
		(void) snprintf(buf, sizeof(buf), "%lld", (long long) v);
	c->ops->text(c, x, y, buf, 7.5, 2, false);
}

size_t report_table(struct canvas *c, const struct report *r, size_t from, double x, double y,
		    double bottom)
{
	static const char *const head[] = { "date",  "kind",	"min",	 "plan", "before", "during",
					    "after", "morning", "avg W", "HR",	 "end" };
	static const double col[] = { 0, 78, 140, 170, 210, 250, 285, 325, 365, 395, 440 };
	size_t n = 0;
	char buf[32];

	for (size_t i = 0; i < ARRAY_SIZE(head); i++)
		c->ops->text(c, x + col[i] + (i >= 2 && i < 10 ? 28 : 0), y, head[i], 7.5,
			     i >= 2 && i < 10 ? 2 : 0, true);
	c->ops->line(c, x, y + 3, x + 500, y + 3, AXIS, 0.5, false);
	for (size_t i = from; i < r->n_sessions && y + 24 < bottom; i++, n++) {
		const struct report_session *rs = &r->sessions[i];

		y += 11;
		c->ops->text(c, x, y, format_time(rs->s.start, buf, sizeof(buf)), 7.5, 0, false);
		c->ops->text(c, x + col[1], y, rs->s.kind, 7.5, 0, false);
		cell(c, x + col[2] + 28, y, (rs->s.active_s + 30) / 60);
		cell(c, x + col[3] + 28, y,
		     rs->s.planned_s == BR_NONE ? BR_NONE : (rs->s.planned_s + 30) / 60);
		cell(c, x + col[4] + 28, y, rs->s.pain_before);
		cell(c, x + col[5] + 28, y, rs->s.pain_max);
		cell(c, x + col[6] + 28, y, rs->s.pain_after);
		cell(c, x + col[7] + 28, y, rs->checkin_pain);
		cell(c, x + col[8] + 28, y, rs->s.avg_power_w);
		cell(c, x + col[9] + 28, y, rs->s.avg_hr_bpm);
		c->ops->text(c, x + col[10], y, rs->s.end_reason, 7.5, 0, false);
	}
	return n;
}

/* The pages: the boxes are fixed (report.h, REPORT_BOX_*), so a checker finds the charts. */
void report_draw(struct canvas *c, const struct report *r, void (*new_page)(struct canvas *c))
{
	const double m = REPORT_MARGIN, w = REPORT_PAGE_W - 2 * REPORT_MARGIN;
	char buf[160], a[32], b[32];
	double y;
	size_t row = 0;

	c->ops->text(c, m, 44, "backride: exercise report for the physiotherapist", 15, 0, true);
	(void) snprintf(buf, sizeof(buf), "Weeks of %s to %s. Pain on a 0-10 scale.",
			format_time(r->weeks[0].start, a, sizeof(a)),
			format_time(r->generated, b, sizeof(b)));
	c->ops->text(c, m, 60, buf, 9, 0, false);
	report_summary(c, r, m, 82);
	report_chart_minutes(c, r, m, REPORT_BOX_MINUTES_Y, w, REPORT_BOX_MINUTES_H);
	report_chart_pain(c, r, m, REPORT_BOX_PAIN_Y, w, REPORT_BOX_PAIN_H);
	report_flares(c, r, m, REPORT_BOX_PAIN_Y + REPORT_BOX_PAIN_H + 34);
	new_page(c);
	report_chart_intensity(c, r, m, REPORT_BOX_INTENSITY_Y, w, REPORT_BOX_INTENSITY_H);
	report_chart_hr(c, r, m, REPORT_BOX_HR_Y, w, REPORT_BOX_HR_H);
	y = REPORT_BOX_HR_Y + REPORT_BOX_HR_H + 40;
	c->ops->text(c, m, y, "Sessions", 10, 0, true);
	for (;;) {
		row += report_table(c, r, row, m, y + 16, REPORT_PAGE_H - REPORT_MARGIN);
		if (row >= r->n_sessions)
			break;
		new_page(c);
		y = REPORT_MARGIN;
	}
}
