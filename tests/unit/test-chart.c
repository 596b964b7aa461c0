/* SPDX-License-Identifier: MIT */
/* Terminal charts: ASCII against UTF-8, fitting the width, colour only when asked. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "chart.h"

static char *render_timeline(const struct chart_term *t, size_t n)
{
	double *a = calloc(n, sizeof(double)), *g = calloc(n, sizeof(double));
	char *marks = calloc(n, 1), *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	assert_non_null(f);
	for (size_t i = 0; i < n; i++) {
		a[i] = i < n / 4 ? 20 + 40.0 * (double) i / (double) (n / 4) : 60;
		g[i] = i < n / 4 ? 20 + 40.0 * (double) i / (double) (n / 4) : 60;
	}
	a[n / 2] = NAN;
	marks[n / 2] = CHART_MARK_PAIN;
	marks[n / 3] = CHART_MARK_PAUSE;
	chart_timeline(f, t, "Power (W)", a, g, marks, n, 4, true);
	fclose(f);
	free(a);
	free(g);
	free(marks);
	return out;
}

/* Return: the widest line in code points (every glyph we print is one column wide). */
static size_t widest(const char *s)
{
	size_t w = 0, max = 0;

	for (; *s; s++) {
		if (*s == '\n') {
			max = w > max ? w : max;
			w = 0;
		} else if (((unsigned char) *s & 0xc0) != 0x80)
			w++;
	}
	return w > max ? w : max;
}

static void test_ascii_snapshot(void **state)
{
	struct chart_term t = { .width = 40, .utf8 = false, .color = false };
	char *s = render_timeline(&t, 16);

	/* 16 seconds fit in 16 columns: one second per column. The target is '-' above the bar
	 * and '=' where the bar reaches it; second 8 has no sample (a gap). */
	assert_string_equal(s, "Power (W)\n"
			       "  60 |   -====-=======\n"
			       "     | --##### #######\n"
			       "     |-####### #######\n"
			       "   0 |######## #######\n"
			       "     +----------------\n"
			       "           .  P       \n"
			       "      0:00        0:16\n");
	free(s);
}

static void test_utf8_blocks(void **state)
{
	struct chart_term t = { .width = 40, .utf8 = true, .color = false };
	char *s = render_timeline(&t, 16);

	assert_non_null(strstr(s, "█"));
	assert_non_null(strstr(s, "─"));
	assert_non_null(strstr(s, "└"));
	assert_null(strstr(s, "#"));
	assert_null(strstr(s, "\033["));
	free(s);
}

static void test_width_fits(void **state)
{
	const int widths[] = { 40, 80, 132 };

	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		for (int utf8 = 0; utf8 <= 1; utf8++) {
			struct chart_term t = { .width = widths[i], .utf8 = utf8 };
			char *s = render_timeline(&t, 3600);

			assert_true(widest(s) <= (size_t) widths[i]);
			/* A long session uses the whole width. */
			assert_true(widest(s) >= (size_t) widths[i] - 1);
			free(s);
		}
	}
}

static void test_color_only_when_asked(void **state)
{
	struct chart_term t = { .width = 60, .utf8 = true, .color = true };
	char *s = render_timeline(&t, 100);

	assert_non_null(strstr(s, "\033[32m"));
	free(s);
}

static void test_empty(void **state)
{
	struct chart_term t = { .width = 80 };
	double v[3] = { NAN, NAN, NAN };
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	chart_timeline(f, &t, "x", v, NULL, NULL, 3, 4, true);
	chart_timeline(f, &t, "x", v, NULL, NULL, 0, 4, true);
	fclose(f);
	assert_int_equal(size, 0);
	free(out);
}

static char *render_weeks(const struct chart_term *t)
{
	const int64_t start[] = { 1767571200, 1768176000, 1768780800 }; /* Mondays, UTC */
	const double minutes[] = { 90, 0, 150 };
	const double pain[] = { 5.5, NAN, 3.2 };
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	chart_weeks(f, t, start, minutes, pain, 3);
	fclose(f);
	return out;
}

static void test_weeks(void **state)
{
	struct chart_term t = { .width = 48, .utf8 = false };
	char *s = render_weeks(&t);

	assert_string_equal(s, "2026-01-05 ##########         90 min  pain 5.5\n"
			       "2026-01-12                     0 min\n"
			       "2026-01-19 ################  150 min  pain 3.2\n"
			       "Pain trend  6.3  (0-10 per week, oldest first; . none, X 10)\n");
	free(s);
	t.utf8 = true;
	s = render_weeks(&t);
	assert_non_null(strstr(s, "2026-01-05 █████████▋         90 min  pain 5.5\n"));
	assert_non_null(strstr(s, "Pain trend  ▅·▃  "));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii_snapshot), cmocka_unit_test(test_utf8_blocks),
		cmocka_unit_test(test_width_fits),     cmocka_unit_test(test_color_only_when_asked),
		cmocka_unit_test(test_empty),	       cmocka_unit_test(test_weeks),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
