#!/bin/bash
# Helpers for the backride-web tests, on top of lib.sh (they redefine none of its functions).
#   web_start [ARGS...]   start backride-web on the test's bus, a free port and the source
#                         tree's page; sets WEB_PID, WEB_PORT and WEB_URL
#   http ARGS...          curl on the test's backride-web: prints the status code, the body
#                         goes to $BR_TMP/body
# shellcheck disable=SC2034

BACKRIDE_WEB=$BUILD/web/backride-web

web_start()
{
	: >"$BR_TMP/web.log"
	$BR_WRAP "$BACKRIDE_WEB" --bus "$BR_BUS" --docroot "$SRC/web/static" --port 0 "$@" \
		>>"$BR_TMP/web.log" 2>&1 &
	WEB_PID=$!
	br_pids+=("$WEB_PID")
	wait_for 300 grep -q 'Serving http' "$BR_TMP/web.log" || br_die "backride-web did not start"
	WEB_PORT=$(sed -n 's|.*Serving http://[^ ]*:\([0-9]*\)/.*|\1|p' "$BR_TMP/web.log")
	WEB_URL=http://127.0.0.1:$WEB_PORT/
}

http()
{
	curl -s -o "$BR_TMP/body" -w '%{http_code}' --max-time 20 "$@"
}
