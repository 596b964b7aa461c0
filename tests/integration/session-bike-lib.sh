#!/bin/bash
# The gentle bike sessions that tests/integration/test-session.sh (simulator on a private bus)
# and tests/vm/session-bike.sh (the real bluetoothd in the rig VM) both run, on top of lib.sh
# (they redefine none of its functions). Each part takes the machine's address, and the
# waits in tenths of a second: the VM is slower than the private bus. Both write a 40 W
# safety cap ([safety] max_power_w = 40) before the daemon starts.

# session_bike_whole ADDRESS [START ARGS...]: a whole 6-minute gentle session in the
# foreground without a terminal: phases, one sample per session second, history. From here
# on the bike's TargetPower is sampled into $BR_TMP/power. Sets id and n (its samples).
session_bike_whole()
{
	local addr=$1 out planned last
	shift
	: >"$BR_TMP/power"
	watch_sim "$addr" TargetPower "$BR_TMP/power"
	out=$(br_cli start --gentle --minutes 6 "$@" 2>&1 </dev/null) || true
	id=$(db "SELECT max(id) FROM sessions;")
	expect_match "the start ran a whole session" "$out" "Session $id ended: completed"
	expect_match "plain live lines off a terminal" "$out" "steady +[0-9]+:[0-9]+ / 6:00 +power"
	expect_eq "phases in order" "$(phases "$id")" "warmup steady cooldown stopping stretches done"
	read -r n planned last <<<"$(db "SELECT n_samples, planned_s, (SELECT max(t) FROM samples WHERE session_id = $id) FROM sessions WHERE id = $id;" | tr '|' ' ')"
	expect_eq "planned 6 min" "$planned" 360
	check "one sample per session second, no gaps ($n samples, last t $last)" \
		[ "$n" -eq $((last + 1)) ]
	check "samples cover the plan and the stretches ($n >= 360 + 130)" [ "$n" -ge 490 ]
	check "samples have power, cadence and the target" \
		[ "$(db "SELECT count(*) FROM samples WHERE session_id = $id AND power IS NOT NULL AND cadence IS NOT NULL AND target_power IS NOT NULL;")" -gt 300 ]
	expect_match "history lists it" "$(br_cli history)" " $id .*completed"
}

# session_bike_steady ADDRESS TENTHS: the session started last ($id) reaches steady within
# TENTHS; status shows it. Sets before (the bike's target then).
session_bike_steady()
{
	check "steady (within $(($2 / 10)) s)" wait_for "$2" phase_is steady
	sleep 1
	before=$(sim "$1" TargetPower)
	expect_match "status shows the session" "$(br_cli status)" "Session $id \(bike\): steady"
}

# session_bike_pain4 ADDRESS CEILING TENTHS: pain 4 sets a ceiling of at most CEILING W (85 %
# of the level the bike can really be at) and the bike's target drops under it within
# TENTHS. Sets limit.
session_bike_pain4()
{
	local addr=$1 reduce
	expect_match "pain 4 is noted" "$(br_cli pain 4)" "Pain 4 noted"
	reduce=$(db "SELECT value FROM events WHERE session_id = $id AND type = 'reduce';")
	check "pain 4: a ceiling of 85 % of the capped level ($reduce <= $2)" [ "$reduce" -le "$2" ]
	limit=$reduce
	check "pain 4: the bike's target drops ($before -> <= $limit)" wait_for "$3" \
		session_bike_within "$addr" "$limit"
	expect_eq "LastPain" "$(prop LastPain)" 4
}

# session_bike_within ADDRESS LIMIT: the bike's target is LIMIT W or less.
session_bike_within() { float_le "$(sim "$1" TargetPower)" "$2"; }

# session_bike_pain7 TENTHS: pain 7 cools down and ends the session ('pain') within TENTHS;
# then every target the bike got, and every one recorded, stayed within the 40 W cap.
session_bike_pain7()
{
	local max
	expect_match "pain 7 is noted" "$(br_cli pain 7)" "Cooling down now"
	check "pain 7: the session ends" wait_for "$1" phase_is "done"
	expect_eq "pain 7: EndReason" "$(prop EndReason)" pain
	expect_match "pain 7: cool-down, then stopping; no stretches" "$(phases "$id")" \
		"steady cooldown stopping done$"
	expect_eq "pain 7: recorded" \
		"$(db "SELECT end_reason, pain_before, pain_max FROM sessions WHERE id = $id;")" "pain|2|7"
	kill "$BR_WATCH_PID" 2>/dev/null || true
	sleep 0.1
	max=$(max_of "$BR_TMP/power")
	check "every target the bike got stayed within the 40 W cap (max $max)" float_le "$max" 40
	expect_eq "every recorded target within the cap" \
		"$(db "SELECT max(target_power) <= 40 FROM samples;")" 1
}
