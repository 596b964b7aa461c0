#!/bin/bash
# test-session-quirk.sh QUIRK: a gentle bike session against a simulated machine with one
# transport quirk (backride-sim --quirk QUIRK; sim/README.md "Quirks" gives each one's source):
# scan lists it, pair and connect work, the session completes with a sample every second,
# the quirk is said once, and what it would break holds.
. "$(dirname "$0")/lib.sh"
SCALE=${SCALE:-100}
. "$(dirname "$0")/session-lib.sh"
QUIRK=${1:?usage: test-session-quirk.sh QUIRK}

# resistance-units matters where the plan drives resistance.
variant=()
[ "$QUIRK" != resistance-units ] || variant=(--resistance-only)
br_setup
session_setup --bike "${variant[@]}" --quirk "$QUIRK"
scan=$(br_cli scan --seconds 1 2>&1)
expect_match "scan lists the machine" "$scan" "$BIKE"
check "pair" br_cli pair $BIKE
out=$(br_cli start --gentle --minutes 12 --no-stretch --pain 1 --detach 2>&1)
expect_match "started as a bike" "$out" "started \(bike"
id=$(prop Id)
check "the session completes" wait_for 300 phase_is done
expect_eq "ended: completed" "$(prop EndReason)" "completed"
expect_eq "the machine is known as a bike" "$(mprop $BIKE Kind)" '"bike"'

q() { db "SELECT $1 FROM samples WHERE session_id = $id;"; }
br_log "$QUIRK: $(q "count(*)") samples over $(q "max(t) - min(t) + 1") s, power" \
	"$(q "min(power) || '..' || max(power)") W, cadence $(q "min(cadence) || '..' || max(cadence)")"
expect_eq "a sample every second" "$(q "count(*) > 300 AND count(*) = max(t) - min(t) + 1")" 1
# The first seconds may come before the first whole record (with more-data-always, the second
# notification completes it; under load that is more than a session second later); none after.
first=$(q "min(t) FILTER (WHERE power IS NOT NULL AND cadence IS NOT NULL)")
expect_match "a first record with power and cadence (second ${first:-none})" "$first" "^[0-9]+$"
expect_eq "every sample from then on has power and cadence" \
	"$(q "count(*) FILTER (WHERE t > ${first:-0} AND (power IS NULL OR cadence IS NULL))")" 0
expect_eq "no link lost" "$(count_events 'link lost\|data for 4 s\|no valid data')" 0
expect_eq "nothing implausible" "$(db "SELECT count(*) FROM events WHERE type = 'implausible';")" 0
# The target reached the machine: its power followed the plan above the floor.
expect_eq "the bike was driven above its floor" "$(q "max(power) >= 20")" 1

# The daemon's own record of the machine's events (a session keeps a copy of those in it).
devents() { db "SELECT count(*) FROM events WHERE session_id IS NULL AND detail LIKE '%$1%';"; }
# Said once per connection (pair connects, the session may connect again), not per record.
said()
{
	local n ready
	n=$(devents "$1")
	ready=$(devents "$BIKE: ready")
	check "said once per connection ($n in $ready): $1" [ "$n" -ge 1 -a "$n" -le "$ready" ]
}
case $QUIRK in
cp-no-indicate)
	said "control point never answers"
	check "no control point timeouts but the first of each connection" \
		[ "$(devents 'no control point response')" -le "$(devents "$BIKE: ready")" ]
	;;
cp-wrong-opcode)
	said "responses name another request"
	expect_eq "no response ignored" "$(devents 'nobody waited for')" 0
	expect_eq "no control point timeouts" "$(devents 'no control point response')" 0
	;;
more-data-always)
	said "data records never end"
	expect_eq "no speed: More Data means it is absent" "$(q "count(speed)")" 0
	;;
split-records)
	expect_eq "speed, distance and elapsed time merged in" \
		"$(q "count(*) FILTER (WHERE t > 0 AND (speed IS NULL OR distance IS NULL))")" 0
	;;
cadence-flag-inverted)
	said "cadence flag is inverted"
	expect_eq "cadence where a pedalling rider has it" "$(q "min(cadence) >= 100 AND max(cadence) <= 240")" 1
	;;
resistance-units)
	said "resistance range is in whole levels"
	expect_eq "Machine1.Ranges in tenths" "$(mprop $BIKE Ranges)" '1 "resistance" 0 200 10'
	expect_eq "the session drives the resistance" "$(q "count(target_resistance) > 300")" 1
	expect_eq "measured within the range, in tenths" \
		"$(q "min(resistance) >= 0 AND max(resistance) <= 200")" 1
	# Both in the same unit: the machine measures the level asked for, to its whole level.
	expect_eq "measured resistance is the target, rounded to a whole level" \
		"$(q "count(*) FILTER (WHERE t > 10 AND abs(resistance - target_resistance) > 5)")" 0
	expect_eq "the machine's level stays inside its range" "$(float_le "$(sim $BIKE Resistance)" 20 && echo ok)" ok
	;;
no-service-data | name-only)
	expect_match "scan lists it without a kind" "$scan" "$BIKE.*unknown|unknown.*$BIKE"
	;;
type-mismatch)
	expect_match "scan shows the advertised type" "$scan" "treadmill"
	said "advertised as a treadmill, its data characteristic is a bike"
	;;
*) br_die "no checks for quirk $QUIRK" ;;
esac
br_finish
