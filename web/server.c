/* SPDX-License-Identifier: MIT */
/*
 * The HTTP side: libmicrohttpd in external select mode, driven by the same libuv loop as
 * sd-bus. Before the loop sleeps, a uv_prepare_t puts MHD's sockets (MHD_get_fdset()) in an
 * epoll set of ours (fdwatch.c) that a uv_poll_t watches, and arms a uv_timer_t with
 * MHD_get_timeout(); either wakes MHD_run(). With no connection only the listening socket and
 * MHD's inter-thread channel are watched and there is no timeout, so an idle backride-web does
 * not wake up.
 */
#include "web.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define WEB_MAX_UPLOAD 1024 /* a POST of the API carries its arguments in the URL */

void web_headers(struct MHD_Response *resp, const char *type)
{
	(void) MHD_add_response_header(resp, "Content-Type", type);
	(void) MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	(void) MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	(void) MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	(void) MHD_add_response_header(resp, "Content-Security-Policy",
				       "default-src 'self'; img-src 'self' data:; "
				       "frame-ancestors 'none'; form-action 'none'");
}

enum MHD_Result web_reply(struct MHD_Connection *c, unsigned status, const char *type,
			  const char *body, size_t len)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, (void *) body, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	web_headers(resp, type);
	(void) MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (status == 429)
		(void) MHD_add_response_header(resp, "Retry-After", "1");
	if (status == 401)
		(void) MHD_add_response_header(resp, "WWW-Authenticate",
					       "Bearer realm=\"backride\"");
	if (status == 405)
		(void) MHD_add_response_header(resp, "Allow", "GET, HEAD, POST");
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

enum MHD_Result web_error(struct MHD_Connection *c, unsigned status, const char *name,
			  const char *message)
{
	struct buf b = { 0 };
	enum MHD_Result ret;

	buf_str(&b, "{\"error\":");
	buf_json_str(&b, name);
	buf_str(&b, ",\"message\":");
	buf_json_str(&b, message);
	buf_str(&b, "}\n");
	ret = b.oom ? MHD_NO : web_reply(c, status, "application/json", b.p, b.len);
	buf_free(&b);
	return ret;
}

/* Compare without leaking where they differ. Return: 1 if equal. */
static int token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char d = la != lb;

	for (i = 0; i < lb; i++)
		d |= (unsigned char) (i < la ? a[i] : 0) ^ (unsigned char) b[i];
	return d == 0;
}

static int web_authorized(struct web *w, struct MHD_Connection *c)
{
	const char *t;

	if (!w->opt.lan)
		return 1;
	t = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "backride_token");
	if (t && token_equal(t, w->opt.token))
		return 1;
	t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	return t && strncmp(t, "Bearer ", 7) == 0 && token_equal(t + 7, w->opt.token);
}

