/* SPDX-License-Identifier: MIT */
#include "pair.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <libgen.h>
#include <net/if.h>
#include <qrencode.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static int pair_valid(const char *t)
{
	size_t i;

	for (i = 0; i < WEB_TOKEN_LEN; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return 0;
	return t[WEB_TOKEN_LEN] == '\0' || t[WEB_TOKEN_LEN] == '\n';
}

static int pair_read(const char *path, char token[WEB_TOKEN_LEN + 1])
{
	char buf[WEB_TOKEN_LEN + 2] = { 0 };
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	if (!pair_valid(buf))
		return -EBADMSG;
	memcpy(token, buf, WEB_TOKEN_LEN);
	token[WEB_TOKEN_LEN] = '\0';
	return 0;
}

static int pair_write(const char *path, char token[WEB_TOKEN_LEN + 1])
{
	unsigned char raw[WEB_TOKEN_LEN / 2];
	char tmp[4096], dir[4096];
	struct stat st;
	size_t i;
	int fd, r = 0;

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t) sizeof(raw))
		return -errno;
	for (i = 0; i < sizeof(raw); i++)
		(void) sprintf(token + 2 * i, "%02x", raw[i]);
	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int) sizeof(tmp))
		return -ENAMETOOLONG;
	(void) snprintf(dir, sizeof(dir), "%s", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return -errno;
	if (write(fd, token, WEB_TOKEN_LEN) != WEB_TOKEN_LEN || write(fd, "\n", 1) != 1)
		r = -EIO;
	if (r == 0 && stat(dirname(dir), &st) == 0 && geteuid() == 0)
		(void) fchown(fd, st.st_uid, st.st_gid);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	close(fd);
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		(void) unlink(tmp);
	return r;
}

int pair_token(const char *path, int renew, char token[WEB_TOKEN_LEN + 1])
{
	int r;

	if (!renew) {
		r = pair_read(path, token);
		if (r != -ENOENT)
			return r;
	}
	return pair_write(path, token);
}

void pair_host(char *out, size_t size)
{
	struct ifaddrs *ifa, *i;

	(void) snprintf(out, size, "localhost");
	if (getifaddrs(&ifa) < 0)
		return;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    (i->ifa_flags & IFF_LOOPBACK) || !(i->ifa_flags & IFF_UP))
			continue;
		(void) inet_ntop(AF_INET, &((struct sockaddr_in *) i->ifa_addr)->sin_addr, out,
				 (socklen_t) size);
		break;
	}
	freeifaddrs(ifa);
}

static int pair_dark(const QRcode *qr, int x, int y)
{
	if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
		return 0;
	return qr->data[y * qr->width + x] & 1;
}

int pair_print_qr(FILE *f, const char *url)
{
	static const char *const cell[4] = { "\u2588", "\u2580", "\u2584", " " };
	const int quiet = 2;
	QRcode *qr;
	int x, y;

	qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return -errno;
	for (y = -quiet; y < qr->width + quiet; y += 2) {
		for (x = -quiet; x < qr->width + quiet; x++)
			fputs(cell[pair_dark(qr, x, y) * 2 + pair_dark(qr, x, y + 1)], f);
		fputc('\n', f);
	}
	QRcode_free(qr);
	return 0;
}
