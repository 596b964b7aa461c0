/* SPDX-License-Identifier: MIT */
/*
 * The live stream, as Server-Sent Events: one "state" event with the whole live state after
 * each change the daemon signals. A stream with nothing to send is suspended (MHD stops
 * polling its socket) and resumed when there is; its first stream makes backride-web listen
 * to the daemon, its last one closing stops it.
 */
#include "web.h"

#include <string.h>

#include "log.h"

#define SSE_MAX	    8
#define SSE_BACKLOG (256 * 1024) /* a browser this far behind gets the latest state only */

struct sse {
	struct web *w;
	struct MHD_Connection *conn;
	struct buf out;
	int suspended;
	int ended;
	struct sse *next;
};

static void sse_wake(struct sse *s)
{
	if (!s->suspended)
		return;
	s->suspended = 0;
	MHD_resume_connection(s->conn);
	web_kick(s->w);
}

static ssize_t sse_read(void *cls, uint64_t pos, char *data, size_t max)
{
	struct sse *s = cls;
	size_t n;

	if (s->out.len > 0) {
		n = MIN(max, s->out.len);
		memcpy(data, s->out.p, n);
		buf_consume(&s->out, n);
		return (ssize_t) n;
	}
	if (s->ended)
		return MHD_CONTENT_READER_END_OF_STREAM;
	/* Nothing to send: park the connection until sse_broadcast() has something. */
	s->suspended = 1;
	MHD_suspend_connection(s->conn);
	return 0;
}

static void sse_free(void *cls)
{
	struct sse *s = cls, **p;
	struct web *w = s->w;

	for (p = &w->sse; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	buf_free(&s->out);
	free(s);
	if (--w->n_sse == 0) {
		(void) live_watch(w->live, 0);
		web_keepalive(w, 0);
	}
}

static void sse_push_state(struct web *w, struct sse *s)
{
	if (s->out.len > SSE_BACKLOG)
		buf_free(&s->out);
	buf_str(&s->out, "event: state\ndata: ");
	live_json(w->live, &s->out);
	buf_str(&s->out, "\n\n");
	if (s->out.oom) {
		/* Out of memory: end this stream rather than send half an event. */
		buf_free(&s->out);
		s->ended = 1;
	}
	sse_wake(s);
}

enum MHD_Result sse_open(struct web *w, struct MHD_Connection *c)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	struct sse *s;
	int r;

	if (w->n_sse >= SSE_MAX)
		return web_error(c, 503, "TooManyScreens",
				 "Too many screens are open on backride-web; close one.");
	s = calloc(1, sizeof(*s));
	if (!s)
		return MHD_NO;
	s->w = w;
	s->conn = c;
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read, s, sse_free);
	if (!resp) {
		free(s);
		return MHD_NO;
	}
	s->next = w->sse;
	w->sse = s;
	if (w->n_sse++ == 0) {
		r = live_watch(w->live, 1);
		if (r < 0)
			log_warning_errno(r, "Cannot listen to backrided: %m");
		web_keepalive(w, 1);
	}
	/* "retry" tells the browser how soon to reconnect after a drop. */
	buf_str(&s->out, "retry: 1000\n\n");
	sse_push_state(w, s);
	web_headers(resp, "text/event-stream");
	(void) MHD_add_response_header(resp, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

void sse_broadcast(struct web *w)
{
	struct sse *s;

	for (s = w->sse; s; s = s->next)
		sse_push_state(w, s);
}

void sse_keepalive(struct web *w)
{
	struct sse *s;

	for (s = w->sse; s; s = s->next) {
		buf_str(&s->out, ": keep-alive\n\n");
		sse_wake(s);
	}
}

void sse_close_all(struct web *w)
{
	struct sse *s;

	for (s = w->sse; s; s = s->next) {
		s->ended = 1;
		sse_wake(s);
	}
}
