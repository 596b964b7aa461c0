#!/bin/bash
# Guided mode: a bike without a control point runs a gentle session with advice (and the
# error no longer claims the address is wrong); --guided on a drivable bike writes no target;
# refused control falls back to guided and names the cause; a guided treadmill never starts
# the belt; a treadmill that ignores its speed target is sent it once more, then guided.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

# restart [SIM ARGS...]: a new simulator and daemon (a quirk is part of the machine).
restart()
{
	kill "$BR_DAEMON_PID" "$BR_SIM_PID" 2>/dev/null || true
	wait "$BR_DAEMON_PID" "$BR_SIM_PID" 2>/dev/null || true
	session_setup "$@"
}
advice() { prop Advice; }
ends() { db "SELECT end_reason FROM sessions WHERE id = $1;"; }

br_setup
session_conf

# ---- a bike without a control point ----------------------------------------------------
session_setup --bike --quirk no-control-point
br_cli pair $BIKE >/dev/null
out=$(br_cli start --gentle --minutes 5 --pain 1 --detach 2>&1) && rc=0 || rc=$?
expect_match "no control point: the session starts" "$rc:$out" "^0:.*started \(bike"
check "never the false 'must be an address' message" eval '! grep -q "must be an address" <<<"$out"'
id=$(prop Id)
expect_eq "Guided" "$(prop Guided)" true
expect_match "the message names the real cause" "$(prop Message)" \
	"This bike does not let backride set its power or resistance \(it has no FTMS control point\)"
check "advice in watts and rpm" wait_for 50 matches "^pedal easy, about [0-9]+ W at 80 rpm$" advice
check "steady" wait_for 100 phase_is steady
check "pain 5" br_cli pain 5
check "the advice eases off" wait_for 50 matches "^ease off: about [0-9]+ W" advice
check "completed" wait_for 300 phase_is done
expect_eq "recorded completed and guided, no control point" \
	"$(db "SELECT end_reason, guided FROM sessions WHERE id = $id;")" "completed|no-control-point"
check "several advice events recorded" ge 4 db \
	"SELECT count(*) FROM events WHERE session_id = $id AND type = 'advice';"
check "the advice is in the log" grep -q "Session $id: pedal easy, about" "$BR_TMP/daemon.log"
check "samples recorded the same way" ge 100 db "SELECT n_samples FROM sessions WHERE id = $id;"
expect_match "history marks it guided" "$(br_cli history)" "completed, guided"
expect_match "history --json names why" "$(br_cli history --json)" '"guided":"no-control-point"'
expect_match "show names why" "$(br_cli show $id)" "Guided +the rider set the machine .*no-control-point"

# ---- a drivable bike, --guided: no target written ---------------------------------------
restart --bike --treadmill
br_cli pair $BIKE >/dev/null
br_cli pair $TREAD >/dev/null
: >"$BR_TMP/tpower"
watch_sim $BIKE TargetPower "$BR_TMP/tpower"
out=$(br_cli start --gentle --bike --guided --minutes 5 --pain 1 --detach 2>&1)
expect_match "--guided starts" "$out" "started \(bike"
id=$(prop Id)
expect_eq "Guided" "$(prop Guided)" true
expect_match "as asked" "$(prop Message)" "^Guided mode, as asked"
check "steady" wait_for 100 phase_is steady
check "advice" matches "W at 80 rpm" advice
out=$(br_cli stop --pain 1)
kill "$BR_WATCH_PID" 2>/dev/null || true
check "no power target was ever written" eval '[ -z "$(sort -u "$BR_TMP/tpower" | grep -v -E "^0(\.0+)?$")" ]'
expect_eq "the bike never left resistance mode" "$(sim $BIKE Mode)" resistance
expect_eq "recorded guided, asked" "$(db "SELECT guided FROM sessions WHERE id = $id;")" asked

# ---- refused control: guided, and the cause named ---------------------------------------
check "idle disconnect" wait_for 100 is "\"idle\"" mprop $BIKE Link
check "refuse-control" ctl fault refuse-control $BIKE
out=$(br_cli start --gentle --bike --minutes 5 --pain 1 --detach 2>&1) && rc=0 || rc=$?
expect_match "refused control: the session starts anyway" "$rc:$out" "^0:.*started \(bike"
id=$(prop Id)
check "guided" wait_for 50 is true prop Guided
expect_match "the message names the refusal" "$(prop Message)" "^This bike refuses control \(.*\)"
check "steady" wait_for 100 phase_is steady
expect_eq "not stopped as a fault" "$(prop EndReason)" ""
br_cli stop --pain 1 >/dev/null
expect_eq "recorded guided, control refused" "$(db "SELECT guided FROM sessions WHERE id = $id;")" control-refused
check "clear refuse-control" ctl clear refuse-control

# ---- a guided treadmill never starts the belt -------------------------------------------
: >"$BR_TMP/speed"
watch_sim $TREAD TargetSpeed "$BR_TMP/speed"
out=$(br_cli start --gentle --treadmill --guided --minutes 5 --pain 1 --yes --detach 2>&1)
expect_match "guided treadmill starts" "$out" "started \(treadmill"
id=$(prop Id)
expect_eq "waits for the rider" "$(prop Phase)" waiting
check "tells the rider to start the belt" matches "^start the belt yourself; walk at about [0-9.]+ km/h$" advice
sleep 1 # 200 s of session time
expect_eq "still waiting: --yes confirms nothing for a guided belt" "$(prop Phase)" waiting
expect_eq "the belt was never started" "$(sim $TREAD Started):$(sim $TREAD Speed)" no:0.00
br_cli stop >/dev/null
kill "$BR_WATCH_PID" 2>/dev/null || true
check "no speed target was ever written" eval '[ "$(sort -u "$BR_TMP/speed" | tr "\n" " ")" = "0.00 " ]'

# ---- a treadmill that ignores its speed target ------------------------------------------
restart --treadmill --quirk ignore-target
br_cli pair $TREAD >/dev/null
out=$(br_cli start --gentle --treadmill --minutes 10 --pain 1 --yes --detach 2>&1)
id=$(prop Id)
check "warm-up" wait_for 50 phase_is warmup
check "detected and guided" wait_for 100 is true prop Guided
expect_eq "sent once more first" "$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'retry';")" 1
expect_match "the event names the ignored target" \
	"$(db "SELECT detail FROM events WHERE session_id = $id AND type = 'guided';")" \
	"the machine ignores its speed target"
expect_match "and the message" "$(prop Message)" "^This treadmill ignores the speed backride sets"
check "the coach tells the rider the speed" wait_for 50 matches "km/h$" advice
check "logged" grep -q "Session $id: This treadmill ignores" "$BR_TMP/daemon.log"
br_cli stop >/dev/null
check "done" wait_for 100 phase_is done
expect_eq "recorded guided, target ignored" "$(db "SELECT guided FROM sessions WHERE id = $id;")" target-ignored
# at TYPE [DETAIL]: the session second of the first such event.
at() { db "SELECT t FROM events WHERE session_id = $id AND type = '$1' AND detail LIKE '${2:-%}' ORDER BY id LIMIT 1;"; }
br_log "figure: ignored speed target: warm-up at session $(at phase warmup) s, retry at $(at retry) s, guided at $(at guided) s"

br_finish
