#!/bin/bash
# Gentle sessions on the simulated bike, sim and daemon at a high time scale: a whole
# session end to end, Session1 and its contract, the envelope cap as the sim saw it, pain 4
# (reduction) and pain 7 (cool-down, end 'pain'), plan and check-in, named errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"
# shellcheck source=tests/integration/session-bike-lib.sh
. "$(dirname "$0")/session-bike-lib.sh"

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
session_bike_whole $BIKE --pain 2

# ---- the daily check-in after it, the same day (pain 2 before the session) ---------------
expect_match "plan: no check-in since the session" "$(br_cli plan)" \
	"No check-in since the last session \(ended [0-9-]+ [0-9:]+\)"
due() { bz call -- org.backride /org/backride org.backride.Manager1 NextPlan s "" |
	grep -o '"checkin_due" b [a-z]*'; }
expect_eq "NextPlan: a check-in is due" "$(due)" '"checkin_due" b true'
when="[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}"
expect_match "check-in 4, higher than before the session: the reply says it holds the plan back" \
	"$(br_cli pain 4)" "^Check-in recorded: pain 4.
Check-in 4/10 on $when, higher than 2/10 before the last session: it holds the next plan back.$"
expect_match "the plan holds and names the check-in" "$(br_cli plan)" \
	"Why: Check-in 4/10 on $when, higher than 2/10 before the last session: holding at the last plan. \(hold-checkin\)$"
expect_eq "NextPlan: no longer due" "$(due)" '"checkin_due" b false'
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
	bz call org.backride /org/backride \
	org.freedesktop.DBus.ObjectManager GetManagedObjects >/dev/null
bz --xml-interface introspect org.backride /org/backride/session \
	>"$BR_TMP/session.xml"
out=$("$SRC/tests/integration/check-introspect.py" "$BR_TMP/session.xml" \
	"$SRC"/dbus/session/org.backride.Session1.xml 2>&1) && rc=0 || rc=$?
expect_eq "Session1 introspection matches dbus/session/org.backride.Session1.xml" "$rc:$out" "0:"
expect_eq "Manager1.State is session" "$(state)" session
out=$(br_cli start --gentle --detach 2>&1) && rc=0 || rc=$?
expect_match "a second start: Busy" "$rc:$out" "^1:.*already running"
out=$(bz call org.backride /org/backride org.backride.Manager1 \
	StartSession 'a{sv}' 1 minutes u 1 2>&1 || true)
expect_match "InvalidArguments names the option" "$out" "minutes"
out=$(bz call org.backride /org/backride org.backride.Manager1 \
	StartSession 'a{sv}' 1 machine s nonsense 2>&1 || true)
expect_match "a bad machine address names 'machine'" "$out" "Option 'machine' must be an address"

session_bike_steady $BIKE 100
for bad in -2 -100 11; do
	out=$(bz call org.backride /org/backride/session \
		org.backride.Session1 Stop i -- "$bad" 2>&1) && rc=0 || rc=$?
	expect_match "Stop with pain_after $bad: InvalidArguments" "$rc:$out" \
		"^1:.*-1 \(not asked\) or 0 \(none\) to 10 \(worst\)"
done
expect_eq "the bad Stops changed nothing" \
	"$(prop Phase) $(prop LastPain) $(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'pain';")" \
	"steady -1 0"
# 85 % of the level the bike can really be at: the 45 W plan within the 40 W cap.
session_bike_pain4 $BIKE 34 50
sleep 1
check "pain 4: the target stays reduced" float_le "$(sim $BIKE TargetPower)" "$limit"
out=$( (br_cli --json status --follow </dev/null || true) | head -n 2)
expect_match "status --follow --json: one object per update" "$out" '^\{"id":'"$id"',"kind":"bike","phase":"steady"'
session_bike_pain7 150

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
