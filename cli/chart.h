/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Terminal charts: Unicode block elements on a UTF-8 terminal, ASCII otherwise; as wide as the
 * terminal; colour only on a terminal and never with NO_COLOR. Pure rendering to a FILE, so
 * tests compare the output.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct chart_term {
	int width;  /* columns, at least CHART_MIN_WIDTH */
	bool utf8;  /* the locale's codeset is UTF-8 */
	bool color; /* ANSI colours */
};

#define CHART_MIN_WIDTH 40
#define CHART_MAX_WIDTH 400

/* Marks under a timeline, one per second. */
enum {
	CHART_MARK_NONE = 0,
	CHART_MARK_PAIN = 'P',
	CHART_MARK_PAUSE = 'p',
};

/* Detect the terminal of @fd: setlocale(LC_CTYPE, "") and nl_langinfo(CODESET) for UTF-8,
 * TIOCGWINSZ, then $COLUMNS, then 80 for the width, isatty() and $NO_COLOR for colour. */
void chart_term_detect(int fd, struct chart_term *ret);

/*
 * A timeline of @n seconds: @actual as bars, @target (may be NULL) as a line, NAN for "none",
 * @marks (may be NULL) as a row of marks under the time axis. Seconds are averaged into as many
 * columns as fit, @height rows. The y axis starts at 0 when @zero, else just below the lowest
 * value. Prints nothing when no second has a value.
 */
void chart_timeline(FILE *f, const struct chart_term *t, const char *title, const double *actual,
		    const double *target, const char *marks, size_t n, int height, bool zero);

/* One row per week: the week's start date, a bar of @minutes, the minutes and the average pain
 * (NAN: none); then a pain trend line over the weeks. */
void chart_weeks(FILE *f, const struct chart_term *t, const int64_t *week_start,
		 const double *minutes, const double *pain, size_t n);
