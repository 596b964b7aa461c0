#!/bin/bash
# vm: a bike with only a power meter (backride-sim --ble --power-meter: the Cycling Power
# service 0x1818 on the peripheral controller) through the real bluetoothd: scan names it a
# power-meter bike, pair stores its protocol, and a whole gentle session runs guided with
# power and cadence from its Cycling Power Measurement (cumulative crank revolutions, 1/1024 s
# event times), recorded, in history and exported. The private-bus counterpart, with coasting,
# malformed frames and silence, is tests/integration/test-session-sensors.sh.
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"
# Sensors count revolutions against their own clock (wrapping every 64 s): a low time scale and
# five notifications a second keep one notification to the next about 2 simulated seconds.
SCALE=${SCALE:-10}
VM_SIM_ARGS=(--rate 5)
CHECK=$SRC/tests/integration/check-export.py

# data KEY: one value of the machine's Machine1.Data ("" if absent).
data()
{
	mprop "$MACHINE" Data | tr ' ' '\n' | awk -v k="\"$1\"" '$1 == k { getline; getline; print; exit }'
}
within() { local v; v=$("${@:3}"); [ -n "$v" ] && float_le "$1" "$v" && float_le "$v" "$2"; }

# vm_session_setup's steps, with the scan's answer checked before pairing (a connected
# machine stops advertising).
vm_setup
printf '[bluez]\nadapter = %s\nreconnect_min_ms = 200\nreconnect_max_ms = 2000\nconnect_timeout_ms = 30000\n' \
	"$CENTRAL" >"$BR_TMP/backride.conf"
vm_start_sim --power-meter --time-scale "$SCALE" "${VM_SIM_ARGS[@]}"
vm_start_daemon --time-scale "$SCALE"
for try in 1 2 3; do
	out=$(vm_scan --seconds 8 --json) || true
	grep -q "\"$MACHINE\"" <<<"$out" && break
done
expect_match "scan names it a power-meter bike (try $try)" "$out" \
	"\"address\":\"$MACHINE\",.*\"kind\":\"bike\".*\"protocol\":\"cycling-power\""
br_cli pair "$MACHINE" >/dev/null || br_die "pairing failed"
expect_match "machines lists it as a power-meter bike" "$(br_cli machines)" "$MACHINE  bike \(power meter\)"
expect_eq "stored as cycling-power" \
	"$(db "SELECT kind, protocol FROM machines WHERE address = '$MACHINE';")" "bike|cycling-power"

out=$(br_cli start --gentle --minutes 5 --pain 1 --detach 2>&1)
expect_match "the session starts" "$out" "started \(bike"
id=$(prop Id)
expect_eq "guided" "$(prop Guided)" true
expect_match "the message names the power meter" "$(prop Message)" "^This bike has only a power meter"
check "power over the real bluetoothd" wait_for 300 within 20 300 data power_w
check "cadence from the crank revolutions (70-90 rpm)" wait_for 300 within 140 180 data cadence_hrpm
check "completed" wait_for 1200 phase_is done
expect_eq "recorded completed and guided" \
	"$(db "SELECT end_reason, guided FROM sessions WHERE id = $id;")" "completed|no-control-point"
check "power recorded" ge 10 db "SELECT count(*) FROM samples WHERE session_id = $id AND power > 0;"
check "cadence recorded" ge 10 db "SELECT count(*) FROM samples WHERE session_id = $id AND cadence > 0;"
check "no cadence out of reach" is 0 db \
	"SELECT count(*) FROM samples WHERE session_id = $id AND cadence > 240;"
expect_match "history marks it guided" "$(br_cli history)" "completed, guided"
for fmt in csv tcx fit; do
	br_cli export "$id" --format $fmt -o "$BR_TMP/s.$fmt"
	expect_eq "export $fmt matches the database" \
		"$(TZ=UTC "$CHECK" $fmt "$BR_TMP/backride.db" "$id" "$BR_TMP/s.$fmt" 2>&1)" ""
done

br_finish
