#!/bin/bash
# vm: bluetoothd is stopped and started again in the middle of a ride (same binary,
# arguments and main.conf as the rig; its pairing keys in /var/lib/bluetooth stay).
# backrided sees BlueZ go and come back, rebuilds its objects, reconnects and requests
# control again; backride-sim --ble registers its application and advertisement with the
# new bluetoothd. Same outcomes as the bluetoothd restart part of
# tests/integration/test-bluez.sh (there backride-sim stands in for bluetoothd).
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"

vm_setup
vm_start_sim --bike --time-scale 20 --rate 4
vm_start_daemon
vm_pair
expect_eq "connect" "$(connect "$MACHINE")" ""
check "control on connect" wait_for 50 is yes sim "$MACHINE" HasControl

vm_restart_bluetoothd
check "restart: BlueZ down seen" wait_for 100 has_event "bluez: down"
check "restart: BlueZ up again" wait_for 100 \
	ge 2 db "SELECT count(*) FROM events WHERE detail LIKE 'up:%'"
check "restart: the simulator registered again" wait_for 100 \
	ge 2 grep -c 'Registered the GATT application' "$BR_TMP/sim.log"
check "restart: reconnected" wait_for 400 is true mprop "$MACHINE" Connected
check "restart: ready" wait_for 100 is '"ready"' mprop "$MACHINE" Link
check "restart: control again" wait_for 100 is yes sim "$MACHINE" HasControl
expect_eq "restart: a target reaches the bike" "$(target power 140)" "b true"
check "restart: the bike holds 140 W" wait_for 50 is 140.00 sim "$MACHINE" TargetPower
# Not an outcome of the private suite (there the simulated bluetoothd forgets everything);
# recorded for the report: whether this bluetoothd kept the pairing.
br_log "after the restart BlueZ says Paired=$(bz get-property org.bluez "$DEVPATH" \
	org.bluez.Device1 Paired) Bonded=$(bz get-property org.bluez "$DEVPATH" org.bluez.Device1 Bonded)"

br_finish
