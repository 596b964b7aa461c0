#!/bin/bash
# The control point through org.backride.Debug1 ([debug] targets = yes) against
# backride-sim: ERG, resistance (with the sint16 fallback), speed and incline, the safety
# envelope's caps and rate limits on Debug1 targets, every result code, and the faults:
# refused control, slow and missing responses, malformed notifications, refused connections.
. "$(dirname "$0")/lib.sh"

BIKE=C0:FF:EE:00:00:01
TREAD=C0:FF:EE:00:00:02

# since MARK: events after the id MARK (from mark).
mark() { db "SELECT coalesce(max(id), 0) FROM events;"; }
since() { db "SELECT type || ': ' || detail FROM events WHERE id > $1 ORDER BY id;"; }
has_since() { since "$1" | grep -q -- "$2"; }
command() { bz call org.backride /org/backride/debug org.backride.Debug1 Command s "$1" 2>&1 || true; }
ms() { echo $(($(date +%s%N) / 1000000)); }
in_log() { grep -q -- "$1" "$BR_TMP/daemon.log"; }
connect() { bz call --timeout=20 org.backride /org/backride org.backride.Manager1 Connect s "$1" 2>&1; }
try_connect() { connect "$@" || true; }
# disconnect ADDRESS: and wait until BlueZ has dropped the link too.
disconnect()
{
	bz call org.backride /org/backride org.backride.Manager1 Disconnect s ""
	wait_for 50 is "b false" bz get-property org.bluez "/org/bluez/hci0/dev_${1//:/_}" \
		org.bluez.Device1 Connected || br_die "$1 stayed connected"
}

br_setup
br_start_sim --bike --treadmill --time-scale 20 --rate 4
br_wait_name org.backride.Sim
cat >"$BR_TMP/backride.conf" <<EOF
[bluez]
cp_timeout_ms = 400
cp_retries = 1
reconnect_min_ms = 100
reconnect_max_ms = 400
connect_timeout_ms = 3000
[machine]
idle_disconnect_s = 0
[debug]
targets = yes
# Debug1 targets pass the session's safety envelope. Caps and up rates at the highest its
# bounds allow, and time 60 times faster: power climbs 60 W per real second (60 W/min of
# envelope time), so a ramp is quick yet long enough to watch.
[daemon]
time_scale = 60
[safety]
max_power_w = 200
power_up_w_per_min = 60
resistance_up_percent_per_min = 30
speed_up_kmh_per_min = 12
incline_up_percent_per_min = 3
EOF
br_start_daemon
"$BACKRIDE" --bus "$BR_BUS" scan --seconds 1 >/dev/null
"$BACKRIDE" --bus "$BR_BUS" pair $BIKE >/dev/null
"$BACKRIDE" --bus "$BR_BUS" pair $TREAD >/dev/null

bz --xml-interface introspect org.backride /org/backride/debug >"$BR_TMP/debug.xml"
out=$("$SRC/tests/integration/check-introspect.py" "$BR_TMP/debug.xml" \
	"$SRC/dbus/debug/org.backride.Debug1.xml" 2>&1) && rc=0 || rc=$?
expect_eq "Debug1 introspection matches dbus/debug/org.backride.Debug1.xml" "$rc:$out" "0:"
out=$(target power 100)
expect_match "no machine: NotConnected" "$out" "No machine is ready"

# ---- Bike: ERG and resistance ------------------------------------------------------------
expect_eq "connect the bike" "$(try_connect $BIKE)" ""
check "control on connect" wait_for 30 is yes sim $BIKE HasControl
m=$(mark)
# The envelope starts at the bike's floor (10 W): 140 W at 60 W/min is 140 s of envelope time,
# 2.3 s real at 60x. Every target the bike gets on the way is watched.
watch_sim $BIKE TargetPower "$BR_TMP/power"
t0=$(ms)
expect_eq "ERG 150 W queued" "$(target power 150)" "b true"
check "the bike holds 150 W" wait_for 100 is 150.00 sim $BIKE TargetPower
t1=$(ms)
check "result code reported: success" wait_for 20 has_since "$m" "set target power -> success"
check "envelope: the step is rate-limited, and the log says so" in_log \
	"Debug1: power 10 -> 150, rate-limited by the safety envelope (60 per minute"
check "envelope: 10 -> 150 W took at least 2 s, not a jump ($((t1 - t0)) ms)" \
	test $((t1 - t0)) -ge 2000
n=$(awk '$1 > 10 && $1 < 150' "$BR_TMP/power" | sort -u | wc -l)
check "envelope: the bike got intermediate targets on the way ($n seen)" test "$n" -ge 3
expect_eq "the same target again is skipped" "$(target power 150)" "b false"
check "skip reported" has_since "$m" "set target power -> skipped, already set"
range=$(bus_prop /org/backride/machine/C0_FF_EE_00_00_01 \
	org.backride.Machine1 Ranges)
