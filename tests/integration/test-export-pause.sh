#!/bin/bash
# Exports keep a pause at its real time: a gentle session in real time (time scale 1) is paused
# for 12 s, then stopped. Every row of the CSV and every TCX trackpoint is stamped with the
# wall-clock second it was recorded, so the file ends when the session did, not 12 s early,
# the paused seconds are in it, and FIT's timer stops and starts around the pause
# (check-export.py).
. "$(dirname "$0")/lib.sh"
SCALE=1
. "$(dirname "$0")/session-lib.sh"

CHECK=$SRC/tests/integration/check-export.py
PAUSE_S=12
export TZ=UTC

br_setup
session_setup --bike
br_cli pair $BIKE >/dev/null
elapsed_past() { [ "$(prop Elapsed)" -ge "$1" ]; }
running() { [ "$(prop Paused)" = false ]; }
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
# epoch FILE: the first and the last time stamp of an export (ISO 8601, UTC) as epoch seconds.
epochs() { grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}' "$1" | sed -n '1p;$p' |
	while read -r ts; do date -u -d "${ts/T/ } UTC" +%s; done; }

wall_start=$(date +%s)
out=$(br_cli start --gentle --minutes 3 --no-stretch --pain 1 --detach 2>&1)
wall_started=$(date +%s)
expect_match "started" "$out" "started"
id=$(prop Id)
check "riding" wait_for 200 elapsed_past 3
expect_match "pause" "$(br_cli pause)" "Paused"
sleep "$PAUSE_S" # the pause under test: real seconds
expect_match "resume" "$(br_cli resume)" "Resumed"
check "running again" wait_for 100 running
check "riding after the pause (Elapsed counts active seconds)" \
	wait_for 400 elapsed_past $(($(prop Elapsed) + 2))
wall_stop=$(date +%s)
br_cli stop --pain 1 >/dev/null
check "done" wait_for 400 phase_is done
wall_end=$(date +%s)

for fmt in csv tcx fit; do
	br_cli export "$id" --format $fmt -o "$BR_TMP/s.$fmt"
	expect_eq "export $fmt checks out" \
		"$("$CHECK" $fmt "$BR_TMP/backride.db" "$id" "$BR_TMP/s.$fmt")" ""
done
for fmt in csv tcx; do
	read -r first last <<<"$(epochs "$BR_TMP/s.$fmt" | tr "\n" " ")"
	check "$fmt: starts when the session did ($first, in $wall_start-$wall_started)" \
		between "${first:-0}" "$wall_start" "$wall_started"
	check "$fmt: ends when the session did, the pause included ($last, in $((wall_stop - 2))-$wall_end; whole seconds)" \
		between "${last:-0}" $((wall_stop - 2)) "$wall_end"
done
paused=$(awk -F, -v a="$(db "SELECT min(t) FROM events WHERE session_id = $id AND type = 'pause';")" \
	-v b="$(db "SELECT max(t) FROM events WHERE session_id = $id AND type = 'resume';")" \
	'NR > 1 && $2 >= a && $2 < b' "$BR_TMP/s.csv" | wc -l)
check "csv: the paused seconds are rows ($paused >= $((PAUSE_S - 1)))" [ "$paused" -ge $((PAUSE_S - 1)) ]

br_finish
