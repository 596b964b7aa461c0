#!/bin/bash
# The machine's console during a session, with the simulator's console playing the user
# (ctl console: the machine does it and notifies Fitness Machine Status as FTMS machines do).
# Bike: a lower power at the console is adopted, a higher one held at the session's target
# and the user told; stop or pause at the console pauses the session (and an echo of the
# session's own pause is not taken for one); start at the console resumes a session that waits
# for the user and nothing else; a reset gets control and the session's target back.
# Treadmill: a stop at the console stops the belt and nothing restarts it; start at the console
# resumes; a reset leaves the belt stopped until the user resumes.
. "$(dirname "$0")/lib.sh"
SCALE=50
. "$(dirname "$0")/session-lib.sh"

br_setup
session_conf '[safety]' 'max_power_w = 60' 'max_speed_kmh = 3.0'
session_setup --bike --treadmill
br_cli pair $BIKE >/dev/null
paused_for() { [[ $(prop PauseReason) == *"$1"* ]]; }
running() { [ "$(prop Paused)" = false ]; }
machine_events() { db "SELECT value || ' ' || detail FROM events WHERE session_id = $id AND type = 'machine' ORDER BY id;"; }

out=$(br_cli start --gentle --bike --minutes 90 --pain 1 --detach 2>&1)
id=$(prop Id)
check "steady" wait_for 150 phase_is steady
sleep 0.5
steady=$(sim $BIKE TargetPower)

# ---- targets set at the console ---------------------------------------------------------
check "console: power 30 W" ctl console $BIKE power 30
check "a lower power is adopted: the bike stays at 30 W" wait_for 150 is 30.00 sim $BIKE TargetPower
sleep 1 # 50 session seconds of steady
expect_eq "still 30 W: the session does not raise it in this phase" "$(sim $BIKE TargetPower)" 30.00
expect_match "recorded: adopted" "$(machine_events)" "^8 target power set at the machine: lower: adopted"
expect_eq "the samples' target is 30 W" \
	"$(db "SELECT target_power FROM samples WHERE session_id = $id ORDER BY t DESC LIMIT 1;")" 30
check "console: power 150 W" ctl console $BIKE power 150
check "a higher power is held: back at 30 W" wait_for 150 is 30.00 sim $BIKE TargetPower
expect_match "the user is told why" "$(prop Message)" "Set to 150 W at the machine: backride holds 30 W"
expect_match "recorded: held" "$(machine_events)" "8 target power set at the machine: higher: held"
check "console: resistance 5 (the session drives power)" ctl console $BIKE resistance 5
check "back in ERG at 30 W" wait_for 150 eval '[ "$(sim $BIKE Mode):$(sim $BIKE TargetPower)" = erg:30.00 ]'
expect_match "recorded: held" "$(machine_events | tail -n 1)" "^7 target resistance set at the machine: higher: held"

# ---- stop and start at the console ------------------------------------------------------
check "console: pause" ctl console $BIKE pause
check "the session pauses: machine" wait_for 150 paused_for machine
expect_eq "the bike is stopped" "$(sim $BIKE Started)" no
check "console: start" ctl console $BIKE start
check "the session follows the start" wait_for 150 running
expect_match "recorded" "$(machine_events | tail -n 2 | tr '\n' ' ')" \
	"^2 stopped or paused at the machine: session paused 4 started at the machine: followed"

# The session's own pause: the bike's echo of Stop or Pause is not a pause at the console.
expect_match "backride pause" "$(br_cli pause)" "Paused"
sleep 0.5
expect_eq "paused by the user only" "$(prop PauseReason)" user
check "the bike stays started while the user pauses" is yes sim $BIKE Started
check "console: stop" ctl console $BIKE stop
check "paused by the user and at the machine" wait_for 150 is user,machine prop PauseReason
check "console: start while the user paused: followed" ctl console $BIKE start
check "running" wait_for 150 running

