#!/bin/bash
# Sensor bikes: a bike with only a power meter (Cycling Power 0x1818) and one with only a
# speed and cadence sensor (CSC 0x1816). Scan names them, pair stores their protocol, a
# gentle session runs guided with advice, records power and cadence (and speed and distance
# from the wheel), and exports; coasting reads 0 rpm, malformed frames are never recorded,
# and a sensor gone silent is a lost link, not a stale value.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

# Sensors count revolutions against their own clock (1/1024 s, wrapping every 64 s): the
# simulation runs slower than the other session tests and notifies 10 times a second, so that
# one notification to the next is about 2 simulated seconds.
SCALE=20
POWER=C0:FF:EE:00:00:04
CADENCE=C0:FF:EE:00:00:05
CHECK=$SRC/tests/integration/check-export.py
export TZ=UTC

# data ADDRESS KEY: one value of Machine1.Data ("" if absent).
data()
{
	mprop "$1" Data | tr ' ' '\n' | awk -v k="\"$2\"" '$1 == k { getline; getline; print; exit }'
}
# between LO HI COMMAND...: what COMMAND prints is a number in LO..HI.
within() { local v; v=$("${@:3}"); [ -n "$v" ] && float_le "$1" "$v" && float_le "$v" "$2"; }
crank_wrapped() { [ "$(sim $POWER CrankRevolutions)" -lt 60000 ]; }
# speed_close: the speed from the wheel within 15 % of the simulated bike's (km/h).
speed_close()
{
	local v s
	v=$(data $CADENCE speed_ckmh)
	s=$(sim $CADENCE Speed)
	[ -n "$v" ] && awk -v v="$v" -v s="$s" 'BEGIN { d = v / 100 - s; exit !(s > 5 && d * d <= (0.15 * s) ^ 2) }'
}
# exports ID: CSV, TCX and FIT exports of session ID agree with the database.
exports()
{
	for fmt in csv tcx fit; do
		br_cli export "$1" --format $fmt -o "$BR_TMP/s$1.$fmt"
		expect_eq "session $1: export $fmt checks out" \
			"$("$CHECK" $fmt "$BR_TMP/backride.db" "$1" "$BR_TMP/s$1.$fmt")" ""
	done
}

br_setup
session_conf '[machine]' 'wheel_mm = 2105'
session_setup --power-meter --cadence-sensor --rate 10 --seed 5

# ---- scan, pair, protocol -------------------------------------------------------------------
out=$(br_cli scan --seconds 1)
expect_match "scan: the power-meter bike" "$out" "$POWER  bike \(power meter\) .*Backride Sim Power Bike"
expect_match "scan: the cadence-sensor bike" "$out" "$CADENCE  bike \(cadence sensor\) .*Backride Sim Cadence Bike"
out=$(br_cli scan --seconds 1 --json)
expect_match "scan --json: protocol cycling-power" "$out" "\"address\":\"$POWER\",.*\"kind\":\"bike\".*\"protocol\":\"cycling-power\""
expect_match "scan --json: protocol csc" "$out" "\"address\":\"$CADENCE\",.*\"protocol\":\"csc\""
expect_eq "Machine1.Protocol before pairing" "$(mprop $CADENCE Protocol)" '"csc"'
expect_match "pair the power meter" "$(br_cli pair $POWER)" "^Paired with Backride Sim Power Bike \($POWER, bike\)"
expect_eq "stored: kind and protocol" "$(db "SELECT kind, protocol FROM machines WHERE address = '$POWER';")" "bike|cycling-power"
expect_match "machines lists it as a power-meter bike" "$(br_cli machines)" "$POWER  bike \(power meter\)"
expect_match "machines --json: protocol" "$(br_cli machines --json)" "\"protocol\":\"cycling-power\""

# ---- a whole guided session on the power meter ------------------------------------------
out=$(br_cli start --gentle --minutes 5 --pain 1 --detach 2>&1)
expect_match "the session starts" "$out" "started \(bike"
id=$(prop Id)
expect_eq "Guided" "$(prop Guided)" true
expect_match "the message says why" "$(prop Message)" "^This bike has only a power meter, which backride reads but cannot set"
check "advice in watts and rpm" wait_for 100 matches "^pedal easy, about [0-9]+ W at 80 rpm$" prop Advice
check "power in the live data" wait_for 100 within 20 300 data $POWER power_w
check "cadence from the crank revolutions (70-90 rpm)" wait_for 100 within 140 180 data $POWER cadence_hrpm
check "steady" wait_for 300 phase_is steady
check "completed" wait_for 600 phase_is done
expect_eq "recorded completed and guided" \
	"$(db "SELECT end_reason, guided FROM sessions WHERE id = $id;")" "completed|no-control-point"
