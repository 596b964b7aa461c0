#!/bin/bash
# A bike and a treadmill: a session of one kind gives the other, idle machine up (control back,
# then disconnected); 'backride disconnect' gives a machine back and is refused while a session
# uses it; after a session control is given back and the link dropped after
# [machine] idle_disconnect_s (scaled like session time), or kept with 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

# bluez_connected ADDRESS: what BlueZ says of the link.
bluez_connected() {
	bz get-property org.bluez "/org/bluez/hci0/dev_${1//:/_}" \
		org.bluez.Device1 Connected | cut -d' ' -f2
}
logged() { grep -c -- "$1" "$BR_TMP/daemon.log" || true; }
at_least() { [ "$(logged "$2")" -ge "$1" ]; }
bike_erg() { echo "$(sim $BIKE Mode):$(sim $BIKE TargetPower)"; }
running() { [[ "$(prop Phase)" =~ ^(countdown|warmup|steady)$ ]]; }

br_setup
cat >"$BR_TMP/backride.conf" <<EOF
[machine]
idle_disconnect_s = 0
[debug]
targets = yes
[bluez]
reconnect_min_ms = 100
reconnect_max_ms = 400
EOF
session_setup --bike --treadmill
expect_match "pair the treadmill" "$(br_cli pair $TREAD)" "^Paired with"
expect_match "pair the bike (the preferred machine now)" "$(br_cli pair $BIKE)" "^Paired with"

# ---- the verb -----------------------------------------------------------------------------
expect_match "disconnect --help" "$(br_cli disconnect --help)" \
	"^Usage: backride disconnect \[ADDRESS\]"
out=$(br_cli disconnect 2>&1) && rc=0 || rc=$?
expect_match "nothing connected: NotConnected" "$rc:$out" "^1:.*No machine is connected"
out=$(br_cli disconnect C0:FF:EE 2>&1) && rc=0 || rc=$?
expect_match "not an address: named, nothing changes" "$rc:$out" \
	"^2:.*'C0:FF:EE' is not a Bluetooth address"
out=$(br_cli disconnect a b 2>&1) && rc=0 || rc=$?
expect_match "two addresses: usage" "$rc:$out" "^2:.*unexpected argument 'b'"

# ---- a treadmill session while the bike is connected, idle --------------------------------
check "connect the bike" bz call --timeout=20 org.backride /org/backride \
	org.backride.Manager1 Connect s $BIKE
expect_eq "Debug1 drives the bike in ERG" "$(target power 60)" "b true"
check "the bike holds 60 W in ERG" wait_for 50 is erg:60.00 bike_erg
out=$(br_cli start --gentle --treadmill --minutes 90 --pain 1 --yes --detach 2>&1) && rc=0 ||
	rc=$?
expect_match "start --treadmill with the bike connected: on the treadmill" "$rc:$out" \
	"^0:Session [0-9]+ started \(treadmill"
id=$(prop Id)
expect_eq "the bike was given back before it was let go (FTMS Reset: ERG off)" \
	"$(sim $BIKE Mode)" resistance
check "and disconnected" wait_for 50 is false bluez_connected $BIKE
expect_eq "Machine1: the bike is not connected" "$(mprop $BIKE Connected)" false
expect_eq "the treadmill is" "$(mprop $TREAD Connected)" true
check "the log says why" at_least 1 \
	"Disconnecting $BIKE, which no session uses, to connect $TREAD\."

# ---- during the session: its machine stays --------------------------------------------------
check "the session runs" running
for what in "" "$TREAD"; do
	out=$(br_cli disconnect $what 2>&1) && rc=0 || rc=$?
	expect_match "disconnect ${what:-(no address)} during the session: Busy" "$rc:$out" \
		"^1:.*A session uses the machine; 'backride stop' ends it first"
done
out=$(bz call org.backride /org/backride org.backride.Manager1 \
	Disconnect s "" 2>&1) && rc=0 || rc=$?
expect_match "Manager1.Disconnect during the session: Busy" "$rc:$out" "^1:.*A session uses"
expect_eq "the treadmill is still connected" "$(mprop $TREAD Connected):$(bluez_connected $TREAD)" \
	true:true
check "the session goes on" running
out=$(br_cli disconnect $BIKE 2>&1) && rc=0 || rc=$?
expect_match "the bike is not connected" "$rc:$out" "^1:.*$BIKE is not connected"

# ---- after the session: control is given back, the link kept (idle_disconnect_s = 0) ------
expect_match "stop" "$(br_cli stop --pain 1)" "Session $id stopped"
check "done" wait_for 100 phase_is done
check "control given back: FTMS Reset after the session" wait_for 50 is no sim $TREAD HasControl
check "recorded" wait_for 50 has_event "control: $TREAD: reset -> success"
sleep 1 # 200 s of session time, more than the default idle time
expect_eq "the link is kept" "$(mprop $TREAD Connected):$(bluez_connected $TREAD)" true:true
expect_eq "and control not taken again" "$(sim $TREAD HasControl)" no
out=$(br_cli --json disconnect 2>&1) && rc=0 || rc=$?
expect_eq "disconnect --json" "$rc:$out" '0:{"address":null,"disconnected":true}'
# BlueZ drops a link up to 2 s after Disconnect: a Connect meanwhile must not take over the
# dying link (it would drop under the next session).
check "Connect at once after it" bz call --timeout=20 org.backride \
	/org/backride org.backride.Manager1 Connect s $TREAD
check "it waited for the last link to drop" \
	has_event "machine $TREAD: waiting for the last link to drop"
expect_eq "then connected anew" "$(mprop $TREAD Connected):$(bluez_connected $TREAD)" true:true
check "disconnect it by its address" is "Disconnected $TREAD; its console has control again." \
	br_cli disconnect $TREAD
check "the treadmill is let go" wait_for 50 is false bluez_connected $TREAD
expect_eq "Machine1" "$(mprop $TREAD Connected)" false

# ---- after a session the link goes after idle_disconnect_s ---------------------------------
kill -TERM "$BR_DAEMON_PID"
wait "$BR_DAEMON_PID" || true
cat >"$BR_TMP/backride.conf" <<EOF
[bluez]
reconnect_min_ms = 100
reconnect_max_ms = 400
EOF
daemon_restart # the default idle_disconnect_s, 60 s: 0.3 s at this time scale
out=$(br_cli start --gentle --treadmill --machine $BIKE --detach 2>&1) && rc=0 || rc=$?
expect_match "a treadmill session on the bike: refused" "$rc:$out" \
	"^2:.*Option 'kind' does not fit: the connected machine is a bike"
check "the bike, connected for nothing, is let go after the idle time" wait_for 50 \
	is false bluez_connected $BIKE
out=$(br_cli start --gentle --bike --minutes 90 --pain 1 --yes --detach 2>&1) || true
expect_match "a bike session" "$out" "started \(bike"
id=$(prop Id)
check "the session runs" running
check "the bike is driven in ERG" wait_for 50 is erg sim $BIKE Mode
expect_match "stop" "$(br_cli stop --pain 1)" "Session $id stopped"
check "done" wait_for 100 phase_is done
check "the link goes after the idle time" wait_for 50 is false bluez_connected $BIKE
check "the log says why" at_least 1 "Disconnecting $BIKE: no session for 60 s"
expect_eq "the bike was given back first (ERG off)" "$(sim $BIKE Mode)" resistance
expect_eq "Machine1" "$(mprop $BIKE Link)" '"idle"'

br_finish
