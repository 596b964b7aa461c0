/* SPDX-License-Identifier: MIT */
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char) *s;

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (c < 0x20)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

bool output_escapes(int fd)
{
	const char *term = getenv("TERM");

	return isatty(fd) == 1 && !(term && strcmp(term, "dumb") == 0);
}
