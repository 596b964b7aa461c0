#!/bin/bash
# Gentle sessions on the simulated bike, sim and daemon at a high time scale: a whole
# session end to end, Session1 and its contract, the envelope cap as the sim saw it, pain 4
# (reduction) and pain 7 (cool-down, end 'pain'), plan and check-in, named errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

br_setup
cat >"$BR_TMP/backride.conf" <<EOF
[safety]
max_power_w = 40
EOF
session_setup --bike
out=$(br_cli start --gentle --detach 2>&1) && rc=0 || rc=$?
expect_match "start with no machine paired: NotConnected, one line" "$rc:$out" \
	"^1:backride: No machine to connect to; run 'backride scan', then 'backride pair ADDRESS'.$"
out=$(br_cli pain 1)
expect_match "a check-in before any session says it has nothing to compare with" "$out" \
	"^Check-in recorded: pain 1.
No session yet to compare it with"
br_cli pair $BIKE >/dev/null

# ---- 1: a whole session, in the foreground without a terminal --------------------------
: >"$BR_TMP/power"
watch_target $BIKE TargetPower "$BR_TMP/power"
out=$(br_cli start --gentle --minutes 6 --pain 2 2>&1 </dev/null) || true
id=$(db "SELECT max(id) FROM sessions;")
expect_match "the first start ran a whole session" "$out" "Session $id ended: completed"
expect_match "plain live lines off a terminal" "$out" "steady +[0-9]+:[0-9]+ / 6:00 +power"
expect_eq "phases in order" "$(phases "$id")" "warmup steady cooldown stopping stretches done"
read -r n planned last <<<"$(db "SELECT n_samples, planned_s, (SELECT max(t) FROM samples WHERE session_id = $id) FROM sessions WHERE id = $id;" | tr '|' ' ')"
expect_eq "planned 6 min" "$planned" 360
check "one sample per session second, no gaps ($n samples, last t $last)" [ "$n" -eq $((last + 1)) ]
check "samples cover the plan and the stretches ($n >= 360 + 130)" [ "$n" -ge 490 ]
check "samples have power, cadence, HR and the target" \
	[ "$(db "SELECT count(*) FROM samples WHERE session_id = $id AND power IS NOT NULL AND cadence IS NOT NULL AND target_power IS NOT NULL;")" -gt 300 ]
expect_match "history lists it" "$(br_cli history)" " $id .*completed"

# ---- the daily check-in after it, the same day (pain 2 before the session) ---------------
expect_match "plan: no check-in since the session" "$(br_cli plan)" \
	"No check-in since the last session \(ended [0-9-]+ [0-9:]+\)"
when="[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}"
expect_match "check-in 4, higher than before the session: the reply says it holds the plan back" \
	"$(br_cli pain 4)" "^Check-in recorded: pain 4.
Check-in 4/10 on $when, higher than 2/10 before the last session: it holds the next plan back.$"
expect_match "the plan holds and names the check-in" "$(br_cli plan)" \
	"Why: Check-in 4/10 on $when, higher than 2/10 before the last session: holding at the last plan. \(hold-checkin\)$"
expect_match "check-in 2, settled: the reply says so" "$(br_cli pain 2)" \
	"Check-in 2/10 on $when, not higher than 2/10 before the last session: it does not hold the next plan back.$"
out=$(br_cli plan)
expect_match "the latest check-in counts: the plan is not held back" "$out" \
	"\((duration|weekly-limit)\)
Check-in 2/10 on $when, not higher"

# ---- 2: pain 4, pain 7 (the watch goes on: caps checked at the end) ---------------------
out=$(br_cli start --gentle --minutes 60 --pain 2 --detach 2>&1)
expect_match "start --detach" "$out" "Session [0-9]+ started \(bike, 60 min planned\)"
id=$(prop Id)
check "Session1 exported under the ObjectManager" \
	busctl --address="$BR_BUS" call org.backride /org/backride \
	org.freedesktop.DBus.ObjectManager GetManagedObjects >/dev/null
busctl --address="$BR_BUS" --xml-interface introspect org.backride /org/backride/session \
	>"$BR_TMP/session.xml"
out=$("$SRC/tests/integration/check-introspect.py" "$BR_TMP/session.xml" \
	"$SRC"/dbus/session/org.backride.Session1.xml 2>&1) && rc=0 || rc=$?
