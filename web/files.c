/* SPDX-License-Identifier: MIT */
/*
 * The page's files. The document root is flat: a name is letters, digits, '-', '_' and dots,
 * never starting with a dot, so no path can climb out of it ("..", "%2e%2e" decoded by MHD, or
 * a slash all fail the name check), and a symbolic link is refused when it is opened
 * (O_NOFOLLOW), wherever it points.
 */
#include "web.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILES_MAX_NAME 64

/* clang-format off */
static const struct {
	const char *ext;
	const char *type;
} files_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".webmanifest", "application/manifest+json" },
};
/* clang-format on */

/* Return: the file name under the root for @url, or NULL if it may not name one. */
static const char *files_name(const char *url)
{
	const char *name;
	size_t i, n;

	if (strcmp(url, "/") == 0 || strcmp(url, "/history") == 0)
		return "index.html";
	if (url[0] != '/')
		return NULL;
	name = url + 1;
	n = strlen(name);
	if (n == 0 || n > FILES_MAX_NAME || name[0] == '.')
		return NULL;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return NULL;
	}
	return name;
}

static const char *files_type(const char *name)
{
	size_t i, n = strlen(name), e;

	for (i = 0; i < ARRAY_SIZE(files_types); i++) {
		e = strlen(files_types[i].ext);
		if (n > e && strcmp(name + n - e, files_types[i].ext) == 0)
			return files_types[i].type;
	}
	return NULL;
}

enum MHD_Result files_serve(struct web *w, struct MHD_Connection *c, const char *url, int head)
{
	struct MHD_Response *resp;
	const char *name = files_name(url), *type;
	enum MHD_Result ret;
	struct stat st;
	int fd;

	type = name ? files_type(name) : NULL;
	if (!type)
		return web_error(c, 404, "NotFound", "No such page.");
	fd = openat(w->docroot_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return web_error(c, 404, "NotFound", "No such page.");
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return web_error(c, 404, "NotFound", "No such page.");
	}
	/* MHD owns the fd from here, and closes it with the response. */
	resp = MHD_create_response_from_fd((uint64_t) st.st_size, fd);
	if (!resp) {
		close(fd);
		return MHD_NO;
	}
	web_headers(resp, type);
	(void) MHD_add_response_header(resp, "Cache-Control", "no-cache");
	ret = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp);
	(void) head; /* MHD leaves the body out of a HEAD reply itself */
	return ret;
}
