/* SPDX-License-Identifier: MIT */
/* The report as one HTML file: the same pages as inline SVG (the same drawing code). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

static void svg_rect(struct canvas *c, double x, double y, double w, double h, uint32_t rgb,
		     bool fill)
{
	fprintf(c->backend,
		"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" %s=\"#%06x\"%s/>\n", x,
		y, w, h, fill ? "fill" : "stroke", rgb, fill ? "" : " fill=\"none\"");
}

static void svg_line(struct canvas *c, double x0, double y0, double x1, double y1, uint32_t rgb,
		     double width, bool dashed)
{
	fprintf(c->backend,
		"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#%06x\" "
		"stroke-width=\"%.1f\"%s/>\n",
		x0, y0, x1, y1, rgb, width, dashed ? " stroke-dasharray=\"4 3\"" : "");
}

static void svg_circle(struct canvas *c, double x, double y, double r, uint32_t rgb)
{
	fprintf(c->backend, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#%06x\"/>\n", x, y,
		r, rgb);
}

static void svg_text(struct canvas *c, double x, double y, const char *s, double size, int align,
		     bool bold)
{
	static const char *const anchor[] = { "start", "middle", "end" };

	fprintf(c->backend, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"%s\"%s>",
		x, y, size, anchor[align < 0 || align > 2 ? 0 : align],
		bold ? " font-weight=\"bold\"" : "");
	esc(c->backend, s);
	fputs("</text>\n", c->backend);
}

static const struct canvas_ops svg_ops = {
	.rect = svg_rect,
	.line = svg_line,
	.circle = svg_circle,
	.text = svg_text,
};

static void svg_open(FILE *f)
{
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"page\" viewBox=\"0 0 %.0f "
		"%.0f\" "
		"width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
		REPORT_PAGE_W, REPORT_PAGE_H, REPORT_PAGE_W, REPORT_PAGE_H);
}

static void svg_page(struct canvas *c)
{
	fputs("</svg>\n", c->backend);
	svg_open(c->backend);
}

int report_write_html(const struct report *r, FILE *f)
{
	struct canvas c = { .ops = &svg_ops, .backend = f };

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<title>backride report</title>\n<style>body { background: #eee; margin: 0; } "
	      "svg.page { display: block; margin: 12px auto; background: #fff; "
	      "box-shadow: 0 0 4px #999; } @media print { body { background: none; } "
	      "svg.page { margin: 0; box-shadow: none; page-break-after: always; } }</style>\n"
	      "</head>\n<body>\n",
	      f);
	svg_open(f);
	report_draw(&c, r, svg_page);
	fputs("</svg>\n</body>\n</html>\n", f);
	return ferror(f) ? -EIO : 0;
}
