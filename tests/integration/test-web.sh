#!/bin/bash
# backride-web's HTTP side, with curl and a fuzzer, against backride-sim and backrided: local
# mode needs no token but answers only to local host names; the network (--lan) needs the
# pairing token (401 without it, and nothing changes); --pair prints the link and a QR code;
# actions are POSTs with the page's CSRF token and a same-origin Origin, rate-limited (429);
# paths never leave the document root (../, %2e%2e, symlinks); bad arguments are named
# errors; thousands of malformed requests crash nothing and change nothing.
SCALE=20
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"
. "$(dirname "$0")/web-lib.sh"

br_setup
session_conf
session_setup --bike
br_cli pair $BIKE >/dev/null
br_cli start --gentle --minutes 90 --pain 1 --detach >/dev/null
check "a session runs" wait_for 300 phase_is steady
id=$(prop Id)
# What a request could change: the session's actions, as the database records them.
actions() { db "SELECT count(*) FROM events WHERE session_id = $id AND type IN ('pain', 'pause', 'resume', 'ease', 'end');"; }
unchanged()
{
	local now
	now="actions $(actions), last pain $(prop LastPain), paused $(prop Paused), end '$(prop EndReason)'"
	[ "$now" = "actions $actions0, last pain -1, paused false, end ''" ] && return 0
	br_log "now: $now; before: $actions0 actions"
	return 1
}
actions0=$(actions)

