#!/bin/bash
# Shared harness for integration tests: a private dbus-daemon, backride-sim,
# backrided and the real backride CLI, all in a temporary directory that is
# torn down on exit. Source it from a test script:
#   . "$(dirname "$0")/lib.sh"
#   br_setup; br_start_sim; br_start_daemon; br_cli status
# Environment from meson: BACKRIDE_BUILD_ROOT, BACKRIDE_SOURCE_ROOT.
#
# This file is the one vocabulary of the shell tests: one name per job. Other helper files
# (session-lib.sh, session-bike-lib.sh, tests/reliability/rel-lib.sh, tests/vm/vm-lib.sh)
# extend it and redefine none of its functions (tests/check-tests.sh fails if one does).
#   bz ARGS...               busctl on the test's bus
#   br_cli ARGS...           the real backride CLI on the test's bus
#   ctl ARGS...              backride-sim ctl on the test's bus
#   sim ADDRESS KEY          one value of a simulated machine's true state
#   watch_sim ADDRESS KEY FILE   sample a sim value into FILE until killed (BR_WATCH_PID)
#   bus_prop PATH IFACE NAME a property of org.backride as busctl prints it ("TYPE VALUE")
#   prop NAME                a Session1 property's value, without type and quotes
#   mprop ADDRESS NAME       a Machine1 property's value, without its type
#   state                    Manager1.State, without type and quotes
#   target KIND VALUE        Debug1.SetTarget (its reply or error as text)
#   db SQL...                SQL on the test database; events, has_event, count_events
#   wait_for TENTHS COMMAND...   poll COMMAND every 0.1 s, TENTHS times at most
#   is VALUE COMMAND..., matches REGEX COMMAND..., ge N COMMAND...   what COMMAND prints
#   check, expect_eq, expect_match, br_finish (and BR_FINISH_CHECKS)
# A command that fails outside a check ends the test (set -e); br_setup's ERR trap names it
# and the calls to it on stderr ("FAIL: COMMAND (exit N) at FUNCTION:LINE... main:LINE").
# The helpers reach the private bus of br_setup; tests/vm/vm-lib.sh points them at the real
# system bus by setting BR_BUSCTL (busctl's options), BR_BUS_ARGS (--bus for the CLI and
# backride-sim ctl) and BR_CTL_WRAP (a command that bounds a sim ctl call).
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
BR_BUSCTL=()
BR_BUS_ARGS=()
BR_CTL_WRAP=()
# Functions named here run, each as a check of its own, before br_finish prints the totals
# (tests/reliability/rel-lib.sh adds its sanitizer check).
BR_FINISH_CHECKS=()

br_pids=()
br_fail_count=0
br_pass_count=0
br_failed_names=()

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
	# The database's last events (sessions' phases, pauses and their reasons, the machine's
	# status): what the daemon log leaves out.
	f=${BR_DB:-${BR_TMP:-/nonexistent}/backride.db}
	if [ -s "$f" ] && command -v sqlite3 >/dev/null; then
		printf -- '---- events (last 40) ----\n' >&2
		sqlite3 -readonly "$f" "SELECT * FROM (SELECT id, session_id, t, type, value, detail
			FROM events ORDER BY id DESC LIMIT 40) ORDER BY id;" >&2 2>/dev/null || true
	fi
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

