#!/bin/bash
# shellcheck disable=SC2154,SC2153 # br_pids, BR_*, BACKRIDE*, FLOOR come from the libs
# The benchmark sections of bench/run.sh. Each runs in its own subshell with its own private
# bus, simulator and daemon (br_setup), records figures with res() and tears down on exit.

BENCH_N=${BENCH_N:-200000}
BENCH_CG_N=${BENCH_CG_N:-20000}
BENCH_DAYS=${BENCH_DAYS:-3650}
CPU_TARGET_US=20
RSS_TARGET_KB=$((6 * 1024))

# start_ingest_env: bus, sim (one bike), daemon, bike connected.
start_ingest_env()
{
	br_setup
	br_start_sim --bike --seed 1
	br_start_daemon
	connect_bike
}

# ---- ingest: the daemon beside the floor and the bleak peer, on the same flood ------------

bench_ingest()
{
	local -A pid cpu0 cnt0 cpu got us rss
	local t0 t_end who sim_pid bus_pid sent rate mode phase0 phase1 rows0 rows

	start_ingest_env
	counter_start floor "$FLOOR" --bus "$BR_BUS"
	pid[floor]=$COUNTER_PID
	counter_start witness "$FLOOR" --bus "$BR_BUS" --witness
	pid[witness]=$COUNTER_PID
	counter_start bleak /usr/bin/python3 "$BENCH_SRC/bench/peer-bleak.py" "$BIKE"
	pid[bleak]=$COUNTER_PID
	pid[daemon]=$BR_DAEMON_PID
	sim_pid=$BR_SIM_PID
	bus_pid=${br_pids[0]}
	mode="connected, no session"
	if has_sessions; then
		start_session 90
		mode="in a session"
	fi
	sleep 2 # let the bleak client's start-up settle
	[ "$mode" = "connected, no session" ] || phase0=$(prop Phase)
	rows0=$(db 'SELECT count(*) FROM samples')

	for who in floor bleak witness; do
		cnt0[$who]=$(counter_read "$who" "${pid[$who]}")
	done
	for who in daemon floor bleak; do
		cpu0[$who]=$(cpu_us "${pid[$who]}")
	done
	cpu0[sim]=$(cpu_us "$sim_pid")
	cpu0[bus]=$(cpu_us "$bus_pid")
	t0=$(date +%s%N)
	sent=$(ctl flood "$BIKE" "$BENCH_N")
	[ "$sent" = "$BENCH_N" ] || br_die "the simulator sent $sent of $BENCH_N"
	br_log "sim sent $sent in $((($(date +%s%N) - t0) / 1000000)) ms"
	# dbus-daemon delivers in order and the daemon handles its messages in order: when it
	# answers a Ping sent after the flood, it has read and handled every notification.
	bz --timeout=600 call org.backride /org/backride \
		org.freedesktop.DBus.Peer Ping >/dev/null || br_die "the daemon did not answer"
	t_end=$(date +%s%N)
	rate=$(div "$BENCH_N" "$(div $((t_end - t0)) 1000000000 6)" 0)
	cpu[daemon]=$(($(cpu_us "${pid[daemon]}") - cpu0[daemon]))
	rss[daemon]=$(status_kb "${pid[daemon]}" VmHWM)
	for who in floor bleak; do
		wait_count "$who" "${pid[$who]}" $((cnt0[$who] + BENCH_N)) 600 >/dev/null
		cpu[$who]=$(($(cpu_us "${pid[$who]}") - cpu0[$who]))
		rss[$who]=$(status_kb "${pid[$who]}" VmRSS)
	done
	rows=$(($(db 'SELECT count(*) FROM samples') - rows0))
	if [ "$mode" = "in a session" ]; then
		phase1=$(prop Phase)
		[ "$phase1" != "done" ] || br_die "the session ended during the flood"
		mode="in a session ($phase0 to $phase1, $rows samples stored meanwhile)"
	fi
	cpu[sim]=$(($(cpu_us "$sim_pid") - cpu0[sim]))
	cpu[bus]=$(($(cpu_us "$bus_pid") - cpu0[bus]))
	for who in floor bleak; do
		got[$who]=$(($(counter_read "$who" "${pid[$who]}") - cnt0[$who]))
	done
	# The simulator's 1 Hz data went on beside the flood; the floor saw all of it.
	got[daemon]=${got[floor]}
	for who in daemon floor bleak; do
		us[$who]=$(div "${cpu[$who]}" "${got[$who]}" 2)
	done

	res ingest.notifications "$BENCH_N" count "" "" "$mode"
	res ingest.received "${got[floor]}" count "" "" \
		"floor ${got[floor]}, bleak ${got[bleak]}, daemon all (it answered a Ping sent after)"
	res ingest.daemon_data_signals "$(($(counter_read witness "${pid[witness]}") - cnt0[witness]))" \
		count "" "" "Machine1.Data changes the daemon sent meanwhile"
	res ingest.daemon_cpu_per_notif "${us[daemon]}" us "<= $CPU_TARGET_US" \
		"$(le "${us[daemon]}" $CPU_TARGET_US)" "user+sys from /proc/PID/stat"
	res ingest.floor_cpu_per_notif "${us[floor]}" us
	res ingest.bleak_cpu_per_notif "${us[bleak]}" us
	res ingest.daemon_vs_floor "$(div "${us[daemon]}" "${us[floor]}")" x "<= 2" \
		"$(le "$(div "${us[daemon]}" "${us[floor]}")" 2)"
	res ingest.daemon_vs_bleak "$(div "${us[daemon]}" "${us[bleak]}")" x "<= 1" \
		"$(le "$(div "${us[daemon]}" "${us[bleak]}")" 1)"
	res ingest.daemon_rate "$rate" notif/s "" "" "flood start to the daemon's answer to a Ping after it"
	res ingest.bus_cpu_per_notif "$(div "${cpu[bus]}" "$BENCH_N")" us "" "" \
		"dbus-daemon, routing to all consumers"
	res ingest.sim_cpu_per_notif "$(div "${cpu[sim]}" "$BENCH_N")" us
	res ingest.daemon_rss_peak "${rss[daemon]}" KiB "" "" "VmHWM: flood backlog in memory"
	res ingest.floor_rss "${rss[floor]}" KiB
	res ingest.bleak_rss "${rss[bleak]}" KiB
}

