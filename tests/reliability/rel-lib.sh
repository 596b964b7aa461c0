#!/bin/bash
# Helpers for the reliability tests, on top of tests/integration/lib.sh (they redefine none of
# its functions: properties, SQL, the simulator's state and waits are lib.sh's).
# Every test prints its figures as "# figure: NAME VALUE" lines and ends with
# "N passed, N failed".
# shellcheck source=tests/integration/lib.sh disable=SC2034
. "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

BIKE=C0:FF:EE:00:00:01
TREADMILL=C0:FF:EE:00:00:02
DBUS_FUZZ=$BUILD/tests/tools/dbus-fuzz

rel_figure() { printf '# figure: %s %s\n' "$1" "$2"; }

# rel_call ARGS...: busctl call on org.backride at /org/backride (or a path given with -p PATH).
rel_call()
{
	local path=/org/backride iface=org.backride.Manager1
	if [ "$1" = -p ]; then
		path=$2 iface=$3
		shift 3
	fi
	bz --timeout=60 call -- org.backride "$path" "$iface" "$@"
}

# rel_pair ADDRESS: scan briefly and pair the machine.
rel_pair()
{
	rel_call StartScan u 2 >/dev/null
	wait_for 50 bz status org.backride
	wait_for 80 rel_quiet Pair s "$1" || br_die "cannot pair $1"
}

# rel_start [MINUTES]: start a session on the paired machine; prints the session id.
rel_start()
{
	rel_call StartSession 'a{sv}' 1 minutes u "${1:-3}" >/dev/null ||
		br_die "StartSession failed"
	prop Id
}

# rel_daemon_conf SCALE [EXTRA...]: write the daemon's config with a time scale.
rel_daemon_conf()
{
	local scale=$1
	shift
	{
		printf '[daemon]\ntime_scale = %s\n' "$scale"
		printf '%s\n' "$@"
	} >"$BR_TMP/backride.conf"
}

# rel_integrity: PRAGMA integrity_check of the database.
rel_integrity() { db 'PRAGMA integrity_check;'; }

# rel_quiet ARGS...: rel_call without output, for check.
rel_quiet() { rel_call "$@" >/dev/null 2>&1; }

# Under ASan+UBSan a report goes to the daemon's (or the sim's) log, not to the test's exit
# status: finish with a check that there is none.
rel_no_sanitizer_report()
{
	! grep -l -E "ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" \
		"$BR_TMP"/*.log 2>/dev/null
}
rel_no_sanitizer_check() { check "no sanitizer report in the logs" rel_no_sanitizer_report; }
BR_FINISH_CHECKS+=(rel_no_sanitizer_check)
