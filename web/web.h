/* SPDX-License-Identifier: MIT */
#pragma once

#include <microhttpd.h>
#include <netinet/in.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <uv.h>

#include "buf.h"
#include "fdwatch.h"
#include "live.h"

#define WEB_TOKEN_LEN 32 /* hex characters: 128 bits */

/* How backride-web is reached. */
struct web_options {
	struct sockaddr_storage addr; /* address and port to listen on */
	socklen_t addr_len;
	int lan;		       /* beyond this computer: every request needs the token */
	const char *docroot;	       /* the page's files */
	char token[WEB_TOKEN_LEN + 1]; /* the pairing token (lan) */
	unsigned rate_burst;	       /* state-changing requests at once ... */
	unsigned rate_per_min;	       /* ... and per minute after that */
};

struct sse;

/* The server: MHD in external select mode on the libuv loop, beside sd-bus. */
struct web {
	uv_loop_t *loop;
	sd_bus *bus;
	struct live *live;
	struct MHD_Daemon *mhd;
	struct fdwatch fds; /* MHD's sockets, for poll */
	uv_poll_t poll;
	uv_timer_t timer;
	uv_prepare_t prepare;
	uv_timer_t keepalive;
	int open_handles;
	int docroot_fd;
	struct web_options opt;
	char csrf[WEB_TOKEN_LEN + 1];
	double rate_tokens;
	uint64_t rate_usec;
	struct sse *sse;
	unsigned n_sse;
	struct request *pending; /* requests suspended until the daemon answers */
	uint16_t port;
	int kicked; /* MHD_run() before the loop sleeps again */
};

/* One HTTP request (MHD's per-connection closure), from the first header to the reply. */
struct request {
	struct web *w;
	struct MHD_Connection *conn;
	sd_bus_slot *slot;
	size_t upload;
	int started;
	int done;
	unsigned status;
	struct buf body;
	struct request *next_pending; /* in web.pending while suspended on the bus */
	struct request **prev_pending;
	uint64_t id; /* GET /api/session: the session, between its two calls */
	int wrap;    /* the reply's arguments as one JSON array (Progress) */
};

/*
 * Start serving on @loop: listen, attach MHD to the loop.
 * Return: 0 and *ret, or -errno (the address in use, the document root missing...).
 */
int web_new(uv_loop_t *loop, sd_bus *bus, const struct web_options *opt, struct web **ret);
/* Stop listening, end the event streams, close the handles; frees itself once they are closed. */
void web_close(struct web *w);

/* Common headers; and a JSON reply or a named error queued on @c. Return: MHD's answer. */
void web_headers(struct MHD_Response *resp, const char *type);
enum MHD_Result web_reply(struct MHD_Connection *c, unsigned status, const char *type,
			  const char *body, size_t len);
enum MHD_Result web_error(struct MHD_Connection *c, unsigned status, const char *name,
			  const char *message);

/* files.c: GET of the page's files under the document root. */
enum MHD_Result files_serve(struct web *w, struct MHD_Connection *c, const char *url, int head);

/* api.c: the JSON API. Return: MHD's answer, or -1 if @url is not one of its paths. */
int api_get(struct request *rq, const char *url);
int api_post(struct request *rq, const char *url);
/* Queue the reply a suspended request got from the bus. */
enum MHD_Result api_finish(struct request *rq);
/* Resume the requests whose answer came (from the loop, after MHD ran). */
void api_resume_done(struct web *w);
/* Leave the list of requests waiting for the bus (the request ends). */
void api_forget(struct request *rq);
/* Answer every request still waiting for the bus with 503 (at exit). */
void api_cancel_all(struct web *w);

/* sse.c: the live stream. */
enum MHD_Result sse_open(struct web *w, struct MHD_Connection *c);
/* Send the live state to every stream (called on each change). */
void sse_broadcast(struct web *w);
/* A comment line on every stream, so that closed ones are found. */
void sse_keepalive(struct web *w);
/* End every stream (at exit). */
void sse_close_all(struct web *w);
/* Keep-alive comments every 20 s while a stream is open (@on), none otherwise. */
void web_keepalive(struct web *w, int on);
/* Run MHD once more before the loop sleeps: after a connection was resumed. */
void web_kick(struct web *w);