# ---- callgrind: instructions per notification, stable on a noisy machine -------------------

bench_callgrind()
{
	local out fout cnt0 got n total fn ftotal d_ir f_ir floor_pid

	out=$BENCH_BUILD/bench/callgrind.out
	fout=$BENCH_BUILD/bench/callgrind-floor.out
	rm -f "$out" "$out".* "$fout" "$fout".*
	# shellcheck disable=SC2034 # read by br_start_daemon
	BR_WRAP="valgrind --tool=callgrind --callgrind-out-file=$out"
	start_ingest_env
	counter_start floor valgrind --tool=callgrind --callgrind-out-file="$fout" \
		"$FLOOR" --bus "$BR_BUS"
	floor_pid=$COUNTER_PID
	sleep 1
	cnt0=$(counter_read floor "$floor_pid")
	callgrind_control -z "$BR_DAEMON_PID" >/dev/null
	callgrind_control -z "$floor_pid" >/dev/null
	ctl flood "$BIKE" "$BENCH_CG_N" >/dev/null
	bz --timeout=600 call org.backride /org/backride \
		org.freedesktop.DBus.Peer Ping >/dev/null || br_die "the daemon did not answer"
	wait_count floor "$floor_pid" $((cnt0 + BENCH_CG_N)) 600 >/dev/null
	got=$(($(counter_read floor "$floor_pid") - cnt0))
	callgrind_control -d "$BR_DAEMON_PID" >/dev/null
	callgrind_control -d "$floor_pid" >/dev/null
	# callgrind_control -z can take effect after the first notifications: divide by the
	# calls of the function that handles one (bz_gatt_value, the floor's on_value) in the
	# profile itself.
	read -r n total < <("$BENCH_SRC/bench/cg-calls.py" "$out".1 bz_gatt_value)
	read -r fn ftotal < <("$BENCH_SRC/bench/cg-calls.py" "$fout".1 on_value)
	if [ "$n" -eq 0 ] || [ "$fn" -eq 0 ]; then
		br_die "no notification in the profiles"
	fi
	d_ir=$(div "$total" "$n" 0)
	f_ir=$(div "$ftotal" "$fn" 0)
	res callgrind.daemon_instr_per_notif "$d_ir" instr "" "" \
		"$n of $got notifications in the profile (callgrind -z/-d around the flood)"
	res callgrind.floor_instr_per_notif "$f_ir" instr "" "" "$fn in the profile"
	res callgrind.daemon_vs_floor "$(div "$d_ir" "$f_ir")" x "<= 2" \
		"$(le "$(div "$d_ir" "$f_ir")" 2)"
	br_log "profiles: callgrind_annotate $out.1 (daemon), $fout.1 (floor)"
}

