#!/bin/bash
# Helpers for bench/run.sh: the integration harness (tests/integration/lib.sh: private
# dbus-daemon, backride-sim, backrided, CLI, teardown) plus /proc readings and a table of
# results. Sourced, not run.

BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_BUILD=${BENCH_BUILD:-$BENCH_SRC/build-bench}
export BACKRIDE_BUILD_ROOT=$BENCH_BUILD BACKRIDE_SOURCE_ROOT=$BENCH_SRC
# shellcheck source=../tests/integration/lib.sh
. "$BENCH_SRC/tests/integration/lib.sh"

# shellcheck disable=SC2034 # used by sections.sh
FLOOR=$BENCH_BUILD/bench/bench-floor
# shellcheck disable=SC2034
GEN_HISTORY=$BENCH_BUILD/tests/tools/gen-history
BIKE=C0:FF:EE:00:00:01
CLK_TCK=$(getconf CLK_TCK)

# cpu_us PID: user+sys CPU time of PID so far, in µs (/proc/PID/stat utime+stime).
cpu_us()
{
	local f
	# Fields after "(comm) ": state is 1, utime 12, stime 13.
	f=$(sed 's/^.*) //' "/proc/$1/stat")
	# shellcheck disable=SC2086
	set -- $f
	echo $(((${12} + ${13}) * 1000000 / CLK_TCK))
}

# status_kb PID FIELD: a kB figure from /proc/PID/status (VmRSS, VmHWM, RssAnon...).
status_kb()
{
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}

# ctxt PID: voluntary + nonvoluntary context switches so far.
ctxt()
{
	awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n }' "/proc/$1/status"
}

# counter_start NAME COMMAND...: start a counting consumer (bench-floor or the bleak peer)
# with its output in BR_TMP/NAME.out and wait for its "ready". Sets COUNTER_PID.
counter_start()
{
	local name=$1 n=300
	shift
	: >"$BR_TMP/$name.out"
	"$@" >"$BR_TMP/$name.out" 2>"$BR_TMP/$name.log" &
	COUNTER_PID=$!
	br_pids+=("$COUNTER_PID")
	while ! grep -q '^ready' "$BR_TMP/$name.out"; do
		kill -0 "$COUNTER_PID" 2>/dev/null || br_die "$name exited before it was ready"
		n=$((n - 1))
		[ "$n" -gt 0 ] || br_die "$name did not get ready"
		sleep 0.1
	done
}

# counter_read NAME PID: ask a consumer for its count (SIGUSR1) and print it.
counter_read()
{
	local name=$1 pid=$2 before n=50
	before=$(grep -c '^count' "$BR_TMP/$name.out" || true)
	kill -USR1 "$pid"
	while [ "$(grep -c '^count' "$BR_TMP/$name.out" || true)" -le "$before" ]; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || br_die "$name does not answer SIGUSR1"
		sleep 0.02
	done
	grep '^count' "$BR_TMP/$name.out" | tail -n 1 | awk '{ print $2 }'
}

# wait_count NAME PID TARGET TIMEOUT_S: poll until the count reaches TARGET; prints the
# monotonic time (ns) at which it was seen, or fails after TIMEOUT_S.
wait_count()
{
	local name=$1 pid=$2 target=$3 deadline c
	deadline=$(($(date +%s) + $4))
	while :; do
		c=$(counter_read "$name" "$pid")
		if [ "$c" -ge "$target" ]; then
			date +%s%N
			return 0
		fi
		[ "$(date +%s)" -lt "$deadline" ] || br_die "$name: $c of $target after $4 s"
		sleep 0.05
	done
}

# connect_bike: scan, then Manager1.Connect the simulated bike and wait until ready.
connect_bike()
{
	br_cli scan --seconds 1 >/dev/null
	bz --timeout=60 call org.backride /org/backride \
		org.backride.Manager1 Connect s "$BIKE" >/dev/null ||
		br_die "Connect $BIKE failed"
}

# has_sessions: the daemon has Manager1.StartSession.
has_sessions()
{
	bz introspect org.backride /org/backride org.backride.Manager1 \
		2>/dev/null | grep -q '^\.StartSession '
}

# start_session MINUTES: a gentle session on the bike, no stretches at the end.
start_session()
{
	bz call org.backride /org/backride org.backride.Manager1 \
		StartSession 'a{sv}' 3 minutes u "$1" stretches b false machine s "$BIKE" \
		>/dev/null || br_die "StartSession failed"
}

# ---- results ------------------------------------------------------------------------------
# Sections run in subshells (each with its own bus and teardown), so figures go to a file.

RESULTS=${RESULTS:-$BENCH_BUILD/bench/results.tsv}

# res KEY VALUE UNIT [TARGET MET] [NOTE]: record a figure (MET: yes, no or empty).
res()
{
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" "${5:-}" "${6:-}" >>"$RESULTS"
	printf '# %s = %s %s\n' "$1" "$2" "$3" >&2
}

# le A B: "yes" if A <= B (decimals allowed), else "no".
le()
{
	awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 <= b + 0) ? "yes" : "no" }'
}

# div A B [DECIMALS]: A / B.
div()
{
	awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { printf "%.*f\n", d, b ? a / b : 0 }'
}

res_table()
{
	awk -F '\t' '
		BEGIN { printf "%-36s %12s %-6s %-10s %s\n", "FIGURE", "VALUE", "UNIT", "TARGET", "MET" }
		{
			printf "%-36s %12s %-6s %-10s %s%s\n", $1, $2, $3, ($4 == "" ? "-" : $4),
				($5 == "" ? "-" : $5), ($6 == "" ? "" : "  (" $6 ")")
		}' "$RESULTS"
}

res_json()
{
	awk -F '\t' -v date="$(date -u +%FT%TZ)" -v cpus="$(nproc)" \
		-v cpu="$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)" '
		function q(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
		BEGIN { printf "{\"date\":%s,\"cpu\":%s,\"cpus\":%d,\"figures\":[", q(date), q(cpu), cpus }
		{
			printf "%s{\"name\":%s,\"value\":%s,\"unit\":%s,\"target\":%s,\"met\":%s,\"note\":%s}",
				(NR > 1 ? "," : ""), q($1), q($2), q($3), q($4), q($5), q($6)
		}
		END { print "]}" }' "$RESULTS"
}
