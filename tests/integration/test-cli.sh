#!/bin/bash
# The CLI as people and scripts meet it, against the simulated treadmill: the belt confirmed by
# 'backride resume' with its countdown, status while cooling down after pain and after the end,
# show's events in words, the conventions of busctl and journalctl (one error prefix, exit 2
# for every usage error, --no-legend, footers to stderr in a pipe, no colour for TERM=dumb)
# and the bash completion.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

br_setup
session_setup --treadmill

# ---- a scan into a pipe: the footer goes to stderr; --no-legend leaves it out -----------
br_cli scan --seconds 1 >"$BR_TMP/scan.out" 2>"$BR_TMP/scan.err" && rc=0 || rc=$?
expect_eq "scan into a pipe: exit 0" "$rc" 0
expect_match "scan into a pipe: the table on stdout" "$(cat "$BR_TMP/scan.out")" \
	"^ADDRESS +KIND +RSSI +NAME"$'\n'"$TREAD +treadmill"
check "the footer not on stdout" bash -c '! grep -q found "$1"' _ "$BR_TMP/scan.out"
expect_match "but on stderr" "$(cat "$BR_TMP/scan.err")" "^1 found\\. Pair one with"
br_cli scan --seconds 1 --no-legend >"$BR_TMP/scan.out" 2>"$BR_TMP/scan.err" && rc=0 || rc=$?
expect_eq "scan --no-legend: exit 0" "$rc" 0
expect_eq "scan --no-legend: the row only" "$(cut -d' ' -f1 "$BR_TMP/scan.out")" "$TREAD"
expect_eq "and no footer" "$(cat "$BR_TMP/scan.err")" ""

br_cli pair $TREAD >/dev/null

# ---- the belt waits until 'backride resume' confirms it, then counts down ---------------
out=$(br_cli start --gentle --treadmill --minutes 90 --pain 1 --detach </dev/null 2>&1)
expect_match "start says how to start the belt" "$out" \
	"The belt waits for a confirmation: 'backride resume' starts it"
id=$(prop Id)
out=$(br_cli status)
expect_match "status says the same" "$out" "'backride resume' starts it"
check "and not that start asks" bash -c '[[ $1 != *"backride start"* ]]' _ "$out"
expect_eq "the belt has not moved" "$(sim $TREAD Started)" no
out=$(br_cli resume 2>&1) && rc=0 || rc=$?
expect_match "resume confirms the belt" "$rc:$out" "^0:Belt confirmed"
expect_match "and shows the daemon's countdown" "$out" $'\nThe belt starts in 3\\.\\.\\. 2\\.\\.\\. 1\\.\\.\\.\n'
expect_match "until the belt moves" "$out" "The belt is moving"
expect_eq "the countdown ran before the warm-up" "$(phases "$id" | cut -d' ' -f1-3)" \
	"waiting countdown warmup"
out=$(br_cli resume 2>&1) && rc=0 || rc=$?
expect_match "resume once it runs: nothing to resume" "$rc:$out" "^1:backride: Nothing to resume"

# ---- status while cooling down after pain, and after the end ----------------------------
br_cli pain 4 >/dev/null
br_cli pause >/dev/null
br_cli pain 6 >/dev/null # paused: the cool-down waits, so status sees it
check "pain 6: cool-down" wait_for 50 phase_is cooldown
out=$(br_cli status)
expect_match "status: cooling down after pain" "$out" "Cooling down after pain"
check "and not ended yet" bash -c '[[ $1 != *Ended* ]]' _ "$out"
br_cli resume >/dev/null
check "the session ends" wait_for 300 phase_is done
out=$(br_cli status)
expect_match "status after the end: ended for pain" "$out" "Ended: pain"
expect_match "the session line has no live values" "$out" \
	$'Session [0-9]+ \\(treadmill\\): done +[0-9:]+ / [0-9:]+\n'
check "no stale speed" bash -c '[[ $1 != *km/h* && $1 != *left* ]]' _ "$out"
expect_eq "Metrics are empty once done" "$(prop Metrics)" "0"

