#!/bin/bash
# vm: scan, pair and trust against the real bluetoothd, with backride-sim --ble as the bike.
# Same outcomes as the scan and pair parts of tests/integration/test-bluez.sh, except:
# - RSSI: btvirt reports 127 (HCI "not available") for every advert, which backrided shows
#   as unknown ("-", null in JSON); backride-sim -40..-90. So RSSI is a number or "-" here.
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"

vm_setup
vm_start_sim --bike --time-scale 20 --rate 4
vm_start_daemon

# ---- Scan ---------------------------------------------------------------------------------
# Longer than the private suite: discovery starts slowly under software emulation.
out=$(vm_scan --seconds 8)
expect_match "scan: header" "$out" "^ADDRESS +KIND +RSSI +NAME"
expect_match "scan: the bike, kind from its Service Data, with RSSI and name" "$out" \
	"$MACHINE +bike +(-?[0-9]+|-) +Backride Sim Bike"
out=$(vm_scan --seconds 6 --json)
check "scan --json: the bike as one JSON object per line" python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.argv[1].splitlines()]
assert any(o["address"] == sys.argv[2] and o["kind"] == "bike" for o in objs), objs
assert all(set(o) == {"address", "name", "kind", "rssi", "protocol"} for o in objs)
assert all(o["protocol"] == "ftms" for o in objs if o["kind"] != "hr"), objs
' "$out" "$MACHINE"
expect_eq "state is idle after the scan" "$(state)" idle
expect_eq "Machine1.Kind from ServiceData" "$(mprop "$MACHINE" Kind)" '"bike"'
expect_eq "Machine1.Remembered before pairing" "$(mprop "$MACHINE" Remembered)" "false"
out=$(br_cli machines)
expect_match "machines: found, not remembered" "$out" "$MACHINE +bike +found +no"

# ---- Pair and trust -------------------------------------------------------------------------
out=$(br_cli pair 11:22:33:44:55:66 2>&1) && rc=0 || rc=$?
expect_match "pair an unknown address: exit 1, says what to do" "$rc:$out" "^1:.*run 'backride scan'"
out=$(br_cli pair "$MACHINE" 2>&1) && rc=0 || rc=$?
expect_match "pair the bike" "$rc:$out" "^0:Paired with Backride Sim Bike \\($MACHINE, bike\\)"
expect_eq "the bike is trusted in BlueZ" \
	"$(bz get-property org.bluez "$DEVPATH" org.bluez.Device1 Trusted)" "b true"
paired=$(bz get-property org.bluez "$DEVPATH" org.bluez.Device1 Paired)
br_log "BlueZ Device1.Paired after pair: $paired"
row=$(db \
	"SELECT address, kind, trusted, preferred FROM machines WHERE address='$MACHINE';")
expect_eq "the bike is remembered, trusted and preferred" "$row" "$MACHINE|bike|1|1"
out=$(br_cli machines)
expect_match "machines: remembered" "$out" "$MACHINE +bike +[a-z]+ +yes"
check "no handles left open" bash -c "! grep -q 'handles still open' '$BR_TMP/daemon.log'"

br_finish