# A pause the rules set is not the user's: a start at the console does not end it.
check "the rider stops pedalling" ctl rider $BIKE stop
check "auto-pause: no-pedalling" wait_for 100 paused_for no-pedalling
check "console: stop" ctl console $BIKE stop
check "paused for both" wait_for 150 is no-pedalling,machine prop PauseReason
check "console: start" ctl console $BIKE start
check "the machine's pause ends" wait_for 150 is no-pedalling prop PauseReason
sleep 0.5
check "still paused: no-pedalling" paused_for no-pedalling
check "the rider pedals again" ctl rider $BIKE go
check "resumed by itself" wait_for 100 running

# ---- reset at the console ---------------------------------------------------------------
# the_target: the session's power target (Session1.Targets), as the sim prints it.
the_target() { prop Targets | grep -o 'power[_a-z]* [0-9]*' | awk '{ printf "%.2f\n", $2 }'; }
at_the_target() { [ "$(sim $BIKE TargetPower)" = "$(the_target)" ]; }
check "console: reset" ctl console $BIKE reset
check "control is requested again" wait_for 150 is yes sim $BIKE HasControl
check "the bike is started again" wait_for 150 is yes sim $BIKE Started
check "back in ERG" wait_for 150 is erg sim $BIKE Mode
check "at the session's target" wait_for 150 at_the_target
expect_match "recorded" "$(machine_events | tail -n 1)" \
	"^1 the machine was reset: control requested again, targets sent again"
expect_match "stop" "$(br_cli stop)" "stopped"
check "done" wait_for 100 phase_is done

# ---- the treadmill -----------------------------------------------------------------------
br_cli pair $TREAD >/dev/null
out=$(br_cli start --gentle --treadmill --minutes 90 --yes --detach 2>&1)
expect_match "start --yes" "$out" "started \(treadmill"
id=$(prop Id)
check "steady" wait_for 200 phase_is steady
moving() { float_le 0.5 "$(sim $TREAD Speed)"; }
check "the belt moves" moving
check "console: stop" ctl console $TREAD stop
check "the session pauses: machine" wait_for 150 paused_for machine
check "the belt stops" wait_for 100 is 0.00 sim $TREAD Speed
sleep 1
expect_eq "and stays stopped: nothing started it" "$(sim $TREAD Started):$(sim $TREAD Speed)" no:0.00
check "console: start" ctl console $TREAD start
check "the session follows the start" wait_for 150 running
check "the belt moves again" wait_for 100 moving
check "console: speed 1.5 km/h" ctl console $TREAD speed 1.5
check "a lower speed is adopted" wait_for 150 is 1.50 sim $TREAD TargetSpeed
sleep 1
expect_eq "still 1.50 km/h" "$(sim $TREAD TargetSpeed)" 1.50
check "console: speed 8 km/h" ctl console $TREAD speed 8
check "a higher speed is held at the session's 1.5 km/h" wait_for 150 is 1.50 sim $TREAD TargetSpeed
check "console: incline 2 %" ctl console $TREAD incline 2
check "held at the session's 0 %" wait_for 150 is 0.00 sim $TREAD TargetIncline
expect_match "recorded" "$(machine_events | tail -n 1)" "^6 target incline set at the machine: higher: held"
check "console: reset" ctl console $TREAD reset
check "the session pauses: machine" wait_for 150 paused_for machine
check "control is requested again" wait_for 150 is yes sim $TREAD HasControl
sleep 1
expect_eq "the belt stays stopped after the reset" "$(sim $TREAD Started):$(sim $TREAD Speed)" no:0.00
expect_match "resume: the user starts the belt" "$(br_cli resume)" "Resumed"
check "the belt moves again" wait_for 100 moving
expect_match "stop" "$(br_cli stop)" "stopped"
check "the belt stopped after stop" wait_for 100 is 0.00 sim $TREAD Speed

br_finish
