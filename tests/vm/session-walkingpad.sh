#!/bin/bash
# vm: a KingSmith WalkingPad (backride-sim --ble --walkingpad: service 0xFE00, its status
# notified on 0xFE01, commands written without response to 0xFE02) through the real
# bluetoothd: found by scan as a treadmill, paired, a gentle session whose belt waits for the
# confirmation, counts down, starts and keeps within the speed cap, and stops; no command
# faster than the pad takes. Same outcomes as tests/integration/test-session-walkingpad.sh.
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"
# The pad's 0.8 s command spacing and its 1 s poll are real time: a low time scale.
SCALE=${SCALE:-10}

vm_session_setup --walkingpad "$SCALE" '[safety]' 'max_speed_kmh = 3.0'
expect_eq "remembered as a treadmill on the walkingpad protocol" \
	"$(db "SELECT kind, protocol FROM machines WHERE address = '$MACHINE';")" "treadmill|walkingpad"

: >"$BR_TMP/speed"
watch_sim "$MACHINE" TargetSpeed "$BR_TMP/speed"
out=$(br_cli start --gentle --treadmill --minutes 5 --pain 1 --detach </dev/null 2>&1)
expect_match "start without --yes: the belt waits" "$out" "The belt waits for a confirmation"
id=$(prop Id)
check "phase waiting" wait_for 300 phase_is waiting
check "connected through the real bluetoothd" wait_for 600 connected
sleep 5 # five keep-alives through the real bluetoothd
expect_eq "still waiting" "$(prop Phase)" waiting
expect_eq "the belt was never started" "$(sim "$MACHINE" Started)" no
check "the pad took commands (manual mode, status queries)" ge 3 sim "$MACHINE" Commands
check "ConfirmBelt" bz call org.backride /org/backride/session org.backride.Session1 ConfirmBelt
moving() { float_le 0.5 "$(sim "$MACHINE" Speed)"; }
check "the belt moves" wait_for 600 moving
expect_eq "a countdown of 3 s" "$(db "SELECT group_concat(value, ' ') FROM events WHERE session_id = $id AND type = 'countdown';")" "3 2 1"
check "steady" wait_for 900 phase_is steady
out=$(br_cli stop --pain 2)
expect_match "stop" "$out" "Session $id stopped \(stopped\)"
check "the belt stopped after stop" wait_for 300 is 0.00 sim "$MACHINE" Speed
expect_eq "and is not running" "$(sim "$MACHINE" Started)" no
kill "$BR_WATCH_PID" 2>/dev/null || true
max=$(max_of "$BR_TMP/speed")
check "every belt speed the pad got stayed within the 3.0 km/h cap (max $max)" float_le "$max" 3.0
expect_eq "no command was too fast for the pad" "$(sim "$MACHINE" Ignored)" 0
check "samples with the belt's speed" \
	ge 3 db "SELECT count(*) FROM samples WHERE session_id = $id AND speed > 0;"

br_finish
