#!/bin/bash
# The main job, on a machine without Bluetooth: install what is missing, build,
# then start a private D-Bus bus with backride-sim standing in for BlueZ and a
# simulated bike, start backrided on it, and drive it with the real CLI.
# State (the database) is kept in build-demo/state, so history grows run by run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
echo "demo: building backride in build-demo/ (a minute or two the first time)"
mkdir -p build-demo
if ! ./scripts/build.sh build-demo >build-demo/build.log 2>&1; then
	tail -n 60 build-demo/build.log >&2
	echo "demo: FAILED: the build failed; its whole log: build-demo/build.log" >&2
	exit 1
fi

B=$PWD/build-demo
STATE=$B/state
mkdir -p "$STATE"
RUN=$(mktemp -d "${TMPDIR:-/tmp}/backride-demo.XXXXXX")
pids=()
cleanup()
{
	local rc=$? i f
	if [ "$rc" -ne 0 ]; then
		echo "demo: FAILED (exit $rc)" >&2
		for f in daemon sim; do
			[ -f "$RUN/$f.log" ] || continue
			echo "---- the $f's log ----" >&2
			cat "$RUN/$f.log" >&2
		done
	fi
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		kill -TERM "${pids[i]}" 2>/dev/null || true
		wait "${pids[i]}" 2>/dev/null || true
	done
	rm -rf "$RUN"
}
trap cleanup EXIT

fail()
{
	echo "demo: $*" >&2
	exit 1
}

dbus-daemon --session --nofork --nopidfile --address="unix:path=$RUN/bus" 2>"$RUN/dbus.log" &
pids+=($!)
for _ in $(seq 50); do [ -S "$RUN/bus" ] && break; sleep 0.1; done
[ -S "$RUN/bus" ] || fail "the private D-Bus bus did not start: $(cat "$RUN/dbus.log")"
BUS="unix:path=$RUN/bus"
export BACKRIDE_BUS=$BUS

# until TRIES COMMAND...: run COMMAND every 0.1 s until it succeeds, TRIES times at most.
until_ok()
{
	local n=$1
	shift
	for _ in $(seq "$n"); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

adapter_powered()
{
	[ "$(busctl --address="$BUS" get-property org.bluez /org/bluez/hci0 org.bluez.Adapter1 \
		Powered 2>/dev/null)" = "b true" ]
}

"$B/sim/backride-sim" --bus "$BUS" --time-scale 60 >"$RUN/sim.log" 2>&1 &
pids+=($!)
# As bluetoothd, the simulator owns org.bluez a moment before its adapter exists and is
# powered: wait for the adapter, not for the name.
until_ok 100 adapter_powered || fail "the simulated Bluetooth adapter did not power on"

: >"$RUN/backride.conf"
# Both sides at 60x: the ~27-minute gentle session (with stretches) takes under 30 s.
"$B/daemon/backrided" --bus "$BUS" --config "$RUN/backride.conf" --time-scale 60 \
	--database "$STATE/backride.db" >"$RUN/daemon.log" 2>&1 &
pids+=($!)
until_ok 100 busctl --address="$BUS" get-property org.backride /org/backride org.backride.Manager1 \
	State || fail "backrided did not start"

# backride ARGS...: run the CLI as a reader would type it, showing the command first.
backride()
{
	echo "\$ backride $*"
	"$B/cli/backride" "$@"
}

backride status
backride scan --seconds 2
backride pair C0:FF:EE:00:00:01
backride plan
# Pain before 2; pain after 1, reported when the stretches begin (both asked on a terminal
# when not given). The live view runs until the session is done.
backride start --gentle --pain 2 --pain-after 1 --yes
backride history
id=$("$B/cli/backride" --json status | sed -n 's/.*"session":{"id":\([0-9]*\).*/\1/p')
[ -n "$id" ] || fail "'backride --json status' names no session"
backride show "$id"
backride plan