# br_failed STATUS COMMAND: the ERR trap; in the test's own shell (not in a $(...) or a
# pipeline, whose failure the shell reports once more), name the command and the calls to it.
br_failed()
{
	local i at=""
	[ "$BASH_SUBSHELL" -eq 0 ] || return 0
	for ((i = 1; i < ${#FUNCNAME[@]}; i++)); do
		at="$at ${FUNCNAME[i]}:${BASH_LINENO[i - 1]}"
	done
	printf 'FAIL: %s (exit %s) at%s\n' "$2" "$1" "$at" >&2
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

# br_use_bus ADDRESS: the helpers, the CLI and busctl talk on the bus at ADDRESS (br_setup's
# own, or one a test starts itself).
br_use_bus()
{
	BR_BUS=$1
	export BR_BUS
	BR_BUSCTL=(--address="$BR_BUS")
	BR_BUS_ARGS=(--bus "$BR_BUS")
}

br_setup()
{
	BR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/backride-test.XXXXXX")
	trap br_cleanup EXIT
	trap 'exit 130' INT TERM
	# A command that fails outside a check ends the test (set -e): say which one, and where.
	set -E
	trap 'br_failed "$?" "$BASH_COMMAND"' ERR
	dbus-daemon --session --nofork --nopidfile --address="unix:path=$BR_TMP/bus" \
		>"$BR_TMP/dbus.log" 2>&1 &
	br_pids+=($!)
	br_use_bus "unix:path=$BR_TMP/bus"
	# The CLI and busctl find the private bus through these.
	export BACKRIDE_BUS="$BR_BUS"
	export DBUS_SYSTEM_BUS_ADDRESS="$BR_BUS"
	export DBUS_SESSION_BUS_ADDRESS="$BR_BUS"
	# The socket file is there once bound, a moment before dbus-daemon listens on it: wait
	# for an answer (a client connecting in between is refused).
	wait_for 50 bz call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus GetId ||
		br_die "dbus-daemon did not start"
}

# br_wait_name NAME [TENTHS]: wait until NAME has an owner on the private bus.
br_wait_name()
{
	wait_for "${2:-100}" bz status "$1" || br_die "$1 did not appear on the bus"
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

# br_cli ARGS...: run the real CLI against the test's bus.
br_cli()
{
	"$BACKRIDE" "${BR_BUS_ARGS[@]}" "$@"
}

# bz ARGS...: busctl on the test's bus.
bz() { busctl "${BR_BUSCTL[@]}" "$@"; }

# ctl ARGS...: backride-sim ctl on the test's bus.
ctl() { "${BR_CTL_WRAP[@]}" "$BACKRIDE_SIM" ctl "${BR_BUS_ARGS[@]}" "$@"; }

# sim ADDRESS KEY: one value of the simulated machine's true state.
sim() { ctl state "$1" | awk -v k="$2" '$1 == k { print $2 }'; }

# watch_sim ADDRESS KEY FILE: append the sim's KEY to FILE every BR_WATCH_STEP seconds (0.02)
# until killed; the sampler's pid is BR_WATCH_PID.
watch_sim()
{
	(while :; do sim "$1" "$2" >>"$3" 2>/dev/null || true; sleep "${BR_WATCH_STEP:-0.02}"; done) &
	BR_WATCH_PID=$!
	br_pids+=("$BR_WATCH_PID")
}

# bus_prop PATH IFACE NAME: a property of org.backride as busctl prints it ("b true", 's "idle"').
bus_prop() { bz get-property org.backride "$1" "$2" "$3" 2>/dev/null; }

# prop NAME: a Session1 property's value, without its type and quotes.
prop() { bus_prop /org/backride/session org.backride.Session1 "$1" | cut -d' ' -f2- | tr -d '"'; }

# mprop ADDRESS NAME: a Machine1 property's value, without its type (strings keep their quotes).
mprop() { bus_prop "/org/backride/machine/${1//:/_}" org.backride.Machine1 "$2" | cut -d' ' -f2-; }

# state: Manager1.State, without its type and quotes.
state() { bus_prop /org/backride org.backride.Manager1 State | cut -d' ' -f2- | tr -d '"'; }

# target KIND VALUE: Debug1.SetTarget; prints the reply or the error.
target() { bz call -- org.backride /org/backride/debug org.backride.Debug1 SetTarget si "$1" "$2" 2>&1 || true; }

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
		br_failed_names+=("$name")
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

# matches REGEX COMMAND...: what COMMAND prints matches the extended REGEX.
matches()
{
	local out
	out=$("${@:2}") || return 1
	grep -q -E -- "$1" <<<"$out"
}

# ge N COMMAND...: COMMAND prints a number that is N or more.
ge()
{
	local v
	v=$("${@:2}") || true
	[ "${v:-0}" -ge "$1" ] 2>/dev/null
}

# db SQL...: SQL on the test database (BR_DB, by default the daemon's in BR_TMP).
db() { sqlite3 "${BR_DB:-$BR_TMP/backride.db}" "$@"; }

# events: every event in the test database, "type: detail" a line; has_event TEXT;
# count_events TEXT: how many of them hold TEXT.
events() { db "SELECT type || ': ' || detail FROM events ORDER BY id;"; }
has_event() { events | grep -q -- "$1"; }
count_events() { events | grep -c -- "$1" || true; }

# Sessions: phase_is PHASE; phases ID; float_le A B (A <= B for decimals); max_of FILE.
phase_is() { [ "$(prop Phase)" = "$1" ]; }
phases() { db "SELECT group_concat(detail, ' ') FROM (SELECT detail FROM events WHERE session_id = $1 AND type = 'phase' ORDER BY id);"; }
float_le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }
max_of() { sort -g "$1" | tail -n 1; }

# br_finish: print the totals and exit non-zero on any failed check.
br_finish()
{
	local f
	for f in "${BR_FINISH_CHECKS[@]}"; do
		"$f"
	done
	# The failed checks once more, where the end of a long log shows them.
	for f in "${br_failed_names[@]}"; do
		printf 'failed: %s\n' "$f"
	done
	printf '%d passed, %d failed\n' "$br_pass_count" "$br_fail_count"
	[ "$br_fail_count" -eq 0 ] || exit 1 # the checks said what failed: no ERR trap
}