expect_eq "Session1 introspection matches dbus/session/org.backride.Session1.xml" "$rc:$out" "0:"
expect_eq "Manager1.State is session" "$(busctl --address="$BR_BUS" get-property org.backride /org/backride org.backride.Manager1 State)" 's "session"'
out=$(br_cli start --gentle --detach 2>&1) && rc=0 || rc=$?
expect_match "a second start: Busy" "$rc:$out" "^1:.*already running"
out=$(busctl --address="$BR_BUS" call org.backride /org/backride org.backride.Manager1 \
	StartSession 'a{sv}' 1 minutes u 1 2>&1 || true)
expect_match "InvalidArguments names the option" "$out" "minutes"
out=$(busctl --address="$BR_BUS" call org.backride /org/backride org.backride.Manager1 \
	StartSession 'a{sv}' 1 machine s nonsense 2>&1 || true)
expect_match "a bad machine address names 'machine'" "$out" "Option 'machine' must be an address"

check "steady within 10 s" wait_for 200 phase_is steady
sleep 1
before=$(sim $BIKE TargetPower)
expect_match "status shows the session" "$(br_cli status)" "Session $id \(bike\): steady"
for bad in -2 -100 11; do
	out=$(busctl --address="$BR_BUS" call org.backride /org/backride/session \
		org.backride.Session1 Stop i -- "$bad" 2>&1) && rc=0 || rc=$?
	expect_match "Stop with pain_after $bad: InvalidArguments" "$rc:$out" \
		"^1:.*-1 \(not asked\) or 0 \(none\) to 10 \(worst\)"
done
expect_eq "the bad Stops changed nothing" \
	"$(prop Phase) $(prop LastPain) $(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'pain';")" \
	"steady -1 0"
expect_match "pain 4 is noted" "$(br_cli pain 4)" "Pain 4 noted"
# 85 % of the level the bike can really be at: the 45 W plan within the 40 W cap.
reduce=$(db "SELECT value FROM events WHERE session_id = $id AND type = 'reduce';")
check "pain 4: a ceiling of 85 % of the capped level ($reduce <= 34)" [ "$reduce" -le 34 ]
limit=$reduce
lower() { float_le "$(sim $BIKE TargetPower)" "$limit"; }
check "pain 4: the bike's target drops ($before -> <= $limit)" wait_for 100 lower
sleep 1
check "pain 4: the target stays reduced" float_le "$(sim $BIKE TargetPower)" "$limit"
expect_eq "LastPain" "$(prop LastPain)" 4
out=$( (br_cli --json status --follow </dev/null || true) | head -n 2)
expect_match "status --follow --json: one object per update" "$out" '^\{"id":'"$id"',"kind":"bike","phase":"steady"'
expect_match "pain 7 is noted" "$(br_cli pain 7)" "Cooling down now"
check "pain 7: the session ends" wait_for 300 phase_is done
expect_eq "pain 7: EndReason" "$(prop EndReason)" pain
expect_match "pain 7: cool-down, then stopping; no stretches" "$(phases "$id")" "steady cooldown stopping done$"
expect_eq "pain 7: recorded" "$(db "SELECT end_reason, pain_before, pain_max FROM sessions WHERE id = $id;")" "pain|2|7"
kill "$BR_WATCH_PID" 2>/dev/null || true
sleep 0.1
max=$(max_of "$BR_TMP/power")
check "every target the bike got stayed within the 40 W cap (max $max)" float_le "$max" 40
expect_eq "every recorded target within the cap" \
	"$(db "SELECT max(target_power) <= 40 FROM samples;")" 1

# ---- plan, check-in, errors --------------------------------------------------------
out=$(br_cli plan)
expect_match "plan after pain 7: reduce" "$out" "Next bike session: .*\(reduce-pain\)"
out=$(br_cli --json plan)
expect_match "plan --json" "$out" '"reason":"reduce-pain"'
expect_match "progress shows the same next plan" "$(br_cli --json progress)" 'reduce-pain'
expect_match "pain outside a session is the check-in" "$(br_cli pain 3)" "Check-in recorded: pain 3"
expect_eq "check-ins stored" "$(db "SELECT group_concat(pain, ' ') FROM checkins;")" "1 4 2 3"
expect_match "the plan names it beside the pain reason" "$(br_cli plan)" \
	"\(reduce-pain\)
Check-in 3/10 on $when, higher than 2/10 before the last session: it holds the next plan back.$"
out=$(br_cli pause 2>&1) && rc=0 || rc=$?
expect_match "pause without a session" "$rc:$out" "^1:.*No session is running"
out=$(br_cli pain 11 2>&1) && rc=0 || rc=$?
expect_match "pain 11 is a usage error" "$rc:$out" "^2:"

br_finish
