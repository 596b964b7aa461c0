/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdio.h>

/* Write @s as a JSON string literal, quotes included. */
void json_string(FILE *f, const char *s);
