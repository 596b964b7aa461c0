#!/bin/bash
# kill -9 at random points of 20 sessions (bikes and treadmills, every phase): the database
# passes PRAGMA integrity_check, every session keeps one sample per second up to the kill but
# at most the last second, the next start marks it interrupted (completed if it was in its
# stretches: the ride was done) and says so, and the machine it left driven is brought to a
# safe state: the bike's target to its floor, the belt stopped (a session that ended before the
# kill gave the machine back: a bike reset to its defaults).
. "$(dirname "$0")/rel-lib.sh"

RUNS=${BR_CRASH_RUNS:-20}
SCALE=${BR_CRASH_SCALE:-50}
RANDOM=${BR_CRASH_SEED:-20}
br_setup
br_start_sim --bike --treadmill --time-scale "$SCALE" --seed 5
rel_daemon_conf "$SCALE" '[bluez]' 'reconnect_min_ms = 100' 'reconnect_max_ms = 400'
br_start_daemon
rel_pair "$TREADMILL"
rel_pair "$BIKE"
# The bike's least power, from the range it reports once connected.
bike_floor()
{
	floor=$(bus_prop /org/backride/machine/C0_FF_EE_00_00_01 org.backride.Machine1 Ranges |
		sed -n 's/.*"power" \(-\?[0-9]*\) .*/\1/p')
	[ -n "$floor" ]
}
floor=

# Safe: at its floor (brought there after a crash), or given back after a session that ended
# before the kill (FTMS Reset: no ERG, resistance 0).
bike_safe()
{
	local m
	m=$(ctl state "$BIKE" | awk '$1 == "Mode" { m = $2 } $1 == "TargetPower" { t = $2 }
		$1 == "Resistance" { r = $2 } END { print m ":" t ":" r }') # one reading
	[[ $m = *:"$floor.00":* || $m = resistance:0.00:0.00 ]]
}
belt_stopped() { [ "$(sim "$TREADMILL" Speed)" = 0.00 ]; }
driven()
{
	if [ "$1" = "$BIKE" ]; then ! bike_safe; else ! belt_stopped; fi
}

current=$BIKE
kills=0 interrupted=0 driven_at_kill=0 samples=0 lost=0 phases=""
for ((run = 1; run <= RUNS; run++)); do
	if ((run % 2)); then addr=$BIKE kind=bike; else addr=$TREADMILL kind=treadmill; fi
	if [ "$addr" != "$current" ]; then
		rel_call Disconnect s "" >/dev/null 2>&1 || true
		current=$addr
	fi
	wait_for 100 rel_call StartSession 'a{sv}' 2 minutes u 3 machine s "$addr" >/dev/null 2>&1 ||
		br_die "run $run: StartSession on the $kind failed"
	id=$(prop Id)
	[ -n "$floor" ] || [ "$kind" != bike ] || bike_floor || br_die "the bike reports no power range"
	[ "$kind" = bike ] ||
		rel_call -p /org/backride/session org.backride.Session1 ConfirmBelt >/dev/null
	# A random point from the first second to past the end of the stretches.
	sleep "$((RANDOM % 70 / 10)).$((RANDOM % 10))"
	elapsed=$(prop Elapsed)
	phase=$(prop Phase)
	was_driven=0
	driven "$addr" && was_driven=1
	kill -KILL "$BR_DAEMON_PID"
	wait "$BR_DAEMON_PID" 2>/dev/null || true
	kills=$((kills + 1))
	driven_at_kill=$((driven_at_kill + was_driven))
	phases="$phases $phase"

	expect_eq "run $run ($kind, killed in $phase at ${elapsed}s): integrity_check" "$(rel_integrity)" ok
	read -r n last open <<<"$(db "SELECT count(*), coalesce(max(t), -1),
		(SELECT ended_at IS NULL FROM sessions WHERE id = $id)
		FROM samples WHERE session_id = $id;" | tr '|' ' ')"
	samples=$((samples + n))
	check "run $run: one sample per second, no gap ($n samples, last t $last)" [ "$n" -eq $((last + 1)) ]
	check "run $run: at most the last second lost (Elapsed $elapsed, last t $last)" \
		[ "$last" -ge $((elapsed - 1)) ]
	((elapsed - 1 > last)) && lost=$((lost + elapsed - 1 - last))

	# The stretches follow only a completed ride: a session killed in them is completed.
	stretched=$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'phase' AND detail = 'stretches'")
	br_start_daemon
	if [ "$open" = 1 ] && [ "$stretched" = 1 ]; then
		expect_eq "run $run: the restart marks it completed, the stretches cut short" \
			"$(db "SELECT end_reason, n_samples FROM sessions WHERE id = $id")" "completed|$n"
		check "run $run: the restart reports it" \
			grep -q "Session $id stopped during its stretches" "$BR_TMP/daemon.log"
		expect_eq "run $run: a recovered event" \
			"$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'recovered'")" 1
	elif [ "$open" = 1 ]; then
		interrupted=$((interrupted + 1))
		expect_eq "run $run: the restart marks it interrupted" \
			"$(db "SELECT end_reason, n_samples FROM sessions WHERE id = $id")" "interrupted|$n"
		check "run $run: the restart reports it" \
			grep -q "Session $id was interrupted" "$BR_TMP/daemon.log"
		expect_eq "run $run: a recovered event" \
			"$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'recovered'")" 1
	fi
	if [ "$kind" = bike ]; then
		check "run $run: the bike is safe: at its floor ($floor W) or given back" wait_for 100 bike_safe
	else
		check "run $run: the belt is stopped" wait_for 150 belt_stopped
	fi
done

rel_figure crash_runs "$kills"
rel_figure crash_interrupted "$interrupted"
rel_figure crash_driven_at_kill "$driven_at_kill"
rel_figure crash_samples_kept "$samples"
rel_figure crash_seconds_lost_beyond_last "$lost"
rel_figure crash_phases "$(printf '%s\n' $phases | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')"
br_finish
