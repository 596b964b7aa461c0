/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* Write @s as a JSON string literal, quotes included. */
void json_string(FILE *f, const char *s);

/* Return: true if @fd is a terminal that understands escape sequences (not TERM=dumb). */
bool output_escapes(int fd);
