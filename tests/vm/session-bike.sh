#!/bin/bash
# vm: gentle bike sessions through the real bluetoothd, sim and daemon at a high time scale:
# a whole session (phases, one sample per second, history, every export format checked
# against the database), then pain 4 (reduction) and pain 7 (cool-down, end 'pain'), the
# 40 W cap as the machine saw it. The session parts are tests/integration/test-session.sh's
# (tests/integration/session-bike-lib.sh), with the export checks of test-history.sh.
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"
# shellcheck source=tests/integration/session-bike-lib.sh
. "$BACKRIDE_SOURCE_ROOT/tests/integration/session-bike-lib.sh"
# Lower than the private suite's 200: every simulated second is a notification over the
# emulated radio, and the VM may run without KVM.
SCALE=${SCALE:-50}

vm_session_setup --bike "$SCALE" '[safety]' 'max_power_w = 40'

# ---- a whole session, in the foreground without a terminal ---------------------------------
session_bike_whole "$MACHINE"

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
session_bike_steady "$MACHINE" 600
session_bike_pain4 "$MACHINE" 39 200
session_bike_pain7 600
expect_match "history lists both" "$(br_cli history)" " $id .*pain"

br_finish
