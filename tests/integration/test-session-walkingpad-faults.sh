#!/bin/bash
# A WalkingPad's faults in a session (backride-sim --walkingpad): malformed status frames are
# counted and dropped, never recorded, and said once as a fault; a stop from the pad's remote
# pauses the session as "stopped at the machine" and backride never starts the belt again
# until the user confirms; a pad that goes silent is a lost link: the session pauses, the link
# comes back and the session goes on from the belt's measured speed (session/README.md).
. "$(dirname "$0")/lib.sh"
SCALE=10 # the pad's 0.8 s command spacing and 1 s poll are real time (test-session-walkingpad.sh)
. "$(dirname "$0")/session-lib.sh"

PAD=C0:FF:EE:00:00:06

br_setup
session_conf '[safety]' 'max_speed_kmh = 3.0'
session_setup --walkingpad
br_cli pair $PAD >/dev/null
paused_for() { [[ $(prop PauseReason) == *"$1"* ]]; }
running() { [ "$(prop Paused)" = false ]; }
moving() { float_le 0.5 "$(sim $PAD Speed)"; }
fault_events() { db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'fault' AND detail LIKE '%$1%';"; }

out=$(br_cli start --gentle --treadmill --minutes 30 --yes --detach 2>&1)
expect_match "start --yes: the user confirmed the belt" "$out" "started \(treadmill"
id=$(prop Id)
check "the belt moves" wait_for 300 moving

# ---- malformed frames: counted, dropped, said once ---------------------------------------
check "fault malformed" ctl fault malformed $PAD
sleep 8 # real seconds: eight polls, four of their answers damaged
check "clear malformed" ctl clear malformed
expect_eq "the first malformed frame is one fault event" \
	"$(fault_events 'malformed WalkingPad frame dropped (')" 1
expect_eq "the damaged speed (25.5 km/h) never reached a record" \
	"$(db "SELECT count(*) FROM samples WHERE session_id = $id AND speed > 600;")" 0
expect_eq "the link held: good frames came between them" \
	"$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'pause' AND detail = 'link';")" 0
check "still walking" running

# ---- the pad's remote stops the belt ----------------------------------------------------
check "remote: stop" ctl console $PAD stop
check "the session pauses: machine" wait_for 100 paused_for machine
expect_match "recorded as stopped at the machine" \
	"$(db "SELECT detail FROM events WHERE session_id = $id AND type = 'machine';")" \
	"stopped or paused at the machine: session paused"
check "the drops are counted when the belt stops" \
	ge 1 fault_events "malformed WalkingPad frames dropped so far on this link"
counts=$(db "SELECT detail FROM events WHERE session_id = $id AND type = 'fault' AND detail LIKE '%dropped so far%' ORDER BY id DESC LIMIT 1;")
expect_match "by reason: checksum, length and type" "$counts" \
	"length [1-9][0-9]*, header 0, trailer 0, checksum [1-9][0-9]*, type [1-9]"
sleep 3 # 30 session seconds, three polls
expect_eq "backride did not start the belt again" "$(sim $PAD Started):$(sim $PAD Speed)" no:0.00
expect_eq "still paused" "$(prop Paused)" true
out=$(br_cli resume 2>&1)
expect_match "resume confirms the belt" "$out" "[Rr]esum|belt"
check "running again" wait_for 100 running
check "the belt moves again, after the user's confirmation" wait_for 300 moving

# ---- silence: a lost link ------------------------------------------------------------------
check "fault stop-notify: the pad says nothing" ctl fault stop-notify $PAD
check "the session pauses: link" wait_for 150 paused_for link
check "the silence is a lost link" has_event "no data"
check "clear stop-notify" ctl clear stop-notify
check "the link is back" wait_for 150 is true mprop $PAD Connected
check "the session goes on once the link is back" wait_for 150 running
expect_eq "the link loss paused it once" \
	"$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'pause' AND detail = 'link';")" 1
expect_eq "no command was too fast for the pad" "$(sim $PAD Ignored)" 0
out=$(br_cli stop --pain 1 2>&1)
expect_match "stop" "$out" "stopped"
check "the belt is at rest" wait_for 100 is 0.00 sim $PAD Speed

br_finish
