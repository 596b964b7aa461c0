/* SPDX-License-Identifier: MIT */
/* The report as PDF, drawn with cairo. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <math.h>

#include "report.h"

static void rgb(cairo_t *cr, uint32_t c)
{
	cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0,
			     (c & 0xff) / 255.0);
}

static void pdf_rect(struct canvas *c, double x, double y, double w, double h, uint32_t color,
		     bool fill)
{
	cairo_t *cr = c->backend;

	rgb(cr, color);
	cairo_rectangle(cr, x, y, w, h);
	if (fill)
		cairo_fill(cr);
	else
		cairo_stroke(cr);
}

static void pdf_line(struct canvas *c, double x0, double y0, double x1, double y1, uint32_t color,
		     double width, bool dashed)
{
	static const double dash[] = { 4, 3 };
	cairo_t *cr = c->backend;

	rgb(cr, color);
	cairo_set_line_width(cr, width);
	cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x1, y1);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

static void pdf_circle(struct canvas *c, double x, double y, double r, uint32_t color)
{
	cairo_t *cr = c->backend;

	rgb(cr, color);
	cairo_new_path(cr); /* no line from the last text's end */
	cairo_arc(cr, x, y, r, 0, 2 * M_PI);
	cairo_fill(cr);
}

static void pdf_text(struct canvas *c, double x, double y, const char *s, double size, int align,
		     bool bold)
{
	cairo_t *cr = c->backend;
	cairo_text_extents_t ext;

	rgb(cr, 0x202020);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_text_extents(cr, s, &ext);
	cairo_move_to(cr, x - (align == 1 ? ext.x_advance / 2 : align == 2 ? ext.x_advance : 0), y);
	cairo_show_text(cr, s);
}

static const struct canvas_ops pdf_ops = {
	.rect = pdf_rect,
	.line = pdf_line,
	.circle = pdf_circle,
	.text = pdf_text,
};

static void pdf_page(struct canvas *c)
{
	cairo_show_page(c->backend);
}

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int length)
{
	return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS
							  : CAIRO_STATUS_WRITE_ERROR;
}

int report_write_pdf(const struct report *r, FILE *f)
{
	cairo_surface_t *surface;
	struct canvas c = { .ops = &pdf_ops };
	cairo_status_t st;
	cairo_t *cr;

	surface = cairo_pdf_surface_create_for_stream(write_cb, f, REPORT_PAGE_W, REPORT_PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "backride report");
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "backride");
	cr = cairo_create(surface);
	c.backend = cr;
	report_draw(&c, r, pdf_page);
	cairo_show_page(cr);
	st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	/* The CLI draws one report and exits: give back cairo's and fontconfig's caches, so that
	 * leak checkers see none. */
	cairo_debug_reset_static_data();
	FcFini();
	return st == CAIRO_STATUS_SUCCESS ? 0 : -EIO;
}
