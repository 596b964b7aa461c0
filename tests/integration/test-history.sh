#!/bin/bash
# History1 end to end: a generated database, backrided on a private bus, busctl and the real
# CLI; every export format, TCX and FIT read back with gpsbabel and compared with the database.
. "$(dirname "$0")/lib.sh"

GEN=$BUILD/tests/tools/gen-history
CHECK=$SRC/tests/integration/check-export.py
SNAP=$SRC/tests/integration/history
export TZ=UTC

br_setup
chmod 755 "$BR_TMP"
# The access test needs a bus that lets other users connect (a session bus admits only its
# owner), so that the daemon's own check is what refuses them: run one with that policy.
cat >"$BR_TMP/open-bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$BR_TMP/open-bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
CONF
dbus-daemon --config-file="$BR_TMP/open-bus.conf" --nofork --nopidfile >"$BR_TMP/open-bus.log" 2>&1 &
br_pids+=($!)
br_use_bus "unix:path=$BR_TMP/open-bus"
export BACKRIDE_BUS="$BR_BUS" DBUS_SYSTEM_BUS_ADDRESS="$BR_BUS" \
	DBUS_SESSION_BUS_ADDRESS="$BR_BUS"
wait_for 50 test -S "$BR_TMP/open-bus" || true
DB=$BR_TMP/backride.db

# Three weeks from 2026-01-05, ten-minute sessions, and two recent weeks for progress.
"$GEN" --database "$DB" --days 21 --minutes 10 --start 2026-01-05 --seed 7 2>"$BR_TMP/gen.log"
expect_eq "generator fills the database" "$(db 'SELECT count(*) FROM sessions')" 21
"$GEN" --database "$BR_TMP/again.db" --days 21 --minutes 10 --start 2026-01-05 --seed 7 2>/dev/null
q='SELECT group_concat(distance_m || ":" || avg_hr_bpm || ":" || end_reason) FROM sessions'
expect_eq "generator is deterministic" "$(sqlite3 "$BR_TMP/again.db" "$q")" "$(db "$q")"
recent=$(date -u -d '-13 days' +%F)
"$GEN" --database "$DB" --days 14 --minutes 10 --start "$recent" --seed 8 2>>"$BR_TMP/gen.log"
"$GEN" --database "$BR_TMP/x.db" --days 1 --start 2026-13-01 >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "generator rejects a bad date" "$rc" 2

br_start_daemon

