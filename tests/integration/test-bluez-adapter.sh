#!/bin/bash
# bluetoothd owns org.bluez a moment before its adapter is exported, and powers it a moment
# after that: a scan asked for in that window waits for the adapter instead of failing, and so
# does one asked for while the adapter is switched off. At the default log level the daemon's
# log says when the adapter appears and goes away, and when a link drops and comes back.
. "$(dirname "$0")/lib.sh"

BIKE=C0:FF:EE:00:00:01
logged() { grep -c -- "$1" "$BR_TMP/daemon.log" || true; }
# at_least N TEXT: TEXT is in the daemon's log N times or more.
at_least() { [ "$(logged "$2")" -ge "$1" ]; }
powered() {
	bz set-property org.bluez /org/bluez/hci0 org.bluez.Adapter1 \
		Powered b "$1"
}

br_setup
# The adapter is exported 2 s after the name is taken (at start and after a restart), a
# window the daemon is sure to see.
br_start_sim --bike --adapter-delay 2000
br_wait_name org.backride.Sim
cat >"$BR_TMP/backride.conf" <<EOF
[bluez]
reconnect_min_ms = 100
reconnect_max_ms = 400
EOF
br_start_daemon # the default log level
br_cli scan --seconds 1 >/dev/null
expect_match "pair" "$(br_cli pair $BIKE 2>&1 || true)" "^Paired with"
check "Connect" bz call --timeout=20 org.backride /org/backride \
	org.backride.Manager1 Connect s ""
expect_eq "connected" "$(mprop $BIKE Connected)" true
check "the log says the machine is connected" at_least 1 "Connected to the machine $BIKE\."

# ---- a link drops and comes back ---------------------------------------------------------
check "the bike drops the link" ctl drop-link $BIKE
check "the log says the link dropped" wait_for 100 at_least 1 \
	"Lost the link to the machine $BIKE (.*); reconnecting\."
check "and that it came back" wait_for 100 at_least 1 "Reconnected to the machine $BIKE\."
expect_eq "connected again" "$(mprop $BIKE Connected)" true

# ---- bluetoothd restarts: the adapter goes away and comes back, late --------------------
check "bluetoothd restarts" ctl restart-bluetoothd
check "the log says the adapter went away" wait_for 100 at_least 1 \
	"Bluetooth adapter hci0 went away\."
check "BlueZ is back, its adapter not yet" wait_for 100 at_least 1 \
	"BlueZ is running (.*), adapter hci0 missing\."
out=$(br_cli scan --seconds 1 2>&1) && rc=0 || rc=$?
expect_match "a scan in that window waits for the adapter and finds the bike" "$rc:$out" \
	"^0:.*$BIKE +bike"
check "the wait is logged" at_least 1 "Waiting up to 5 s for Bluetooth adapter hci0 (not there yet)"
check "the adapter's arrival is logged" at_least 1 \
	"Bluetooth adapter hci0 appeared, switched off\."
check "and its power" at_least 1 "Bluetooth adapter hci0 is switched on\."
check "the machine is connected again" wait_for 100 is true mprop $BIKE Connected

# ---- the adapter is switched off, and on again --------------------------------------------
check "switch the adapter off" powered false
check "the log says so" wait_for 100 at_least 1 "Bluetooth adapter hci0 was switched off\."
br_cli scan --seconds 1 >"$BR_TMP/scan.out" 2>&1 &
scan_pid=$!
check "a scan waits for the adapter" wait_for 100 at_least 1 \
	"Waiting up to 5 s for Bluetooth adapter hci0 (switched off)"
check "switch the adapter on" powered true
rc=0
wait "$scan_pid" || rc=$?
expect_match "the scan ran once it was on" "$rc:$(cat "$BR_TMP/scan.out")" "^0:.*$BIKE +bike"
check "the log says it is on" at_least 2 "Bluetooth adapter hci0 is switched on\."
check "the machine is connected again" wait_for 100 is true mprop $BIKE Connected

# ---- a start (it connects as Connect does) waits too ---------------------------------------
check "disconnect" is "Disconnected; the machine's console has control again." br_cli disconnect
check "switch the adapter off again" powered false
check "the log says so" wait_for 100 at_least 2 "Bluetooth adapter hci0 was switched off\."
bz call --timeout=20 org.backride /org/backride org.backride.Manager1 \
	Connect s "" >"$BR_TMP/connect.out" 2>&1 &
connect_pid=$!
check "Connect waits for the adapter" wait_for 100 at_least 2 \
	"Waiting up to 5 s for Bluetooth adapter hci0 (switched off)"
check "switch the adapter on" powered true
rc=0
wait "$connect_pid" || rc=$?
expect_eq "Connect succeeded once it was on" "$rc:$(cat "$BR_TMP/connect.out")" "0:"
expect_eq "connected" "$(mprop $BIKE Connected)" true

br_finish
