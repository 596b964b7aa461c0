#!/bin/bash
# Helpers for the session tests (test-session*.sh), on top of lib.sh: the sim and the daemon
# both run at a high time scale, so a 30-minute plan takes seconds.
# shellcheck disable=SC2034

BIKE=C0:FF:EE:00:00:01
TREAD=C0:FF:EE:00:00:02
STRAP=C0:FF:EE:00:00:03
SCALE=${SCALE:-200}

ctl() { "$BACKRIDE_SIM" ctl --bus "$BR_BUS" "$@"; }
# sim ADDRESS KEY: one value of the machine's true state.
sim() { ctl state "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
prop() {
	busctl --address="$BR_BUS" get-property org.backride /org/backride/session \
		org.backride.Session1 "$1" | cut -d' ' -f2- | tr -d '"'
}
# wait_for TWENTIETHS COMMAND...: as lib.sh's, in 50 ms steps.
wait_for()
{
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}
# session_events ID: "type value" lines of a session's engine events.
session_types() { db "SELECT type || ' ' || coalesce(value, '') FROM events WHERE session_id = $1 ORDER BY id;"; }

# watch_target ADDRESS KEY FILE: sample the sim's KEY every 20 ms into FILE until killed.
watch_target()
{
	(while :; do sim "$1" "$2" >>"$3" 2>/dev/null || true; sleep 0.02; done) &
	BR_WATCH_PID=$!
	br_pids+=("$BR_WATCH_PID")
}

# session_setup [SIM ARGS...]: bus, sim, daemon (config from $BR_TMP/backride.conf, if
# written first), the bike paired.
session_setup()
{
	br_start_sim --time-scale "$SCALE" "$@"
	br_wait_name org.backride.Sim
	br_start_daemon --time-scale "$SCALE"
	br_cli scan --seconds 1 >/dev/null
}

# daemon_restart [ARGS]: start the daemon again (after it exited or was killed).
daemon_restart()
{
	br_start_daemon --time-scale "$SCALE" "$@"
}