# ---- the network: the pairing token -------------------------------------------------------
mkdir -p "$BR_TMP/root" "$BR_TMP/state"
cp "$SRC"/web/static/* "$BR_TMP/root/"
ln -s /etc/passwd "$BR_TMP/root/passwd.html"
ln -s "$BR_TMP/root/index.html" "$BR_TMP/root/alias.html"
echo "secret" >"$BR_TMP/secret.html"
out=$("$BACKRIDE_WEB" --bus "$BR_BUS" --lan --docroot "$BR_TMP/root" 2>&1) && rc=0 || rc=$?
expect_match "the network needs a port of one's choosing" "$rc:$out" "^2:.*needs a port.*--port"
pair=$("$BACKRIDE_WEB" --pair --port 8123 --host 192.0.2.7 --token-file "$BR_TMP/state/token")
token=$(cat "$BR_TMP/state/token")
expect_match "the token is 128 random bits in hex" "$token" "^[0-9a-f]{32}$"
expect_match "--pair prints the link" "$pair" "http://192.0.2.7:8123/\?token=$token"
expect_match "--pair prints a QR code" "$pair" "█"
again=$("$BACKRIDE_WEB" --pair --port 8123 --host 192.0.2.7 --token-file "$BR_TMP/state/token")
expect_match "--pair again gives the same link" "$again" "token=$token"
expect_eq "the token file is not for everyone" "$(stat -c %a "$BR_TMP/state/token")" 640

web_start --lan --docroot "$BR_TMP/root" --token-file "$BR_TMP/state/token" --rate 6
LAN=$WEB_URL
expect_eq "no token: 401 for the page" "$(http "$LAN")" 401
expect_match "... with a sentence that says what to do" "$(cat "$BR_TMP/body")" "backride-web --pair"
expect_eq "no token: 401 for the API" "$(http "${LAN}api/config")" 401
expect_eq "no token: 401 for the live stream" "$(http "${LAN}api/events")" 401
expect_eq "no token: an action is refused, 401" "$(http -X POST "${LAN}api/pain?value=5")" 401
expect_eq "no token: stop is refused, 401" "$(http -X POST "${LAN}api/stop")" 401
expect_eq "a wrong token: 401" "$(http "${LAN}?token=0123456789abcdef0123456789abcdef")" 401
expect_eq "a wrong bearer token: 401" \
	"$(http -H "Authorization: Bearer 0123456789abcdef0123456789abcdef" "${LAN}api/config")" 401
check "nothing changed" unchanged
code=$(curl -s -o /dev/null -D "$BR_TMP/headers" -w '%{http_code}' "${LAN}?token=$token")
expect_eq "the pairing link: a redirect" "$code" 303
expect_match "... that sets the token as a strict, HTTP-only cookie" "$(cat "$BR_TMP/headers")" \
	"Set-Cookie: backride_token=$token; Path=/; HttpOnly; SameSite=Strict"
expect_match "... and takes it out of the address" "$(cat "$BR_TMP/headers")" $'Location: /\r'
cookie=(-H "Cookie: backride_token=$token")
expect_eq "with the cookie: the page" "$(http "${cookie[@]}" "$LAN")" 200
expect_eq "with a bearer token: the API" "$(http -H "Authorization: Bearer $token" "${LAN}api/config")" 200
csrf=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$BR_TMP/body")
expect_match "the page's CSRF token" "$csrf" "^[0-9a-f]{32}$"

# ---- CSRF, Origin, rate limit --------------------------------------------------------------
expect_eq "an action without the CSRF token: 403" "$(http "${cookie[@]}" -X POST "${LAN}api/pause")" 403
expect_eq "a wrong CSRF token: 403" \
	"$(http "${cookie[@]}" -H "X-Backride-CSRF: $token" -X POST "${LAN}api/pause")" 403
expect_eq "another site's Origin: 403" "$(http "${cookie[@]}" -H "X-Backride-CSRF: $csrf" \
	-H "Origin: http://evil.example" -X POST "${LAN}api/pause")" 403
expect_eq "a cross-site fetch: 403" "$(http "${cookie[@]}" -H "X-Backride-CSRF: $csrf" \
	-H "Sec-Fetch-Site: cross-site" -X POST "${LAN}api/pause")" 403
expect_eq "GET never acts: 404" "$(http "${cookie[@]}" "${LAN}api/pause")" 404
expect_eq "pain 11: 400" "$(http "${cookie[@]}" -H "X-Backride-CSRF: $csrf" -X POST "${LAN}api/pain?value=11")" 400
expect_match "... named" "$(cat "$BR_TMP/body")" '"error":"InvalidArguments".*0 to 10'
expect_eq "pain 'five': 400" "$(http "${cookie[@]}" -H "X-Backride-CSRF: $csrf" -X POST "${LAN}api/pain?value=five")" 400
expect_eq "a body: 413" "$(http "${cookie[@]}" -H "X-Backride-CSRF: $csrf" --data-binary @"$SRC/web/static/app.js" "${LAN}api/pause")" 413
expect_eq "PUT: 405" "$(http "${cookie[@]}" -X PUT "${LAN}api/pause")" 405
check "nothing changed" unchanged
origin=(-H "Origin: http://127.0.0.1:$WEB_PORT" -H "X-Backride-CSRF: $csrf")
expect_eq "a right action: 200" "$(http "${cookie[@]}" "${origin[@]}" -X POST "${LAN}api/pause")" 200
check "... reaches Session1" wait_for 50 is true prop Paused
expect_eq "resume: 200" "$(http "${cookie[@]}" "${origin[@]}" -X POST "${LAN}api/resume")" 200
check "... reaches Session1" wait_for 50 is false prop Paused
codes=""
for _ in $(seq 12); do
	codes="$codes $(http "${cookie[@]}" "${origin[@]}" -X POST "${LAN}api/no-such-action")"
done
expect_match "a burst of actions: 429 after ten (--rate 6 a minute)" "$codes" "429"
expect_match "... with a named error" "$(cat "$BR_TMP/body")" '"error":"TooManyRequests"'
actions0=$(actions)

# ---- the document root ------------------------------------------------------------------
p() { http "${cookie[@]}" --path-as-is "$LAN$1"; }
expect_eq "a file of the page" "$(p app.css)" 200
expect_eq "../: refused" "$(p ../secret.html)" 404
expect_eq "../../../etc/passwd: refused" "$(p ../../../etc/passwd)" 404
expect_eq "%2e%2e/: refused" "$(p %2e%2e/secret.html)" 404
expect_eq "%2e%2e%2f: refused" "$(p %2e%2e%2fsecret.html)" 404
expect_eq "..%5c: refused" "$(p ..%5csecret.html)" 404
expect_eq "a symlink out of the root: refused" "$(p passwd.html)" 404
expect_eq "a symlink inside the root: refused too" "$(p alias.html)" 404
expect_eq "a hidden file: refused" "$(p .hidden)" 404
check "no byte of /etc/passwd was served" bash -c "! grep -q root: '$BR_TMP/body'"

# ---- malformed requests -----------------------------------------------------------------
check "fuzzing the network port (3000 requests)" /usr/bin/python3 "$SRC/tests/integration/web-fuzz.py" "$WEB_PORT" 3000 7
check "backride-web is still running" kill -0 "$WEB_PID"
expect_eq "... and still answers" "$(http "${cookie[@]}" "${LAN}api/config")" 200
check "nothing changed" unchanged

# ---- local mode -------------------------------------------------------------------------
lan_pid=$WEB_PID
web_start
expect_eq "local: the page without a token" "$(http "$WEB_URL")" 200
expect_eq "local: as localhost too" "$(http "http://localhost:$WEB_PORT/api/config")" 200
expect_eq "local: another host name is refused (DNS rebinding)" \
	"$(http -H "Host: evil.example" "$WEB_URL")" 403
expect_eq "local: an action still needs the CSRF token" "$(http -X POST "${WEB_URL}api/pause")" 403
check "fuzzing the local port (3000 requests)" /usr/bin/python3 "$SRC/tests/integration/web-fuzz.py" "$WEB_PORT" 3000 8
check "both still run" kill -0 "$WEB_PID" "$lan_pid"
expect_eq "... and the local one answers" "$(http "${WEB_URL}api/config")" 200
check "nothing changed" unchanged
check "the session still runs" is steady prop Phase
# A sanitizer build says so in the logs (UBSan goes on after its report).
check "no sanitizer report" bash -c "! grep -h 'runtime error\|Sanitizer' '$BR_TMP'/web*.log"

# ---- stopping while a request waits for the daemon ----------------------------------------
web_start -v
kill -STOP "$BR_DAEMON_PID"
http "${WEB_URL}api/history" >"$BR_TMP/pending.code" &
curl_pid=$!
check "a request waits for the stopped daemon" wait_for 200 grep -q "api/history rq=0x" "$WEB_LOG"
kill -TERM "$WEB_PID"
wait "$WEB_PID" && rc=0 || rc=$?
expect_eq "backride-web exits cleanly on SIGTERM" "$rc" 0
wait "$curl_pid" || true
expect_eq "... and answers the waiting request 503" "$(cat "$BR_TMP/pending.code")" 503
kill -CONT "$BR_DAEMON_PID"
br_finish
