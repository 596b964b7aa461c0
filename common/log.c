/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int max_level = LOG_INFO;
static const char *log_ident;

void log_set_max_level(int level)
{
	max_level = level;
}

int log_get_max_level(void)
{
	return max_level;
}

void log_set_ident(const char *ident)
{
	log_ident = ident;
}

_printf_(3, 0) static void log_vmsg(int level, int err, const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	if (err != 0)
		(void) snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ": %s",
				strerror(err < 0 ? -err : err));
	if (log_ident)
		(void) fprintf(stderr, "<%d>%s: %s\n", level, log_ident, buf);
	else
		(void) fprintf(stderr, "<%d>%s\n", level, buf);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	log_vmsg(level, 0, fmt, ap);
	va_end(ap);
}

int log_msg_errno(int level, int err, const char *fmt, ...)
{
	va_list ap;

	if (err > 0)
		err = -err;
	if (level > max_level)
		return err;
	va_start(ap, fmt);
	log_vmsg(level, err, fmt, ap);
	va_end(ap);
	return err;
}
