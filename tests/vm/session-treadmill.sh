#!/bin/bash
# vm: a gentle treadmill session through the real bluetoothd: the belt never moves before
# ConfirmBelt, a countdown, the speed cap as the machine saw it, stop ramps the belt down;
# the safety key ends a session for good. Same outcomes as the first two parts of
# tests/integration/test-session-treadmill.sh.
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"
SCALE=${SCALE:-50}

vm_session_setup --treadmill "$SCALE" '[safety]' 'max_speed_kmh = 3.0'

# ---- the belt waits for the confirmation ----------------------------------------------------
: >"$BR_TMP/speed"
watch_sim "$MACHINE" TargetSpeed "$BR_TMP/speed"
out=$(br_cli start --gentle --treadmill --minutes 30 --pain 1 --detach </dev/null 2>&1)
expect_match "start without --yes and without a terminal: the belt waits" "$out" \
	"The belt waits for a confirmation"
id=$(prop Id)
check "phase waiting" wait_for 300 phase_is waiting
sleep 8 # 400 s of session time
expect_eq "still waiting after 400 session seconds" "$(prop Phase)" waiting
check "the belt never got a speed before ConfirmBelt" \
	[ "$(sort -u "$BR_TMP/speed" | tr '\n' ' ')" = "0.00 " ]
expect_eq "the belt was never started" "$(sim "$MACHINE" Started)" no
check "ConfirmBelt" bz call org.backride /org/backride/session org.backride.Session1 ConfirmBelt
check "warm-up after the countdown" wait_for 300 phase_is warmup
expect_eq "a countdown of 3 s" "$(db "SELECT group_concat(value, ' ') FROM events WHERE session_id = $id AND type = 'countdown';")" "3 2 1"
moving() { float_le 0.5 "$(sim "$MACHINE" Speed)"; }
check "the belt moves" wait_for 300 moving
check "steady" wait_for 600 phase_is steady
out=$(br_cli stop --pain 2)
expect_match "stop" "$out" "Session $id stopped \(stopped\)"
check "the belt stopped after stop" wait_for 300 is 0.00 sim "$MACHINE" Speed
expect_eq "and is not running" "$(sim "$MACHINE" Started)" no
expect_eq "recorded as stopped, pain after" "$(db "SELECT end_reason, pain_after FROM sessions WHERE id = $id;")" "stopped|2"
kill "$BR_WATCH_PID" 2>/dev/null || true
max=$(max_of "$BR_TMP/speed")
check "every belt speed the machine got stayed within the 3.0 km/h cap (max $max)" float_le "$max" 3.0
expect_eq "recorded targets within the cap" "$(db "SELECT max(target_speed) <= 300 FROM samples;")" 1

# ---- the safety key ---------------------------------------------------------------------------
out=$(br_cli start --gentle --treadmill --minutes 30 --yes --detach 2>&1)
expect_match "start --yes" "$out" "started \(treadmill"
id=$(prop Id)
check "steady" wait_for 600 phase_is steady
check "safety key pulled" ctl safety-key "$MACHINE"
check "the session ends" wait_for 300 phase_is done
expect_eq "EndReason safety-key" "$(prop EndReason)" safety-key
sleep 2
expect_eq "never resumed" "$(prop Phase)" done
expect_eq "the belt stays stopped" "$(sim "$MACHINE" Speed):$(sim "$MACHINE" Started)" 0.00:no
expect_eq "recorded" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" safety-key

br_finish
