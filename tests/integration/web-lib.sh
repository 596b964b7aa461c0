#!/bin/bash
# Helpers for the backride-web tests, on top of lib.sh (they redefine none of its functions).
#   web_start [ARGS...]   start backride-web on the test's bus, a free port and the source
#                         tree's page; sets WEB_PID, WEB_PORT, WEB_URL and WEB_LOG (a log of
#                         its own for each one started: web1.log, web2.log...)
#   http ARGS...          curl on the test's backride-web: prints the status code, the body
#                         goes to $BR_TMP/body
# shellcheck disable=SC2034

BACKRIDE_WEB=$BUILD/web/backride-web

WEB_N=0

web_start()
{
	WEB_N=$((WEB_N + 1))
	WEB_LOG=$BR_TMP/web$WEB_N.log
	$BR_WRAP "$BACKRIDE_WEB" --bus "$BR_BUS" --docroot "$SRC/web/static" --port 0 "$@" \
		>"$WEB_LOG" 2>&1 &
	WEB_PID=$!
	br_pids+=("$WEB_PID")
	wait_for 300 grep -q 'Serving http' "$WEB_LOG" || br_die "backride-web did not start"
	WEB_PORT=$(sed -n 's|.*Serving http://[^ ]*:\([0-9]*\)/.*|\1|p' "$WEB_LOG")
	WEB_URL=http://127.0.0.1:$WEB_PORT/
}

http()
{
	curl -s -o "$BR_TMP/body" -w '%{http_code}' --max-time 20 "$@"
}