# ---- footprint: RSS and wakeups -----------------------------------------------------------

bench_footprint()
{
	local c0 c1

	br_setup
	br_start_sim --bike --seed 1
	br_start_daemon
	sleep 3
	res footprint.idle_rss "$(status_kb "$BR_DAEMON_PID" VmRSS)" KiB "<= $RSS_TARGET_KB" \
		"$(le "$(status_kb "$BR_DAEMON_PID" VmRSS)" $RSS_TARGET_KB)" "no machine connected"
	res footprint.idle_pss "$(awk '/^Pss:/ { print $2 }' "/proc/$BR_DAEMON_PID/smaps_rollup")" \
		KiB "" "" "shared library pages divided among their users"
	res footprint.idle_anon "$(status_kb "$BR_DAEMON_PID" RssAnon)" KiB "" "" \
		"the daemon's own memory; the rest of RSS is libc, SQLite, libsystemd text"
	c0=$(ctxt "$BR_DAEMON_PID")
	sleep 10
	c1=$(ctxt "$BR_DAEMON_PID")
	res footprint.idle_wakeups "$(div $((c1 - c0)) 10)" /s "0" "$(le $((c1 - c0)) 0)" \
		"context switches over 10 s, BlueZ up, no machine"
	connect_bike
	sleep 30
	c0=$(ctxt "$BR_DAEMON_PID")
	sleep 10
	c1=$(ctxt "$BR_DAEMON_PID")
	res footprint.connected_wakeups "$(div $((c1 - c0)) 10)" /s "" "" \
		"machine connected, data at 1 Hz, no session"
	res footprint.connected_rss "$(status_kb "$BR_DAEMON_PID" VmRSS)" KiB \
		"<= $RSS_TARGET_KB" "$(le "$(status_kb "$BR_DAEMON_PID" VmRSS)" $RSS_TARGET_KB)" \
		"after 40 s connected at 1 Hz, no session"
	if ! has_sessions; then
		res footprint.session_rss missing KiB "<= $RSS_TARGET_KB" "" "no sessions in this build"
		return 0
	fi
	start_session 30
	sleep 50
	c0=$(ctxt "$BR_DAEMON_PID")
	sleep 10
	c1=$(ctxt "$BR_DAEMON_PID")
	res footprint.session_wakeups "$(div $((c1 - c0)) 10)" /s "" "" \
		"in a session ($(prop Phase)): data at 1 Hz, engine step and sample at 1 Hz"
	res footprint.session_rss "$(status_kb "$BR_DAEMON_PID" VmRSS)" KiB \
		"<= $RSS_TARGET_KB" "$(le "$(status_kb "$BR_DAEMON_PID" VmRSS)" $RSS_TARGET_KB)" \
		"after 60 s of a session"
}

# ---- history: a 10-year database ----------------------------------------------------------

