#!/bin/bash
# backride-web in headless Chromium (test-web-page.py drives it through the DevTools protocol)
# against backride-sim and backrided at 20x: the page loads, follows a session, takes pain 5,
# "too hard" and a confirmed stop, and shows the history; screenshots of a phone and a tablet
# viewport are kept in the build's meson-logs/web-screens.
SCALE=20
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"
. "$(dirname "$0")/web-lib.sh"

command -v chromium >/dev/null ||
	br_die "chromium is missing: 'scripts/deps.sh chromium' installs it (scripts/test.sh does)"
br_setup
session_conf '[safety]' 'max_heart_rate = 150'
session_setup --bike --hr-strap
br_cli pair $BIKE >/dev/null
web_start

shots=$BUILD/meson-logs/web-screens
/usr/bin/python3 "$SRC/tests/integration/test-web-page.py" --url "$WEB_URL" --bus "$BR_BUS" \
	--cli "$BACKRIDE" --shots "$shots" --log "$BR_TMP/chromium.log" && rc=0 || rc=$?
check "the page checks in Chromium" [ "$rc" -eq 0 ]
check "backride-web is still running" kill -0 "$WEB_PID"
check "no sanitizer report" bash -c "! grep -h 'runtime error\\|Sanitizer' '$BR_TMP'/web*.log"
br_finish
