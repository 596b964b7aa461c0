#!/bin/bash
# backrided against the real bluetoothd (BlueZ 5.66) in the VM rig (the rig beside the repository, ../shared/rig):
# an FTMS bike served on the rig's peripheral controller by test-bluez-vm-peripheral.py,
# found by 'backride scan', paired, connected, subscribed, given control and a target.
# Slow (a VM boot, ~1 min without KVM): suite 'vm', opt-in:
#   BACKRIDE_VM_TESTS=1 meson test -C BUILD --suite vm
# Skipped (77) without BACKRIDE_VM_TESTS=1 or without the rig. Set RIG_NO_KVM=1 where KVM
# is present but unusable (nested virtualisation).
set -euo pipefail

BUILD=${BACKRIDE_BUILD_ROOT:?run through meson test}
SRC=${BACKRIDE_SOURCE_ROOT:?run through meson test}
# The rig beside the repository, as CI lays it out.
RIG=${BACKRIDE_RIG:-$SRC/../shared/rig/run-in-vm.sh}
# Software emulation unless told otherwise: nested KVM can exist and still hang qemu
# ("KVM internal error"); tests/vm/run-vm.sh probes it, this older test does not.
export RIG_NO_KVM=${RIG_NO_KVM:-1}

if [ "${1:-}" != --guest ]; then
	if [ -z "${BACKRIDE_VM_TESTS:-}" ]; then
		echo "SKIP: set BACKRIDE_VM_TESTS=1 to boot the VM rig"
		exit 77
	fi
	if [ ! -x "$RIG" ] || [ ! -d "${RIG_CACHE:-/var/cache/bluez-vm-rig}" ]; then
		echo "SKIP: no VM rig at $RIG (see the rig's README.md)"
		exit 77
	fi
	export RIG_PASS_ENV="BACKRIDE_BUILD_ROOT BACKRIDE_SOURCE_ROOT ${RIG_PASS_ENV:-}"
	export RIG_TIMEOUT=${RIG_TIMEOUT:-300}
	cd "$BUILD"
	exec "$RIG" "$SRC/tests/integration/test-bluez-vm.sh" --guest
fi

# ---- inside the VM: real system bus, real bluetoothd --------------------------------------
. "$SRC/tests/integration/lib.sh"
T=$(mktemp -d /tmp/backride-vm.XXXXXX)
BR_TMP=$T
pids=()
cleanup()
{
	local rc=$? p
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	# Keep the logs where meson keeps its own (the build dir is shared with the host).
	mkdir -p "$BUILD/meson-logs/bluez-vm" && cp "$T"/*.log "$BUILD/meson-logs/bluez-vm/" || true
	[ "$rc" -eq 0 ] || br_dump_logs
	exit "$rc"
}
trap cleanup EXIT

PERIPH=$RIG_PERIPHERAL_ADDR
br_use_bus "unix:path=$T/bus"
API=$BR_BUS
# wait_log FILE TEXT TENTHS: wait until TEXT is in FILE.
wait_log() { wait_for "$3" grep -q -- "$2" "$1"; }

python3 "$SRC/tests/integration/test-bluez-vm-peripheral.py" "/org/bluez/$RIG_PERIPHERAL_HCI" \
	>"$T/periph.log" 2>&1 &
pids+=($!)
wait_log "$T/periph.log" advertising 100 || br_die "the peripheral did not start"

dbus-daemon --session --nofork --nopidfile --address="$API" >"$T/dbus.log" 2>&1 &
pids+=($!)
wait_for 50 test -S "$T/bus" || true
# Debug1 targets pass the safety envelope: a 200 W cap and a fast ramp at time scale 120.
printf '[daemon]\ntime_scale = 120\n[bluez]\nadapter = %s\ncp_timeout_ms = 3000\n[safety]\nmax_power_w = 200\npower_up_w_per_min = 60\n[debug]\ntargets = yes\n' \
	"$RIG_CENTRAL_HCI" >"$T/backride.conf"
"$BUILD/daemon/backrided" --api-bus "$API" --bluez-bus system --config "$T/backride.conf" \
	--database "$T/backride.db" -v >"$T/daemon.log" 2>&1 &
pids+=($!)
wait_log "$T/daemon.log" "BlueZ is running" 100 || br_die "backrided did not see BlueZ"

# Emulated controllers in a VM without KVM are slow to advertise: try a few times.
for _ in 1 2 3; do
	out=$(br_cli scan --seconds 8)
	! grep -q "$PERIPH" <<<"$out" || break
done
expect_match "scan finds the bike served by the real bluetoothd" "$out" "$PERIPH +bike +(-?[0-9]+|-) "
out=$(br_cli pair "$PERIPH" 2>&1) && rc=0 || rc=$?
expect_match "pair (or remember it unpaired)" "$rc:$out" "^0:(Paired with|Remembered)"
check "Connect" bz call --timeout=60 org.backride /org/backride org.backride.Manager1 Connect s ""
expect_eq "Machine1.Connected" "$(mprop "$PERIPH" Connected)" true
expect_eq "features read" "$(mprop "$PERIPH" Features)" \
	"16386 12"
check "control requested on the real control point" wait_log "$T/periph.log" "op 0x00" 50
br_log "$out"
sleep 2
expect_match "live data" "$(mprop "$PERIPH" Data)" \
	'"power_w" i 100'
check "set target power" bz -q call -- org.backride /org/backride/debug org.backride.Debug1 \
	SetTarget si power 150
check "the bike got 150 W" wait_log "$T/periph.log" "target power 150" 50
check "the result arrived" wait_log "$T/daemon.log" "set target power -> success" 50
check "Disconnect" bz call org.backride /org/backride org.backride.Manager1 Disconnect s ""
br_finish