max=$(sed -n 's/.*"power" -\?[0-9]* \([0-9]*\) [0-9]*.*/\1/p' <<<"$range")
check "the bike's range goes beyond the 200 W hard cap ($max W)" test "$max" -gt 200
expect_eq "a huge target is capped by the envelope" "$(target power 30000)" "b true"
check "the bike got the 200 W cap, not 30000 W nor the range's $max W" \
	wait_for 30 is 200.00 sim $BIKE TargetPower
check "envelope: the cap is said in the log" in_log \
	"Debug1: power 30000 is outside the safety envelope; the target is 200."
kill "$BR_WATCH_PID"
wait "$BR_WATCH_PID" 2>/dev/null || true
top=$(sort -g "$BR_TMP/power" | tail -n 1)
check "envelope: no target above the cap ever reached the bike (max seen $top)" \
	awk -v v="$top" 'BEGIN { exit !(v + 0 > 0 && v + 0 <= 200) }'
m=$(mark)
expect_eq "resistance 5.0 queued" "$(target resistance 50)" "b true"
check "resistance result reported" wait_for 30 has_since "$m" "set target resistance level -> success"
form=$(bus_prop /org/backride/machine/C0_FF_EE_00_00_01 \
	org.backride.Machine1 ResistanceForm)
expect_match "the resistance form is learned" "$form" '"(uint8|sint16)"'
expect_eq "and remembered" "$(db \
	"SELECT resistance_form > 0 FROM machines WHERE address='$BIKE';")" 1
check "the bike is in resistance mode at 5.0" wait_for 30 is 5.00 sim $BIKE Resistance
out=$(target cadence 80)
expect_match "unknown target: InvalidArguments" "$out" "Unknown target 'cadence'"
out=$(target speed 500)
expect_match "a bike without speed control: refused, nothing sent" "$out" \
	"does not support speed"

# ---- A session has the machine: Debug1 sends no targets ---------------------------------------
# Two envelopes on one machine would add up; after a session Debug1 waits for a new link.
# No --machine: the machine connected now, not the last one paired (the treadmill).
out=$("$BACKRIDE" --bus "$BR_BUS" start --gentle --bike --minutes 30 --pain 1 --detach 2>&1) ||
	true
expect_match "a session starts on the connected bike" "$out" "started \(bike"
out=$(target power 60)
expect_match "during a session: Busy" "$out" "A session drives the machine"
out=$("$BACKRIDE" --bus "$BR_BUS" stop --pain 1 2>&1) || true
expect_match "the session stops" "$out" "stopped"
check "and ends" wait_for 100 is ready state
out=$(target power 60)
expect_match "after the session: Busy until the link is new" "$out" \
	"connect it again to use Debug1"
disconnect $BIKE
expect_eq "connect the bike again" "$(try_connect $BIKE)" ""
check "control again" wait_for 30 is yes sim $BIKE HasControl
expect_eq "Debug1 targets again, from the floor" "$(target power 60)" "b true"
check "the bike holds 60 W" wait_for 50 is 60.00 sim $BIKE TargetPower

m=$(mark)
expect_eq "start" "$(command start)" ""
check "started" wait_for 30 is yes sim $BIKE Started
command start >/dev/null
check "start while started: operation failed reported" wait_for 30 has_since "$m" \
	"start or resume -> operation failed"
command stop >/dev/null
check "stopped" wait_for 30 is no sim $BIKE Started
m=$(mark)
command reset >/dev/null
check "reset: success reported" wait_for 30 has_since "$m" "reset -> success"
check "reset: control requested again" wait_for 30 has_since "$m" "request control -> success"
check "reset: control held again" wait_for 30 is yes sim $BIKE HasControl

# ---- Refused control -------------------------------------------------------------------
ctl fault refuse-control=5 $BIKE
ctl lose-control $BIKE
m=$(mark)
target power 120 >/dev/null
check "refused control: request control -> control not permitted" wait_for 40 has_since "$m" \
	"request control -> control not permitted"
check "refused control: the target ends with control not permitted" wait_for 40 has_since "$m" \
	"set target power -> control not permitted$"
ctl clear refuse-control
m=$(mark)
target power 125 >/dev/null
check "control again once the machine allows it" wait_for 40 is 125.00 sim $BIKE TargetPower

# ---- Missing and slow responses --------------------------------------------------------
ctl fault cp-omit $BIKE
m=$(mark)
target power 130 >/dev/null
check "missing response: timeout reported" wait_for 40 has_since "$m" \
	"no control point response in 400 ms"
check "missing response: retried, then failed" wait_for 40 has_since "$m" \
	"set target power -> Connection timed out$"
ctl clear cp-omit
ctl fault cp-delay=700 $BIKE
m=$(mark)
target power 135 >/dev/null
check "slow response: timeout" wait_for 40 has_since "$m" "no control point response"
check "slow response: the late answer is ignored" wait_for 40 has_since "$m" \
	"a response nobody waited for"
