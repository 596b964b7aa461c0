#!/bin/bash
# vm: a whole gentle bike session through the real bluetoothd against a machine with a quirk
# (backride-sim --ble --quirk QUIRK; sim/README.md, "Quirks", says what each one does and
# where it was reported). Whatever the machine does differently, the session completes:
# its phases in order, one sample per session second with power, cadence and target, and
# every target the bike got and every one recorded within the 40 W cap. What backride does
# about each quirk (telling the user, learning a range...) is checked by the quirk's own
# integration test on the private bus; this one shows that the real bluetoothd does not
# change the outcome. QUIRK "none" runs the same session against the plain bike.
#   run-vm.sh session-quirk QUIRK
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"
# shellcheck source=tests/integration/session-bike-lib.sh
. "$BACKRIDE_SOURCE_ROOT/tests/integration/session-bike-lib.sh"
QUIRK=${1:?usage: session-quirk.sh QUIRK|none}
SCALE=${SCALE:-50}

[ "$QUIRK" = none ] || VM_SIM_ARGS=(--quirk "$QUIRK")
vm_session_setup --bike "$SCALE" '[safety]' 'max_power_w = 40'
br_log "quirk: $QUIRK"

session_bike_whole "$MACHINE"
kill "$BR_WATCH_PID" 2>/dev/null || true
sleep 0.1
max=$(max_of "$BR_TMP/power")
check "every target the bike got stayed within the 40 W cap (max $max)" float_le "${max:-0}" 40
expect_eq "every recorded target within the cap" \
	"$(db "SELECT max(target_power) <= 40 FROM samples WHERE session_id = $id;")" 1

br_finish