# ---- show: events in words; --json keeps the numbers ------------------------------------
out=$(NO_COLOR=1 br_cli show "$id")
events=${out#*$'\nEvents\n'}
expect_match "phase by name" "$events" "  phase    warm-up"$'\n'
check "no phase numbers" bash -c '! grep -Eq "phase +[0-9]" <<<"$1"' _ "$events"
expect_match "the countdown in seconds" "$events" "  countdown 3 s"$'\n'
expect_match "pain out of 10" "$events" "  pain     4/10"$'\n'
expect_match "a reduction as a target in km/h and why" "$events" \
	"  reduce   target [0-9]+\\.[0-9]{2} km/h \\(pain 4\\)"$'\n'
expect_match "the end by its reason" "$events" "  end      pain$"
json=$(br_cli show "$id" --json)
expect_eq "--json keeps the machine fields" "$(python3 -c 'import json, sys
e = json.load(sys.stdin)["events"]
p = [x for x in e if x["type"] == "phase" and x.get("detail") == "warmup"][0]
r = [x for x in e if x["type"] == "reduce"][0]
print(p["value"], type(r["value"]).__name__, r["detail"].split(":")[0])' <<<"$json")" "2 int pain"

# ---- one error prefix, exit 2 for every usage error -------------------------------------
usage() {
	local name=$1 want=$2
	shift 2
	out=$(br_cli "$@" 2>&1) && rc=0 || rc=$?
	expect_match "$name" "$rc:$out" "^2:backride: $want"
}
usage "an unknown global option" "unrecognized option '--frobnicate'" --frobnicate status
usage "an unknown verb option" "unrecognized option '--frobnicate'" start --frobnicate
usage "a missing option argument" "option requires an argument -- 's'" scan -s
usage "history --kind foo (the daemon says)" ".*'kind' must be 'bike' or 'treadmill'" \
	history --kind foo
usage "export --format gpx (the daemon says)" "Unknown export format 'gpx'" \
	export "$id" --format gpx
usage "a bad session id" "'x1' is not a session id" show x1
out=$(br_cli start --help)
for opt in gentle bike treadmill machine; do
	expect_match "start --help explains --$opt" "$out" $'\n'"  --$opt( ADDR)? +[a-z]"
done

# ---- --no-legend, footers to stderr in a pipe, TERM=dumb --------------------------------
out=$(br_cli machines --no-legend 2>&1) || true
expect_match "machines --no-legend: rows only" "$out" "^$TREAD +treadmill +[a-z]+ +yes "
out=$(br_cli --no-legend history 2>&1) || true
expect_match "history --no-legend: rows only" "$out" "^ +$id +[0-9-]+ [0-9:]+ +treadmill "
expect_eq "one row" "$(wc -l <<<"$out")" 1
no_escapes() { [[ $1 != *$'\033['* ]]; }
out=$(env -u NO_COLOR TERM=xterm script -qec "$BACKRIDE --bus $BR_BUS show $id" /dev/null)
expect_match "charts are coloured on a terminal" "$out" $'\033\\[3'
out=$(env -u NO_COLOR TERM=dumb script -qec "$BACKRIDE --bus $BR_BUS show $id" /dev/null)
check "but not on TERM=dumb" no_escapes "$out"

# ---- bash completion --------------------------------------------------------------------
# complete LINE: what _backride offers at the end of LINE, one a line.
complete() {
	PATH="$BUILD/cli:$PATH" bash -c '. "$1"
		COMP_LINE=$2 COMP_POINT=${#2}
		read -r -a COMP_WORDS <<<"$2"; COMP_CWORD=${#COMP_WORDS[@]}
		_backride; printf "%s\n" "${COMPREPLY[@]}"' _ "$SRC/shell-completion/backride" "$1"
}
expect_eq "every verb of --help" "$(complete 'backride ' | tr '\n' ' ')" \
	"$(br_cli --help | awk '/^Verbs:/ { v = 1; next } /^$/ { v = 0 } v { printf "%s ", $1 }')"
expect_eq "verbs by prefix" "$(complete 'backride st' | tr '\n' ' ')" "status start stop "
expect_eq "global options" "$(complete 'backride --no' | tr '\n' ' ')" "--no-legend "
expect_eq "a verb's options" "$(complete 'backride start --tr')" "--treadmill"
expect_eq "option values" "$(complete "backride export $id --format " | tr '\n' ' ')" \
	"tcx fit csv json "
expect_eq "the paired machine from the daemon on --bus" \
	"$(complete "backride --bus $BR_BUS forget ")" "$TREAD"
expect_eq "an address after its colons" \
	"$(complete "backride --bus $BR_BUS start --machine ${TREAD%:*}:")" "${TREAD##*:}"
expect_eq "session ids" "$(complete "backride --bus $BR_BUS show ")" "$id"

br_finish