ctl clear cp-delay
m=$(mark)
target power 140 >/dev/null
check "fast again: success" wait_for 40 has_since "$m" "set target power -> success"

# ---- Malformed notifications ------------------------------------------------------------
ctl fault malformed $BIKE
m=$(mark)
check "malformed data reported, daemon alive" wait_for 40 has_since "$m" "malformed notification"
ctl clear malformed
ctl fault truncate $BIKE
sleep 0.5
ctl clear truncate
check "still connected after bad data" wait_for 20 is true mprop $BIKE Connected
check "data flows again" wait_for 30 matches power_w mprop $BIKE Data
disconnect $BIKE

# ---- Treadmill: speed and incline ------------------------------------------------------------
expect_eq "connect the treadmill" "$(try_connect $TREAD)" ""
# The belt starts from 0 at 12 km/h per min: 2.5 s of envelope time.
expect_eq "speed 5 km/h" "$(target speed 500)" "b true"
check "the treadmill runs at 5 km/h" wait_for 30 is 5.00 sim $TREAD TargetSpeed
expect_eq "incline 2.0 %" "$(target inclination 20)" "b true"
check "the treadmill is at 2 %" wait_for 30 is 2.00 sim $TREAD TargetIncline
range=$(bus_prop /org/backride/machine/C0_FF_EE_00_00_02 \
	org.backride.Machine1 Ranges)
min=$(sed -n 's/.*"speed" \([0-9]*\) [0-9]* [0-9]*.*/\1/p' <<<"$range")
expect_match "the treadmill's speed range is known" "$min" "^[0-9]+$"
expect_eq "a negative speed is clamped" "$(target speed -400)" "b true"
check "to the range's minimum" wait_for 30 is "$(printf '%d.%02d' $((min / 100)) $((min % 100)))" \
	sim $TREAD TargetSpeed
m=$(mark)
expect_eq "an absurd speed is clamped" "$(target speed 90000)" "b true"
check "and accepted" wait_for 30 has_since "$m" "set target speed -> success"
speed_at_most_20() { awk -v v="$(sim $TREAD TargetSpeed)" 'BEGIN { exit !(v > 0 && v <= 20) }'; }
check "at most 20 km/h whatever the machine claims" wait_for 30 speed_at_most_20
check "and at the envelope's 5.0 km/h cap" wait_for 30 is 5.00 sim $TREAD TargetSpeed
check "the speed cap is said in the log" in_log \
	"Debug1: speed 90000 is outside the safety envelope; the target is 500."
disconnect $TREAD

# ---- Refused connections ---------------------------------------------------------------
ctl fault refuse-connect=le-connection-abort-by-local $BIKE
m=$(mark)
out=$(connect $BIKE) && rc=0 || rc=$?
expect_match "abort-by-local: retried, then an error" "$rc:$out" "^1:.*le-connection-abort-by-local"
check "abort-by-local: retried with backoff" has_since "$m" "reconnecting in 200 ms"
expect_eq "abort-by-local: three attempts" "$(since "$m" | grep -c "connect failed: le-connection-abort-by-local")" 3
ctl clear refuse-connect
expect_eq "connects once the machine accepts" "$(try_connect $BIKE)" ""
check "control again" wait_for 30 is yes sim $BIKE HasControl
disconnect $BIKE

# ---- ServicesResolved before the GATT objects (bluez#1489) -----------------------------------
# bluetoothd 5.66 after a restart leaves out Connected=true for a bonded device it stored as
# dual-mode: only ServicesResolved is signalled (found by tests/vm/session-restart.sh).
ctl fault quiet-connected $BIKE
expect_eq "quiet-connected: connects all the same" "$(try_connect $BIKE)" ""
check "quiet-connected: control" wait_for 30 is yes sim $BIKE HasControl
expect_eq "quiet-connected: Machine1 says connected" \
	"$(mprop $BIKE Connected)" true
ctl clear quiet-connected
disconnect $BIKE

ctl fault resolve-early $BIKE
expect_eq "resolve-early: connects once the objects follow" "$(try_connect $BIKE)" ""
check "resolve-early: control" wait_for 30 is yes sim $BIKE HasControl
ctl clear resolve-early
disconnect $BIKE

# ---- Connected flips true, then le-connection-abort-by-local --------------------------
ctl fault connect-abort $BIKE
m=$(mark)
out=$(connect $BIKE) && rc=0 || rc=$?
expect_match "connect-abort: an error after the retries" "$rc:$out" "^1:.*le-connection-abort-by-local"
check "connect-abort: the first abort is retried at once" has_since "$m" \
	"le-connection-abort-by-local, retrying"
check "connect-abort: later ones back off" has_since "$m" "reconnecting in 100 ms"
ctl clear connect-abort
expect_eq "connect-abort: connects once the machine lets it" "$(try_connect $BIKE)" ""
check "connect-abort: control" wait_for 30 is yes sim $BIKE HasControl

br_finish
