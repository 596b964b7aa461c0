#!/bin/bash
# Machines that refuse targets until Start or Resume (backride-sim --quirk cold-start:
# Operation Failed, and their session ends with the link). A gentle bike session completes,
# through a link loss after which the bike refuses the targets again until backride starts it;
# a treadmill's belt is never started before the user confirms it, nor after a link loss
# stopped it, and then runs.
. "$(dirname "$0")/lib.sh"
SCALE=50
. "$(dirname "$0")/session-lib.sh"

br_setup
session_conf '[safety]' 'max_power_w = 60' 'max_speed_kmh = 3.0'
session_setup --bike --treadmill --quirk cold-start
br_cli pair $BIKE >/dev/null
running() { [ "$(prop Paused)" = false ]; }
paused_for() { [[ $(prop PauseReason) == *"$1"* ]]; }
moving() { float_le 0.5 "$(sim $TREAD Speed)"; }
has_power_target() { float_le 1 "$(sim $BIKE TargetPower)"; }

# ---- the bike ----------------------------------------------------------------------------
out=$(br_cli start --gentle --bike --minutes 10 --pain 1 --detach 2>&1)
id=$(prop Id)
check "steady" wait_for 150 phase_is steady
expect_eq "the bike was started, and took its targets" "$(sim $BIKE Started):$(sim $BIKE Mode)" yes:erg
check "the bike holds a power target" has_power_target
check "the machine drops the link" ctl drop-link $BIKE
check "its session ended with the link" wait_for 20 is no sim $BIKE Started
check "reconnected and started again by backride" wait_for 100 is yes sim $BIKE Started
check "running again" wait_for 100 running
check "the bike holds a power target again" wait_for 100 has_power_target
check "the session completes" wait_for 300 phase_is done
expect_eq "completed" "$(prop EndReason)" completed
expect_eq "not a fault" "$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'fault';")" 0
expect_eq "Start always went before the targets: none refused" \
	"$(db "SELECT count(*) FROM events WHERE session_id = $id AND detail LIKE '%target%operation failed%';")" 0

# ---- the treadmill -----------------------------------------------------------------------
br_cli pair $TREAD >/dev/null
out=$(br_cli start --gentle --treadmill --minutes 30 --pain 1 --detach </dev/null 2>&1)
id=$(prop Id)
expect_eq "the belt waits for the confirmation" "$(prop Phase)" waiting
sleep 1 # 50 session seconds: whatever the machine refused, nothing started the belt
expect_eq "the belt was not started" "$(sim $TREAD Started):$(sim $TREAD Speed)" no:0.00
check "although the machine refused a target (the incline)" \
	[ "$(db "SELECT count(*) FROM events WHERE session_id = $id AND detail LIKE '%inclination -> operation failed%';")" -ge 1 ]
check "ConfirmBelt" bz call org.backride /org/backride/session org.backride.Session1 ConfirmBelt
check "the belt is started" wait_for 100 is yes sim $TREAD Started
check "and moves" wait_for 100 moving
check "steady" wait_for 300 phase_is steady
check "the machine drops the link" ctl drop-link $TREAD
check "its belt stops with the link" wait_for 100 is 0.00 sim $TREAD Speed
check "reconnected: paused, the belt waits for the user" wait_for 100 paused_for confirm
sleep 1
expect_eq "nothing started the belt" "$(sim $TREAD Started):$(sim $TREAD Speed)" no:0.00
expect_match "resume: the user starts it" "$(br_cli resume)" "Resumed"
check "the belt is started" wait_for 100 is yes sim $TREAD Started
check "and moves" wait_for 100 moving
expect_eq "the session was never stopped as a fault" \
	"$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'fault';")" 0
expect_match "stop" "$(br_cli stop)" "stopped"
check "the belt stops" wait_for 100 is 0.00 sim $TREAD Speed

br_finish
