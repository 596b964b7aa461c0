#!/bin/bash
# Pairing policy against machines that refuse pairing or need it: with the
# simulator's faults refuse-pair and require-pairing, `[bluez] pair` = auto, always, never.
. "$(dirname "$0")/lib.sh"

BIKE=C0:FF:EE:00:00:01
DPATH=/org/bluez/hci0/dev_C0_FF_EE_00_00_01

bluez_paired() { bz get-property org.bluez "$DPATH" org.bluez.Device1 Paired | cut -d' ' -f2; }
dev() { bz get-property org.bluez "$DPATH" org.bluez.Device1 "$1" | cut -d' ' -f2; }
# char_path UUID16: the GattCharacteristic1 object of the bike with this UUID (e.g. 2acc).
char_path()
{
	local p
	for p in $(bz tree --list org.bluez | grep "^$DPATH/.*/char[0-9a-f]*$"); do
		bz get-property org.bluez "$p" org.bluez.GattCharacteristic1 UUID |
			grep -q "\"0000$1-" && echo "$p"
	done
}
# gatt UUID16 METHOD [ARGS...]: call a GattCharacteristic1 method, "ok" or the error.
gatt()
{
	local p
	p=$(char_path "$1")
	gdbus call --address "$BR_BUS" --dest org.bluez --object-path "$p" \
		--method "org.bluez.GattCharacteristic1.$2" "${@:3}" >/dev/null 2>"$BR_TMP/gatt.err" &&
		echo ok || sed -n 's/.*GDBus\.Error:\([^ ]*\) \(.*\)/\1 \2/p' "$BR_TMP/gatt.err"
}

# restart PAIR [SIM ARGS...]: a fresh simulator (knowing no devices, nothing paired) and a
# fresh daemon with [bluez] pair = PAIR and an empty database; then a scan.
restart()
{
	local pair=$1
	shift
	if [ -n "${BR_DAEMON_PID:-}" ]; then
		kill -TERM "$BR_DAEMON_PID"
		wait "$BR_DAEMON_PID" || true
	fi
	if [ -n "${BR_SIM_PID:-}" ]; then
		kill -TERM "$BR_SIM_PID"
		wait "$BR_SIM_PID" || true
	fi
	rm -f "$BR_TMP"/backride.db*
	br_start_sim --bike --time-scale 20 --rate 4 "$@"
	br_wait_name org.backride.Sim
	cat >"$BR_TMP/backride.conf" <<EOF
[bluez]
pair = $pair
cp_timeout_ms = 400
reconnect_min_ms = 100
reconnect_max_ms = 400
connect_timeout_ms = 3000
EOF
	br_start_daemon
	br_cli scan --seconds 1 >/dev/null
}

br_setup

# ---- pair = auto, the machine rejects pairing: used unpaired ------------------------------
restart auto --fault refuse-pair
out=$(br_cli pair $BIKE 2>&1) && rc=0 || rc=$?
expect_match "auto + refuse-pair: pair succeeds, the machine is used unpaired" "$rc:$out" \
	"^0:Remembered Backride Sim Bike \(C0:FF:EE:00:00:01, bike\) unpaired: the machine refused pairing"
check "the refusal is an event with BlueZ's reason" \
	has_event "pairing refused (Authentication Rejected), using it unpaired"
expect_eq "BlueZ: not paired" "$(bluez_paired)" "false"
expect_eq "Machine1.Paired is false" "$(mprop $BIKE Paired)" "false"
expect_eq "Machine1.Remembered is true" "$(mprop $BIKE Remembered)" "true"
expect_match "machines lists it unpaired" "$(br_cli machines)" "$BIKE +bike +[a-z]+ +no "
check "Connect" bz call --timeout=30 org.backride /org/backride org.backride.Manager1 Connect s $BIKE
expect_eq "connected" "$(mprop $BIKE Connected)" "true"
check "the link is ready" wait_for 30 is '"ready"' mprop $BIKE Link
check "the machine gives control" wait_for 30 is yes sim $BIKE HasControl
expect_eq "still unpaired" "$(bluez_paired)" "false"

