#!/bin/bash
# A KingSmith WalkingPad on its legacy protocol (0xFE00), end to end against backride-sim
# --walkingpad: scan finds it by its service and name (kind treadmill, protocol walkingpad),
# pair remembers it so; a gentle treadmill session waits for the confirmation (the belt never
# starts before it), counts down, starts the belt with the pad's start command, drives the
# speed within the walking cap, stops the belt at the end; the history has it and the FIT and
# TCX exports are a walk.
# The pad takes a command every 0.8 s and is polled every second, in real time: the session
# runs at time scale 10 (a status every 10 session seconds), not at the other tests' 200.
. "$(dirname "$0")/lib.sh"
SCALE=10
. "$(dirname "$0")/session-lib.sh"

PAD=C0:FF:EE:00:00:06
CHECK=$SRC/tests/integration/check-export.py
export TZ=UTC

br_setup
session_conf '[safety]' 'max_speed_kmh = 3.0' '[debug]' 'targets = yes'
session_setup --walkingpad

# ---- scan and pair ------------------------------------------------------------------------
out=$(br_cli scan --seconds 1 2>&1)
expect_match "scan lists the WalkingPad as a treadmill" "$out" "$PAD.*treadmill"
out=$(br_cli pair $PAD 2>&1)
expect_match "pair" "$out" "$PAD"
expect_eq "remembered as a treadmill on the walkingpad protocol" \
	"$(db "SELECT kind, protocol FROM machines WHERE address = '$PAD';")" "treadmill|walkingpad"

# ---- the belt waits for the confirmation ------------------------------------------------
: >"$BR_TMP/speed"
watch_sim $PAD TargetSpeed "$BR_TMP/speed"
out=$(br_cli start --gentle --treadmill --minutes 5 --pain 1 --detach </dev/null 2>&1)
expect_match "start without --yes: the belt waits" "$out" "The belt waits for a confirmation"
id=$(prop Id)
expect_eq "phase waiting" "$(prop Phase)" waiting
check "connected" wait_for 100 is true mprop $PAD Connected
sleep 3 # 30 session seconds and three real keep-alives
expect_eq "still waiting" "$(prop Phase)" waiting
expect_eq "the belt was never started" "$(sim $PAD Started)" no
check "the pad was put in manual mode and polled (its commands taken)" ge 2 sim $PAD Commands
expect_eq "no command was too fast for the pad" "$(sim $PAD Ignored)" 0
# Nothing may start a belt that waits for the user, not even the test interface.
out=$(bz call org.backride /org/backride/debug org.backride.Debug1 Command s start 2>&1) && rc=0 || rc=$?
expect_match "Debug1 start while the belt waits: refused" "$rc:$out" "^1:.*A session drives the machine"
expect_eq "the belt was not started" "$(sim $PAD Started):$(sim $PAD Belt)" no:0

check "ConfirmBelt" bz call org.backride /org/backride/session org.backride.Session1 ConfirmBelt
moving() { float_le 0.5 "$(sim $PAD Speed)"; }
check "the belt moves" wait_for 100 moving
expect_eq "a countdown of 3 s" "$(db "SELECT group_concat(value, ' ') FROM events WHERE session_id = $id AND type = 'countdown';")" "3 2 1"
check "steady" wait_for 600 phase_is steady
check "done" wait_for 900 phase_is done
check "the belt stopped at the end" wait_for 100 is 0.00 sim $PAD Speed
expect_eq "and is not running" "$(sim $PAD Started)" no
kill "$BR_WATCH_PID" 2>/dev/null || true
sleep 0.1
max=$(max_of "$BR_TMP/speed")
check "every belt speed the pad got stayed within the 3.0 km/h cap (max $max)" float_le "$max" 3.0
expect_eq "no command was too fast for the pad" "$(sim $PAD Ignored)" 0
expect_eq "completed" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed
expect_eq "recorded as a treadmill session" "$(db "SELECT kind FROM sessions WHERE id = $id;")" treadmill
check "samples with the belt's speed" \
	ge 10 db "SELECT count(*) FROM samples WHERE session_id = $id AND speed > 0;"
check "and its distance" ge 100 db "SELECT max(distance) FROM samples WHERE session_id = $id;"
expect_eq "recorded targets within the cap" \
	"$(db "SELECT max(target_speed) <= 300 FROM samples WHERE session_id = $id;")" 1
expect_eq "no sample above the cap" \
	"$(db "SELECT count(*) FROM samples WHERE session_id = $id AND speed > 300;")" 0
expect_match "history" "$(br_cli history 2>&1)" "treadmill"

# ---- exports: a walk ------------------------------------------------------------------------
for fmt in tcx fit; do
	br_cli export "$id" --format $fmt -o "$BR_TMP/s.$fmt"
	expect_eq "export $fmt checks out (FIT: sport walking)" \
		"$("$CHECK" $fmt "$BR_TMP/backride.db" "$id" "$BR_TMP/s.$fmt")" ""
done
expect_match "TCX: not a run, not a ride" "$(cat "$BR_TMP/s.tcx")" '<Activity Sport="Other">'

br_finish
