#!/bin/bash
# Fidelity check with a client nobody here wrote: Debian's bluetoothctl (BlueZ 5.66 in
# Debian 12, 5.82 in Debian 13) against backride-sim on the private bus. Scan, connect,
# list the FTMS attributes, read 0x2ACC, see notifications, drive the control point, pair.
. "$(dirname "$0")/lib.sh"
set +o pipefail

command -v bluetoothctl >/dev/null || { echo "1..0 # SKIP bluetoothctl not installed"; exit 77; }

BIKE=C0:FF:EE:00:00:01
FT=/org/bluez/hci0/dev_C0_FF_EE_00_00_01/service000f

br_setup
br_start_sim --time-scale 10
# bluetoothctl talks to the system bus: DBUS_SYSTEM_BUS_ADDRESS points at ours (lib.sh).

script()
{
	sleep 0.5
	echo "scan on"; sleep 1.2
	echo "devices"; sleep 0.2
	echo "scan off"; sleep 0.3
	echo "connect $BIKE"; sleep 1.2
	echo "menu gatt"; sleep 0.2
	echo "list-attributes $BIKE"; sleep 0.3
	echo "select-attribute 00002acc-0000-1000-8000-00805f9b34fb"; sleep 0.2
	echo "read"; sleep 0.4
	echo "select-attribute $FT/char0012"; sleep 0.2
	echo "notify on"; sleep 1.2
	echo "notify off"; sleep 0.2
	echo "select-attribute 00002ad9-0000-1000-8000-00805f9b34fb"; sleep 0.2
	echo "write 0x00"; sleep 0.4
	echo "notify on"; sleep 0.3
	echo "write 0x00"; sleep 0.4
	echo "write '0x05 0x96 0x00'"; sleep 0.4
	echo "back"; sleep 0.2
	echo "pair $BIKE"; sleep 0.8
	echo "info $BIKE"; sleep 0.3
	echo "disconnect $BIKE"; sleep 2.5
	echo "quit"
}

script | timeout 30 bluetoothctl >"$BR_TMP/btctl.raw" 2>&1 || true
# Strip colours and prompts' carriage returns.
sed 's/\x1b\[[0-9;]*[a-zA-Z]//g; s/[\x01\x02]//g; s/\r/\n/g' "$BR_TMP/btctl.raw" >"$BR_TMP/btctl.log"
LOG=$(cat "$BR_TMP/btctl.log")
has() { grep -qE -- "$1" <<<"$LOG"; }

check "bluetoothctl sees the controller and registers its agent" has "Agent registered"
check "scan: discovery started" has "Discovery started"
check "scan: the bike appears" has "\[NEW\] Device $BIKE Backride Sim Bike"
# 5.66 prints "RSSI: -58", 5.82 "RSSI: 0xffffffc6 (-58)".
check "scan: RSSI updates" has "\[CHG\] Device $BIKE RSSI: (0x[0-9a-f]+ \()?-[0-9]+"
check "scan off: RSSI is nil" has "RSSI is nil"
check "connect: successful" has "Connection successful"
check "connect: services resolved" has "ServicesResolved: yes"
check "attributes: FTMS service" has "$FT\$"
check "attributes: Fitness Machine Feature" has "00002acc-0000-1000-8000-00805f9b34fb"
check "attributes: Indoor Bike Data" has "Indoor Bike Data"
check "attributes: Control Point" has "Fitness Machine Control Point"
check "attributes: Machine Status" has "Fitness Machine Status"
check "attributes: CCCD descriptors" has "$FT/char0012/desc0014"
check "read 0x2ACC" has "86 56 00 00 0c 00 00 00"
check "notify on" has "Notify started"
n=$(grep -c "Attribute $FT/char0012 Value:" <<<"$LOG")
check "notifications arrive ($n)" test "$n" -ge 3
# bluetoothctl prints only the error name; test-sim.sh checks the message (ATT 0xfd).
check "CP write before indications fails" has "Failed to write: org.bluez.Error.Failed"
check "CP indication: Request Control success" has "80 00 01"
check "CP indication: Set Target Power success" has "80 05 01"
check "pair: Just Works" has "Pairing successful"
check "info: paired and bonded" has "Bonded: yes"
check "disconnect" has "Connected: no"
expect_eq "machine: ERG target from bluetoothctl" "$(bz get-property \
	org.backride.Sim /org/backride/Sim/dev_C0_FF_EE_00_00_01 org.backride.SimMachine1 \
	TargetPower)" "d 150"

br_finish
