#!/bin/bash
# The BlueZ client against a simulator with small packets and without ERG, and a
# bluetoothd that comes back knowing nothing: data records split over several
# notifications (More Data), found machines that BlueZ forgets, a missing feature refused
# before it reaches the machine, the resistance form kept, and a remembered machine found
# again by searching.
. "$(dirname "$0")/lib.sh"

BIKE=C0:FF:EE:00:00:01

SIM_ARGS=(--bike --treadmill --mtu 23 --resistance-only --time-scale 20 --rate 4 --temporary-timeout 1)

br_setup
br_start_sim "${SIM_ARGS[@]}"
br_wait_name org.backride.Sim
cat >"$BR_TMP/backride.conf" <<EOF
[bluez]
cp_timeout_ms = 400
reconnect_min_ms = 100
reconnect_max_ms = 400
connect_timeout_ms = 3000
[debug]
targets = yes
# Debug1 targets are rate-limited like a session's: resistance 0 -> 5.0 at 30 % of the range
# per minute is 50 s of envelope time, under a second real at 60x.
[daemon]
time_scale = 60
[safety]
resistance_up_percent_per_min = 30
EOF
br_start_daemon
# The scan's own output: with a 1 s TemporaryTimeout the treadmill may already be gone
# again by the time 'machines' runs after pairing.
out=$("$BACKRIDE" --bus "$BR_BUS" scan --seconds 1)
expect_match "the treadmill was found" "$out" "C0:FF:EE:00:00:02 +treadmill"
expect_match "pair" "$("$BACKRIDE" --bus "$BR_BUS" pair $BIKE)" "^Paired with"
check "a found machine BlueZ forgets after the scan is dropped" wait_for 50 bash -c \
	"! busctl --address='$BR_BUS' introspect org.backride /org/backride/machine/C0_FF_EE_00_00_02 >/dev/null 2>&1"
expect_match "the paired bike stays" "$("$BACKRIDE" --bus "$BR_BUS" machines)" "$BIKE +bike +remembered"
check "Connect" bz call org.backride /org/backride org.backride.Manager1 Connect s ""
check "data records merged from small notifications" wait_for 30 \
	matches 'power_w.*cadence_hrpm' mprop $BIKE Data
out=$(target power 100)
expect_match "no ERG on this bike: refused before it reaches the machine" "$out" \
	"does not support power"
expect_eq "resistance 5.0" "$(target resistance 50)" "b true"
check "the bike is at 5.0" wait_for 30 is 5.00 sim $BIKE Resistance
check "the resistance form is learned" wait_for 30 \
	matches 'uint8|sint16' mprop $BIKE ResistanceForm
form=$(mprop $BIKE ResistanceForm)

# ---- bluetoothd comes back knowing nothing ---------------------------------------------
kill -TERM "$BR_SIM_PID"
wait "$BR_SIM_PID" || true
check "BlueZ gone is seen" wait_for 30 has_event "bluez: down"
expect_eq "not connected meanwhile" "$(mprop $BIKE Connected)" "false"
out=$("$BACKRIDE" --bus "$BR_BUS" scan --seconds 1 2>&1) && rc=0 || rc=$?
expect_match "scan without BlueZ: says what to check" "$rc:$out" \
	"^1:backride: Bluetooth is not available: is bluetoothd running"
out=$("$BACKRIDE" --bus "$BR_BUS" pair $BIKE 2>&1) && rc=0 || rc=$?
expect_match "pair without BlueZ: the same" "$rc:$out" "^1:.*Bluetooth is not available"
br_start_sim "${SIM_ARGS[@]}"
check "the machine is searched for, found and connected" wait_for 100 is true mprop $BIKE Connected
check "control again" wait_for 30 is yes sim $BIKE HasControl
expect_eq "its resistance form was kept" "$(mprop $BIKE ResistanceForm)" "$form"

br_finish