# time_cli NAME TARGET_MS ARGS...: median wall time of the CLI verb over hyperfine runs.
time_cli()
{
	local name=$1 target=$2 ms
	shift 2
	hyperfine --style none --warmup 3 --min-runs 20 --shell none \
		--export-json "$BR_TMP/$name.json" "$BACKRIDE --bus $BR_BUS $*" \
		>/dev/null 2>"$BR_TMP/hyperfine.log" || br_die "hyperfine: backride $*"
	ms=$(python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$BR_TMP/$name.json")
	if [ -n "$target" ]; then
		res "history.$name" "$ms" ms "<= $target" "$(le "$ms" "$target")" "backride $*"
	else
		res "history.$name" "$ms" ms "" "" "backride $*"
	fi
}

bench_history()
{
	local db samples bytes sid

	db=${BENCH_HISTORY_DB:-$BENCH_BUILD/bench/history-$BENCH_DAYS.db}
	if [ ! -s "$db" ]; then
		rm -f "$db" "$db"-wal "$db"-shm
		"$GEN_HISTORY" --database "$db" --days "$BENCH_DAYS" --minutes 30 \
			--start 2016-11-28 --seed 8 >&2
	fi
	br_setup
	cp "$db" "$BR_TMP/backride.db"
	samples=$(db 'SELECT count(*) FROM samples')
	bytes=$(stat -c %s "$BR_TMP/backride.db")
	res history.sessions "$(db 'SELECT count(*) FROM sessions')" \
		count
	res history.samples "$samples" count
	res history.db_bytes "$bytes" B
	res history.bytes_per_sample "$(div "$bytes" "$samples" 1)" B "<= 32" \
		"$(le "$(div "$bytes" "$samples" 1)" 32)" "whole file / samples"
	sid=$(db \
		'SELECT id FROM sessions WHERE n_samples = 1800 ORDER BY id DESC LIMIT 1')
	br_start_daemon
	export NO_COLOR=1 COLUMNS=80 TZ=UTC
	time_cli history 20 history
	time_cli history_1000 "" history --limit 1000
	time_cli show 20 show "$sid"
	time_cli progress 20 progress
	time_cli progress_520 "" progress --weeks 520
	time_cli export_csv "" export "$sid" --format csv
	time_cli export_fit "" export "$sid" --format fit
	res history.daemon_rss "$(status_kb "$BR_DAEMON_PID" VmRSS)" KiB "<= $RSS_TARGET_KB" \
		"$(le "$(status_kb "$BR_DAEMON_PID" VmRSS)" $RSS_TARGET_KB)" \
		"after serving all of the above"
}

# ---- session at time scale -----------------------------------------------------------------

bench_session()
{
	local t0 t1 c0 how n=600

	br_setup
	br_start_sim --bike --seed 1 --time-scale 1000
	br_start_daemon --time-scale 1000
	if ! has_sessions; then
		res session.wall_1000x missing s "" "" "no Manager1.StartSession in this build"
		return 0
	fi
	connect_bike
	c0=$(cpu_us "$BR_DAEMON_PID")
	t0=$(date +%s%N)
	if "$BACKRIDE" --help | grep -q '^ *start '; then
		# The CLI's live view follows Session1 and returns when the session is done.
		how="backride start --gentle --minutes 30 --no-stretch --yes"
		br_cli start --gentle --minutes 30 --no-stretch --yes --machine "$BIKE" \
			>"$BR_TMP/start.log" 2>&1 || br_die "backride start failed"
	else
		how="Manager1.StartSession, 30 minutes"
		start_session 30
	fi
	while [ "$(prop Phase)" != "done" ]; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || br_die "the session did not end within 60 s"
		sleep 0.1
	done
	t1=$(date +%s%N)
	res session.wall_1000x "$(div $((t1 - t0)) 1000000000 2)" s "" "" \
		"$how, sim and daemon at 1000x; end: $(prop EndReason)"
	res session.daemon_cpu_1000x "$(div $(($(cpu_us "$BR_DAEMON_PID") - c0)) 1000000 3)" s "" "" \
		"1000 notifications/s from the sim, 1000 samples/s stored"
	res session.samples "$(db \
		"SELECT n_samples FROM sessions WHERE id = $(prop Id)")" count
	res session.rss_peak "$(status_kb "$BR_DAEMON_PID" VmHWM)" KiB "<= $RSS_TARGET_KB" \
		"$(le "$(status_kb "$BR_DAEMON_PID" VmHWM)" $RSS_TARGET_KB)" "VmHWM after the session"
}

# ---- reconnect: from a link drop to the first new sample -----------------------------------

# stamp_after KIND [ARG] LINE: the first stamp line "KIND [ARG] NS" after line LINE of the
# stamp log; prints "LINENO NS" or nothing.
stamp_after()
{
	awk -v from="$1" -v kind="$2" -v arg="${3:-}" '
		NR > from && $1 == kind && (arg == "" || $2 == arg) { print NR, $NF; exit }' \
		"$BR_TMP/stamp.out"
}

# reconnect_once: the machine drops the link; wait for the daemon's first sample after it is
# ready again, and print the milliseconds from the drop (as BlueZ signals it) to that sample.
reconnect_once()
{
	local from down ready data n=300

	from=$(wc -l <"$BR_TMP/stamp.out")
	ctl drop-link "$BIKE" >/dev/null || br_die "drop-link failed"
	while :; do
		down=$(stamp_after "$from" down)
		[ -z "$down" ] || ready=$(stamp_after "${down% *}" link ready)
		[ -z "${ready:-}" ] || data=$(stamp_after "${ready% *}" data)
		[ -z "${data:-}" ] || break
		n=$((n - 1))
		[ "$n" -gt 0 ] || br_die "no sample within 30 s of the drop"
		sleep 0.1
	done
	div $((${data#* } - ${down#* })) 1000000 0
}

bench_reconnect()
{
	local connect_ms=${BENCH_CONNECT_MS:-150} resolve_ms=${BENCH_RESOLVE_MS:-150}
	local rate=${BENCH_RECONNECT_RATE:-20} runs=${BENCH_RECONNECT_RUNS:-9}
	local floor i ms median max target

	br_setup
	br_start_sim --bike --seed 1 --rate "$rate" --connect-delay "$connect_ms" \
		--resolve-delay "$resolve_ms"
	br_start_daemon
	connect_bike
	has_sessions && start_session 90
	counter_start stamp "$FLOOR" --bus "$BR_BUS" --stamp
	wait_for 100 grep -q '^data' "$BR_TMP/stamp.out" || br_die "no data before the drops"
	: >"$BR_TMP/reconnect.ms"
	for ((i = 0; i < runs; i++)); do
		sleep 2 # the machine notifies a while, as between real drops
		ms=$(reconnect_once)
		br_log "drop $((i + 1)): first sample after $ms ms"
		echo "$ms" >>"$BR_TMP/reconnect.ms"
	done
	floor=$((connect_ms + resolve_ms))
	median=$(sort -n "$BR_TMP/reconnect.ms" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	max=$(sort -n "$BR_TMP/reconnect.ms" | tail -n 1)
	target=$(awk -v f="$floor" 'BEGIN { t = 1.5 * f; print (t < 2000 ? t : 2000) }')
	res reconnect.floor "$floor" ms "" "" \
		"the sim's connect ($connect_ms) + resolve ($resolve_ms) delays"
	res reconnect.median "$median" ms "<= $target" "$(le "$median" "$target")" \
		"link drop to first new sample, median of $runs, data at $rate Hz"
	res reconnect.max "$max" ms "<= $target" "$(le "$max" "$target")" "worst of $runs"
	res reconnect.ratio "$(div "$median" "$floor")" x "<= 1.5" \
		"$(le "$(div "$median" "$floor")" 1.5)" "median over the floor"
}
