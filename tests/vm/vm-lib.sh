#!/bin/bash
# Inside the rig VM (see run-vm.sh): the real system bus and bluetoothd, hci0 for
# backrided (central), hci1 for backride-sim --ble (peripheral). Extends
# tests/integration/lib.sh (its vocabulary, checks and teardown) and redefines none of its
# functions. Source it from a scenario:
#   . "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"
#   vm_setup; vm_start_sim --bike --time-scale 20; vm_start_daemon
# The guest's /etc and /tmp are throw-away tmpfs overlays; logs are copied to
# BACKRIDE_VM_WORK (the host's build dir) at the end.
. "$BACKRIDE_SOURCE_ROOT/tests/integration/lib.sh"
# The rig's own settings (bluetoothd path and arguments).
# shellcheck disable=SC1091
[ -f /run/rig/config.sh ] && . /run/rig/config.sh

CENTRAL=${RIG_CENTRAL_HCI:-hci0}
PERIPHERAL=${RIG_PERIPHERAL_HCI:-hci1}
# The simulated machine has the peripheral adapter's address.
MACHINE=${RIG_PERIPHERAL_ADDR:?not inside the rig VM}
DEVPATH=/org/bluez/$CENTRAL/dev_${MACHINE//:/_}

# lib.sh's helpers (bz, br_cli, ctl, sim, prop, mprop, state, target, db, wait_for...) on the
# real system bus, every call bounded: a stuck daemon or simulator fails a check instead of
# hanging the VM. watch_sim samples every 50 ms.
# shellcheck disable=SC2034
BR_BUSCTL=(--system --timeout=20)
BR_BUS_ARGS=()
BR_CTL_WRAP=(timeout 20)
BR_WATCH_STEP=0.05
# Extra arguments of the simulated machine in vm_session_setup (session-quirk.sh: --quirk Q).
VM_SIM_ARGS=()
connect() { bz call --timeout=60 org.backride /org/backride org.backride.Manager1 Connect s "$1" 2>&1; }
# vm_scan ARGS...: backride scan, once the previous scan has really stopped.
# Real BlueZ finishes StopDiscovery asynchronously (MGMT Stop Discovery) and answers a
# StartDiscovery from the same client meanwhile with InProgress; backrided takes that for
# "already scanning" and the new scan finds nothing. backride-sim stops at once, so the
# private-bus suite never sees it. Until backrided waits for its StopDiscovery, wait here.
vm_scan()
{
	wait_for 100 is "b false" bz get-property org.bluez "/org/bluez/$CENTRAL" \
		org.bluez.Adapter1 Discovering
	br_cli scan "$@"
}

vm_cleanup()
{
	local rc=$?
	if [ -n "${BACKRIDE_VM_WORK:-}" ]; then
		cp /run/rig/bluetoothd.log "$BACKRIDE_VM_WORK"/bluetoothd-1.log 2>/dev/null
		[ -f "$BR_TMP/backride.db" ] &&
			db ".backup '$BACKRIDE_VM_WORK/backride.db'" 2>/dev/null
	fi
	(exit "$rc")
	br_cleanup
}

# vm_setup: a work dir, bus policies for org.backride and org.backride.Sim on the real
# system bus (root may own both; the guest's /etc is a tmpfs overlay).
vm_setup()
{
	local f
	BR_TMP=$(mktemp -d /tmp/backride-vm.XXXXXX)
	trap vm_cleanup EXIT
	trap 'exit 130' INT TERM
	# Logs straight into the host's work dir, so that they survive a VM that times out.
	if [ -n "${BACKRIDE_VM_WORK:-}" ]; then
		for f in daemon sim bluetoothd-2; do
			: >"$BACKRIDE_VM_WORK/$f.log"
			ln -s "$BACKRIDE_VM_WORK/$f.log" "$BR_TMP/$f.log"
		done
	fi
	# End in time to leave the logs (the rig kills the VM at RIG_TIMEOUT).
	(sleep "${BACKRIDE_VM_BUDGET:-240}" && kill -TERM $$) >/dev/null 2>&1 &
	install -m 644 "$SRC/dbus/org.backride.conf" /etc/dbus-1/system.d/org.backride.conf
	cat >/etc/dbus-1/system.d/org.backride.Sim.conf <<'XML'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "https://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <policy user="root">
    <allow own="org.backride.Sim"/>
    <allow send_destination="org.backride.Sim"/>
  </policy>
</busconfig>
XML
	dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.ReloadConfig >/dev/null || br_die "dbus ReloadConfig failed"
	br_log "central $CENTRAL $RIG_CENTRAL_ADDR, peripheral $PERIPHERAL $MACHINE"
}

# vm_has_name NAME: NAME has an owner on the system bus. (busctl status needs the owner's
# credentials, which fail in the VM.)
vm_has_name()
{
	dbus-send --system --print-reply=literal --dest=org.freedesktop.DBus \
		/org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null |
		grep -q true
}

# vm_wait_name NAME [TENTHS]: wait until NAME has an owner on the system bus.
vm_wait_name() { wait_for "${2:-100}" vm_has_name "$1" || br_die "$1 did not appear on the system bus"; }

# vm_start_sim ARGS...: backride-sim as a BLE peripheral on the peripheral adapter.
# --readvertise: btvirt sends one advertising report per scan, at the instant scanning
# starts, and bluetoothd drops it when it overtakes the Start Discovery reply (then a scan
# finds nothing); advertising afresh every second stands in for a real advertising interval.
vm_start_sim()
{
	"$BACKRIDE_SIM" --ble --adapter "$PERIPHERAL" --readvertise 1000 "$@" \
		>>"$BR_TMP/sim.log" 2>&1 &
	BR_SIM_PID=$!
	br_pids+=("$BR_SIM_PID")
	vm_wait_name org.backride.Sim
	wait_for 100 grep -q "Registered the advertisement" "$BR_TMP/sim.log" ||
		br_die "the simulator did not register its advertisement"
	wait_for 100 grep -q "Registered the GATT application" "$BR_TMP/sim.log" ||
		br_die "the simulator did not register its GATT application"
}

# vm_start_daemon [ARGS...]: backrided on the system bus, adapter hci0, fast retries, Debug1
# with quick envelope ramps (unless the scenario wrote its own config).
vm_start_daemon()
{
	[ -f "$BR_TMP/backride.conf" ] || cat >"$BR_TMP/backride.conf" <<CONF
[bluez]
adapter = $CENTRAL
cp_timeout_ms = 2000
cp_retries = 2
reconnect_min_ms = 200
reconnect_max_ms = 2000
connect_timeout_ms = 30000
[debug]
targets = yes
# Debug1 targets pass the safety envelope: caps and up rates at their bounds' highest and
# time 120x, so a target ramps up in about a second (10 -> 150 W at 60 W/min, scaled).
[daemon]
time_scale = 120
[safety]
max_power_w = 200
power_up_w_per_min = 60
resistance_up_percent_per_min = 30
CONF
	"$BACKRIDED" --config "$BR_TMP/backride.conf" --database "$BR_TMP/backride.db" "$@" \
		>>"$BR_TMP/daemon.log" 2>&1 &
	BR_DAEMON_PID=$!
	br_pids+=("$BR_DAEMON_PID")
	vm_wait_name org.backride 200
	wait_for 100 has_event "bluez: up" || br_die "the daemon did not see BlueZ"
}

# vm_pair: scan until the machine is found, then pair it (the scenarios' common start).
vm_pair()
{
	local n=0 out
	while :; do
		out=$(vm_scan --seconds 8) || true
		grep -q "^$MACHINE " <<<"$out" && break
		n=$((n + 1))
		[ "$n" -lt 3 ] || br_die "the machine was not found by scanning: $out"
	done
	br_cli pair "$MACHINE" >/dev/null || br_die "pairing failed"
}

# vm_session_setup SIM_KIND SCALE [CONFIG_LINE...]: the common start of the session
# scenarios: a config with quick reconnects on the central adapter (then the lines given), the
# simulated machine (--bike or --treadmill, then the arguments in the array VM_SIM_ARGS) and
# backrided at time scale SCALE, the machine paired.
vm_session_setup()
{
	local kind=$1 scale=$2
	shift 2
	vm_setup
	{
		printf '[bluez]\nadapter = %s\nreconnect_min_ms = 200\nreconnect_max_ms = 2000\n' \
			"$CENTRAL"
		printf 'connect_timeout_ms = 30000\n'
		printf '%s\n' "$@"
	} >"$BR_TMP/backride.conf"
	vm_start_sim "$kind" --time-scale "$scale" "${VM_SIM_ARGS[@]}"
	vm_start_daemon --time-scale "$scale"
	vm_pair
}
connected() { [ "$(mprop "$MACHINE" Connected)" = true ]; }
disconnected() { ! connected; }
not_session() { [ "$(state)" != session ]; }

# vm_bluez_version: the version of the bluetoothd under test (5.66, or the rig's
# RIG_BLUETOOTHD: 5.82 for vm582-*).
vm_bluez_version() { "${RIG_BLUETOOTHD:-/usr/libexec/bluetooth/bluetoothd}" --version; }

# vm_bluez_at_least VERSION: the bluetoothd under test is VERSION or newer.
vm_bluez_at_least()
{
	[ "$(printf '%s\n' "$1" "$(vm_bluez_version)" | sort -V | head -n 1)" = "$1" ]
}

# vm_char_path UUID16: the object path of the machine's characteristic UUID16 (2ad9...).
vm_char_path()
{
	bz call org.bluez / org.freedesktop.DBus.ObjectManager GetManagedObjects --json=short |
		python3 -c '
import json, sys
objs = json.load(sys.stdin)["data"][0]
want = "0000%s-0000-1000-8000-00805f9b34fb" % sys.argv[2]
for path, ifaces in sorted(objs.items()):
    c = ifaces.get("org.bluez.GattCharacteristic1")
    if c and path.startswith(sys.argv[1] + "/") and c["UUID"]["data"] == want:
        print(path)
        break
' "$DEVPATH" "$1"
}

# vm_bluetoothd_pid: the pid of the bluetoothd that owns org.bluez now.
vm_bluetoothd_pid()
{
	dbus-send --system --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.GetConnectionUnixProcessID string:org.bluez | awk '{print $2}'
}

# vm_restart_bluetoothd: stop bluetoothd and start it again as the rig does (same binary,
# arguments and /etc/bluetooth/main.conf; its state in /var/lib/bluetooth stays).
vm_restart_bluetoothd()
{
	local pid
	pid=$(vm_bluetoothd_pid)
	[ -n "$pid" ] || br_die "no bluetoothd owns org.bluez"
	kill -TERM "$pid"
	br_wait_exit "$pid" 100 || kill -KILL "$pid"
	# shellcheck disable=SC2086
	"${RIG_BLUETOOTHD:-/usr/libexec/bluetooth/bluetoothd}" -n ${RIG_BLUETOOTHD_ARGS:-} \
		>>"$BR_TMP/bluetoothd-2.log" 2>&1 &
	br_log "bluetoothd $pid stopped, started again as $!"
	vm_wait_name org.bluez 100
}
