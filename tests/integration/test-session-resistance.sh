#!/bin/bash
# A bike without ERG that reports its power (backride-sim --resistance-only): the measured
# resistance is recorded in the scale of its target, the live line shows the bike's power, the
# session keeps that power at the gentle plan's (45 W) rather than what 20 % of resistance
# gives, and every export of the recorded session (a user pause, the stopping and done phases)
# passes check-export.py.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

CHECK=$SRC/tests/integration/check-export.py
PLAN_W=45
export TZ=UTC

br_setup
cat >"$BR_TMP/backride.conf" <<CONF
[session]
bike_power_w = $PLAN_W
bike_resistance_percent = 20
CONF
session_setup --bike --resistance-only
br_cli pair $BIKE >/dev/null
running() { [ "$(prop Paused)" = false ]; }
at_floor() { [ "$(sim $BIKE Resistance)" = 0.00 ]; }
pct() { awk -v p=$PLAN_W -v f="$1" 'BEGIN { print p * f / 100 }'; }

out=$(br_cli start --gentle --minutes 6 --pain 1 --detach 2>&1)
id=$(prop Id)
check "steady" wait_for 150 phase_is steady
out=$(br_cli status)
expect_match "the live line shows the resistance and the bike's power" "$out" \
	"steady .* resistance [0-9]+\.[0-9] \(target [0-9]+\.[0-9]\), [0-9]+ W"
expect_match "pause" "$(br_cli pause)" "Paused"
check "paused: the bike drops to its floor" wait_for 100 at_floor
expect_match "resume" "$(br_cli resume)" "Resumed"
check "running again" wait_for 50 running
check "the session ends" wait_for 300 phase_is done
expect_eq "completed" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed

# The first seconds are the bike's own level (the sim starts at 5.0) until control is taken and
# the first target arrives; from then on the session drives it.
t0=$(db "SELECT min(t) FROM samples WHERE session_id = $id AND resistance = target_resistance;")
check "the bike follows the session from ${t0:-never} s" [ -n "$t0" ]
t0=${t0:-0}
# One scale: every resistance the bike reported is a level the session asked for (tenths).
q="SELECT count(*) FROM samples WHERE session_id = $id AND t >= $t0 AND resistance IS NOT NULL"
n=$(db "$q;")
stray=$(db "$q AND resistance NOT IN (SELECT target_resistance FROM samples
	WHERE session_id = $id AND target_resistance IS NOT NULL);")
check "resistance is recorded ($n samples)" [ "$n" -gt 100 ]
expect_eq "every reported resistance is one of the targets (same scale)" "$stray" 0

# Power within the plan: phases 2-4 are warm-up, steady, cool-down (the engine's numbers);
# the steady average leaves the pause out.
steady="session_id = $id AND phase = 3 AND power IS NOT NULL AND t NOT BETWEEN
	(SELECT min(t) FROM events WHERE session_id = $id AND type = 'pause') AND
	(SELECT max(t) FROM events WHERE session_id = $id AND type = 'resume')"
avg=$(db "SELECT round(avg(power), 1) FROM samples WHERE $steady;")
# The brake takes a few seconds to settle from the bike's own level: from the first second the
# power is down at the plan's, it stays near it.
t1=$(db "SELECT min(t) FROM samples WHERE session_id = $id AND t >= $t0 AND power <= $PLAN_W;")
check "the power comes down to the plan's $PLAN_W W (at ${t1:-never} s)" [ -n "$t1" ]
max=$(db "SELECT max(power) FROM samples WHERE session_id = $id AND phase BETWEEN 2 AND 4
	AND t >= ${t1:-0};")
check "steady average power $avg W >= $PLAN_W W - 20 %" float_le "$(pct 80)" "$avg"
check "steady average power $avg W <= $PLAN_W W + 10 %" float_le "$avg" "$(pct 110)"
check "maximum power $max W <= $PLAN_W W + 25 %" float_le "$max" "$(pct 125)"

# Every export of this session as the daemon recorded it.
for fmt in csv json fit tcx; do
	br_cli export "$id" --format $fmt -o "$BR_TMP/s.$fmt"
	expect_eq "export $fmt checks out" \
		"$("$CHECK" $fmt "$BR_TMP/backride.db" "$id" "$BR_TMP/s.$fmt")" ""
done
# (stopping takes no second when the bike is at its floor already)
expect_match "csv: phases by name, in order" \
	"$(cut -d, -f3 "$BR_TMP/s.csv" | sed 1d | uniq | tr '\n' ' ')" \
	"^warmup steady cooldown (stopping )?stretches done $"

br_finish
