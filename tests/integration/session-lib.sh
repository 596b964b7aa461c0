#!/bin/bash
# Helpers for the session tests (test-session*.sh, test-cli.sh), on top of lib.sh (they
# redefine none of its functions): the sim and the daemon both run at a high time scale, so a
# 30-minute plan takes seconds.
# shellcheck disable=SC2034

BIKE=C0:FF:EE:00:00:01
TREAD=C0:FF:EE:00:00:02
STRAP=C0:FF:EE:00:00:03
SCALE=${SCALE:-200}

# session_types ID: "type value" lines of a session's engine events.
session_types() { db "SELECT type || ' ' || coalesce(value, '') FROM events WHERE session_id = $1 ORDER BY id;"; }

# session_conf LINE...: the test's backride.conf: reconnects 100-400 ms apart (a dropped link
# comes back within a session second or two), then LINE... (sections and keys).
session_conf()
{
	printf '%s\n' '[bluez]' 'reconnect_min_ms = 100' 'reconnect_max_ms = 400' "$@" \
		>"$BR_TMP/backride.conf"
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
