#!/bin/bash
# Bad input over D-Bus: tests/tools/dbus-fuzz sends thousands of bad calls to every method of
# every object the daemon exports, first with nothing connected, then with a session running.
# The daemon stays up, answers every call with a named error, and changes no state.
. "$(dirname "$0")/rel-lib.sh"

CALLS=${BR_FUZZ_CALLS:-2000}
SEED=${BR_FUZZ_SEED:-9}
br_setup
br_start_sim --bike --seed 3
rel_daemon_conf 1
br_start_daemon

# Rows a fuzz call must never add or change (samples and events grow during a session).
snapshot()
{
	db "SELECT 'machines', id, address, name, kind, paired, trusted, preferred FROM machines;
		SELECT 'sessions', id, kind, started_at, planned_s, end_reason, pain_before, pain_max,
			pain_after FROM sessions;
		SELECT 'checkins', count(*) FROM checkins;"
	state
}

fuzz()
{
	local out rc
	out=$("$DBUS_FUZZ" --bus "$BR_BUS" --seed "$1" --calls "$CALLS" 2>&1) && rc=0 || rc=$?
	printf '%s\n' "$out" | sed 's/^/#   /'
	expect_eq "$2: every call answered with a named error or an allowed success" "$rc" 0
	fuzz_calls=$((fuzz_calls + $(printf '%s\n' "$out" | sed -n 's/^dbus-fuzz: .* \([0-9]*\) calls.*/\1/p')))
	fuzz_methods=$((fuzz_methods + $(printf '%s\n' "$out" | sed -n 's/^dbus-fuzz: \([0-9]*\) methods.*/\1/p')))
}
fuzz_calls=0
fuzz_methods=0

# ---- 1. idle: nothing paired, nothing connected --------------------------------------------
before=$(snapshot)
log_before=$(wc -l <"$BR_TMP/daemon.log")
fuzz "$SEED" "idle"
check "idle: the daemon is alive" kill -0 "$BR_DAEMON_PID"
expect_eq "idle: no state changed" "$(snapshot)" "$before"
log_lines=$(($(wc -l <"$BR_TMP/daemon.log") - log_before))
check "idle: the log is not flooded ($log_lines lines)" [ "$log_lines" -lt 50 ]

# Calls in the wrong state, one by one, with their names.
out=$(rel_call Disconnect s "" 2>&1) || true
expect_match "Disconnect with nothing connected" "$out" "No machine is connected"
out=$(rel_call Connect s "" 2>&1) || true
expect_match "Connect with nothing paired" "$out" "No machine is paired"
out=$(rel_call StartSession 'a{sv}' 0 2>&1) || true
expect_match "StartSession with nothing paired" "$out" "No machine to connect to"
out=$(rel_call -p /org/backride/session org.backride.Session1 Stop i -1 2>&1) || true
expect_match "Session1 before any session" "$out" "Unknown object|No session is running"

# ---- 2. a session runs ----------------------------------------------------------------------
rel_pair "$BIKE"
id=$(rel_start 20)
expect_eq "a session runs" "$(state)" session
before=$(snapshot)
fuzz $((SEED + 1)) "session"
check "session: the daemon is alive" kill -0 "$BR_DAEMON_PID"
expect_eq "session: no state changed" "$(snapshot)" "$before"
expect_eq "session: not paused" "$(bus_prop /org/backride/session org.backride.Session1 Paused)" "b false"
expect_eq "session: no end reason" "$(bus_prop /org/backride/session org.backride.Session1 EndReason)" 's ""'
expect_eq "session: no pain recorded" "$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'pain'")" 0
expect_eq "session: the machine is still driven by the session" "$(sim $BIKE Started)" yes

out=$(rel_call StartSession 'a{sv}' 0 2>&1) || true
expect_match "StartSession while one runs is Busy" "$out" "already running"
out=$(rel_call -p /org/backride/session org.backride.Session1 Resume 2>&1) || true
expect_match "Resume when not paused" "$out" "Nothing to resume"
out=$(rel_call -p /org/backride/session org.backride.Session1 ConfirmBelt 2>&1) || true
expect_match "ConfirmBelt on a bike" "$out" "treadmill"

# The session still ends normally.
rel_call -p /org/backride/session org.backride.Session1 Stop i -1 >/dev/null
wait_for 300 test "$(state)" != session || true
expect_eq "the session stops on request" "$(db "SELECT end_reason FROM sessions WHERE id = $id")" stopped
expect_eq "the database is intact" "$(rel_integrity)" ok

rel_figure fuzz_methods "$fuzz_methods"
rel_figure fuzz_calls "$fuzz_calls"
br_finish