# ---- pair = always, the machine rejects pairing: a named error --------------------------
restart always
check "refuse-pair with an error, through ctl" ctl fault refuse-pair=AuthenticationFailed $BIKE
out=$(ctl fault refuse-pair=NoSuchError $BIKE 2>&1) && rc=0 || rc=$?
expect_match "refuse-pair with an unknown error is refused" "$rc:$out" "^[1-9][0-9]*:.*bad value"
out=$(br_cli pair $BIKE 2>&1) && rc=0 || rc=$?
expect_match "always + refuse-pair: pair fails with one named line, exit 1" "$rc:$out" \
	"^1:backride: The machine $BIKE refused: Authentication Failed\.$"
expect_eq "BlueZ: not paired" "$(bluez_paired)" "false"
expect_eq "not remembered" "$(mprop $BIKE Remembered)" "false"

# ---- require-pairing, pair = auto: paired during connect ------------------------------
restart auto --fault require-pairing
expect_eq "not paired before" "$(bluez_paired)" "false"
out=$(bz call --timeout=30 org.backride /org/backride org.backride.Manager1 Connect s $BIKE 2>&1) &&
	rc=0 || rc=$?
expect_eq "require-pairing: Connect succeeds" "$rc:$out" "0:"
check "it was paired during connect" has_event "$BIKE: the machine asks for pairing, pairing"
expect_eq "BlueZ: paired" "$(bluez_paired)" "true"
check "the link is ready" wait_for 30 is '"ready"' mprop $BIKE Link
check "the machine gives control" wait_for 30 is yes sim $BIKE HasControl
check "Machine1.Paired follows" wait_for 30 is true mprop $BIKE Paired
check "data arrives" wait_for 30 matches power_w mprop $BIKE Data

# ---- require-pairing, pair = never: a named error saying pairing is needed -------------
restart never
check "require-pairing through ctl" ctl fault require-pairing $BIKE
out=$(dbus-send --bus="$BR_BUS" --print-reply --reply-timeout=30000 --dest=org.backride \
	/org/backride org.backride.Manager1.Connect string:$BIKE 2>&1) && rc=0 || rc=$?
expect_match "pair = never: Connect fails with NotPermitted, saying pairing is needed" \
	"$rc:$out" "^[1-9][0-9]*:Error org.backride.Error.NotPermitted: .*needs pairing.*pair = never"
check "the reason is an event" has_event "connect failed: it needs pairing"
expect_eq "BlueZ: still not paired" "$(bluez_paired)" "false"
expect_eq "the machine has no control" "$(sim $BIKE HasControl)" "no"

# ---- the fault as a GATT client sees it -------------------------------------------------
check "the daemon let go of the link" wait_for 50 is false dev Connected
check "Device1.Connect" bz call --timeout=10 org.bluez "$DPATH" org.bluez.Device1 Connect
check "services resolved" wait_for 30 is true dev ServicesResolved
NP="org.bluez.Error.NotPermitted: Not paired"
expect_eq "require-pairing: ReadValue of Feature" "$(gatt 2acc ReadValue {})" "$NP"
expect_eq "require-pairing: StartNotify on the control point" "$(gatt 2ad9 StartNotify)" "$NP"
expect_eq "require-pairing: StartNotify on the data" "$(gatt 2ad2 StartNotify)" "$NP"
expect_eq "require-pairing: WriteValue to the control point" \
	"$(gatt 2ad9 WriteValue '[byte 0x00]' {})" "$NP"
expect_eq "Notifying is false after the refused StartNotify" \
	"$(bz get-property org.bluez "$(char_path 2ad2)" org.bluez.GattCharacteristic1 Notifying)" \
	"b false"
check "Device1.Pair" bz call --timeout=10 org.bluez "$DPATH" org.bluez.Device1 Pair
expect_eq "paired: ReadValue works" "$(gatt 2acc ReadValue {})" "ok"
expect_eq "paired: StartNotify works" "$(gatt 2ad2 StartNotify)" "ok"

br_finish