/* GET /?token=...: the link of the QR code. The token becomes a cookie and leaves the URL. */
static enum MHD_Result web_pair(struct web *w, struct MHD_Connection *c, const char *url)
{
	char cookie[WEB_TOKEN_LEN + 96];
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(0, (void *) "", MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	web_headers(resp, "text/plain");
	(void) snprintf(cookie, sizeof(cookie),
			"backride_token=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000",
			w->opt.token);
	(void) MHD_add_response_header(resp, "Set-Cookie", cookie);
	(void) MHD_add_response_header(resp, "Location", strcmp(url, "/") == 0 ? "/" : url);
	(void) MHD_add_response_header(resp, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, 303, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Local mode answers only to names of this computer: a page elsewhere cannot rebind its own
 * name to 127.0.0.1 and talk to us. Return: 1 if Host is acceptable. */
static int web_host_ok(struct web *w, struct MHD_Connection *c)
{
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	static const char *const local[] = { "localhost", "127.0.0.1", "[::1]" };
	size_t i, n;

	if (w->opt.lan)
		return 1;
	if (!host)
		return 0;
	for (i = 0; i < ARRAY_SIZE(local); i++) {
		n = strlen(local[i]);
		if (strncasecmp(host, local[i], n) == 0 && (host[n] == '\0' || host[n] == ':'))
			return 1;
	}
	return 0;
}

/* A state-changing request comes from our own page: its CSRF header, and its Origin (when the
 * browser sends one) is the host it asked. Return: 1 if so. */
static int web_same_origin(struct web *w, struct MHD_Connection *c)
{
	const char *csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Backride-CSRF");
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");

	if (!csrf || !token_equal(csrf, w->csrf))
		return 0;
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return 0;
	if (!origin)
		return 1;
	return host && strncmp(origin, "http://", 7) == 0 && strcmp(origin + 7, host) == 0;
}

static uint64_t now_usec(void)
{
	struct timespec ts;

	(void) clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

/* A token bucket for state-changing requests. Return: 1 if this one may go. */
static int web_rate_ok(struct web *w)
{
	uint64_t now = now_usec();
	double burst = w->opt.rate_burst;

	w->rate_tokens += (double) (now - w->rate_usec) * w->opt.rate_per_min / 60e6;
	w->rate_tokens = MIN(w->rate_tokens, burst);
	w->rate_usec = now;
	if (w->rate_tokens < 1.0)
		return 0;
	w->rate_tokens -= 1.0;
	return 1;
}

static enum MHD_Result web_route(struct request *rq, const char *url, const char *method)
{
	struct web *w = rq->w;
	struct MHD_Connection *c = rq->conn;
	int head = strcmp(method, "HEAD") == 0;
	const char *token;
	int r;

	if (!web_host_ok(w, c))
		return web_error(c, 403, "ForbiddenHost",
				 "backride-web answers only to localhost here; pair a device "
				 "with 'backride-web --pair' to use it from the network.");
	token = strcmp(method, "GET") == 0 && w->opt.lan
			? MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token")
			: NULL;
	if (token && token_equal(token, w->opt.token) && strncmp(url, "/api/", 5) != 0)
		return web_pair(w, c, url);
	if (!web_authorized(w, c))
		return web_error(c, 401, "Unauthorized",
				 "This screen needs pairing: open the link or scan the QR code "
				 "that 'backride-web --pair' prints.");
	if (rq->upload > WEB_MAX_UPLOAD)
		return web_error(c, 413, "TooLarge", "Requests to backride-web carry no body.");
	if (strcmp(method, "GET") == 0 || head) {
		r = api_get(rq, url);
		if (r >= 0)
			return (enum MHD_Result) r;
		return files_serve(w, c, url, head);
	}
	if (strcmp(method, "POST") != 0)
		return web_error(c, 405, "MethodNotAllowed",
				 "Use GET for pages and POST for actions.");
	if (!web_same_origin(w, c))
		return web_error(c, 403, "CrossSite",
				 "Actions come from the backride page only (CSRF token or Origin "
				 "missing or wrong); reload the page.");
	if (!web_rate_ok(w))
		return web_error(c, 429, "TooManyRequests",
				 "Too many actions at once; wait a moment.");
	r = api_post(rq, url);
	if (r >= 0)
		return (enum MHD_Result) r;
	return web_error(c, 404, "NotFound", "No such action.");
}

static enum MHD_Result web_on_request(void *cls, struct MHD_Connection *c, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct request *rq = *con_cls;

	log_debug("request %s %s rq=%p upload=%zu", method, url, (void *) rq, *upload_size);
	if (!rq) {
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		rq->w = cls;
		rq->conn = c;
		*con_cls = rq;
		return MHD_YES;
	}
	if (*upload_size) {
		/* Counted, never kept: the API takes no body. */
		rq->upload += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->done)
		return api_finish(rq);
	if (rq->started)
		return MHD_YES;
	rq->started = 1;
	return web_route(rq, url, method);
}

static void web_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			     enum MHD_RequestTerminationCode code)
{
	struct request *rq = *con_cls;

	if (!rq)
		return;
	api_forget(rq);
	sd_bus_slot_unref(rq->slot);
	buf_free(&rq->body);
	free(rq);
	*con_cls = NULL;
}

static void web_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[256];

	if (log_get_max_level() < LOG_DEBUG)
		return;
	(void) vsnprintf(line, sizeof(line), fmt, ap);
	log_debug("http: %s", line);
}

/* MHD frees (and closes the socket of) a connection it closed at the start of its next run, and
 * takes a resumed connection up only in the run after its resumption: run until it has nothing
 * to do at once (a zero timeout), a few times at most. */
static void web_run(struct web *w)
{
	MHD_UNSIGNED_LONG_LONG ms = 0;
	int i;

	for (i = 0; i < 8; i++) {
		(void) MHD_run(w->mhd);
		if (i > 0 && (MHD_get_timeout(w->mhd, &ms) != MHD_YES || ms > 0))
			break;
	}
}

static void web_on_poll(uv_poll_t *h, int status, int events)
{
	web_run(h->data);
}

static void web_on_timer(uv_timer_t *t)
{
	struct web *w = t->data;

	w->kicked = 0;
	(void) MHD_run(w->mhd);
	api_resume_done(w);
	web_run(w);
}

void web_kick(struct web *w)
{
	/* Armed here, not in the prepare callback: the reply that kicks may be read by sd-bus's own
	 * prepare callback, after ours has run in the same turn of the loop. */
	w->kicked = 1;
	(void) uv_timer_start(&w->timer, web_on_timer, 0, 0);
}

static void web_on_prepare(uv_prepare_t *p)
{
	struct web *w = p->data;
	MHD_UNSIGNED_LONG_LONG ms;

	fd_set rs, ws, es;
	MHD_socket max_fd = -1;

	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_ZERO(&es);
	if (MHD_get_fdset(w->mhd, &rs, &ws, &es, &max_fd) == MHD_YES)
		fdwatch_sync(&w->fds, &rs, &ws, max_fd);
	/* A kick (web_kick()) has armed the timer for now: keep it. */
	if (w->kicked)
		return;
	if (MHD_get_timeout(w->mhd, &ms) == MHD_YES)
		(void) uv_timer_start(&w->timer, web_on_timer, ms, 0);
	else
		(void) uv_timer_stop(&w->timer);
}

static void web_on_keepalive(uv_timer_t *t)
{
	sse_keepalive(t->data);
}

static void web_on_live(struct live *l, void *userdata)
{
	sse_broadcast(userdata);
}

static int web_random_hex(char *out, size_t hex_len)
{
	unsigned char raw[WEB_TOKEN_LEN / 2];
	size_t i;

	if (getrandom(raw, hex_len / 2, 0) != (ssize_t) (hex_len / 2))
		return -errno;
	for (i = 0; i < hex_len / 2; i++)
		(void) sprintf(out + 2 * i, "%02x", raw[i]);
	return 0;
}

static int web_start_mhd(struct web *w)
{
	unsigned flags = MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;
	int r;

	if (w->opt.addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	w->mhd = MHD_start_daemon(
		flags, 0, NULL, NULL, web_on_request, w, MHD_OPTION_EXTERNAL_LOGGER, web_mhd_log, w,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &w->opt.addr, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned) 32, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned) 16,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned) 10, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t) 32768, MHD_OPTION_NOTIFY_COMPLETED, web_on_completed, w, MHD_OPTION_END);
	if (!w->mhd)
		return -EADDRNOTAVAIL;
	info = MHD_get_daemon_info(w->mhd, MHD_DAEMON_INFO_BIND_PORT);
	w->port = info ? info->port : 0;
	r = fdwatch_init(&w->fds);
	if (r < 0)
		return r;
	return uv_poll_init(w->loop, &w->poll, w->fds.epfd);
}

