/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdio.h>

#include "web.h"

/*
 * The pairing token in @path: read it, or make a new random one when there is none (or
 * @renew). A new file is mode 0640 and belongs to the owner of its directory, so that the
 * service's user reads a token that root created with --pair.
 * Return: 0 and the token in @token, or -errno (-EBADMSG: the file holds no valid token).
 */
int pair_token(const char *path, int renew, char token[WEB_TOKEN_LEN + 1]);

/* The first IPv4 address of this computer that is not loopback, as text, or "localhost". */
void pair_host(char *out, size_t size);

/*
 * Print @url as a QR code in UTF-8 half blocks (two rows of modules per line, for light text
 * on a dark terminal, as qrencode -t UTF8 does).
 * Return: 0, or -errno.
 */
int pair_print_qr(FILE *f, const char *url);
