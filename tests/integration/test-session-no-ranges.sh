#!/bin/bash
# Machines that offer a target without its Supported ... Range characteristic (backride-sim
# --quirk no-ranges; their true range still holds: the control point refuses what lies outside
# with Invalid Parameter). A bike whose least power is 35 W and a treadmill whose least speed is
# 1.5 km/h: a gentle session completes on conservative defaults, the user is told once, the
# refusals narrow the range, which is stored and used by the next session (no refusal then).
# A treadmill without only its inclination range (--quirk no-inclination-range) keeps its speed
# range and stays flat.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

learned() { db "SELECT $2 FROM machine_learned m JOIN machines x ON x.id = m.machine_id WHERE x.address = '$1';"; }
ended() { [ -n "$(db "SELECT end_reason FROM sessions WHERE id = $1;")" ]; }
n_events() { db "SELECT count(*) FROM events WHERE session_id = $1 AND type = '$2';"; }
# session ADDRESS KIND: a 3-minute gentle session to its end; prints its id.
session()
{
	local id
	br_cli start --gentle --"$2" --minutes 3 --pain 1 --yes --detach >/dev/null 2>&1
	id=$(prop Id)
	wait_for 300 ended "$id" || br_log "session $id did not end"
	echo "$id"
}

br_setup
# An incline in the plan: a treadmill that does not say its inclination range stays flat all
# the same.
printf '[session]\ntreadmill_incline_percent = 1.0\n' >"$BR_TMP/backride.conf"
session_setup --bike --treadmill --quirk no-ranges --power-range 35,800 --speed-range 150,1800,10
br_cli pair $BIKE >/dev/null

id=$(session $BIKE bike)
expect_eq "bike: the session completes" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed
expect_eq "bike: the user is told once" "$(n_events "$id" ranges)" 1
expect_match "bike: ... which range is missing" "$(events)" "does not say its power, resistance range"
check "bike: the refusals narrowed the power range" [ "$(n_events "$id" range)" -gt 0 ]
expect_eq "bike: the least power learned is the bike's" "$(learned $BIKE power_min)" 35
expect_eq "bike: told, stored" "$(learned $BIKE missing_ranges)" 3
expect_match "bike: 'backride machines' shows it" "$(br_cli machines)" \
	"does not say its power, resistance range"
expect_match "bike: ... and its JSON" "$(br_cli --json machines)" \
	'"missing_ranges":\["power","resistance"\]'
low=$(db "SELECT count(*) FROM samples WHERE session_id = $id AND target_power < 35
	AND t > (SELECT max(t) FROM events WHERE session_id = $id AND type = 'range');")
expect_eq "bike: no target below it once learned" "$low" 0
max=$(db "SELECT max(target_power) FROM samples WHERE session_id = $id;")
check "bike: the cap holds ($max W <= 100 W)" [ "$max" -le 100 ]

id=$(session $BIKE bike)
expect_eq "bike again: completes" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed
expect_eq "bike again: not told again" "$(n_events "$id" ranges)" 0
expect_eq "bike again: the learned range is used, nothing refused" "$(n_events "$id" range)" 0
low=$(db "SELECT count(*) FROM samples WHERE session_id = $id AND target_power < 35;")
expect_eq "bike again: no target below 35 W" "$low" 0

br_cli pair $TREAD >/dev/null
id=$(session $TREAD treadmill)
expect_eq "treadmill: the session completes" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed
expect_eq "treadmill: the user is told once" "$(n_events "$id" ranges)" 1
expect_match "treadmill: ... the incline stays flat" "$(events)" "speed, incline range.*incline stays flat"
expect_eq "treadmill: the least speed learned is the belt's" "$(learned $TREAD speed_min)" 150
max=$(db "SELECT max(target_speed) FROM samples WHERE session_id = $id;")
check "treadmill: the cap holds ($max <= 5.00 km/h)" [ "$max" -le 500 ]
expect_eq "treadmill: the incline is left alone" "$(sim $TREAD Incline)" 0.00

id=$(session $TREAD treadmill)
expect_eq "treadmill again: completes" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed
expect_eq "treadmill again: nothing refused" "$(n_events "$id" range)" 0

kill -TERM "$BR_DAEMON_PID" "$BR_SIM_PID"
br_wait_exit "$BR_DAEMON_PID" 100 && br_wait_exit "$BR_SIM_PID" 100
db "DELETE FROM machine_learned;"
session_setup --treadmill --quirk no-inclination-range
br_cli pair $TREAD >/dev/null
id=$(session $TREAD treadmill)
expect_eq "no inclination range: completes" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed
expect_match "no inclination range: told" "$(events)" "does not say its incline range.*incline stays flat"
expect_eq "no inclination range: the speed range is the machine's, nothing refused" \
	"$(n_events "$id" range)" 0
expect_eq "no inclination range: flat" "$(sim $TREAD Incline)" 0.00
expect_eq "no inclination range: no incline target" \
	"$(db "SELECT count(target_incline) FROM samples WHERE session_id = $id;")" 0

br_finish
