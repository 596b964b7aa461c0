/* SPDX-License-Identifier: MIT */
/*
 * backride-web: the live session and its history for a browser on a phone, tablet or TV,
 * served over HTTP. A D-Bus client of backrided only: it never drives a machine itself.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "backride-build.h"
#include "web-build.h"
#include "bus-source.h"
#include "bus-util.h"
#include "log.h"
#include "pair.h"
#include "web.h"

#define WEB_DEFAULT_PORT 8080

struct args {
	const char *bus;
	const char *listen;
	long port;
	int port_given;
	int lan;
	int pair;
	int renew;
	const char *host;
	const char *docroot;
	const char *token_file;
	long rate;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: backride-web [OPTION]...\n"
		"Serve backride's live session and history to a browser (phone, tablet, TV).\n"
		"\n"
		"  --listen ADDRESS  IPv4 or IPv6 address to listen on (default 127.0.0.1);\n"
		"                    any other than loopback serves the network (as --lan)\n"
		"  --port N          TCP port (default %d; 0 picks a free one); required with "
		"--lan\n"
		"  --lan             serve other devices: every request needs the pairing token\n"
		"  --pair            print the pairing link and its QR code, then exit\n"
		"  --new-token       with --pair: a new token (devices paired before must pair "
		"again)\n"
		"  --host NAME       with --pair: the name or address devices reach this computer "
		"by\n"
		"                    (default: its first network address)\n"
		"  --token-file FILE the pairing token (default %s)\n"
		"  --docroot DIR     the page's files (default %s)\n"
		"  --rate N          actions (POST) allowed per minute, after a burst of 10 "
		"(default 60)\n"
		"  --bus BUS         system (default), session or a D-Bus address; $BACKRIDE_BUS "
		"too\n"
		"  -v, --verbose     log every request\n"
		"  -h, --help        this help\n"
		"  --version         the version\n",
		WEB_DEFAULT_PORT, BACKRIDE_WEB_TOKEN_FILE, BACKRIDE_WEB_DOCROOT);
}

static int parse_long(const char *s, long lo, long hi, long *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -ERANGE;
	*ret = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	enum {
		OPT_LISTEN = 256,
		OPT_PORT,
		OPT_LAN,
		OPT_PAIR,
		OPT_NEW,
		OPT_HOST,
		OPT_TOKEN,
		OPT_DOCROOT,
		OPT_RATE,
		OPT_BUS,
		OPT_VERSION
	};
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "lan", no_argument, NULL, OPT_LAN },
		{ "pair", no_argument, NULL, OPT_PAIR },
		{ "new-token", no_argument, NULL, OPT_NEW },
		{ "host", required_argument, NULL, OPT_HOST },
		{ "token-file", required_argument, NULL, OPT_TOKEN },
		{ "docroot", required_argument, NULL, OPT_DOCROOT },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "bus", required_argument, NULL, OPT_BUS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) >= 0) {
		switch (c) {
		case OPT_LISTEN:
			a->listen = optarg;
			break;
		case OPT_PORT:
			if (parse_long(optarg, 0, 65535, &a->port) < 0) {
				log_error("--port takes a number from 0 to 65535, not '%s'.",
					  optarg);
				return -EINVAL;
			}
			a->port_given = 1;
			break;
		case OPT_LAN:
			a->lan = 1;
			break;
		case OPT_PAIR:
			a->pair = 1;
			break;
		case OPT_NEW:
			a->renew = 1;
			break;
		case OPT_HOST:
			a->host = optarg;
			break;
		case OPT_TOKEN:
			a->token_file = optarg;
			break;
		case OPT_DOCROOT:
			a->docroot = optarg;
			break;
		case OPT_RATE:
			if (parse_long(optarg, 1, 6000, &a->rate) < 0) {
				log_error("--rate takes a number from 1 to 6000, not '%s'.",
					  optarg);
				return -EINVAL;
			}
			break;
		case OPT_BUS:
			a->bus = optarg;
			break;
		case 'v':
			log_set_max_level(LOG_DEBUG);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_VERSION:
			printf("backride-web %s\n", BACKRIDE_VERSION);
			exit(0);
		default:
			return -EINVAL;
		}
	}
	if (optind < argc) {
		log_error("Unexpected argument '%s'; see 'backride-web --help'.", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* The listening address; a non-loopback one means the network (lan). */
static int make_addr(const struct args *a, struct web_options *o)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *) &o->addr;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &o->addr;

	memset(&o->addr, 0, sizeof(o->addr));
	if (inet_pton(AF_INET, a->listen, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t) a->port);
		o->addr_len = sizeof(*in4);
		o->lan = a->lan || (ntohl(in4->sin_addr.s_addr) >> 24) != 127;
		return 0;
	}
	if (inet_pton(AF_INET6, a->listen, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t) a->port);
		o->addr_len = sizeof(*in6);
		o->lan = a->lan || !IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
		return 0;
	}
	return log_error_errno(-EINVAL, "--listen takes an IPv4 or IPv6 address, not '%s'.",
			       a->listen);
}

