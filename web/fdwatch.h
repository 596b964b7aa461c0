/* SPDX-License-Identifier: MIT */
#pragma once

#include <sys/select.h>

/*
 * MHD's sockets (from MHD_get_fdset()) in an epoll set of our own, level-triggered, that one
 * uv_poll_t watches. MHD's own epoll mode is edge-triggered and, driven from outside, misses
 * a peer's close that arrives with its last bytes; level-triggered readiness does not.
 */
struct fdwatch {
	int epfd;
	unsigned char reg[FD_SETSIZE]; /* what each fd is registered for: 1 read, 2 write */
};

/* Return: 0, or -errno. */
int fdwatch_init(struct fdwatch *f);
/* Make the set what @rs and @ws say (fds up to @max_fd). */
void fdwatch_sync(struct fdwatch *f, const fd_set *rs, const fd_set *ws, int max_fd);
void fdwatch_done(struct fdwatch *f);
