#!/bin/bash
# Host side of the vm suite: run one scenario (tests/vm/NAME.sh) inside the BlueZ rig VM
# (../shared/rig: Debian's real bluetoothd 5.66, two btvirt LE controllers), with
# backride-sim --ble on hci1, backrided on the VM's real system bus using hci0, and the
# real backride CLI. Exit: the scenario's status, or 77 (skipped, said loudly) when this
# host cannot run the VM at all: no rig, setup failed, no qemu, the release's bluetoothd
# cannot be built, or the rig failed (125) twice in a row.
#   run-vm.sh [--release SUITE] NAME [ARG...]
# --release trixie runs Debian 13's bluetoothd 5.82 instead of the VM's own 5.66 (built once
# by the rig's bluez-release.sh; the VM's kernel, dbus-daemon and btvirt stay the same).
# ARGs go to the scenario (session-quirk.sh QUIRK) and name its work dir.
# Environment: BACKRIDE_BUILD_ROOT, BACKRIDE_SOURCE_ROOT (from meson); BACKRIDE_RIG_DIR
# (default SRC/../shared/rig); RIG_NO_KVM=1 forces software emulation (otherwise KVM is
# probed once per build dir and dropped if the VM does not boot with it); RIG_TIMEOUT.
set -uo pipefail

BUILD=${BACKRIDE_BUILD_ROOT:?run through meson test}
SRC=${BACKRIDE_SOURCE_ROOT:?run through meson test}
RELEASE=
if [ "${1:-}" = --release ]; then
	RELEASE=${2:?usage: run-vm.sh [--release SUITE] NAME}
	shift 2
fi
NAME=${1:?usage: run-vm.sh [--release SUITE] NAME [ARG...]}
shift
RIG=${BACKRIDE_RIG_DIR:-$SRC/../shared/rig}
STATE=$BUILD/tests/vm
mkdir -p "$STATE"

skip()
{
	printf '\n*** SKIPPED: vm/%s: %s ***\n\n' "$NAME" "$*"
	printf '\n*** SKIPPED: vm/%s: %s ***\n\n' "$NAME" "$*" >&2
	exit 77
}

if [ "${BACKRIDE_VM_TESTS:-}" != 1 ]; then
	echo "SKIP: vm/$NAME boots a VM; set BACKRIDE_VM_TESTS=1 to run the vm suite"
	exit 77
fi
[ -x "$RIG/run-in-vm.sh" ] && [ -x "$RIG/setup.sh" ] || skip "no BlueZ VM rig at $RIG"

# setup.sh is idempotent; run it once per build dir (and again if its cache is gone).
RIG_CACHE=${RIG_CACHE:-/var/cache/bluez-vm-rig}
if [ ! -f "$STATE/setup.done" ] || [ ! -f "$RIG_CACHE/kernel/KVER" ]; then
	echo "# vm: running $RIG/setup.sh (log: $STATE/setup.log)"
	if ! "$RIG/setup.sh" >"$STATE/setup.log" 2>&1; then
		tail -n 20 "$STATE/setup.log" >&2
		skip "the rig's setup.sh failed (see $STATE/setup.log)"
	fi
	touch "$STATE/setup.done"
fi
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"
if [ -n "$RELEASE" ]; then
	[ -x "$RIG/bluez-release.sh" ] || skip "the rig has no bluez-release.sh for $RELEASE"
	if ! RIG_BLUETOOTHD=$("$RIG/bluez-release.sh" "$RELEASE" 2>"$STATE/bluez-$RELEASE.log"); then
		tail -n 20 "$STATE/bluez-$RELEASE.log" >&2
		skip "cannot build $RELEASE's bluetoothd (see $STATE/bluez-$RELEASE.log)"
	fi
	export RIG_BLUETOOTHD
	echo "# vm: $RELEASE's bluetoothd: $("$RIG_BLUETOOTHD" --version)"
fi

# KVM: nested KVM can be present and still fail ("KVM internal error", qemu hangs), so
# boot once with it; if that does not work, use software emulation from then on.
if [ -z "${RIG_NO_KVM:-}" ]; then
	if [ ! -w /dev/kvm ]; then
		RIG_NO_KVM=1
	elif [ -f "$STATE/kvm" ]; then
		RIG_NO_KVM=$(cat "$STATE/kvm")
	else
		echo "# vm: probing KVM (30 s at most)"
		if (cd "$STATE" && RIG_TIMEOUT=30 RIG_NO_CWD=1 "$RIG/run-in-vm.sh" true) \
			>"$STATE/kvm-probe.log" 2>&1; then
			RIG_NO_KVM=0
		else
			RIG_NO_KVM=1
			echo "# vm: KVM does not work here (see $STATE/kvm-probe.log); using TCG"
		fi
		echo "$RIG_NO_KVM" >"$STATE/kvm"
	fi
fi
export RIG_NO_KVM

WORK=$STATE/work-${RELEASE:+$RELEASE-}$NAME${1:+-$(IFS=-; echo "$*")}
rm -rf "$WORK"
mkdir -p "$WORK"
export BACKRIDE_VM_WORK=$WORK
export RIG_TIMEOUT=${RIG_TIMEOUT:-360}
# The scenario stops itself this long after it starts, leaving time for the logs.
export BACKRIDE_VM_BUDGET=$((RIG_TIMEOUT - 120))
export RIG_PASS_ENV="BACKRIDE_BUILD_ROOT BACKRIDE_SOURCE_ROOT BACKRIDE_VM_WORK BACKRIDE_VM_BUDGET ${RIG_PASS_ENV:-}"
for attempt in 1 2; do
	(cd "$WORK" && "$RIG/run-in-vm.sh" bash "$SRC/tests/vm/$NAME.sh" "$@")
	rc=$?
	[ "$rc" = 125 ] || break
	echo "# vm: the rig failed (125), attempt $attempt" >&2
done
[ "$rc" = 125 ] && skip "the VM rig failed twice (exit 125); see the log above"
[ "$rc" = 124 ] && echo "FAIL: vm/$NAME: timed out after ${RIG_TIMEOUT}s in the VM" >&2
[ "$rc" = 0 ] && rm -rf "$WORK"
exit "$rc"
