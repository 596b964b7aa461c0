#!/bin/bash
# vm: the peripheral drops the link (backride-sim ctl drop-link: Device1.Disconnect on the
# central's device object as seen from hci1), backrided sees the link loss, reconnects at
# once (the link carried data) and requests control again. Then the machine takes control away (Machine Status
# 0xFF) and backrided requests it again. Same outcomes as the link-loss and lost-control
# parts of tests/integration/test-bluez.sh.
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"

vm_setup
vm_start_sim --bike --time-scale 20 --rate 4
vm_start_daemon
vm_pair
expect_eq "connect" "$(connect "$MACHINE")" ""
check "control on connect" wait_for 50 is yes sim "$MACHINE" HasControl
expect_eq "ERG 120 W queued" "$(target power 120)" "b true"
check "the bike holds 120 W" wait_for 50 is 120.00 sim "$MACHINE" TargetPower

# ---- Link loss: reconnect at once, control again ---------------------------------------------
check "live data before the drop" wait_for 100 matches power_w mprop "$MACHINE" Data
ctl drop-link "$MACHINE"
check "the peripheral dropped the link" wait_for 100 is no sim "$MACHINE" Connected
check "link loss is seen" wait_for 100 has_event "machine $MACHINE: link lost"
check "a link that carried data: reconnect at once" wait_for 100 \
	has_event "machine $MACHINE: reconnecting at once"
check "reconnected" wait_for 300 is true mprop "$MACHINE" Connected
check "ready again" wait_for 100 is '"ready"' mprop "$MACHINE" Link
check "control again after reconnect" wait_for 100 is yes sim "$MACHINE" HasControl
check "live data again" wait_for 100 matches power_w mprop "$MACHINE" Data
expect_eq "a new target after the reconnect" "$(target power 130)" "b true"
check "the bike holds 130 W" wait_for 50 is 130.00 sim "$MACHINE" TargetPower

# ---- Lost control: request it again ----------------------------------------------------------
ctl lose-control "$MACHINE"
check "control permission lost is seen" wait_for 50 has_event "control permission lost"
check "control requested again" wait_for 50 is yes sim "$MACHINE" HasControl

br_finish
