/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * backride report: a report for a physiotherapist, drawn by the CLI from what History1 returns
 * (Progress, ListSessions, Checkins, Programme), as PDF (cairo) or HTML with inline SVG.
 * docs/report.md says what it holds and why it is drawn here and not in the daemon.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "history-client.h"
#include "programme-client.h"

#define REPORT_WEEKS_MAX    104
#define REPORT_SESSIONS_MAX 1000

struct report_session {
	struct summary s;
	int64_t checkin_pain; /* the next morning's check-in, BR_NONE if none */
};

struct report_week {
	int64_t start;
	double minutes, sessions;
};

struct report {
	unsigned n_weeks;
	struct report_week weeks[REPORT_WEEKS_MAX];
	struct report_session *sessions; /* oldest first */
	size_t n_sessions;
	bool has_programme;
	struct programme_state programme;
	struct {
		int64_t ts;
		char note[128];
	} flares[32];
	size_t n_flares;
	int64_t generated; /* the end of the period: the daemon's next Monday */
};

/* Fetch everything for the last @weeks weeks. Return: 0, or an exit code > 0 (printed). */
int report_fetch(struct cli *cli, unsigned weeks, struct report *ret);
void report_done(struct report *r);

/* --- drawing: one set of charts, two backends --- */

struct canvas;
struct canvas_ops {
	void (*rect)(struct canvas *c, double x, double y, double w, double h, uint32_t rgb,
		     bool fill);
	void (*line)(struct canvas *c, double x0, double y0, double x1, double y1, uint32_t rgb,
		     double width, bool dashed);
	void (*circle)(struct canvas *c, double x, double y, double r, uint32_t rgb);
	/* align: 0 left, 1 centre, 2 right; size in points */
	void (*text)(struct canvas *c, double x, double y, const char *s, double size, int align,
		     bool bold);
};

struct canvas {
	const struct canvas_ops *ops;
	void *backend;
};

/* The page is A4 in points (595 x 842). Each function draws inside its box. The charts' boxes
 * (x = REPORT_MARGIN, width the page's less two margins): the minutes and pain on page 1,
 * intensity and heart rate on page 2; tests/integration/check-report.py looks inside them. */
#define REPORT_PAGE_W	       595.0
#define REPORT_PAGE_H	       842.0
#define REPORT_MARGIN	       40.0
#define REPORT_BOX_MINUTES_Y   160.0
#define REPORT_BOX_MINUTES_H   170.0
#define REPORT_BOX_PAIN_Y      360.0
#define REPORT_BOX_PAIN_H      190.0
#define REPORT_BOX_INTENSITY_Y 50.0
#define REPORT_BOX_INTENSITY_H 160.0
#define REPORT_BOX_HR_Y	       250.0
#define REPORT_BOX_HR_H	       170.0

/* Draw every page; @new_page ends one and begins the next. */
void report_draw(struct canvas *c, const struct report *r, void (*new_page)(struct canvas *c));

void report_chart_minutes(struct canvas *c, const struct report *r, double x, double y, double w,
			  double h);
void report_chart_pain(struct canvas *c, const struct report *r, double x, double y, double w,
		       double h);
void report_chart_intensity(struct canvas *c, const struct report *r, double x, double y, double w,
			    double h);
void report_chart_hr(struct canvas *c, const struct report *r, double x, double y, double w,
		     double h);

/* Text lines of the summary and the flare-ups (each returns the y below it). */
double report_summary(struct canvas *c, const struct report *r, double x, double y);
double report_flares(struct canvas *c, const struct report *r, double x, double y);

/* The session table from row @from on, as many rows as fit above @bottom. Return: rows drawn. */
size_t report_table(struct canvas *c, const struct report *r, size_t from, double x, double y,
		    double bottom);

/* The two writers. Return: 0 or -errno. */
int report_write_pdf(const struct report *r, FILE *f);
int report_write_html(const struct report *r, FILE *f);
