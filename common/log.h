/* SPDX-License-Identifier: MIT */
#pragma once

#include <syslog.h>

#include "macro.h"

/* Messages go to stderr with a "<N>" priority prefix journald understands. */
void log_set_max_level(int level);
int log_get_max_level(void);
/* Prefix every line with the program name (for terminals, not journald). */
void log_set_ident(const char *ident);

void log_msg(int level, const char *fmt, ...) _printf_(2, 3);

/* Return: -abs(err), so callers can write "return log_error_errno(r, ...)". */
int log_msg_errno(int level, int err, const char *fmt, ...) _printf_(3, 4);

#define log_error(...)	 log_msg(LOG_ERR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	 log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	 log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)                                   \
	do {                                             \
		if (log_get_max_level() >= LOG_DEBUG)    \
			log_msg(LOG_DEBUG, __VA_ARGS__); \
	} while (0)
#define log_error_errno(err, ...)   log_msg_errno(LOG_ERR, err, __VA_ARGS__)
#define log_warning_errno(err, ...) log_msg_errno(LOG_WARNING, err, __VA_ARGS__)
