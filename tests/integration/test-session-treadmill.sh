#!/bin/bash
# Gentle sessions on the simulated treadmill: the belt never moves before
# ConfirmBelt (nor a Debug1 Start), a countdown, the speed cap as the sim saw it, stop ramps the
# belt down, the safety key ends the session and it never resumes; SIGTERM ramps the belt down
# first.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

br_setup
cat >"$BR_TMP/backride.conf" <<EOF
[safety]
max_speed_kmh = 3.0
[bluez]
reconnect_min_ms = 100
reconnect_max_ms = 400
[debug]
targets = yes
EOF
session_setup --treadmill
br_cli pair $TREAD >/dev/null

# ---- the belt waits for the confirmation ------------------------------------------------
: >"$BR_TMP/speed"
watch_sim $TREAD TargetSpeed "$BR_TMP/speed"
out=$(br_cli start --gentle --treadmill --minutes 30 --pain 1 --detach </dev/null 2>&1)
expect_match "start without --yes and without a terminal: the belt waits" "$out" \
	"The belt waits for a confirmation"
id=$(prop Id)
expect_eq "phase waiting" "$(prop Phase)" waiting
sleep 2 # 400 s of session time
expect_eq "still waiting after 400 session seconds" "$(prop Phase)" waiting
check "the belt never got a speed before ConfirmBelt" \
	[ "$(sort -u "$BR_TMP/speed" | tr '\n' ' ')" = "0.00 " ]
expect_eq "the belt was never started" "$(sim $TREAD Started)" no
# Nothing may start a belt that waits for the user, not even the test interface.
out=$(bz call org.backride /org/backride/debug org.backride.Debug1 \
	Command s start 2>&1) && rc=0 || rc=$?
expect_match "Debug1 start while the belt waits: refused (Busy)" "$rc:$out" \
	"^1:.*A session drives the machine"
expect_eq "still waiting" "$(prop Phase)" waiting
expect_eq "the belt was not started" "$(sim $TREAD Started)" no
out=$(br_cli start --gentle --detach 2>&1) && rc=0 || rc=$?
expect_match "Busy while one waits" "$rc:$out" "^1:.*already running"
check "ConfirmBelt" bz call org.backride /org/backride/session \
	org.backride.Session1 ConfirmBelt
check "warm-up after the countdown" wait_for 50 phase_is warmup
expect_eq "a countdown of 3 s" "$(db "SELECT group_concat(value, ' ') FROM events WHERE session_id = $id AND type = 'countdown';")" "3 2 1"
moving() { float_le 0.5 "$(sim $TREAD Speed)"; }
check "the belt moves" wait_for 50 moving
check "steady" wait_for 100 phase_is steady
sleep 1
out=$(br_cli stop --pain 2)
expect_match "stop" "$out" "Session $id stopped \(stopped\)"
check "the belt stopped after stop" wait_for 50 is 0.00 sim $TREAD Speed
expect_eq "and is not running" "$(sim $TREAD Started)" no
expect_eq "recorded as stopped, pain after" "$(db "SELECT end_reason, pain_after FROM sessions WHERE id = $id;")" "stopped|2"
kill "$BR_WATCH_PID" 2>/dev/null || true
sleep 0.1
max=$(max_of "$BR_TMP/speed")
check "every belt speed the sim got stayed within the 3.0 km/h cap (max $max)" float_le "$max" 3.0
expect_eq "recorded targets within the cap" "$(db "SELECT max(target_speed) <= 300 FROM samples;")" 1

# ---- the safety key ---------------------------------------------------------------------
out=$(br_cli start --gentle --treadmill --minutes 30 --yes --detach 2>&1)
expect_match "start --yes" "$out" "started \(treadmill"
id=$(prop Id)
check "steady" wait_for 150 phase_is steady
check "safety key pulled" ctl safety-key $TREAD
check "the session ends" wait_for 50 phase_is done
expect_eq "EndReason safety-key" "$(prop EndReason)" safety-key
sleep 1
expect_eq "never resumed" "$(prop Phase)" done
expect_eq "the belt stays stopped" "$(sim $TREAD Speed):$(sim $TREAD Started)" 0.00:no
out=$(br_cli resume 2>&1) && rc=0 || rc=$?
expect_match "resume after the safety key: no session" "$rc:$out" "^1:.*No session is running"
expect_eq "recorded" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" safety-key

expect_match "plan: for the treadmill, the kind used last" "$(br_cli plan)" \
	"^Next treadmill session: .* at [0-9.]+ km/h"

# ---- SIGTERM: the belt ramps down and stops before the daemon exits ----------------------
out=$(br_cli start --gentle --treadmill --minutes 30 --yes --detach 2>&1)
id=$(prop Id)
check "steady" wait_for 150 phase_is steady
check "the belt moves" moving
kill -TERM "$BR_DAEMON_PID"
rc=0
wait "$BR_DAEMON_PID" || rc=$?
expect_eq "SIGTERM: exit 0" "$rc" 0
expect_eq "SIGTERM: the belt was stopped (not running, speed 0 soon)" "$(sim $TREAD Started)" no
check "SIGTERM: belt at rest" wait_for 50 is 0.00 sim $TREAD Speed
expect_eq "SIGTERM: the belt ramped down first (stopping in the events)" \
	"$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'phase' AND detail = 'stopping';")" 1
expect_eq "SIGTERM: session closed" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" shutdown

br_finish
