#!/bin/bash
# Session1.Ease against the simulated bike: the rider asks for less and the target drops one step
# (85 %, as pain 4-5), is held there, and is recorded as an 'ease' event with the reason 'asked';
# refused with a named error without a session, while paused, while a treadmill's belt waits for
# its confirmation (nothing to ease: the belt stays stopped) and once the session is over.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

br_setup
session_conf
session_setup --bike --treadmill
br_cli pair $TREAD >/dev/null
br_cli pair $BIKE >/dev/null

ease_call() { bz call org.backride /org/backride/session org.backride.Session1 Ease 2>&1; }
target_power() { prop Targets | grep -o 'power [0-9]*' | awk '{ print $2 }'; }

# No session yet: the object may not exist at all, or says NotFound.
out=$(br_cli ease 2>&1) && rc=0 || rc=$?
expect_match "ease without a session is refused" "$rc:$out" "^[1-9]:backride: .*(No session|no session)"

out=$(br_cli start --gentle --minutes 90 --detach 2>&1)
id=$(prop Id)
check "steady" wait_for 150 phase_is steady
check "at the steady target" wait_for 100 is 45 target_power
expect_match "ease" "$(br_cli ease)" "^Eased"
check "the target drops one step (85 % of 45 W)" wait_for 100 is 38 target_power
check "the bike follows" wait_for 100 is 38.00 sim "$BIKE" TargetPower
expect_match "recorded: ease, asked" "$(events)" "ease: asked"
expect_match "recorded: the reduction and why" "$(events)" "reduce: asked: target -15 %"
expect_eq "no pain is recorded for it" "$(prop PainMax)" "-1"
expect_match "ease --json" "$(br_cli ease --json)" '^\{"eased":true\}$'
# 85 % of the level, 38.25 W before rounding to the bike's 1 W: 32.5 W.
check "one more step (85 % of 38.25 W)" wait_for 100 is 33 target_power
sleep 1 # 200 session s: held, never ramped back up
expect_eq "held" "$(target_power)" 33

expect_match "pause" "$(br_cli pause)" "Paused"
out=$(ease_call) && rc=0 || rc=$?
expect_match "ease while paused: NotPermitted" "$rc:$out" "^1:.*The session is paused: there is nothing to ease"
expect_eq "two ease events, no third" \
	"$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'ease';")" 2
expect_match "resume" "$(br_cli resume)" "Resumed"

expect_match "stop" "$(br_cli stop --pain 1)" "stopped"
check "done" wait_for 150 phase_is done
out=$(br_cli ease 2>&1) && rc=0 || rc=$?
expect_match "ease once it is over: NotFound, one line" "$rc:$out" "^1:backride: No session is running"
expect_match "show lists the ease" "$(br_cli show "$id")" "ease"

# ---- a treadmill's belt that waits for its confirmation: nothing to ease ------------------
out=$(br_cli start --gentle --treadmill --minutes 30 --pain 1 --detach </dev/null 2>&1)
check "the belt waits" wait_for 150 phase_is waiting
out=$(br_cli ease 2>&1) && rc=0 || rc=$?
expect_match "ease while the belt waits: NotPermitted, one line" "$rc:$out" \
	"^1:backride: Nothing to ease now: a target eases only from the warm-up to the cool-down.$"
expect_eq "the belt was never started" "$(sim $TREAD Started)" no
expect_match "stop" "$(br_cli stop)" "stopped"
br_finish
