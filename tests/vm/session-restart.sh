#!/bin/bash
# vm: bluetoothd is restarted in the middle of a gentle bike session: backrided should
# reconnect and the session complete, as in the bluetoothd-restart part of
# tests/reliability/test-rel-link.sh.
# Found against the real bluetoothd: after the restart it loads the bonded machine as
# dual-mode (SupportedTechnologies=BR/EDR;LE: LE Secure Connections pairing between two BlueZ
# controllers derives a BR/EDR link key) and, connected again, never signals Connected=true;
# only ServicesResolved. backrided took "resolved but not connected" for a lost link and
# reconnected forever; now it reads the device's properties again. backride-sim's fault
# quiet-connected does the same on the private bus (test-bluez-control.sh, test-rel-link.sh).
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"
SCALE=${SCALE:-20}

vm_session_setup --bike "$SCALE"

# ---- bluetoothd restart mid-session ---------------------------------------------------------
out=$(br_cli start --gentle --minutes 4 --detach 2>&1)
id=$(prop Id)
check "restart: steady" wait_for 600 phase_is steady
vm_restart_bluetoothd
check "restart: the link drops" wait_for 100 disconnected
check "restart: reconnected" wait_for 600 connected
check "restart: the session completes" wait_for 1200 not_session
expect_eq "restart: end reason" "$(db "SELECT end_reason FROM sessions WHERE id = $id")" completed
expect_match "restart: logged" "$(cat "$BR_TMP/daemon.log")" "went away"
expect_match "history lists it" "$(br_cli history)" " $id .*completed"

br_finish
