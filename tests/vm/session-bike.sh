#!/bin/bash
# vm: gentle bike sessions through the real bluetoothd, sim and daemon at a high time scale:
# a whole session (phases, one sample per second, history, every export format checked
# against the database), then pain 4 (reduction) and pain 7 (cool-down, end 'pain'), the
# 40 W cap as the machine saw it. Same outcomes as tests/integration/test-session.sh
# (parts 1 and 2) and the export checks of test-history.sh.
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"
# Lower than the private suite's 200: every simulated second is a notification over the
# emulated radio, and the VM may run without KVM.
SCALE=${SCALE:-50}

vm_session_setup --bike "$SCALE" '[safety]' 'max_power_w = 40'

# ---- a whole session, in the foreground without a terminal ---------------------------------
: >"$BR_TMP/power"
watch_target TargetPower "$BR_TMP/power"
out=$(br_cli start --gentle --minutes 6 2>&1 </dev/null) || true
id=$(db "SELECT max(id) FROM sessions;")
expect_match "the start ran a whole session" "$out" "Session $id ended: completed"
expect_match "plain live lines off a terminal" "$out" "steady +[0-9]+:[0-9]+ / 6:00 +power"
expect_eq "phases in order" "$(phases "$id")" "warmup steady cooldown stopping stretches done"
read -r n planned last <<<"$(db "SELECT n_samples, planned_s, (SELECT max(t) FROM samples WHERE session_id = $id) FROM sessions WHERE id = $id;" | tr '|' ' ')"
expect_eq "planned 6 min" "$planned" 360
check "one sample per session second, no gaps ($n samples, last t $last)" [ "$n" -eq $((last + 1)) ]
check "samples cover the plan and the stretches ($n >= 490)" [ "$n" -ge 490 ]
check "samples have power, cadence and the target" \
	[ "$(db "SELECT count(*) FROM samples WHERE session_id = $id AND power IS NOT NULL AND cadence IS NOT NULL AND target_power IS NOT NULL;")" -gt 300 ]
expect_match "history lists it" "$(br_cli history)" " $id .*completed"

# ---- exports, compared with the database ----------------------------------------------------
CHECK=$SRC/tests/integration/check-export.py
for fmt in csv json tcx fit; do
	br_cli export "$id" --format $fmt -o "$BR_TMP/s.$fmt"
	check "export $fmt written, mode 0600" [ "$(stat -c %a "$BR_TMP/s.$fmt")" = 600 ]
done
for fmt in csv json fit; do
	expect_eq "$fmt export matches the database" \
		"$(TZ=UTC "$CHECK" $fmt "$BR_TMP/backride.db" "$id" "$BR_TMP/s.$fmt" 2>&1)" ""
done
expect_eq "tcx export: one Trackpoint per sample" "$(python3 -c '
import sys, xml.etree.ElementTree as ET
ns = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
print(len(ET.parse(sys.argv[1]).getroot().findall(".//" + ns + "Trackpoint")))
' "$BR_TMP/s.tcx" 2>&1)" "$n"

# ---- pain 4, pain 7 ------------------------------------------------------------------------
out=$(br_cli start --gentle --minutes 60 --pain 2 --detach 2>&1)
expect_match "start --detach" "$out" "Session [0-9]+ started \(bike, 60 min planned\)"
id=$(prop Id)
check "steady" wait_for 600 phase_is steady
sleep 1
before=$(sim TargetPower)
expect_match "status shows the session" "$(br_cli status)" "Session $id \(bike\): steady"
expect_match "pain 4 is noted" "$(br_cli pain 4)" "Pain 4 noted"
reduce=$(db "SELECT value FROM events WHERE session_id = $id AND type = 'reduce';")
check "pain 4: a ceiling of at most 85 % of the level ($reduce <= 39)" [ "$reduce" -le 39 ]
limit=$reduce
lower() { float_le "$(sim TargetPower)" "$limit"; }
check "pain 4: the bike's target drops ($before -> <= $limit)" wait_for 200 lower
expect_eq "LastPain" "$(prop LastPain)" 4
expect_match "pain 7 is noted" "$(br_cli pain 7)" "Cooling down now"
check "pain 7: the session ends" wait_for 600 phase_is done
expect_eq "pain 7: EndReason" "$(prop EndReason)" pain
expect_match "pain 7: cool-down, then stopping; no stretches" "$(phases "$id")" "steady cooldown stopping done$"
expect_eq "pain 7: recorded" "$(db "SELECT end_reason, pain_before, pain_max FROM sessions WHERE id = $id;")" "pain|2|7"
kill "$BR_WATCH_PID" 2>/dev/null || true
max=$(max_of "$BR_TMP/power")
check "every target the bike got stayed within the 40 W cap (max $max)" float_le "$max" 40
expect_eq "every recorded target within the cap" "$(db "SELECT max(target_power) <= 40 FROM samples;")" 1
expect_match "history lists both" "$(br_cli history)" " $id .*pain"

br_finish
