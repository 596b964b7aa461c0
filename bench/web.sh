#!/bin/bash
# The web section of bench/run.sh: backride-web's latency and footprint (bench/README.md).
# Sourced after lib.sh and sections.sh; needs chromium and python3-websocket (bench/deps.sh).

WEB_SECONDS=${BENCH_WEB_SECONDS:-40}

# web_latency STAMPS PAGE: the median and the worst time (ms) from the daemon's signal of a
# session second (bench-floor --session) to its event in the browser, matched by Elapsed; and
# how many matched, and the least. Prints "MEDIAN WORST N LEAST".
web_latency()
{
	awk '
		FNR == NR && $1 == "elapsed" { sent[$2] = $3; next }
		# The stream opens with the state as it is (GetAll), not a push: its Elapsed was
		# signalled before the browser came. Leave out the first events.
		$1 == "elapsed" && ++page <= 3 { seen[$2] = 1; next }
		$1 == "elapsed" && ($2 in sent) && !($2 in seen) {
			seen[$2] = 1; d[n++] = ($3 - sent[$2]) / 1e6
		}
		END {
			if (!n) { print "missing missing 0 missing"; exit }
			for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (d[j] < d[i]) { t = d[i]; d[i] = d[j]; d[j] = t }
			printf "%.1f %.1f %d %.2f\n", (n % 2 ? d[int(n / 2)] : (d[n / 2 - 1] + d[n / 2]) / 2), d[n - 1], n, d[0]
		}' "$1" "$2"
}

bench_web()
{
	local web_pid c0 c1 d0 d1 port lat worst n least rss hwm browser_pid

	br_setup
	br_start_sim --bike --hr-strap --seed 1
	br_start_daemon
	"$BENCH_BUILD/web/backride-web" --bus "$BR_BUS" --port 0 --docroot "$BENCH_SRC/web/static" \
		>"$BR_TMP/web.log" 2>&1 &
	web_pid=$!
	br_pids+=("$web_pid")
	wait_for 300 grep -q 'Serving http' "$BR_TMP/web.log" || br_die "backride-web did not start"
	port=$(sed -n 's|.*Serving http://[^ ]*:\([0-9]*\)/.*|\1|p' "$BR_TMP/web.log")
	sleep 2
	res web.idle_rss "$(status_kb "$web_pid" VmRSS)" KiB "" "" "backride-web, no browser"
	c0=$(ctxt "$web_pid")
	sleep 10
	c1=$(ctxt "$web_pid")
	res web.idle_wakeups "$(div $((c1 - c0)) 10)" /s 0 "$(le $((c1 - c0)) 0)" \
		"backride-web, no browser, no session: context switches over 10 s"

	connect_bike
	start_session 30
	sleep 5
	c0=$(ctxt "$web_pid")
	d0=$(ctxt "$BR_DAEMON_PID")
	sleep 10
	c1=$(ctxt "$web_pid")
	d1=$(ctxt "$BR_DAEMON_PID")
	res web.session_wakeups_no_browser "$(div $((c1 - c0)) 10)" /s 0 "$(le $((c1 - c0)) 0)" \
		"a session runs, no browser: backride-web does not listen to the daemon"
	res web.daemon_session_wakeups_alone "$(div $((d1 - d0)) 10)" /s "" "" \
		"the daemon in a session, no browser on backride-web"
	res web.daemon_session_rss_alone "$(status_kb "$BR_DAEMON_PID" VmRSS)" KiB "" ""

	counter_start stamps "$FLOOR" --bus "$BR_BUS" --session
	/usr/bin/python3 "$BENCH_SRC/bench/web-browser.py" "http://127.0.0.1:$port/" "$WEB_SECONDS" \
		"$BR_TMP/chromium.log" >"$BR_TMP/page.out" 2>"$BR_TMP/page.log" &
	browser_pid=$!
	br_pids+=("$browser_pid")
	wait_for 1200 grep -q '^ready' "$BR_TMP/page.out" || br_die "the page did not go live"
	sleep 5
	c0=$(ctxt "$web_pid")
	d0=$(ctxt "$BR_DAEMON_PID")
	sleep 20
	c1=$(ctxt "$web_pid")
	d1=$(ctxt "$BR_DAEMON_PID")
	rss=$(status_kb "$web_pid" VmRSS)
	hwm=$(status_kb "$web_pid" VmHWM)
	res web.browser_rss "$rss" KiB "<= 8192" "$(le "$rss" 8192)" "backride-web serving one browser"
	res web.browser_hwm "$hwm" KiB "<= 8192" "$(le "$hwm" 8192)" "its peak (VmHWM)"
	res web.browser_anon "$(status_kb "$web_pid" RssAnon)" KiB "" "" "its own memory"
	res web.browser_wakeups "$(div $((c1 - c0)) 20)" /s "" "" \
		"backride-web serving one browser, a session at 1 Hz"
	res web.daemon_session_wakeups_browser "$(div $((d1 - d0)) 20)" /s "" "" \
		"the daemon in the same session, one browser on backride-web"
	res web.daemon_session_rss_browser "$(status_kb "$BR_DAEMON_PID" VmRSS)" KiB "" ""
	wait_for 1200 grep -q '^done' "$BR_TMP/page.out" || br_die "the browser did not finish"
	br_wait_exit "$browser_pid" 300 || true
	read -r lat worst n least <<<"$(web_latency "$BR_TMP/stamps.out" "$BR_TMP/page.out")"
	res web.latency_median "$lat" ms "<= 200" "$(le "$lat" 200)" \
		"daemon's Session1 signal to the browser's event, median of $n samples"
	res web.latency_worst "$worst" ms "" ""
	# Both stamp when their process reads the message: a bench-floor scheduled late makes a
	# figure slightly negative. Far below zero would mean the clocks differ.
	res web.latency_least "$least" ms "" "" "a check of the two clocks"

	sleep 3
	c0=$(ctxt "$web_pid")
	d0=$(ctxt "$BR_DAEMON_PID")
	sleep 20
	c1=$(ctxt "$web_pid")
	d1=$(ctxt "$BR_DAEMON_PID")
	res web.after_browser_wakeups "$(div $((c1 - c0)) 20)" /s 0 "$(le $((c1 - c0)) 0)" \
		"the browser closed, the session still runs"
	res web.daemon_session_wakeups_after "$(div $((d1 - d0)) 20)" /s "" "" \
		"the daemon in the same session after the browser left"
}
