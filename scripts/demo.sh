#!/bin/bash
# The main job, on a machine without Bluetooth: install what is missing, build,
# then start a private D-Bus bus with backride-sim standing in for BlueZ and a
# simulated bike, start backrided on it, and drive it with the real CLI.
# State (the database) is kept in build-demo/state, so history grows run by run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh build-demo >/dev/null

B=$PWD/build-demo
STATE=$B/state
mkdir -p "$STATE"
RUN=$(mktemp -d "${TMPDIR:-/tmp}/backride-demo.XXXXXX")
pids=()
cleanup()
{
	local i
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		kill -TERM "${pids[i]}" 2>/dev/null || true
		wait "${pids[i]}" 2>/dev/null || true
	done
	rm -rf "$RUN"
}
trap cleanup EXIT

dbus-daemon --session --nofork --nopidfile --address="unix:path=$RUN/bus" 2>"$RUN/dbus.log" &
pids+=($!)
for _ in $(seq 50); do [ -S "$RUN/bus" ] && break; sleep 0.1; done
BUS="unix:path=$RUN/bus"
export BACKRIDE_BUS=$BUS

wait_name()
{
	for _ in $(seq 100); do
		busctl --address="$BUS" status "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "demo: $1 did not start; see $2" >&2
	cat "$2" >&2
	exit 1
}

if [ -x "$B/sim/backride-sim" ]; then
	"$B/sim/backride-sim" --bus "$BUS" --time-scale 60 >"$RUN/sim.log" 2>&1 &
	pids+=($!)
	wait_name org.bluez "$RUN/sim.log"
fi

: >"$RUN/backride.conf"
# Both sides at 60x: the ~27-minute gentle session (with stretches) takes under 30 s.
"$B/daemon/backrided" --bus "$BUS" --config "$RUN/backride.conf" --time-scale 60 \
	--database "$STATE/backride.db" >"$RUN/daemon.log" 2>&1 &
pids+=($!)
wait_name org.backride "$RUN/daemon.log"

set -x
"$B/cli/backride" status
"$B/cli/backride" scan --seconds 2
"$B/cli/backride" pair C0:FF:EE:00:00:01
"$B/cli/backride" plan
# Pain before 2; pain after 1, reported when the stretches begin (both asked on a terminal
# when not given). The live view runs until the session is done.
"$B/cli/backride" start --gentle --pain 2 --pain-after 1 --yes
"$B/cli/backride" history
id=$("$B/cli/backride" --json status | sed -n 's/.*"session":{"id":\([0-9]*\).*/\1/p')
"$B/cli/backride" show "$id"
"$B/cli/backride" plan
{ set +x; } 2>/dev/null
