#!/bin/bash
# A machine power-cycled mid-session (backride-sim ctl power-cycle): it resets (control lost,
# not started, no target) and its GATT database changes; as bluetoothd 5.66 does on Service
# Changed, its GATT objects are removed and come back with new paths while the link holds.
# backrided finds the new objects, subscribes, requests control again, and the session goes
# on from a lower target with a new ramp; a treadmill's belt (stopped by the power cycle)
# waits for the user.
. "$(dirname "$0")/lib.sh"
SCALE=50
. "$(dirname "$0")/session-lib.sh"

br_setup
session_conf '[safety]' 'max_power_w = 60' 'max_speed_kmh = 3.0'
session_setup --bike --treadmill
br_cli pair $BIKE >/dev/null
running() { [ "$(prop Paused)" = false ]; }
paused_for() { [[ $(prop PauseReason) == *"$1"* ]]; }
moving() { float_le 0.5 "$(sim $TREAD Speed)"; }
fitness_service() { bz tree org.bluez 2>/dev/null | grep -o "${1//:/_}/service[0-9a-f]*" | sort -u | tr '\n' ' '; }
power_at() { db "SELECT target_power FROM samples WHERE session_id = $id AND t = $1;"; }

# ---- the bike ----------------------------------------------------------------------------
out=$(br_cli start --gentle --bike --minutes 10 --pain 1 --detach 2>&1)
id=$(prop Id)
check "steady" wait_for 150 phase_is steady
sleep 0.5
before=$(sim $BIKE TargetPower)
paths=$(fitness_service $BIKE)
check "power-cycle" ctl power-cycle $BIKE
check "the bike lost control and its target" is no sim $BIKE HasControl
check "its GATT objects come back under new paths" wait_for 50 \
	eval '[ -n "$(fitness_service $BIKE)" ] && [ "$(fitness_service $BIKE)" != "$paths" ]'
check "control requested again" wait_for 100 is yes sim $BIKE HasControl
check "started again" wait_for 100 is yes sim $BIKE Started
check "running" wait_for 100 running
t_up=$(db "SELECT max(t) FROM events WHERE session_id = $id AND type = 'link' AND value = 1;")
check "the session saw the link go and come back (up at $t_up)" [ -n "$t_up" ]
sleep 0.3
first=$(power_at $((t_up + 1)))
check "it goes on from a lower target ($first W < $before W)" \
	awk -v a="$first" -v b="$before" 'BEGIN { exit !(a + 0 < b + 0) }'
check "and ramps back up to the plan's" wait_for 200 is "$before" sim $BIKE TargetPower
check "the session completes" wait_for 300 phase_is done
expect_eq "completed" "$(prop EndReason)" completed

# ---- the treadmill -----------------------------------------------------------------------
br_cli pair $TREAD >/dev/null
out=$(br_cli start --gentle --treadmill --minutes 30 --pain 1 --yes --detach </dev/null 2>&1)
id=$(prop Id)
check "steady" wait_for 300 phase_is steady
check "the belt moves" moving
check "power-cycle" ctl power-cycle $TREAD
check "the belt stops" wait_for 100 is 0.00 sim $TREAD Speed
check "control requested again" wait_for 100 is yes sim $TREAD HasControl
check "the session waits for the user" wait_for 100 paused_for confirm
sleep 1
expect_eq "nothing started the belt" "$(sim $TREAD Started):$(sim $TREAD Speed)" no:0.00
expect_match "resume" "$(br_cli resume)" "Resumed"
check "the belt moves again" wait_for 100 moving
expect_match "stop" "$(br_cli stop)" "stopped"
check "the belt stops" wait_for 100 is 0.00 sim $TREAD Speed

br_finish