int web_new(uv_loop_t *loop, sd_bus *bus, const struct web_options *opt, struct web **ret)
{
	struct web *w;
	int r;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->loop = loop;
	w->opt = *opt;
	w->rate_tokens = opt->rate_burst;
	w->rate_usec = now_usec();
	w->bus = sd_bus_ref(bus);
	w->fds.epfd = -1;
	w->docroot_fd = open(opt->docroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = w->docroot_fd < 0 ? -errno : web_random_hex(w->csrf, WEB_TOKEN_LEN);
	if (r >= 0)
		r = live_new(bus, web_on_live, w, &w->live);
	if (r >= 0)
		r = web_start_mhd(w);
	if (r < 0) {
		if (w->mhd)
			MHD_stop_daemon(w->mhd);
		fdwatch_done(&w->fds);
		live_free(w->live);
		if (w->docroot_fd >= 0)
			close(w->docroot_fd);
		sd_bus_unref(w->bus);
		free(w);
		return r;
	}
	w->poll.data = w;
	(void) uv_timer_init(loop, &w->timer);
	w->timer.data = w;
	(void) uv_timer_init(loop, &w->keepalive);
	w->keepalive.data = w;
	(void) uv_prepare_init(loop, &w->prepare);
	w->prepare.data = w;
	w->open_handles = 4;
	(void) uv_poll_start(&w->poll, UV_READABLE, web_on_poll);
	(void) uv_prepare_start(&w->prepare, web_on_prepare);
	*ret = w;
	return 0;
}

/* Start or stop the keep-alive comments: only while a stream is open. */
void web_keepalive(struct web *w, int on)
{
	if (on)
		(void) uv_timer_start(&w->keepalive, web_on_keepalive, 20000, 20000);
	else
		(void) uv_timer_stop(&w->keepalive);
}

static void web_on_closed(uv_handle_t *h)
{
	struct web *w = h->data;

	if (--w->open_handles > 0)
		return;
	MHD_stop_daemon(w->mhd);
	fdwatch_done(&w->fds);
	live_free(w->live);
	close(w->docroot_fd);
	sd_bus_unref(w->bus);
	free(w);
}

void web_close(struct web *w)
{
	sse_close_all(w);
	api_cancel_all(w);
	web_run(w);
	uv_close((uv_handle_t *) &w->poll, web_on_closed);
	uv_close((uv_handle_t *) &w->timer, web_on_closed);
	uv_close((uv_handle_t *) &w->keepalive, web_on_closed);
	uv_close((uv_handle_t *) &w->prepare, web_on_closed);
}
