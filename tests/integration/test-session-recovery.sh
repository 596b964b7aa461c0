#!/bin/bash
# A session when the daemon stops: SIGTERM brings the bike to its floor and closes the
# session before the daemon exits 0; kill -9 loses at most the last second, the next start marks
# the session interrupted and brings the machine (left driven) to its floor.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

br_setup
cat >"$BR_TMP/backride.conf" <<EOF
[bluez]
reconnect_min_ms = 100
reconnect_max_ms = 400
EOF
session_setup --bike
br_cli pair $BIKE >/dev/null
driven() { float_le $((floor + 5)) "$(sim $BIKE TargetPower)"; }

# ---- SIGTERM ------------------------------------------------------------------------------
out=$(br_cli start --gentle --minutes 60 --pain 1 --detach 2>&1)
expect_match "started" "$out" "started \(bike"
id=$(prop Id)
check "steady" wait_for 150 phase_is steady
# The bike's least power, from its supported range (read once connected).
floor=$(bus_prop \
	/org/backride/machine/C0_FF_EE_00_00_01 org.backride.Machine1 Ranges |
	sed -n 's/.*"power" \(-\?[0-9]*\) .*/\1/p')
check "the bike is driven above its floor ($floor W)" wait_for 50 driven
kill -TERM "$BR_DAEMON_PID"
rc=0
wait "$BR_DAEMON_PID" || rc=$?
expect_eq "SIGTERM: the daemon exits 0" "$rc" 0
expect_eq "SIGTERM: the bike's target is at its floor" "$(sim $BIKE TargetPower)" "$floor.00"
expect_eq "SIGTERM: the session is closed as shutdown" \
	"$(db "SELECT end_reason, ended_at IS NOT NULL FROM sessions WHERE id = $id;")" "shutdown|1"
expect_match "SIGTERM: the log says so" "$(cat "$BR_TMP/daemon.log")" "safe state before exiting"

# ---- kill -9 ------------------------------------------------------------------------------
daemon_restart
out=$(br_cli start --gentle --minutes 60 --pain 1 --detach 2>&1)
expect_match "started again (connects by itself)" "$out" "started \(bike"
id=$(prop Id)
check "steady" wait_for 150 phase_is steady
check "driven" wait_for 50 driven
sleep 0.5
elapsed=$(prop Elapsed)
kill -KILL "$BR_DAEMON_PID"
wait "$BR_DAEMON_PID" 2>/dev/null || true
check "kill -9 leaves the bike driven" driven
expect_eq "kill -9: the session is still open" "$(db "SELECT ended_at IS NULL FROM sessions WHERE id = $id;")" 1
read -r n last <<<"$(db "SELECT count(*), max(t) FROM samples WHERE session_id = $id;" | tr '|' ' ')"
check "kill -9: one sample per second up to the kill ($n samples, last t $last)" \
	[ "$n" -eq $((last + 1)) ]
check "kill -9: at most the last second lost (Elapsed $elapsed before the kill, last t $last)" \
	[ "$last" -ge $((elapsed - 1)) ]
daemon_restart
expect_eq "restart: marked interrupted" \
	"$(db "SELECT end_reason, n_samples FROM sessions WHERE id = $id;")" "interrupted|$n"
expect_eq "restart: reported as an event" \
	"$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'recovered';")" 1
expect_match "restart: logged" "$(cat "$BR_TMP/daemon.log")" "Session $id was interrupted"
check "restart: the machine is not left driven (target back to $floor W)" \
	wait_for 100 is "$floor.00" sim $BIKE TargetPower
expect_match "history shows it" "$(br_cli history)" " $id .*interrupted"

# ---- kill -9 during the stretches: the ride was complete ---------------------------------
# At a tenth of the usual scale the stretches last 13 s; pausing them holds them there.
kill -TERM "$BR_DAEMON_PID"
wait "$BR_DAEMON_PID" || true
br_start_daemon --time-scale 10
out=$(br_cli start --gentle --minutes 3 --pain 1 --detach 2>&1)
expect_match "a short session with stretches" "$out" "started \(bike"
id=$(prop Id)
check "the ride ends and the stretches begin" wait_for 600 phase_is stretches
check "the stretches are held by a pause" br_cli pause
expect_eq "still in the stretches" "$(prop Phase)" stretches
kill -KILL "$BR_DAEMON_PID"
wait "$BR_DAEMON_PID" 2>/dev/null || true
daemon_restart
expect_eq "restart: a session killed in its stretches is completed" \
	"$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed
expect_match "restart: an event says the stretches were cut short" \
	"$(db "SELECT detail FROM events WHERE session_id = $id AND type = 'recovered';")" \
	"stretches were cut short"
expect_match "history shows it completed" "$(br_cli history)" " $id .*completed"
expect_match "show has the note" "$(br_cli show $id)" "stretches were cut short"
expect_match "the next plan goes on (not held back)" "$(br_cli plan)" "\(duration\)"

br_finish