call() { bz call org.backride /org/backride org.backride.History1 "$@"; }
# ids METHOD-ARGS...: the session ids ListSessions returns, one line.
ids() { call ListSessions 'a{sv}' "$@" --json=short | python3 -c '
import json, sys
print(" ".join(str(s["id"]["data"]) for s in json.load(sys.stdin)["data"][0]))'; }

# Filters and paging.
all=$(ids 1 limit u 1000)
expect_eq "ListSessions returns every session" "$(wc -w <<<"$all")" 35
expect_eq "newest first" "$(cut -d' ' -f1 <<<"$all")" 35
expect_eq "default limit is 50" "$(ids 0 | wc -w)" 35
expect_eq "limit" "$(ids 1 limit u 5)" "35 34 33 32 31"
paged=""
for off in 0 10 20 30; do
	paged="$paged $(ids 2 limit u 10 offset u $off)"
done
expect_eq "paging with offset covers everything once" "$(echo $paged)" "$all"
expect_eq "an offset past the end is empty" "$(ids 1 offset u 100)" ""
want=$(db "SELECT group_concat(id, ' ') FROM (SELECT id FROM sessions
	WHERE kind = 'treadmill' ORDER BY started_at DESC)")
expect_eq "kind filter" "$(ids 1 kind s treadmill)" "$want"
since=$(date -u -d 2026-01-10 +%s)
until=$(date -u -d 2026-01-15 +%s)
expect_eq "since and until" "$(ids 2 since x "$since" until x "$until")" "10 9 8 7 6"

out=$(call ListSessions 'a{sv}' 1 limit u 1)
for key in '"id" t 35' '"machine" s' '"kind" s' '"profile" s "gentle"' '"start" x' \
	'"duration_s" u 600' '"active_s" u' '"distance_m" u' '"avg_hr_bpm" u' '"max_hr_bpm" u' \
	'"pain_before" u' '"pain_max" u' '"pain_after" u' '"end_reason" s'; do
	expect_match "summary has $key" "$out" "$key"
done
out=$(call ListSessions 'a{sv}' 2 kind s bike limit u 1)
for key in '"energy_j" u' '"avg_power_w" u' '"max_power_w" u' '"avg_speed_kmh" d'; do
	expect_match "bike summary has $key" "$out" "$key"
done

# Bad filters and unknown ids are named errors that say what to do.
bad() {
	local name=$1 want=$2
	shift 2
	out=$(call "$@" 2>&1) && rc=0 || rc=$?
	expect_match "$name" "$rc:$out" "^1:.*$want"
}
bad "unknown filter key" "Unknown filter key 'colour'" ListSessions 'a{sv}' 1 colour s red
bad "wrong variant type names the key" "'limit' must be a variant of type 'u'" \
	ListSessions 'a{sv}' 1 limit s ten
bad "limit 0" "'limit' must be between 1 and 1000" ListSessions 'a{sv}' 1 limit u 0
bad "limit over 1000" "'limit' must be between 1 and 1000" ListSessions 'a{sv}' 1 limit u 1001
bad "unknown kind" "'kind' must be 'bike' or 'treadmill'" ListSessions 'a{sv}' 1 kind s rowing
bad "since after until" "since < until" ListSessions 'a{sv}' 2 since x 10 until x 5
bad "unknown session" "There is no session 999" GetSession t 999
bad "samples of an unknown session" "no session 999" GetSamples tuu 999 0 10
bad "from after to" "must not be after" GetSamples tuu 1 10 5
bad "export of an unknown session" "no session 999" Export ts 999 csv
bad "unknown export format" "Unknown export format 'gpx'; use tcx, fit, csv or json" \
	Export ts 1 gpx
bad "weeks 0" "'weeks' must be between 1 and 520" Progress u 0
err=$(python3 - "$BR_BUS" <<'PY' 2>&1 || true
import subprocess, sys
r = subprocess.run(['dbus-send', '--bus=' + sys.argv[1], '--print-reply',
                    '--dest=org.backride', '/org/backride', 'org.backride.History1.GetSession',
                    'uint64:999'], capture_output=True, text=True)
print(r.stderr.split(':')[0] if r.stderr else r.stdout)
PY
)
expect_match "NotFound is the error name" "$err" "org.backride.Error.NotFound"

# GetSession and GetSamples against the database.
out=$(call GetSession t 6)
n_events=$(db 'SELECT count(*) FROM events WHERE session_id = 6')
expect_eq "GetSession returns the events" "$(call GetSession t 6 --json=short |
	python3 -c 'import json, sys; print(len(json.load(sys.stdin)["data"][1]))')" "$n_events"
expect_match "events include pain" "$out" '"pain" [0-9]+'
expect_match "events include pause" "$out" '"pause" -2147483648 "rest"'
n=$(call GetSamples tuu 6 0 4294967295 | cut -d' ' -f2)
expect_eq "GetSamples returns every sample" "$n" "$(db \
	'SELECT count(*) FROM samples WHERE session_id = 6')"
out=$(call GetSamples tuu 2 10 12)
hr=$(db 'SELECT hr FROM samples WHERE session_id = 2 AND t = 10')
expect_match "GetSamples range" "$out" "^a\(uyiiiiiiiiiii\) 2 10 2 [0-9-]+ [0-9-]+ [0-9-]+ [0-9-]+ $hr "

# History is health data: a caller outside the policy gets AccessDenied.
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
out=$(as_nobody busctl --address="$BR_BUS" call org.backride /org/backride \
	org.backride.History1 ListSessions 'a{sv}' 0 2>&1) && rc=0 || rc=$?
expect_match "a stranger cannot list sessions" "$rc:$out" "^1:.*Only root and members of group"
for m in "GetSession t 1" "GetSamples tuu 1 0 10" "Progress u 4" "Export ts 1 csv"; do
	# shellcheck disable=SC2086
	out=$(as_nobody busctl --address="$BR_BUS" call org.backride /org/backride \
		org.backride.History1 $m 2>&1) && rc=0 || rc=$?
	expect_match "a stranger cannot call ${m%% *}" "$rc:$out" "^1:.*Only root and members"
done
out=$(as_nobody "$BACKRIDE" --bus "$BR_BUS" history 2>&1) && rc=0 || rc=$?
expect_eq "the CLI says permission denied with exit 77" "$rc" 77
expect_match "and what to do" "$out" "usermod -aG backride"

# The CLI.
out=$(br_cli history --limit 3)
expect_eq "history prints a header and 3 rows" "$(wc -l <<<"$out")" 4
expect_match "history header" "$out" "ID +STARTED +KIND +TIME +KM +W +HR +PAIN +END"
out=$(br_cli history --since 2026-01-20 --json)
expect_eq "history --since --json" "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' \
	<<<"$out")" 20
