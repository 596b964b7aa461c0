#!/bin/bash
# A treadmill whose firmware reads target speeds as mph: the session pauses, the belt
# slows, and the user is told why (Session1.Message, status); resuming is the user's call.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

br_setup
session_setup --treadmill --mph-firmware
br_cli pair $TREAD >/dev/null
paused_for() { [[ $(prop PauseReason) == *"$1"* ]]; }

out=$(br_cli start --gentle --treadmill --minutes 30 --yes --detach 2>&1)
expect_match "started" "$out" "started \(treadmill"
id=$(prop Id)
check "paused: speed-units" wait_for 150 paused_for speed-units
expect_match "the user is told" "$(prop Message)" "mph"
expect_match "status shows it" "$(br_cli status)" "PAUSED: speed-units"
stopped() { is 0.00 sim $TREAD Speed; }
check "the belt ramps down" wait_for 150 stopped
expect_eq "recorded" "$(db "SELECT count(*) > 0 FROM events WHERE session_id = $id AND type = 'speed-units';")" 1
sleep 1
expect_match "still paused: only the user resumes" "$(prop PauseReason)" "speed-units"
out=$(br_cli stop --pain 0)
expect_match "stop" "$out" "stopped \(stopped\)"

br_finish
