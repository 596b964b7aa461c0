#!/bin/bash
# Shared harness for integration tests: a private dbus-daemon, backride-sim,
# backrided and the real backride CLI, all in a temporary directory that is
# torn down on exit. Source it from a test script:
#   . "$(dirname "$0")/lib.sh"
#   br_setup; br_start_sim; br_start_daemon; br_cli status
# Environment from meson: BACKRIDE_BUILD_ROOT, BACKRIDE_SOURCE_ROOT.
set -euo pipefail

BUILD=${BACKRIDE_BUILD_ROOT:?run through meson test}
SRC=${BACKRIDE_SOURCE_ROOT:?run through meson test}
BACKRIDED=$BUILD/daemon/backrided
BACKRIDE=$BUILD/cli/backride
BACKRIDE_SIM=$BUILD/sim/backride-sim
# Set BR_WRAP (e.g. "valgrind --error-exitcode=99 --leak-check=full") to run the
# daemon under a wrapper (tests/reliability/valgrind-integration.sh does), and
# BR_EXIT_TENTHS to give it longer than 5 s to exit on SIGTERM at teardown.
BR_WRAP=${BR_WRAP:-}

br_pids=()
br_fail_count=0
br_pass_count=0

br_log() { printf '# %s\n' "$*" >&2; }

br_die()
{
	printf 'FAIL: %s\n' "$*" >&2
	br_dump_logs
	exit 1
}

br_dump_logs()
{
	local f
	for f in "$BR_TMP"/*.log; do
		[ -s "$f" ] || continue
		printf -- '---- %s (tail) ----\n' "$(basename "$f")" >&2
		tail -n 40 "$f" >&2
	done
}

br_cleanup()
{
	local rc=$? i
	for ((i = ${#br_pids[@]} - 1; i >= 0; i--)); do
		kill -TERM "${br_pids[i]}" 2>/dev/null || true
	done
	for ((i = ${#br_pids[@]} - 1; i >= 0; i--)); do
		br_wait_exit "${br_pids[i]}" "${BR_EXIT_TENTHS:-50}" || kill -KILL "${br_pids[i]}" 2>/dev/null || true
	done
	if [ "$rc" -ne 0 ] && [ -n "${BR_TMP:-}" ]; then
		br_dump_logs
	fi
	[ -n "${BR_KEEP:-}" ] || rm -rf "${BR_TMP:-/nonexistent}"
	exit "$rc"
}

# br_wait_exit PID TENTHS: wait up to TENTHS/10 s for PID to exit.
br_wait_exit()
{
	local pid=$1 n=$2
	while [ "$n" -gt 0 ]; do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

br_setup()
{
	BR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/backride-test.XXXXXX")
	trap br_cleanup EXIT
	trap 'exit 130' INT TERM
	dbus-daemon --session --nofork --nopidfile --address="unix:path=$BR_TMP/bus" \
		>"$BR_TMP/dbus.log" 2>&1 &
	br_pids+=($!)
	BR_BUS="unix:path=$BR_TMP/bus"
	export BR_BUS
	# The CLI and busctl find the private bus through these.
	export BACKRIDE_BUS="$BR_BUS"
	export DBUS_SYSTEM_BUS_ADDRESS="$BR_BUS"
	export DBUS_SESSION_BUS_ADDRESS="$BR_BUS"
	local n=50
	while [ ! -S "$BR_TMP/bus" ]; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || br_die "dbus-daemon did not start"
		sleep 0.1
	done
}

# br_wait_name NAME [TENTHS]: wait until NAME has an owner on the private bus.
br_wait_name()
{
	local name=$1 n=${2:-100}
	while [ "$n" -gt 0 ]; do
		if busctl --address="$BR_BUS" status "$name" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	br_die "$name did not appear on the bus"
}

# br_start_sim [ARGS...]: start backride-sim on the private bus.
br_start_sim()
{
	"$BACKRIDE_SIM" --bus "$BR_BUS" "$@" >"$BR_TMP/sim.log" 2>&1 &
	BR_SIM_PID=$!
	br_pids+=("$BR_SIM_PID")
	br_wait_name org.bluez
	# As bluetoothd, the simulator owns org.bluez a moment before its adapter is there and
	# powered.
	wait_for 100 is "b true" busctl --address="$BR_BUS" get-property org.bluez \
		/org/bluez/hci0 org.bluez.Adapter1 Powered || br_die "the simulated adapter did not power on"
}

# br_start_daemon [ARGS...]: start backrided on the private bus with a fresh
# database and an empty config in BR_TMP.
br_start_daemon()
{
	[ -f "$BR_TMP/backride.conf" ] || : >"$BR_TMP/backride.conf"
	# shellcheck disable=SC2086
	$BR_WRAP "$BACKRIDED" --bus "$BR_BUS" --config "$BR_TMP/backride.conf" \
		--database "$BR_TMP/backride.db" "$@" >>"$BR_TMP/daemon.log" 2>&1 &
	BR_DAEMON_PID=$!
	br_pids+=("$BR_DAEMON_PID")
	br_wait_name org.backride 200
}

# br_cli ARGS...: run the real CLI against the private bus.
br_cli()
{
	"$BACKRIDE" --bus "$BR_BUS" "$@"
}

# check NAME COMMAND...: run a check, count it, report it TAP-like. Always
# returns 0 so that set -e does not end the script at the first failure.
check()
{
	local name=$1
	shift
	if "$@"; then
		br_pass_count=$((br_pass_count + 1))
		printf 'ok - %s\n' "$name"
	else
		br_fail_count=$((br_fail_count + 1))
		printf 'not ok - %s\n' "$name"
	fi
}

# expect_eq NAME ACTUAL EXPECTED
expect_eq()
{
	if [ "$2" = "$3" ]; then
		check "$1" true
	else
		check "$1" false
		printf '#   got: %q\n#   want: %q\n' "$2" "$3"
	fi
}

# expect_match NAME TEXT REGEX
expect_match()
{
	if [[ $2 =~ $3 ]]; then
		check "$1" true
	else
		check "$1" false
		printf '#   text: %s\n#   does not match: %s\n' "$2" "$3"
	fi
}

# wait_for TENTHS COMMAND...: poll until COMMAND succeeds; 1 on timeout.
wait_for()
{
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# is VALUE COMMAND...: COMMAND prints exactly VALUE.
is() { [ "$("${@:2}")" = "$1" ]; }

# events: every event in the test database, "type: detail" a line; has_event TEXT.
events() { sqlite3 "$BR_TMP/backride.db" "SELECT type || ': ' || detail FROM events ORDER BY id;"; }
has_event() { events | grep -q -- "$1"; }

# Sessions (session-lib.sh, tests/vm/vm-lib.sh): db SQL...; phase_is PHASE (with the
# caller's prop); phases ID; float_le A B (A <= B for decimals); max_of FILE.
db() { sqlite3 "$BR_TMP/backride.db" "$@"; }
phase_is() { [ "$(prop Phase)" = "$1" ]; }
phases() { db "SELECT group_concat(detail, ' ') FROM (SELECT detail FROM events WHERE session_id = $1 AND type = 'phase' ORDER BY id);"; }
float_le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }
max_of() { sort -g "$1" | tail -n 1; }

# br_finish: print the totals and exit non-zero on any failed check.
br_finish()
{
	printf '%d passed, %d failed\n' "$br_pass_count" "$br_fail_count"
	[ "$br_fail_count" -eq 0 ]
}