check "power recorded" ge 10 db "SELECT count(*) FROM samples WHERE session_id = $id AND power > 0;"
check "cadence recorded" ge 10 db "SELECT count(*) FROM samples WHERE session_id = $id AND cadence > 0;"
check "no cadence out of reach (counter wraps read right)" is 0 db \
	"SELECT count(*) FROM samples WHERE session_id = $id AND cadence > 240;"
# It started within 150 revolutions of 65535 (sim/README.md): 400 later, it has wrapped.
check "the crank counter wrapped on the way" wait_for 10 crank_wrapped
expect_match "history marks it guided" "$(br_cli history)" "completed, guided"
exports "$id"

# ---- the cadence-sensor bike: speed and distance from the wheel -------------------------
expect_match "pair the cadence sensor" "$(br_cli pair $CADENCE)" "^Paired with Backride Sim Cadence Bike"
expect_eq "stored: csc" "$(db "SELECT protocol FROM machines WHERE address = '$CADENCE';")" csc
out=$(br_cli start --gentle --minutes 30 --machine $CADENCE --pain 1 --detach 2>&1)
expect_match "the session starts on the cadence-sensor bike" "$out" "started \(bike"
id2=$(prop Id)
expect_match "the message names the sensor" "$(prop Message)" "only a speed and cadence sensor"
check "advice in rpm, no watts" wait_for 100 matches "^pedal easy at about [0-9]+ rpm, light resistance$" prop Advice
check "cadence (70-90 rpm)" wait_for 100 within 140 180 data $CADENCE cadence_hrpm
check "speed from the wheel (within 15 % of the simulated bike's)" wait_for 100 speed_close
check "distance grows" wait_for 100 ge 50 data $CADENCE distance_m
check "no power from a cadence sensor" is "" data $CADENCE power_w

# Silence: the sensor stops notifying (asleep, battery flat). After 3 s it reads as stopped:
# zeros, never its last values; the distance stays. Data again when it speaks again.
check "silent sensor" ctl fault stop-notify $CADENCE
check "the silence is said" wait_for 150 has_event "$CADENCE: no data from the sensor for 3000 ms: read as stopped"
check "silence reads 0 rpm" wait_for 50 is 0 data $CADENCE cadence_hrpm
check "and 0 km/h" is 0 data $CADENCE speed_ckmh
check "the distance stays" ge 50 data $CADENCE distance_m
check "clear stop-notify" ctl clear stop-notify
check "data again" wait_for 150 within 100 200 data $CADENCE cadence_hrpm
check "said once back" wait_for 50 has_event "$CADENCE: the sensor sends data again"
expect_eq "the session goes on" "$(prop EndReason)" ""

# Malformed frames: counted as faults, never recorded.
n_before=$(count_events "malformed notification")
check "malformed frames" ctl fault malformed $CADENCE
check "each one said as a fault" wait_for 100 ge $((n_before + 5)) count_events "malformed notification on"
check "clear malformed" ctl clear malformed
check "data back" wait_for 150 within 100 200 data $CADENCE cadence_hrpm

# Coasting: the crank stops; its count and event time repeat. 0 rpm after the timeout (the
# no-pedalling rule may pause the session meanwhile: it applies as on any bike).
check "the rider stops pedalling" ctl rider $CADENCE stop
check "coasting reads 0 rpm" wait_for 150 is 0 data $CADENCE cadence_hrpm
check "still 0 rpm a moment later (never the old value)" is 0 data $CADENCE cadence_hrpm
check "the rider pedals again" ctl rider $CADENCE go
check "cadence back" wait_for 150 within 100 200 data $CADENCE cadence_hrpm

check "stop" br_cli stop --pain 1
check "done" wait_for 300 phase_is done
expect_match "the cadence-sensor session ended" \
	"$(db "SELECT guided FROM sessions WHERE id = $id2;")" "no-control-point"
check "speed recorded" ge 10 db "SELECT count(*) FROM samples WHERE session_id = $id2 AND speed > 0;"
check "distance recorded" ge 1 db "SELECT max(distance) FROM samples WHERE session_id = $id2;"
check "malformed frames left nothing absurd" is 0 db \
	"SELECT count(*) FROM samples WHERE session_id = $id2 AND (cadence > 240 OR speed > 8000);"
exports "$id2"

br_finish
