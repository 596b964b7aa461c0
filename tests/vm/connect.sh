#!/bin/bash
# vm: connect to backride-sim --ble through the real bluetoothd: ready, Request Control,
# Feature and ranges read, live data, control point targets (org.backride.Debug1), and a
# clean disconnect. Same outcomes as the connect parts of tests/integration/test-bluez.sh
# and the ERG/resistance parts of test-bluez-control.sh.
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"

vm_setup
vm_start_sim --bike --time-scale 20 --rate 4
vm_start_daemon
vm_pair

# ---- Connect --------------------------------------------------------------------------------
out=$(connect "")
expect_eq "Connect with no address: the remembered bike" "$out" ""
expect_eq "connected" "$(mprop "$MACHINE" Connected)" "true"
expect_eq "Link ready" "$(mprop "$MACHINE" Link)" '"ready"'
expect_eq "state is ready" "$(state)" ready
check "the peripheral sees the link" wait_for 50 is yes sim "$MACHINE" Connected
check "control requested on connect" wait_for 50 is yes sim "$MACHINE" HasControl
expect_match "features read" "$(mprop "$MACHINE" Features)" "^[1-9][0-9]* [0-9]+$"
expect_match "ranges read" "$(mprop "$MACHINE" Ranges)" "\"power\" 10 800 1"
check "live data arrives" wait_for 100 matches power_w mprop "$MACHINE" Data
expect_match "status says ready" "$(br_cli status)" "State: ready"
check "events record the sequence" has_event "link: machine $MACHINE: ready"
out=$(connect "$MACHINE")
expect_eq "Connect the connected machine again: fine" "$out" ""

# ---- What this bluetoothd exports (docs/real-bluez.md, "5.66 and 5.82") ---------------------
# 5.69 and later give every remote attribute a read-only Handle (the number in its path);
# backrided finds attributes by UUID and works without it.
ver=$(vm_bluez_version)
cp=$(vm_char_path 2ad9)
expect_match "the control point's object" "$cp" "^$DEVPATH/service[0-9a-f]{4}/char[0-9a-f]{4}$"
handle=$(bz get-property org.bluez "$cp" org.bluez.GattCharacteristic1 Handle 2>&1) || true
if vm_bluez_at_least 5.69; then
	expect_eq "bluetoothd $ver: the control point's Handle is the number in its path" \
		"$handle" "q $((16#${cp##*char}))"
else
	expect_match "bluetoothd $ver: no Handle on a remote characteristic" "$handle" \
		"[Nn]o such property|InvalidArgs|[Uu]nknown property"
fi
expect_match "bluetoothd $ver: the characteristic's MTU" \
	"$(bz get-property org.bluez "$cp" org.bluez.GattCharacteristic1 MTU)" "^q [0-9]+$"

# ---- Control point: ERG and resistance --------------------------------------------------------
expect_eq "ERG 150 W queued" "$(target power 150)" "b true"
check "the bike holds 150 W" wait_for 50 is 150.00 sim "$MACHINE" TargetPower
check "result reported: success" wait_for 50 has_event "set target power -> success"
expect_eq "the same target again is skipped" "$(target power 150)" "b false"
expect_eq "a huge target is capped by the safety envelope" "$(target power 30000)" "b true"
check "the bike got the 200 W cap, not 30000 W nor the range's 800 W" \
	wait_for 50 is 200.00 sim "$MACHINE" TargetPower
expect_eq "resistance 5.0 queued" "$(target resistance 50)" "b true"
check "resistance result reported" wait_for 50 has_event "set target resistance level -> success"
check "the bike is in resistance mode" wait_for 50 is resistance sim "$MACHINE" Mode

# ---- Disconnect ---------------------------------------------------------------------------------
check "Disconnect" bz call org.backride /org/backride org.backride.Manager1 Disconnect s ""
expect_eq "disconnected" "$(mprop "$MACHINE" Connected)" "false"
expect_eq "state idle" "$(state)" idle
check "BlueZ drops the link" wait_for 100 is "b false" \
	bz get-property org.bluez "$DEVPATH" org.bluez.Device1 Connected
check "the peripheral sees the link go" wait_for 100 is no sim "$MACHINE" Connected
check "no handles left open" bash -c "! grep -q 'handles still open' '$BR_TMP/daemon.log'"

br_finish
