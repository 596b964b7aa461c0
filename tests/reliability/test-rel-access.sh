#!/bin/bash
# Access: a private system-style dbus-daemon with the project's bus policy
# (dbus/org.backride.conf, installed verbatim to system.d). A caller outside group backride
# (nobody) is refused every control and history method, property read and GetManagedObjects
# by the bus; with a bus policy that allows everything, the daemon refuses the same calls
# itself. Needs root and setpriv.
. "$(dirname "$0")/rel-lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null || ! id nobody >/dev/null 2>&1; then
	echo "SKIP: needs root, setpriv and the user nobody"
	exit 77
fi
BR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/backride-access.XXXXXX")
chmod 755 "$BR_TMP"
trap br_cleanup EXIT
br_use_bus "unix:path=$BR_TMP/bus"
nogroup=$(id -gn nobody)

# bus_start POLICY: a system-style bus whose default context is POLICY (strict or open).
bus_start()
{
	local default
	if [ "$1" = strict ]; then
		default='<allow user="*"/><deny own="*"/><deny send_type="method_call"/>
			<allow send_type="signal"/>
			<allow send_requested_reply="true" send_type="method_return"/>
			<allow send_requested_reply="true" send_type="error"/>
			<allow receive_type="*"/><allow send_destination="org.freedesktop.DBus"/>'
	else
		default='<allow user="*"/><allow own="*"/><allow send_destination="*"/>
			<allow send_type="method_call"/><allow receive_type="*"/>'
	fi
	cat >"$BR_TMP/bus-$1.conf" <<EOC
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$BR_TMP/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">$default</policy>
  $([ "$1" = strict ] && echo "<policy user=\"root\"><allow own=\"org.bluez\"/>
	<allow own=\"org.backride.Sim\"/><allow send_destination=\"org.bluez\"/>
	<allow send_destination=\"org.backride.Sim\"/></policy>
	<include>$SRC/dbus/org.backride.conf</include>")
</busconfig>
EOC
	rm -f "$BR_TMP/bus"
	dbus-daemon --config-file="$BR_TMP/bus-$1.conf" --nofork --nopidfile >>"$BR_TMP/dbus.log" 2>&1 &
	BUS_PID=$!
	br_pids+=("$BUS_PID")
	wait_for 50 test -S "$BR_TMP/bus" || br_die "dbus-daemon ($1) did not start"
}

bus_stop()
{
	kill "$BR_DAEMON_PID" "$BUS_PID" 2>/dev/null || true
	[ -z "${BR_SIM_PID:-}" ] || kill "$BR_SIM_PID" 2>/dev/null || true
	wait "$BR_DAEMON_PID" "$BUS_PID" 2>/dev/null || true
	[ -z "${BR_SIM_PID:-}" ] || wait "$BR_SIM_PID" 2>/dev/null || true
	BR_SIM_PID=
}

# Every method of the API with valid arguments: PATH IFACE METHOD [SIG ARGS...].
CALLS=(
	"/org/backride org.backride.Manager1 StartScan u 1"
	"/org/backride org.backride.Manager1 StopScan"
	"/org/backride org.backride.Manager1 Pair s $BIKE"
	"/org/backride org.backride.Manager1 Forget s $BIKE"
	"/org/backride org.backride.Manager1 Connect s $BIKE"
	"/org/backride org.backride.Manager1 Disconnect s $BIKE"
	"/org/backride org.backride.Manager1 StartSession a{sv} 1 minutes u 3"
	"/org/backride org.backride.Manager1 Checkin u 3"
	"/org/backride org.backride.Manager1 NextPlan s bike"
	"/org/backride org.backride.History1 ListSessions a{sv} 0"
	"/org/backride org.backride.History1 GetSession t 1"
	"/org/backride org.backride.History1 GetSamples tuu 1 0 10"
	"/org/backride org.backride.History1 Progress u 4"
	"/org/backride org.backride.History1 Export ts 1 csv"
	"/org/backride/session org.backride.Session1 Pause"
	"/org/backride/session org.backride.Session1 Resume"
	"/org/backride/session org.backride.Session1 Stop i 2"
	"/org/backride/session org.backride.Session1 ReportPain u 9"
	"/org/backride/session org.backride.Session1 ConfirmBelt"
	# Properties and the object manager carry the same data (pain ratings, heart rate).
	"/org/backride org.freedesktop.DBus.Properties GetAll s org.backride.Manager1"
	"/org/backride/session org.freedesktop.DBus.Properties GetAll s org.backride.Session1"
	"/org/backride/session org.freedesktop.DBus.Properties Get ss org.backride.Session1 Paused"
	"/org/backride/machine/C0_FF_EE_00_00_01 org.freedesktop.DBus.Properties GetAll s org.backride.Machine1"
	"/org/backride org.freedesktop.DBus.ObjectManager GetManagedObjects"
)

# as_nobody_all ERROR: every call as nobody; count the answers that are exactly ERROR.
refused=0 tried=0
as_nobody_all()
{
	local c out path iface method
	for c in "${CALLS[@]}"; do
		read -r path iface method args <<<"$c"
		# shellcheck disable=SC2086
		out=$(setpriv --reuid=nobody --regid="$nogroup" --clear-groups \
			busctl --address="$BR_BUS" --timeout=10 call -- org.backride "$path" "$iface" \
			"$method" $args 2>&1) && rc=0 || rc=$?
		tried=$((tried + 1))
		if [ "$rc" -ne 0 ] && [[ $out =~ $1 ]]; then
			refused=$((refused + 1))
		else
			printf '#   %s.%s as nobody: %s\n' "$iface" "$method" "$out"
			return 1
		fi
	done
}

# ---- 1. the installed policy --------------------------------------------------------------
bus_start strict
: >"$BR_TMP/backride.conf"
br_start_daemon
check "root may call under the installed policy" rel_quiet NextPlan s bike
check "the bus refuses every method to nobody" as_nobody_all "Access denied|AccessDenied"
out=$(setpriv --reuid=nobody --regid="$nogroup" --clear-groups "$BACKRIDE" --bus "$BR_BUS" history 2>&1) &&
	rc=0 || rc=$?
expect_eq "the CLI as nobody exits 77" "$rc" 77
expect_match "and says what to do" "$out" "backride' group"
bus_tried=$tried bus_refused=$refused

# Signals (live data with heart rate, pain ratings in property changes) reach only those
# allowed to call: a session runs; root's watcher sees its signals, nobody's sees none.
CLIENT=$BUILD/tests/integration/sim-client
br_start_sim --bike --time-scale 20
kill "$BR_DAEMON_PID"
wait "$BR_DAEMON_PID" 2>/dev/null || true
rel_daemon_conf 20
br_start_daemon
rel_pair "$BIKE"
rel_start 10 >/dev/null
watch() { printf 'watch org.backride\nsleep 2500\n' | "$@" "$CLIENT" "$BR_BUS" 2>&1; }
watch setpriv --reuid=nobody --regid="$nogroup" --clear-groups >"$BR_TMP/watch-nobody.out" &
wpid=$!
watch env >"$BR_TMP/watch-root.out"
wait "$wpid" || true
root_signals=$(grep -c -E '^(PC|IA|IR|SIG) ' "$BR_TMP/watch-root.out" || true)
nobody_signals=$(grep -c -E '^(PC|IA|IR|SIG) ' "$BR_TMP/watch-nobody.out" || true)
check "root receives the daemon's signals ($root_signals in 2.5 s)" [ "$root_signals" -gt 0 ]
expect_eq "nobody receives none of them" "$nobody_signals" 0
bus_stop

# ---- 2. a bus that allows everything: the daemon checks itself -----------------------------
bus_start open
tried=0 refused=0
br_start_sim --bike --time-scale 20
rel_daemon_conf 20
br_start_daemon
rel_pair "$BIKE"
rel_start 10 >/dev/null
expect_eq "a session runs (root)" "$(state)" session
check "the daemon refuses every method to nobody" as_nobody_all "Only root and members of group"
check "... as org.backride.Error.AccessDenied" bash -c "setpriv --reuid=nobody --regid=$nogroup \
	--clear-groups busctl --address=$BR_BUS call org.backride /org/backride org.backride.History1 \
	Progress u 4 2>&1 | grep -q 'Only root'"
expect_eq "nobody changed nothing: the session runs" "$(state)" session
expect_eq "nobody changed nothing: not paused" "$(bus_prop /org/backride/session org.backride.Session1 Paused)" "b false"
expect_eq "nobody changed nothing: no pain, no check-in" \
	"$(db "SELECT count(*) FROM events WHERE type = 'pain'") $(db 'SELECT count(*) FROM checkins')" "0 0"
daemon_tried=$tried daemon_refused=$refused

# A member of the access group gets in (the check is not just "root only").
kill "$BR_DAEMON_PID"
wait "$BR_DAEMON_PID" 2>/dev/null || true
rel_daemon_conf 20 '[access]' "group = $nogroup"
br_start_daemon
out=$(setpriv --reuid=nobody --regid="$nogroup" --clear-groups \
	busctl --address="$BR_BUS" call org.backride /org/backride org.backride.History1 Progress u 4 2>&1) &&
	rc=0 || rc=$?
expect_eq "a member of the access group ($nogroup) may read history" "$rc" 0

rel_figure access_bus_refused "$bus_refused/$bus_tried"
rel_figure access_daemon_refused "$daemon_refused/$daemon_tried"
br_finish
