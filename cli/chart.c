/* SPDX-License-Identifier: MIT */
#include "chart.h"

#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "macro.h"

#define LABEL_W 6 /* "  120 " left of the plot */

/* U+2581..U+2588: a bar of 1/8 to 8/8 of a cell. */
static const char *const eighths[9] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
/* U+258F..U+2589: a horizontal bar of 1/8 to 7/8 of a cell. */
static const char *const h_eighths[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };

#define C_BAR	 "\033[32m"
#define C_TARGET "\033[33m"
#define C_PAIN	 "\033[31m"
#define C_OFF	 "\033[0m"

void chart_term_detect(int fd, struct chart_term *ret)
{
	struct winsize ws = {};
	const char *cs, *cols, *nc, *term;
	long w = 0;

	(void) setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	ret->utf8 = cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		w = ws.ws_col;
	cols = getenv("COLUMNS");
	if (w == 0 && cols && *cols)
		w = strtol(cols, NULL, 10);
	if (w <= 0)
		w = 80;
	ret->width = (int) CLAMP(w, CHART_MIN_WIDTH, CHART_MAX_WIDTH);
	nc = getenv("NO_COLOR");
	term = getenv("TERM");
	ret->color = isatty(fd) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
}

static void color(FILE *f, const struct chart_term *t, const char *c)
{
	if (t->color)
		fputs(c, f);
}

/* Average the defined values of [from, to) into *ret. Return: false if none. */
static bool bucket_avg(const double *v, size_t from, size_t to, double *ret)
{
	double sum = 0;
	size_t k = 0;

	for (size_t i = from; v && i < to; i++)
		if (!isnan(v[i])) {
			sum += v[i];
			k++;
		}
	if (k)
		*ret = sum / (double) k;
	return k > 0;
}

/* A round upper bound for the y axis. */
static double nice_max(double m)
{
	double step = m <= 10 ? 2 : m <= 50 ? 10 : m <= 200 ? 20 : 50;

	return MAX(step, ceil(m / step) * step);
}

struct timeline {
	size_t cols;
	double ymin, ymax;
	double *act, *tgt; /* per column, NAN: none */
	char *mark;	   /* per column */
};

static int timeline_fill(struct timeline *tl, const double *actual, const double *target,
			 const char *marks, size_t n, size_t width, bool zero)
{
	double ymax = 0, ymin = INFINITY;

	tl->cols = MIN(n, width);
	tl->act = calloc(tl->cols, sizeof(double));
	tl->tgt = calloc(tl->cols, sizeof(double));
	tl->mark = calloc(tl->cols, 1);
	if (!tl->act || !tl->tgt || !tl->mark)
		return -1;
	for (size_t c = 0; c < tl->cols; c++) {
		size_t from = c * n / tl->cols, to = (c + 1) * n / tl->cols;

		if (!bucket_avg(actual, from, to, &tl->act[c]))
			tl->act[c] = NAN;
		if (!bucket_avg(target, from, to, &tl->tgt[c]))
			tl->tgt[c] = NAN;
		for (size_t i = from; marks && i < to; i++)
			if (marks[i] == CHART_MARK_PAIN || (marks[i] && !tl->mark[c]))
				tl->mark[c] = marks[i];
		if (!isnan(tl->act[c]))
			ymax = MAX(ymax, tl->act[c]), ymin = MIN(ymin, tl->act[c]);
		if (!isnan(tl->tgt[c]))
			ymax = MAX(ymax, tl->tgt[c]), ymin = MIN(ymin, tl->tgt[c]);
	}
	tl->ymax = nice_max(ymax);
	/* Heart rate lives between 60 and 120: start the axis below the lowest value. */
	tl->ymin = zero || ymin > ymax ? 0 : MAX(0, floor(ymin / 10) * 10 - 10);
	if (tl->ymin >= tl->ymax)
		tl->ymin = 0;
	return ymax > 0 ? 1 : 0;
}

static void timeline_cell(FILE *f, const struct chart_term *t, const struct timeline *tl, size_t c,
			  int row, int height)
{
	/* In eighths of a cell from the bottom. */
	double span = tl->ymax - tl->ymin;
	long level = isnan(tl->act[c]) ? 0 : lround((tl->act[c] - tl->ymin) / span * height * 8);
	long lo = (long) row * 8, hi = lo + 8;
	long tgt = isnan(tl->tgt[c]) ? -1
				     : MIN(lround((tl->tgt[c] - tl->ymin) / span * height * 8),
					   height * 8L - 1);
	bool target_here = tgt >= lo && tgt < hi;

	if (target_here && level < hi) {
		color(f, t, C_TARGET);
		fputs(t->utf8 ? "─" : "-", f);
		color(f, t, C_OFF);
		return;
	}
	if (target_here) {
		/* The bar reaches the target: show both. */
		color(f, t, C_TARGET);
		fputs(t->utf8 ? "▓" : "=", f);
		color(f, t, C_OFF);
		return;
	}
	if (level <= lo) {
		fputc(' ', f);
		return;
	}
	color(f, t, C_BAR);
	if (t->utf8)
		fputs(eighths[MIN(level - lo, 8)], f);
	else
		fputc(level - lo >= 4 ? '#' : '.', f);
	color(f, t, C_OFF);
}

