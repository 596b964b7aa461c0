#!/bin/bash
# Malformed and truncated notifications from the simulator during bike and treadmill sessions:
# the daemon stays up, names every bad frame in a 'fault' event, records no value the machine
# did not send (nothing out of the machine's range, no target above the caps), and a machine
# that sends only garbage for more than 4 s is treated as a lost link and reconnected.
. "$(dirname "$0")/rel-lib.sh"

SCALE=${BR_MALFORMED_SCALE:-20}
br_setup
br_start_sim --bike --treadmill --time-scale "$SCALE" --seed 4
rel_daemon_conf "$SCALE" '[bluez]' 'reconnect_min_ms = 100' 'reconnect_max_ms = 400'
br_start_daemon
rel_pair "$TREADMILL"
rel_pair "$BIKE"

connected() { [ "$(bus_prop "/org/backride/machine/${1//:/_}" org.backride.Machine1 Connected)" = "b true" ]; }
not_session() { [ "$(state)" != session ]; }
waits_for_confirm() { [[ $(bus_prop /org/backride/session org.backride.Session1 PauseReason) == *confirm* ]]; }
# completes: wait for the end of the session, confirming the belt whenever a treadmill asks
# (a belt that stopped while the link was down waits for the user).
completes()
{
	local n=1500
	while [ "$n" -gt 0 ]; do
		not_session && return 0
		! waits_for_confirm || rel_quiet -p /org/backride/session org.backride.Session1 ConfirmBelt || true
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
bad_frames() { db "SELECT count(*) FROM events WHERE type = 'fault' AND session_id IS NULL AND detail LIKE '%malformed notification%'"; }
frames=0 lost_links=0

# run ADDRESS KIND: a session with short bursts of both faults, then 6 s of garbage.
run()
{
	local addr=$1 kind=$2 id f before vmax=1800
	[ "$kind" = treadmill ] || vmax=6000 # a bike's speed is its virtual wheel's
	rel_call Disconnect s "" >/dev/null 2>&1 || true
	wait_for 100 rel_quiet StartSession 'a{sv}' 2 minutes u 5 machine s "$addr" ||
		br_die "cannot start a $kind session"
	id=$(prop Id)
	[ "$kind" = bike ] || rel_quiet -p /org/backride/session org.backride.Session1 ConfirmBelt
	sleep 1
	for f in malformed truncate malformed truncate; do
		before=$(bad_frames)
		ctl fault "$f" "$addr" >/dev/null
		sleep 1
		ctl clear "$f" >/dev/null
		check "$kind, $f: every bad frame named in an event" [ "$(bad_frames)" -gt "$before" ]
		check "$kind, $f: the daemon is alive" kill -0 "$BR_DAEMON_PID"
		sleep 0.5
	done
	before=$(db "SELECT count(*) FROM events WHERE detail LIKE '%no data for%'")
	ctl fault malformed "$addr" >/dev/null
	check "$kind, 6 s of garbage: treated as a lost link" wait_for 80 eval '! connected $addr'
	ctl clear malformed >/dev/null
	check "$kind, garbage: reconnected once the frames are good again" wait_for 150 connected "$addr"
	expect_eq "$kind, garbage: the event says why" \
		"$(db "SELECT count(*) > $before FROM events WHERE detail LIKE '%no data for%'")" 1
	lost_links=$((lost_links + 1))
	check "$kind: the session completes" completes
	expect_eq "$kind: end reason" "$(db "SELECT end_reason FROM sessions WHERE id = $id")" completed
	# Every recorded value is one the machine sent: within its ranges, targets within the caps.
	expect_eq "$kind: no value out of the machine's range" "$(db "SELECT count(*) FROM samples
		WHERE session_id = $id AND (power < 0 OR power > 800 OR cadence < 0 OR cadence > 500
		OR speed < 0 OR speed > $vmax OR incline < -30 OR incline > 150 OR hr < 0 OR hr > 250
		OR distance < 0 OR distance > 100000 OR target_power > 100 OR target_speed > 500
		OR target_incline > 20)")" 0
	expect_eq "$kind: one sample per second" \
		"$(db "SELECT count(*) = max(t) + 1 FROM samples WHERE session_id = $id")" 1
}

run "$BIKE" bike
run "$TREADMILL" treadmill
frames=$(bad_frames)
check "the events name the bad frames ($frames)" [ "$frames" -gt 0 ]
expect_eq "the database is intact" "$(rel_integrity)" ok
rel_figure malformed_frames_named "$frames"
rel_figure malformed_lost_links "$lost_links"
br_finish
