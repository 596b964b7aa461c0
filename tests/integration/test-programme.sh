#!/bin/bash
# A whole programme against the simulated bike, weeks in minutes: the daemon's wall clock moves
# a day at a time (Debug1.AdvanceClock, [debug] targets = yes), sessions run at a high time
# scale. A baseline of three sessions stopped by the rider, six weeks of pre-set steps from
# 70 % of it, a worse next-morning check-in that holds a step, a flare-up said with
# 'backride flare', and the rebuild. The rider sets the baseline sessions' lengths up front
# (--minutes: how long is comfortable today), as racing a stop against a fast clock would not
# be robust on a loaded machine. Every session's planned length is checked against the
# rules (docs/coach.md, "Programmes"), computed here from the recorded baseline; the days the
# sessions fall on are the daemon's (rest days, two sessions a week).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

SCALE=200
br_setup
session_conf '[debug]' 'targets = yes'
session_setup --bike
br_cli pair $BIKE >/dev/null

# ---- bash completion ---------------------------------------------------------------------
complete() {
	PATH="$BUILD/cli:$PATH" bash -c '. "$1"
		COMP_LINE=$2 COMP_POINT=${#2}
		_backride; printf "%s\n" "${COMPREPLY[@]}"' _ "$SRC/shell-completion/backride" "$1"
}
expect_eq "completion: the programme's actions" "$(complete 'backride programme ' | tr '\n' ' ')" "show start stop "
expect_eq "completion: its kinds" "$(complete 'backride programme start --kind ' | tr '\n' ' ')" "bike treadmill either "
expect_eq "completion: its options" "$(complete 'backride programme start --no' | tr '\n' ' ')" "--no-baseline --no-legend "
expect_eq "completion: report" "$(complete 'backride rep')" "report"

# ---- the programme file: every key is checked --------------------------------------------
cat >"$BR_TMP/bad.ini" <<EOF
[programme]
weekly_minutes = 60
sessions_per_week = 9
EOF
out=$(br_cli programme start --file "$BR_TMP/bad.ini" 2>&1) && rc=0 || rc=$?
expect_match "a bad key is refused, named, with its line" "$rc:$out" \
	"^2:backride: Programme file, line 3: \[programme\] sessions_per_week: '9' is not a whole number from 1 to 7; nothing was changed.$"
out=$(br_cli programme 2>&1) && rc=0 || rc=$?
expect_match "nothing was started" "$rc:$out" "^1:backride: No programme runs"
printf '[flare]\nspeed = 3\n' >"$BR_TMP/bad.ini"
out=$(br_cli programme start --file "$BR_TMP/bad.ini" 2>&1) && rc=0 || rc=$?
expect_match "an unknown key is refused" "$rc:$out" "^2:.*line 2: \[flare\] speed: unknown key"
out=$(br_cli programme start --weeks 0 2>&1) && rc=0 || rc=$?
expect_match "a bad option is refused by the CLI" "$rc:$out" "^2:backride: --weeks wants a number from 1 to 52"
out=$(br_cli flare 2>&1) && rc=0 || rc=$?
expect_match "no flare-up without a programme" "$rc:$out" "^1:backride: No programme runs"

cat >"$BR_TMP/programme.ini" <<EOF
# Two sessions a week, 30 minutes each at the goal.
[programme]
kind = bike
weekly_minutes = 60
sessions_per_week = 2
weeks = 9                 ; nine weeks of steps
baseline_sessions = 3

[flare]
share_pct = 60
EOF
out=$(br_cli programme start --file "$BR_TMP/programme.ini")
expect_match "started" "$out" "^Programme started: bike, 60 min a week in 2 sessions, 9 weeks."

# ---- helpers ----------------------------------------------------------------------------------
pstate() { br_cli programme --json | python3 -c "import json, sys; print(json.load(sys.stdin)['state']['$1'])"; }
advance_days() { bz call org.backride /org/backride/debug org.backride.Debug1 AdvanceClock t $(($1 * 86400)) >/dev/null; }
last_id() { db "SELECT max(id) FROM sessions;"; }
day=0
# next_session_day: move the clock on, a day at a time, until the programme says a session is due.
next_session_day()
{
	local n=0
	while [ "$(pstate rest_today)" = True ]; do
		advance_days 1
		day=$((day + 1))
		n=$((n + 1))
		[ $n -le 7 ] || br_die "no session day within a week"
	done
}
# ride [MINUTES]: a session as the programme plans it; with MINUTES the rider says how long is
# comfortable today (a baseline session: as long as is comfortable, at most the goal).
ride()
{
	br_cli start --gentle --pain 2 --no-stretch --yes --detach ${1:+--minutes "$1"} >/dev/null
	check "session $(last_id) ends" wait_for 600 phase_is done
	wait_for 100 is "" db "SELECT id FROM sessions WHERE ended_at IS NULL;"
}
# morning PAIN: the next morning's check-in.
morning()
{
	advance_days 1
	day=$((day + 1))
	br_cli pain "$1" >/dev/null
}
planned() { db "SELECT planned_s FROM sessions WHERE id = $(last_id);"; }
tens() { echo $(($1 - $1 % 10)); }

# ---- the baseline: three sessions as long as is comfortable -----------------------------------
expect_eq "phase baseline" "$(pstate phase)" baseline
expect_eq "the baseline offers the goal session" "$(pstate session_s)" 1800
for minutes in 10 12 11; do
	next_session_day
	expect_eq "baseline: up to the goal" "$(pstate session_s)" 1800
	ride "$minutes"
	expect_eq "baseline session: as long as the rider chose" "$(planned)" $((minutes * 60))
	morning 2
done
sum=$(db "SELECT sum(active_s) FROM sessions;")
avg=$((sum / 3))
d=$(tens $((avg * 70 / 100)))
[ "$d" -ge 300 ] || d=300
br_log "baseline average ${avg} s: the steps start at $d s"
expect_eq "phase steps" "$(pstate phase)" steps
expect_eq "start at 70 % of the baseline's average" "$(pstate start_s)" "$d"
expect_eq "the baseline's average" "$(pstate baseline_avg_s)" "$avg"
# Days 0, 1 and 2 had sessions; the morning of day 3 came with the check-in: a rest day.
expect_eq "a rest day after three days in a row" "$(pstate rest_today)" True
n=$(last_id)
out=$(br_cli start --gentle --pain 2 --yes --detach 2>&1) && rc=0 || rc=$?
expect_match "no session on a rest day" "$rc:$out" \
	"^1:backride: Cannot start: today is a rest day in your programme \(one session a day, and a day off after days in a row\); the next session is due on [0-9-]{10}\."
expect_eq "nothing was recorded" "$(last_id)" "$n"

# ---- six weeks of steps, a held step in week 4 -----------------------------------------------
step_start=3 # the day after the last baseline session
held=0
for week in 1 2 3 4 5 6 7 8 9; do
	for s in 1 2; do
		next_session_day
		expect_eq "week $week: the daemon's week" "$(pstate week)" "$week"
		expect_eq "week $week is the test's" "$(((day - step_start) / 7 + 1))" "$week"
		ride
		expect_eq "week $week session $s: $d s" "$(planned)" "$d"
		if [ $week = 3 ] && [ $s = 1 ]; then
			morning 3 # worse than 2 before it: a bad morning holds next week's step
			held=1
			expect_eq "a bad morning: hold" "$(pstate reason)" hold
		else
			morning 2
		fi
		if [ $week = 7 ] && [ $s = 1 ]; then
			out=$(br_cli flare "after gardening")
			expect_match "the flare-up is said" "$out" "^Flare-up recorded. A flare-up was reported: sessions drop to 60 %"
			before=$d
			d=$(tens $((d * 60 / 100)))
			[ "$d" -ge 300 ] || d=300
			expect_eq "phase rebuild" "$(pstate phase)" rebuild
			expect_eq "rebuild towards the length before" "$(pstate rebuild_to_s)" "$before"
		fi
	done
	# The week is over once two sessions are done: the next day a session is due is the next
	# week's first.
	expect_eq "week $week: two sessions, then rest" "$(pstate remaining_this_week)" 0
	if [ $held = 1 ]; then
		held=0
	else
		d=$(tens $((d * 110 / 100)))
		[ "$d" -le 1800 ] || d=1800
	fi
	[ $week -lt 9 ] || break
	next_session_day
	if [ $week = 3 ]; then
		expect_eq "week 4 holds the step" "$(pstate reason)" hold
	fi
done
expect_eq "one flare-up" "$(pstate flares)" 1

# ---- what the CLI shows ---------------------------------------------------------------------
out=$(br_cli programme)
printf "%s\n" "$out" >"$BR_TMP/show.txt"
br_log "$out"
expect_match "show: the phase" "$out" "Phase: (rebuild|steps|done), week [0-9]+ of 9"
expect_match "show: why" "$out" "Why: "
expect_match "show: the weeks" "$out" "WEEK  STARTS      SESSION  DONE  MINUTES  GOAL  NOTES"
expect_match "show: the flare-up week" "$out" "flare-up"
expect_match "show: the bad morning and the held week" "$out" \
	"   3  [0-9-]{10}  +[0-9:]+ +2 +[0-9]+ +60  bad morning.*   4  [0-9-]{10}  +[0-9:]+ +2 +[0-9]+ +60  step held"
out=$(br_cli progress --weeks 12)
br_log "$out"
expect_match "progress: the programme's weeks against the goal" "$out" "minutes per week against the goal of 60"
out=$(br_cli progress --weeks 2 --json | python3 -c "import json, sys; print(json.load(sys.stdin)['programme']['flares'])")
expect_eq "progress --json has the programme" "$out" 1
out=$(bz call org.backride /org/backride org.backride.History1 Programme --json=short |
	python3 -c "import json, sys; d = json.load(sys.stdin)['data']; print(len(d[1]), d[0]['weeks']['data'])")
expect_eq "History1.Programme: the baseline and nine weeks" "$out" "10 9"
out=$(br_cli programme --json | python3 -c "import json, sys; print(json.load(sys.stdin)['state']['flare_notes'][0]['note'])")
expect_eq "programme --json: the flare-up's note" "$out" "after gardening"
expect_eq "the flare-up is stored with its note" \
	"$(db "SELECT note FROM programme_flares;")" "after gardening"

# ---- the report for the physiotherapist ------------------------------------------------------
out=$(br_cli report --weeks 12 -o "$BR_TMP/report.pdf")
expect_eq "report written" "$out" "Wrote $BR_TMP/report.pdf: 21 sessions in 12 weeks, with the programme."
expect_eq "the report is health data: mode 0600" "$(stat -c %a "$BR_TMP/report.pdf")" 600
mkdir "$BR_TMP/png"
out=$("$SRC/tests/integration/check-report.py" "$BR_TMP/report.pdf" 2 "$BR_TMP/png" 2>&1) && rc=0 || rc=$?
br_log "$out"
expect_eq "the PDF renders with its four charts" "$rc" 0
out=$(br_cli report -o "$BR_TMP/report.pdf" 2>&1) && rc=0 || rc=$?
expect_match "an existing file is kept" "$rc:$out" "^1:backride: .*report.pdf exists; use --force to overwrite it.$"
out=$(br_cli report -o "$BR_TMP/report.txt" 2>&1) && rc=0 || rc=$?
expect_match "PDF or HTML only" "$rc:$out" "^2:backride: .*ends neither in .pdf nor in .html"
out=$(br_cli report --weeks 12 -o "$BR_TMP/report.html" --json)
expect_eq "HTML written" "$out" "{\"output\":\"$BR_TMP/report.html\",\"format\":\"html\",\"sessions\":21,\"weeks\":12,\"programme\":true}"
out=$(python3 - "$BR_TMP/report.html" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
svg = "{http://www.w3.org/2000/svg}"
pages = root.findall(f".//{svg}svg")
dots = len([c for c in root.iter(f"{svg}circle") if c.get("fill") == "#9013fe"])
texts = " ".join(t.text or "" for t in root.iter(f"{svg}text"))
print(len(pages), dots, "after gardening" in texts, "Minutes per week against the goal" in texts)
PY
)
expect_eq "HTML: two SVG pages, a next-morning pain for each session, the flare-up's note, the charts" \
	"$out" "2 21 True True"

# ---- the contract ---------------------------------------------------------------------------
bz --xml-interface introspect org.backride /org/backride >"$BR_TMP/live.xml"
out=$("$SRC/tests/integration/check-introspect.py" "$BR_TMP/live.xml" \
	"$SRC/dbus/org.backride.Programme1.xml" 2>&1) && rc=0 || rc=$?
expect_eq "Programme1 matches its contract" "$rc:$out" "0:"
out=$("$SRC/tests/integration/check-introspect.py" "$BR_TMP/live.xml" \
	"$SRC/dbus/org.backride.History1.xml" 2>&1) && rc=0 || rc=$?
expect_eq "History1 matches its contract" "$rc:$out" "0:"

out=$(br_cli programme stop)
expect_match "stopped" "$out" "^Programme stopped"
out=$(br_cli plan)
expect_match "without a programme the planner plans again" "$out" "^Next bike session"
case $out in *Programme*) br_die "the plan still names the programme: $out" ;; esac

# A report of a week without sessions: the checker finds its charts empty (it can fail).
advance_days 21
out=$(br_cli report --weeks 1 -o "$BR_TMP/empty.pdf")
expect_match "an empty week's report" "$out" "^Wrote .*: 0 sessions in 1 weeks"
mkdir "$BR_TMP/png-empty"
out=$("$SRC/tests/integration/check-report.py" "$BR_TMP/empty.pdf" 2 "$BR_TMP/png-empty" 2>&1) && rc=0 || rc=$?
expect_match "its charts are found empty" "$rc:$out" "^1:.*pain: page 1, .*: EMPTY"

br_finish