static void format_mmss(size_t s, char *buf, size_t size)
{
	if (s >= 3600)
		snprintf(buf, size, "%zu:%02zu:%02zu", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%zu:%02zu", s / 60, s % 60);
}

static bool any_mark(const struct timeline *tl)
{
	for (size_t c = 0; c < tl->cols; c++)
		if (tl->mark[c])
			return true;
	return false;
}

static void timeline_axis(FILE *f, const struct chart_term *t, const struct timeline *tl, size_t n)
{
	char a[32], b[32];
	size_t la, lb;

	fprintf(f, "%*s", LABEL_W - 1, "");
	fputs(t->utf8 ? "└" : "+", f);
	for (size_t c = 0; c < tl->cols; c++)
		fputs(t->utf8 ? "─" : "-", f);
	fputc('\n', f);
	if (any_mark(tl)) {
		fprintf(f, "%*s", LABEL_W, "");
		for (size_t c = 0; c < tl->cols; c++) {
			if (tl->mark[c] == CHART_MARK_PAIN) {
				color(f, t, C_PAIN);
				fputc('P', f);
				color(f, t, C_OFF);
			} else if (tl->mark[c] == CHART_MARK_PAUSE)
				fputs(t->utf8 ? "·" : ".", f);
			else
				fputc(' ', f);
		}
		fputc('\n', f);
	}
	format_mmss(0, a, sizeof(a));
	format_mmss(n, b, sizeof(b));
	la = strlen(a);
	lb = strlen(b);
	fprintf(f, "%*s%s%*s%s\n", LABEL_W, "", a,
		(int) (tl->cols > la + lb ? tl->cols - la - lb : 1), "", b);
}

void chart_timeline(FILE *f, const struct chart_term *t, const char *title, const double *actual,
		    const double *target, const char *marks, size_t n, int height, bool zero)
{
	struct timeline tl = {};
	size_t width = (size_t) MAX(t->width - LABEL_W - 1, 10);

	if (n > 0 && timeline_fill(&tl, actual, target, marks, n, width, zero) > 0) {
		fprintf(f, "%s\n", title);
		for (int row = height - 1; row >= 0; row--) {
			if (row == height - 1)
				fprintf(f, "%*.0f ", LABEL_W - 2, tl.ymax);
			else if (row == 0)
				fprintf(f, "%*.0f ", LABEL_W - 2, tl.ymin);
			else
				fprintf(f, "%*s", LABEL_W - 1, "");
			fputs(t->utf8 ? "│" : "|", f);
			for (size_t c = 0; c < tl.cols; c++)
				timeline_cell(f, t, &tl, c, row, height);
			fputc('\n', f);
		}
		timeline_axis(f, t, &tl, n);
	}
	free(tl.act);
	free(tl.tgt);
	free(tl.mark);
}

static void week_bar(FILE *f, const struct chart_term *t, double minutes, double max, int width)
{
	long eighths_n = max > 0 ? lround(minutes / max * width * 8) : 0;
	int used = 0;

	color(f, t, C_BAR);
	for (; eighths_n >= 8; eighths_n -= 8, used++)
		fputs(t->utf8 ? "█" : "#", f);
	if (eighths_n > 0 && t->utf8) {
		fputs(h_eighths[eighths_n], f);
		used++;
	} else if (eighths_n >= 4) {
		fputc('#', f);
		used++;
	}
	color(f, t, C_OFF);
	fprintf(f, "%*s", width - used, "");
}

/* The pain trend: one character per week, higher is worse. */
static void pain_trend(FILE *f, const struct chart_term *t, const double *pain, size_t n)
{
	fputs("Pain trend  ", f);
	for (size_t i = 0; i < n; i++) {
		if (isnan(pain[i]))
			fputs(t->utf8 ? "·" : ".", f);
		else if (t->utf8)
			fputs(eighths[1 + CLAMP(lround(pain[i] * 7 / 10), 0, 7)], f);
		else {
			long p = CLAMP(lround(pain[i]), 0, 10);

			fputc(p == 10 ? 'X' : (char) ('0' + p), f);
		}
	}
	fputs(t->utf8 ? "  (0-10 per week, oldest first; · none)\n"
		      : "  (0-10 per week, oldest first; . none, X 10)\n",
	      f);
}

void chart_weeks(FILE *f, const struct chart_term *t, const int64_t *week_start,
		 const double *minutes, const double *pain, size_t n)
{
	/* "2026-11-09 " + bar + " 1234 min  pain 3.5" */
	int width = MAX(t->width - 11 - 21, 10);
	double max = 0;
	char day[16];

	for (size_t i = 0; i < n; i++)
		max = MAX(max, minutes[i]);
	for (size_t i = 0; i < n; i++) {
		time_t tt = (time_t) week_start[i];
		struct tm tm;

		if (!localtime_r(&tt, &tm) || strftime(day, sizeof(day), "%Y-%m-%d", &tm) == 0)
			strcpy(day, "?");
		fprintf(f, "%s ", day);
		week_bar(f, t, minutes[i], max, width);
		fprintf(f, " %4.0f min", minutes[i]);
		if (!isnan(pain[i]))
			fprintf(f, "  pain %.1f", pain[i]);
		fputc('\n', f);
	}
	if (n > 0)
		pain_trend(f, t, pain, n);
}
