#!/bin/bash
# A bike that sends random notifications of a record's length (sim fault garbage-data) for
# part of a gentle session: no implausible value reaches the samples or Session1.Metrics, the
# values dropped are counted (Session1.Implausible, 'implausible' events), persistent garbage
# pauses the session with its reason named, and once the garbage stops the user resumes and
# the session completes. Bounds: daemon/session/plausible.h.
. "$(dirname "$0")/lib.sh"
SCALE=${SCALE:-100}
. "$(dirname "$0")/session-lib.sh"

br_setup
# Two notifications per simulated second: garbage completes a record about every other one.
session_setup --bike --rate 2 --seed 11
br_cli pair $BIKE >/dev/null
paused_for() { [[ $(prop PauseReason) == *"$1"* ]]; }
running() { [ "$(prop Paused)" = false ]; }
elapsed_past() { [ "$(prop Elapsed)" -ge "$1" ]; }
mdata() { bus_prop /org/backride/machine/C0_FF_EE_00_00_01 org.backride.Machine1 Data | tr -d '"'; }
above_floor() { float_le 11 "$(sim "$BIKE" TargetPower)"; }

out=$(br_cli start --gentle --minutes 12 --no-stretch --pain 1 --detach 2>&1)
expect_match "started" "$out" "started \(bike"
id=$(prop Id)
check "a clean minute first" wait_for 150 elapsed_past 60

# ---- garbage --------------------------------------------------------------------------------
check "the bike sends garbage" ctl fault garbage-data $BIKE
metrics_file=$BR_TMP/metrics
for _ in $(seq 20); do
	prop Metrics >>"$metrics_file"
	mdata >>"$metrics_file"
	sleep 0.05
done
check "persistent garbage pauses the session: implausible-data" \
	wait_for 150 paused_for implausible-data
check "paused like any pause: the bike drops to its floor" wait_for 100 is 10.00 sim "$BIKE" TargetPower
fault=$(db "SELECT detail FROM events WHERE session_id = $id AND type = 'fault' AND detail LIKE '%implausible%';")
expect_match "the fault event names the cause" "$fault" \
	"^the machine sends implausible data \([a-z ]+ -?[0-9.]+[^)]*\); paused$"
expect_match "the log names it too" "$(cat "$BR_TMP/daemon.log")" "implausible data \([a-z]"
expect_match "Session1.Message says why" "$(prop Message)" "implausible data"
expect_match "status shows it" "$(br_cli status)" "PAUSED: implausible-data"
out=$(br_cli resume 2>&1) && rc=0 || rc=$?
expect_match "no resume while the garbage goes on" "$rc:$out" "^1:backride: .*implausible data"
sleep 0.5 # 50 session s more of garbage while paused
expect_match "still paused" "$(prop PauseReason)" "implausible-data"

# ---- the garbage stops ----------------------------------------------------------------------
check "the garbage stops" ctl clear garbage-data
check "resume once the data is plausible again" wait_for 100 br_cli resume
check "running again" wait_for 50 running
check "ramping back up from the floor" wait_for 150 above_floor
check "the session completes" wait_for 300 phase_is done
expect_eq "ended: completed" "$(prop EndReason)" "completed"

# ---- nothing implausible recorded or shown --------------------------------------------------
q() { db "SELECT $1 FROM samples WHERE session_id = $id;"; }
br_log "samples: power $(q "min(power) || '..' || max(power)") W," \
	"cadence $(q "min(cadence) || '..' || max(cadence)") 0.5 rpm," \
	"speed $(q "min(speed) || '..' || max(speed)") 0.01 km/h," \
	"hr $(q "coalesce(min(hr) || '..' || max(hr), 'none')")," \
	"resistance $(q "min(resistance) || '..' || max(resistance)")," \
	"distance $(q "max(distance)") m after $(q "max(t)") s"
outside() { db "SELECT count(*) FROM samples WHERE session_id = $id AND $1;"; }
expect_eq "power within -500..2500 W" "$(outside "(power < -500 OR power > 2500)")" 0
expect_eq "cadence within 0..250 rpm" "$(outside "(cadence < 0 OR cadence > 500)")" 0
expect_eq "speed within 0..100 km/h" "$(outside "(speed < 0 OR speed > 10000)")" 0
expect_eq "heart rate absent or 25..230 bpm" "$(outside "(hr < 25 OR hr > 230)")" 0
# The sim's range is 0..200: read in levels or tenths, 0..2000, and a tenth of that either side.
expect_eq "resistance within the machine's range" "$(outside "(resistance < -200 OR resistance > 2200)")" 0
jumps=$(db "SELECT count(*) FROM (SELECT distance - lag(distance) OVER w AS dd, t - lag(t) OVER w AS dt
	FROM samples WHERE session_id = $id AND distance IS NOT NULL WINDOW w AS (ORDER BY t))
	WHERE dd < 0 OR dd > 28 * (dt + 60);")
expect_eq "distance never goes back nor jumps past 100 km/h" "$jumps" 0
expect_eq "samples recorded through the garbage" \
	"$(q "count(*) > 60 AND count(*) = max(t) - min(t) + 1")" 1
bad=$(tr -s ' ' '\n' <"$metrics_file" | awk '
	/^power_w$/ { k = "p" } /^cadence_hrpm$/ { k = "c" } /^speed_ckmh$/ { k = "s" }
	/^hr_bpm$/ { k = "h" } /^resistance$/ { k = "r" } /^-?[0-9]+$/ && k != "" {
		v = $1 + 0
		if ((k == "p" && (v < -500 || v > 2500)) || (k == "c" && v > 500) ||
		    (k == "s" && v > 10000) || (k == "h" && (v < 25 || v > 230)) ||
		    (k == "r" && (v < -200 || v > 2200))) print k, v
		k = "" }' | wc -l)
expect_eq "Session1.Metrics and Machine1.Data during the garbage: nothing implausible" "$bad" 0

# ---- counted --------------------------------------------------------------------------------
counted=$(db "SELECT coalesce(sum(value), 0) FROM events WHERE session_id = $id AND type = 'implausible';")
br_log "dropped values recorded: $counted ($(db "SELECT group_concat(detail, ' | ') FROM events WHERE session_id = $id AND type = 'implausible';"))"
check "implausible values were dropped and recorded ($counted)" float_le 1 "$counted"
shown=$({ prop Implausible || true; } | tr -s ' ' '\n' | awk '/^[0-9]+$/ && NR > 1 { s += $1 } END { print s + 0 }')
expect_eq "Session1.Implausible counts the same" "$shown" "$counted"

br_finish