out=$(br_cli history --since 2026-02-30 2>&1) && rc=0 || rc=$?
expect_match "a bad date is refused" "$rc:$out" "^2:.*--since wants a date like 2026-01-31"
out=$(br_cli history --since yesterday 2>&1) && rc=0 || rc=$?
expect_eq "a word is not a date" "$rc" 2
out=$(br_cli show 999 2>&1) && rc=0 || rc=$?
expect_match "show of an unknown session" "$rc:$out" "^1:backride: There is no session 999"
out=$(br_cli show abc 2>&1) && rc=0 || rc=$?
expect_eq "show wants a number" "$rc" 2

# Snapshots: ASCII and UTF-8, 80 columns, no colour (BR_UPDATE=1 rewrites them).
for loc in C C.UTF-8; do
	for id in 6 7; do
		f=$SNAP/show-$id-$loc.txt
		NO_COLOR=1 LANG=$loc LC_ALL=$loc COLUMNS=80 br_cli show $id >"$BR_TMP/show.txt"
		[ -z "${BR_UPDATE:-}" ] || cp "$BR_TMP/show.txt" "$f"
		check "show $id in $loc matches $(basename "$f")" cmp -s "$BR_TMP/show.txt" "$f"
		width=$(python3 -c 'import sys
print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$BR_TMP/show.txt")
		check "show $id in $loc fits 80 columns ($width)" [ "$width" -le 80 ]
	done
done
out=$(NO_COLOR=1 LANG=C LC_ALL=C COLUMNS=120 br_cli show 7)
check "charts widen with COLUMNS" [ "$(awk '{ if (length($0) > w) w = length($0) } END \
	{ print w }' <<<"$out")" -gt 100 ]
no_escapes() { [[ $1 != *$'\033['* ]]; }
out=$(env -u NO_COLOR script -qec "$BACKRIDE --bus $BR_BUS show 7" /dev/null)
expect_match "charts are coloured on a terminal" "$out" $'\033\\[32m'
out=$(NO_COLOR=1 script -qec "$BACKRIDE --bus $BR_BUS show 7" /dev/null)
check "but never with NO_COLOR" no_escapes "$out"
out=$(unset NO_COLOR; br_cli show 7)
check "and never into a pipe" no_escapes "$out"
out=$(br_cli show 6 --json)
expect_eq "show --json parses" "$(python3 -c 'import json,sys; d=json.load(sys.stdin);
print(d["session"]["id"], len(d["events"]))' <<<"$out")" "6 $n_events"

# Progress: the recent two weeks, in minutes, against the database.
out=$(br_cli progress --weeks 4 --json)
got=$(python3 -c 'import json,sys; w=json.load(sys.stdin)["weeks"];
print(len(w), sum(x["sessions"] for x in w), sum(x["duration_s"] for x in w), w[0]["start"])' \
	<<<"$out")
first=${got##* }
want=$(db "SELECT count(*), sum(duration_s) FROM sessions WHERE started_at >= $first")
expect_eq "progress totals match the database" "${got% *}" "4 ${want%|*} ${want#*|}"
out=$(LANG=C LC_ALL=C NO_COLOR=1 COLUMNS=80 br_cli progress --weeks 4)
expect_match "progress draws bars" "$out" "[0-9]{4}-[0-9]{2}-[0-9]{2} #+"
expect_match "progress draws a pain trend" "$out" "Pain trend  [0-9.X]{4}"
out=$(LANG=C.UTF-8 LC_ALL=C.UTF-8 NO_COLOR=1 COLUMNS=80 br_cli progress --weeks 4)
expect_match "progress in UTF-8 uses blocks" "$out" "█"
plan=$(br_cli progress --weeks 1 --json | python3 -c 'import json, sys
p = json.load(sys.stdin)["next_plan"]
print(p["kind"], sorted(p))')
expect_eq "progress returns the planner's next plan for the last kind" "$plan" \
	"bike ['checkin_due', 'checkin_text', 'checkin_until', 'cooldown_s', 'kind', 'last_ended', 'power_w', 'reason', 'reason_text', 'resistance_pct', 'steady_s', 'stretches', 'warmup_s']"
expect_match "progress prints the next plan" "$(br_cli progress --weeks 1)" \
	"Next plan \(bike\): [0-9:]+ warm-up, [0-9:]+ steady at [0-9]+ W, [0-9:]+ cool-down\."
out=$(br_cli progress --weeks 0 2>&1) && rc=0 || rc=$?
expect_eq "progress --weeks 0 is bad usage" "$rc" 2

# Exports: every format, compared with the database; TCX and FIT through gpsbabel.
for id in 2 6; do
	for fmt in csv json tcx fit; do
		br_cli export $id --format $fmt -o "$BR_TMP/s$id.$fmt"
		check "export $id $fmt is mode 0600" [ "$(stat -c %a "$BR_TMP/s$id.$fmt")" = 600 ]
	done
	expect_eq "csv $id matches" "$("$CHECK" csv "$DB" $id "$BR_TMP/s$id.csv")" ""
	expect_eq "json $id matches" "$("$CHECK" json "$DB" $id "$BR_TMP/s$id.json")" ""
	expect_eq "fit $id decodes (CRC, messages, records, laps, session, timer and lap rules)" \
		"$("$CHECK" fit "$DB" $id "$BR_TMP/s$id.fit")" ""
	expect_eq "tcx $id: a lap per phase with its intensity, tracks split at pauses" \
		"$("$CHECK" tcx "$DB" $id "$BR_TMP/s$id.tcx")" ""
	# gpsbabel drops FIT records without a position unless told 'allpoints'.
	gpsbabel -t -i garmin_fit,allpoints -f "$BR_TMP/s$id.fit" -o unicsv \
		-F "$BR_TMP/fit$id.csv" 2>"$BR_TMP/gpsbabel.log"
	expect_eq "gpsbabel reads fit $id: time, HR, cadence, power, speed" \
		"$("$CHECK" unicsv "$DB" $id "$BR_TMP/fit$id.csv" --speed)" ""
	# gpsbabel's TCX reader drops trackpoints without a position (an indoor session has
	# none): give each one, then compare everything else.
	sed 's|</Time>|</Time><Position><LatitudeDegrees>1</LatitudeDegrees><LongitudeDegrees>1</LongitudeDegrees></Position>|' \
		"$BR_TMP/s$id.tcx" >"$BR_TMP/p$id.tcx"
	gpsbabel -t -i gtrnctr -f "$BR_TMP/p$id.tcx" -o unicsv -F "$BR_TMP/tcx$id.csv" \
		2>"$BR_TMP/gpsbabel.log"
	expect_eq "gpsbabel reads tcx $id: time, HR, cadence, power, speed" \
		"$("$CHECK" unicsv "$DB" $id "$BR_TMP/tcx$id.csv" --speed)" ""
	gpsbabel -t -i gtrnctr -f "$BR_TMP/p$id.tcx" -o gtrnctr,course=0 -F "$BR_TMP/r$id.tcx"
	expect_eq "gpsbabel carries tcx $id distances" \
		"$("$CHECK" tcx-distance "$DB" $id "$BR_TMP/r$id.tcx")" ""
done
expect_match "tcx escapes the machine name" "$(cat "$BR_TMP/s2.tcx")" \
	"Kettler &quot;Tour&quot; &amp; Co&apos;s &lt;bike&gt;"
head -1 "$BR_TMP/s2.csv" >"$BR_TMP/header"
expect_eq "csv header" "$(cat "$BR_TMP/header")" \
	"time,t,phase,power_w,cadence_rpm,speed_kmh,distance_m,hr_bpm,incline_pct,resistance,target_power_w,target_speed_kmh,target_resistance,target_incline_pct"
out=$(br_cli export 2 --format csv -o "$BR_TMP/s2.csv" 2>&1) && rc=0 || rc=$?
expect_match "export keeps an existing file" "$rc:$out" "^1:.*exists; use --force"
br_cli export 2 --format csv -o "$BR_TMP/s2.csv" --force
check "export --force overwrites" cmp -s "$BR_TMP/s2.csv" <(br_cli export 2 --format csv)
out=$(br_cli export 2 --format gpx 2>&1) && rc=0 || rc=$?
expect_match "export of an unknown format: a usage error" "$rc:$out" "^2:.*use tcx, fit, csv or json"
out=$(br_cli export 2 2>&1) && rc=0 || rc=$?
expect_eq "export without a format is bad usage" "$rc" 2
out=$(script -qec "$BACKRIDE --bus $BR_BUS export 2 --format fit" /dev/null 2>&1) && rc=0 ||
	rc=$?
expect_match "FIT is not written to a terminal" "$out" "FIT is binary"

# The daemon is still fine and the contract holds.
bz --xml-interface introspect org.backride /org/backride \
	>"$BR_TMP/live.xml"
out=$("$SRC/tests/integration/check-introspect.py" "$BR_TMP/live.xml" \
	"$SRC/dbus/org.backride.History1.xml" 2>&1) && rc=0 || rc=$?
expect_eq "History1 matches its contract" "$rc:$out" "0:"
kill -TERM "$BR_DAEMON_PID"
wait "$BR_DAEMON_PID" && rc=0 || rc=$?
expect_eq "daemon exits 0" "$rc" 0

br_finish
