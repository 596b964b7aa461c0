/* SPDX-License-Identifier: MIT */
#include "fdwatch.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

int fdwatch_init(struct fdwatch *f)
{
	memset(f->reg, 0, sizeof(f->reg));
	f->epfd = epoll_create1(EPOLL_CLOEXEC);
	return f->epfd < 0 ? -errno : 0;
}

void fdwatch_sync(struct fdwatch *f, const fd_set *rs, const fd_set *ws, int max_fd)
{
	struct epoll_event ev;
	int fd;

	for (fd = 0; fd < FD_SETSIZE; fd++) {
		unsigned char want = 0;

		if (fd <= max_fd)
			want = (FD_ISSET(fd, rs) ? 1 : 0) | (FD_ISSET(fd, ws) ? 2 : 0);
		if (!want && !f->reg[fd])
			continue;
		if (!want) {
			/* Closed already (the kernel dropped it) or no longer wanted. */
			(void) epoll_ctl(f->epfd, EPOLL_CTL_DEL, fd, NULL);
			f->reg[fd] = 0;
			continue;
		}
		ev = (struct epoll_event) { .data.fd = fd };
		ev.events = (want & 1 ? EPOLLIN | EPOLLRDHUP : 0) | (want & 2 ? EPOLLOUT : 0);
		/* Always MOD: the number may belong to a new socket since MHD closed the old one,
		 * which left the set with it; then ADD. */
		if (epoll_ctl(f->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 && errno == ENOENT)
			(void) epoll_ctl(f->epfd, EPOLL_CTL_ADD, fd, &ev);
		f->reg[fd] = want;
	}
}

void fdwatch_done(struct fdwatch *f)
{
	if (f->epfd >= 0)
		close(f->epfd);
	f->epfd = -1;
}