static int do_pair(const struct args *a)
{
	char token[WEB_TOKEN_LEN + 1], host[64], url[256];
	int r;

	r = pair_token(a->token_file, a->renew, token);
	if (r < 0)
		return log_error_errno(r, "Cannot read or write the pairing token %s: %m.",
				       a->token_file);
	if (a->host)
		(void) snprintf(host, sizeof(host), "%s", a->host);
	else
		pair_host(host, sizeof(host));
	(void) snprintf(url, sizeof(url), "http://%s:%ld/?token=%s", host, a->port, token);
	printf("Open this link on the phone, tablet or TV (same network), or scan the code:\n\n"
	       "  %s\n\n",
	       url);
	r = pair_print_qr(stdout, url);
	if (r < 0)
		return log_error_errno(r, "Cannot make the QR code: %m.");
	printf("\nbackride-web must listen on the network: --listen 0.0.0.0 --port %ld.\n"
	       "Anyone with this link can see and steer your sessions; --pair --new-token "
	       "revokes it.\n",
	       a->port);
	return 0;
}

static void on_signal(uv_signal_t *s, int signum)
{
	struct web *w = s->data;

	log_info("Stopping.");
	web_close(w);
	uv_stop(s->loop);
}

static void on_bus_lost(struct bus_source *s, int error, void *userdata)
{
	log_error("Lost the D-Bus connection; exiting.");
	uv_stop(userdata);
}

static int serve(const struct args *a, struct web_options *o)
{
	_cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
	struct bus_source *source = NULL;
	uv_signal_t sigterm, sigint;
	struct web *w = NULL;
	uv_loop_t loop;
	int r;

	r = bus_open_by_name(a->bus, "backride-web", &bus);
	if (r < 0)
		return log_error_errno(r, "Cannot connect to the %s bus: %m.", a->bus);
	r = uv_loop_init(&loop);
	if (r < 0)
		return log_error_errno(r, "Cannot start the loop: %m.");
	r = bus_source_new(&loop, bus, on_bus_lost, &loop, &source);
	if (r >= 0)
		r = web_new(&loop, bus, o, &w);
	if (r < 0) {
		log_error_errno(r, "Cannot serve on %s port %ld (docroot %s): %m.", a->listen,
				a->port, o->docroot);
		if (source)
			bus_source_close(source);
		(void) uv_run(&loop, UV_RUN_DEFAULT);
		(void) uv_loop_close(&loop);
		return r;
	}
	(void) uv_signal_init(&loop, &sigterm);
	(void) uv_signal_init(&loop, &sigint);
	sigterm.data = sigint.data = w;
	(void) uv_signal_start(&sigterm, on_signal, SIGTERM);
	(void) uv_signal_start(&sigint, on_signal, SIGINT);
	log_info("Serving http://%s%s%s:%u/%s", o->addr.ss_family == AF_INET6 ? "[" : "", a->listen,
		 o->addr.ss_family == AF_INET6 ? "]" : "", w->port,
		 o->lan ? " (network: pairing token required)" : "");
	(void) uv_run(&loop, UV_RUN_DEFAULT);
	uv_close((uv_handle_t *) &sigterm, NULL);
	uv_close((uv_handle_t *) &sigint, NULL);
	bus_source_close(source);
	(void) uv_run(&loop, UV_RUN_DEFAULT);
	return uv_loop_close(&loop) == 0 ? 0 : -EBUSY;
}

int main(int argc, char **argv)
{
	struct args a = {
		.bus = getenv("BACKRIDE_BUS") ? getenv("BACKRIDE_BUS") : "system",
		.listen = "127.0.0.1",
		.port = WEB_DEFAULT_PORT,
		.docroot = BACKRIDE_WEB_DOCROOT,
		.token_file = BACKRIDE_WEB_TOKEN_FILE,
		.rate = 60,
	};
	struct web_options o = { .rate_burst = 10 };
	int r;

	log_set_ident("backride-web");
	if (parse_args(argc, argv, &a) < 0)
		return 2;
	if (a.pair)
		return do_pair(&a) < 0 ? 1 : 0;
	if (make_addr(&a, &o) < 0)
		return 2;
	if (o.lan && !a.port_given) {
		log_error("Serving the network needs a port of your choice: add --port N.");
		return 2;
	}
	if (o.lan) {
		r = pair_token(a.token_file, 0, o.token);
		if (r < 0) {
			log_error_errno(r, "Cannot read or make the pairing token %s: %m.",
					a.token_file);
			return 1;
		}
	}
	o.docroot = a.docroot;
	o.rate_per_min = (unsigned) a.rate;
	signal(SIGPIPE, SIG_IGN);
	return serve(&a, &o) < 0 ? 1 : 0;
}
