#!/bin/bash
# The rules of a session against the simulated bike and strap: no pedalling pauses and
# resumes, a link loss pauses, reconnects and resumes at a reduced target, a link lost for longer
# than link_timeout_s (600 session s: 3 s real) ends the session interrupted, pause/resume by the user, and a low heart-rate
# cap lowers the target, a machine that takes control back and refuses it is guided from then on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

br_setup
cat >"$BR_TMP/backride.conf" <<EOF
[bluez]
reconnect_min_ms = 100
reconnect_max_ms = 400
cp_timeout_ms = 300
cp_retries = 1
[safety]
link_timeout_s = 600
EOF
session_setup --bike --hr-strap
br_cli pair $BIKE >/dev/null
paused_for() { [[ $(prop PauseReason) == *"$1"* ]]; }
running() { [ "$(prop Paused)" = false ]; }

out=$(br_cli start --gentle --minutes 90 --pain 1 --detach 2>&1)
id=$(prop Id)
check "steady" wait_for 150 phase_is steady
sleep 0.5

# ---- the user pauses and resumes ----------------------------------------------------------
expect_match "pause" "$(br_cli pause)" "Paused"
check "paused: the bike drops to its floor" wait_for 50 is 10.00 sim "$BIKE" TargetPower
out=$(br_cli pause 2>&1) && rc=0 || rc=$?
expect_match "pause twice: NotPermitted, one line" "$rc:$out" "^1:backride: The session is paused already.$"
expect_match "resume" "$(br_cli resume)" "Resumed"
check "running again" wait_for 50 running
sleep 1.5

# ---- no pedalling -------------------------------------------------------------------------
check "the rider stops pedalling" ctl rider $BIKE stop
check "auto-pause: no-pedalling" wait_for 100 paused_for no-pedalling
check "the target drops to the floor" wait_for 50 is 10.00 sim "$BIKE" TargetPower
expect_match "status says why" "$(br_cli status)" "PAUSED: no-pedalling"
check "the rider pedals again" ctl rider $BIKE go
check "resumed by itself" wait_for 100 running
expect_match "pause and resume recorded" "$(session_types "$id" | tr '\n' ' ')" "pause 2 .*resume 2"
sleep 2 # 400 s: ramped back to the steady target

# ---- link loss ----------------------------------------------------------------------------
check "the machine drops the link" ctl drop-link $BIKE
check "paused: link" wait_for 50 paused_for link
check "reconnected and resumed" wait_for 100 running
expect_match "the link went down and came back" \
	"$(db "SELECT group_concat(value, ' ') FROM events WHERE session_id = $id AND type = 'link';")" "0 1"
# The level when the link went down is the session's own, as recorded: what the simulated bike
# shows lags behind the control point on a busy machine.
down=$(db "SELECT t FROM events WHERE session_id = $id AND type = 'link' AND value = 0;")
up=$(db "SELECT t FROM events WHERE session_id = $id AND type = 'link' AND value = 1;")
before=$(db "SELECT target_power FROM samples WHERE session_id = $id AND t < $down ORDER BY t DESC LIMIT 1;")
limit=$(awk -v t="$before" 'BEGIN { printf "%d", t * 0.7 + 1.5 }') # 70 %, rounded
resumed=$(db "SELECT min(target_power) FROM samples WHERE session_id = $id AND t BETWEEN $up AND $up + 3;")
check "the target after the reconnect was reduced ($before -> $resumed <= $limit)" float_le "$resumed" "$limit"

# ---- a link lost for longer than link_timeout_s -------------------------------------------
check "refuse reconnects" ctl fault refuse-connect
check "drop the link" ctl drop-link $BIKE
check "the session ends" wait_for 100 phase_is done
expect_eq "EndReason interrupted" "$(prop EndReason)" interrupted
check "allow reconnects" ctl clear refuse-connect
expect_eq "recorded interrupted" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" interrupted
check "after the reconnect the bike is brought to its floor" wait_for 150 is 10.00 sim "$BIKE" TargetPower

# ---- a machine that takes control back and refuses it: guided from then on, the cause named
out=$(br_cli start --gentle --minutes 60 --detach 2>&1)
id=$(prop Id)
check "steady" wait_for 150 phase_is steady
check "the machine refuses control from now on" ctl fault refuse-control
check "and withdraws it" ctl lose-control $BIKE
check "guided from then on" wait_for 150 is true prop Guided
expect_match "the message names the refusal" "$(prop Message)" "^This bike refuses control \("
expect_eq "not stopped as a fault" "$(prop EndReason)" ""
check "stop" br_cli stop
check "the session stops" wait_for 150 phase_is done
expect_eq "recorded stopped, guided: control refused" \
	"$(db "SELECT end_reason, guided FROM sessions WHERE id = $id;")" "stopped|control-refused"
check "control allowed again" ctl clear refuse-control

# ---- heart-rate cap -----------------------------------------------------------------------
kill -TERM "$BR_DAEMON_PID"
wait "$BR_DAEMON_PID" || true
cat >"$BR_TMP/backride.conf" <<EOF
[safety]
max_heart_rate = 80
EOF
daemon_restart
br_cli scan --seconds 1 >/dev/null
br_cli pair $STRAP >/dev/null
out=$(br_cli start --gentle --minutes 60 --detach 2>&1)
id=$(prop Id)
hr_event() { [ "$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'heart-rate';")" -gt 0 ]; }
check "HR above 80 bpm for 10 s: a heart-rate event" wait_for 150 hr_event
check "and a reduction" \
	[ "$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'reduce';")" -gt 0 ]
check "samples carry the heart rate" \
	[ "$(db "SELECT count(*) FROM samples WHERE session_id = $id AND hr IS NOT NULL;")" -gt 0 ]
br_cli stop --pain 1 >/dev/null

br_finish
