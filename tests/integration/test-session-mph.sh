#!/bin/bash
# A treadmill whose firmware reads target speeds as mph: the session pauses, the belt
# slows, and the user is told why (Session1.Message, status); resuming is the user's call.
# Once the user confirms mph ('backride speed-unit mph'), the session converts its targets and
# completes; the unit is stored, and the next session converts from the start; the belt's true
# speed never exceeds the cap. [machine] speed_unit = kmh overrides the stored unit, and the
# machine is then detected again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

br_setup
session_setup --treadmill --mph-firmware
br_cli pair $TREAD >/dev/null
paused_for() { [[ $(prop PauseReason) == *"$1"* ]]; }

out=$(br_cli start --gentle --treadmill --minutes 30 --yes --detach 2>&1)
expect_match "started" "$out" "started \(treadmill"
id=$(prop Id)
check "paused: speed-units" wait_for 150 paused_for speed-units
expect_match "the user is told" "$(prop Message)" "mph"
expect_match "status shows it" "$(br_cli status)" "PAUSED: speed-units"
stopped() { is 0.00 sim $TREAD Speed; }
check "the belt ramps down" wait_for 150 stopped
expect_eq "recorded" "$(db "SELECT count(*) > 0 FROM events WHERE session_id = $id AND type = 'speed-units';")" 1
sleep 1
expect_match "still paused: only the user resumes" "$(prop PauseReason)" "speed-units"
out=$(br_cli speed-unit kmph 2>&1 || true)
expect_match "a unit that is none is refused" "$out" "not a unit"
out=$(br_cli speed-unit mph)
expect_match "confirm mph" "$out" "reads speeds in mph"
running() { [ "$(prop Paused)" = false ]; }
check "running again" wait_for 50 running
ended() { [ -n "$(db "SELECT end_reason FROM sessions WHERE id = $1;")" ]; }
# The belt's true speed, sampled while the session runs (the sim's model, in km/h).
watch_sim $TREAD Speed "$BR_TMP/speeds"
check "the session ends" wait_for 600 ended "$id"
kill "$BR_WATCH_PID" 2>/dev/null || true
expect_eq "completed" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed
expect_eq "no speed-units pause after the confirmation" \
	"$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'speed-units';")" 1
expect_eq "stored" "$(db "SELECT speed_unit FROM machine_learned;")" mph
check "the belt's true speed stays within the cap ($(max_of "$BR_TMP/speeds") <= 5.00 km/h)" \
	float_le "$(max_of "$BR_TMP/speeds")" 5.00

br_cli start --gentle --treadmill --minutes 3 --yes --detach >/dev/null 2>&1
id=$(prop Id)
check "next session: ends" wait_for 300 ended "$id"
expect_eq "next session: completed without a pause" \
	"$(db "SELECT end_reason || ' ' || (SELECT count(*) FROM events WHERE session_id = $id AND type = 'pause') FROM sessions WHERE id = $id;")" \
	"completed 0"

# The config says km/h: the stored mph is overridden, the belt runs fast and is detected again.
printf '[machine]\nspeed_unit = kmh\n' >"$BR_TMP/backride.conf"
kill -TERM "$BR_DAEMON_PID"
check "the daemon exits" br_wait_exit "$BR_DAEMON_PID" 100
daemon_restart
br_cli start --gentle --treadmill --minutes 30 --yes --detach >/dev/null 2>&1
check "config kmh: detected again" wait_for 150 paused_for speed-units
out=$(br_cli stop --pain 0)
expect_match "stop" "$out" "stopped \(stopped\)"

br_finish
