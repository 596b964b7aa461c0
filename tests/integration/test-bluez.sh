#!/bin/bash
# The BlueZ client end to end against backride-sim: scan, pair, connect, Machine1, the
# CLI verbs, link loss, lost control, a bluetoothd restart, a silent heart-rate strap,
# forget. Time is scaled and timeouts are short, so it runs in seconds.
. "$(dirname "$0")/lib.sh"

BIKE=C0:FF:EE:00:00:01
HRS=C0:FF:EE:00:00:03
MPATH=/org/backride/machine/C0_FF_EE_00_00_01


br_setup
br_start_sim --bike --hr-strap --time-scale 20 --rate 4
br_wait_name org.backride.Sim
cat >"$BR_TMP/backride.conf" <<EOF
[bluez]
cp_timeout_ms = 400
cp_retries = 1
reconnect_min_ms = 100
reconnect_max_ms = 400
connect_timeout_ms = 3000
hr_stale_s = 1
EOF
br_start_daemon
wait_for 50 has_event "bluez: up" || br_die "the daemon did not see BlueZ"
check "no Debug1 without [debug] targets" bash -c \
	"! busctl --address='$BR_BUS' introspect org.backride /org/backride/debug org.backride.Debug1 >/dev/null 2>&1"

# ---- Scan -------------------------------------------------------------------------------
out=$(br_cli scan --seconds 1 2>&1) # into a pipe the footer goes to stderr
expect_match "scan: header" "$out" "^ADDRESS +KIND +RSSI +NAME"
expect_match "scan: the bike with kind, RSSI and name" "$out" \
	"$BIKE +bike +-[0-9]+ +Backride Sim Bike"
expect_match "scan: the heart-rate strap" "$out" "$HRS +hr +-[0-9]+ +Backride Sim HR"
expect_match "scan: what to do next" "$out" "2 found. Pair one with 'backride pair ADDRESS'."
out=$(br_cli scan --seconds 1 --json)
check "scan --json: one valid JSON object per line" python3 -c '
import json, sys
lines = sys.argv[1].splitlines()
objs = [json.loads(l) for l in lines]
assert {o["address"] for o in objs} == {"C0:FF:EE:00:00:01", "C0:FF:EE:00:00:03"}, objs
assert all(set(o) == {"address", "name", "kind", "rssi", "protocol"} for o in objs)
assert all(o["protocol"] == "ftms" for o in objs if o["kind"] != "hr"), objs
' "$out"
expect_eq "state is idle after the scan" "$(state)" idle
"$BACKRIDE" --bus "$BR_BUS" scan --seconds 60 >"$BR_TMP/scan.out" 2>&1 &
pid=$!
check "a long scan runs" wait_for 30 is scanning state
kill -INT "$pid"
wait "$pid" && rc=0 || rc=$?
expect_eq "Ctrl-C ends scan with 130" "$rc" 130
check "and stops the daemon's scan" wait_for 30 is idle state
out=$(br_cli scan --seconds 0 2>&1) && rc=0 || rc=$?
expect_eq "scan --seconds 0 is a usage error" "$rc" 2

# Machine1 objects for what was found, matching the contract.
bz --xml-interface introspect org.backride $MPATH >"$BR_TMP/machine.xml"
out=$("$SRC/tests/integration/check-introspect.py" "$BR_TMP/machine.xml" \
	"$SRC/dbus/machine/org.backride.Machine1.xml" 2>&1) && rc=0 || rc=$?
expect_eq "Machine1 introspection matches dbus/machine/org.backride.Machine1.xml" "$rc:$out" "0:"
expect_eq "Machine1.Address" "$(mprop $BIKE Address)" "\"$BIKE\""
expect_eq "Machine1.Kind from ServiceData" "$(mprop $BIKE Kind)" '"bike"'
expect_eq "Machine1.Remembered before pairing" "$(mprop $BIKE Remembered)" "false"
out=$(br_cli machines)
expect_match "machines: found, not remembered" "$out" "$BIKE +bike +found +no"

# ---- Pair -------------------------------------------------------------------------------
out=$(br_cli pair 11:22:33:44:55:66 2>&1) && rc=0 || rc=$?
expect_eq "pair unknown address: exit 1" "$rc" 1
expect_match "pair unknown address: says what to do" "$out" "run 'backride scan'"
out=$(br_cli pair nonsense 2>&1) && rc=0 || rc=$?
expect_match "pair a malformed address: a usage error" "$rc:$out" "^2:.*not a Bluetooth address"
out=$(br_cli pair "$BIKE")
expect_match "pair the bike" "$out" "^Paired with Backride Sim Bike \\($BIKE, bike\\)"
expect_eq "the bike is trusted in BlueZ" \
	"$(bz get-property org.bluez /org/bluez/hci0/dev_C0_FF_EE_00_00_01 org.bluez.Device1 Trusted)" \
	"b true"
row=$(db \
	"SELECT address, name, kind, paired, trusted, preferred FROM machines WHERE address='$BIKE';")
expect_match "the bike is remembered" "$row" "^$BIKE\|Backride Sim Bike\|[a-z]+\|1\|1\|1$"
out=$(br_cli pair "$HRS" --json)
check "pair --json" python3 -c '
import json, sys
o = json.loads(sys.argv[1])
assert o["address"] == "C0:FF:EE:00:00:03" and o["kind"] == "hr" and o["remembered"], o
' "$out"
out=$(br_cli --json machines)
check "machines --json: an array of both, remembered" python3 -c '
import json, sys
a = json.loads(sys.argv[1])
assert sorted(o["address"] for o in a) == ["C0:FF:EE:00:00:01", "C0:FF:EE:00:00:03"], a
assert all(o["remembered"] for o in a), a
assert all(o["rssi"] is None or -127 < o["rssi"] < 0 for o in a), a
' "$out"

# ---- Connect ----------------------------------------------------------------------------
check "Connect with no address: the remembered bike" bz call org.backride /org/backride \
	org.backride.Manager1 Connect s ""
expect_eq "connected" "$(mprop $BIKE Connected)" "true"
expect_eq "Link ready" "$(mprop $BIKE Link)" '"ready"'
expect_eq "state is ready" "$(state)" ready
check "control requested on connect" wait_for 30 is yes sim $BIKE HasControl
expect_match "features read" "$(mprop $BIKE Features)" "^[1-9][0-9]* [0-9]+$"
expect_match "ranges read" "$(mprop $BIKE Ranges)" "\"power\" -?[0-9]+ [0-9]+ [0-9]+"
check "live data arrives" wait_for 30 matches power_w mprop $BIKE Data
check "the strap connects beside it" wait_for 30 is true mprop $HRS Connected
expect_match "heart rate in the data" "$(mprop $BIKE Data)" '"hr_bpm" i [0-9]+'
out=$(br_cli status)
expect_match "status says ready" "$out" "State: ready"
check "events record the sequence" has_event "link: machine $BIKE: ready"
ctl pair-request $BIKE
check "a machine asking for pairing: the agent accepts (Just Works)" wait_for 30 has_event \
	"agent: RequestAuthorization accepted"
check "Connect the connected machine again: fine" bz call org.backride /org/backride \
	org.backride.Manager1 Connect s "$BIKE"
out=$(bz call org.backride /org/backride org.backride.Manager1 Connect s "$HRS" 2>&1) &&
	rc=0 || rc=$?
expect_match "Connect another machine meanwhile: Busy" "$rc:$out" \
	"^1:.*Another machine is connected; disconnect it first"

# ---- Link loss: reconnect at once, control again -------------------------------------------
# A link that carried data is asked for again at once (a machine that drops its link every
# few minutes is back as soon as it can be); the backoff paces the attempts after a failed one
# and a link that brought no data (the quiet machine below).
ctl drop-link $BIKE
check "link loss is seen" wait_for 30 has_event "machine $BIKE: link lost"
check "a link that carried data: reconnect at once" wait_for 30 \
	has_event "machine $BIKE: reconnecting at once"
expect_eq "no backoff before the first attempt" "$(count_events "machine $BIKE: reconnecting in")" 0
check "reconnected" wait_for 50 is true mprop $BIKE Connected
check "control again after reconnect" wait_for 30 is yes sim $BIKE HasControl

# ---- Lost control: request it again ----------------------------------------------------
ctl lose-control $BIKE
check "control permission lost is seen" wait_for 30 has_event "control permission lost"
check "control requested again" wait_for 30 is yes sim $BIKE HasControl

# ---- Heart-rate strap goes silent ----------------------------------------------------
ctl fault hr-silent $HRS
check "silent strap reported" wait_for 40 has_event "heart-rate strap $HRS: no heart rate for 1 s"
ctl clear hr-silent
check "strap back" wait_for 40 has_event "heart-rate strap $HRS: heart rate back"

# ---- bluetoothd restart: rebuild from the new objects and carry on -------------------------
ctl restart-bluetoothd
check "restart: BlueZ down seen" wait_for 30 has_event "bluez: down"
check "restart: BlueZ up again" wait_for 50 \
	ge 2 db "SELECT count(*) FROM events WHERE detail LIKE 'up:%'"
check "restart: reconnected" wait_for 80 is true mprop $BIKE Connected
check "restart: control again" wait_for 30 is yes sim $BIKE HasControl

# ---- A quiet machine with no session keeps its link ----------------------------------------
# Several machines send no data while stopped (ftms-reference.md §12): silence is link loss
# only while a session drives the machine (test-rel-link.sh); idle, the link lasts as long as
# BlueZ says Connected.
more_events() { [ "$(count_events "$1")" -gt "$2" ]; }
data_changed() { [ "$(mprop $BIKE Data)" != "$data0" ]; }
lost0=$(count_events "machine $BIKE: link lost") retry0=$(count_events "machine $BIKE: reconnecting")
nodata0=$(count_events "no data")
ctl fault stop-notify $BIKE
sleep 1
data0=$(mprop $BIKE Data)
# connected_for SECONDS: Machine1.Connected stays true the whole time.
connected_for()
{
	local end=$((SECONDS + $1))
	while ((SECONDS < end)); do
		[ "$(mprop $BIKE Connected)" = true ] || return 1
		sleep 0.2
	done
}
check "quiet, no session: connected throughout 10 s" connected_for 10
expect_eq "quiet, no session: no data came meanwhile" "$(mprop $BIKE Data)" "$data0"
expect_eq "quiet, no session: link still ready" "$(mprop $BIKE Link)" '"ready"'
expect_eq "quiet, no session: no 'no data' event" "$(count_events "no data")" "$nodata0"
expect_eq "quiet, no session: no link lost event" "$(count_events "machine $BIKE: link lost")" "$lost0"
expect_eq "quiet, no session: no reconnect" "$(count_events "machine $BIKE: reconnecting")" "$retry0"
ctl drop-link $BIKE
check "quiet, no session: a real link loss is still seen" wait_for 30 more_events \
	"machine $BIKE: link lost" "$lost0"
check "quiet, no session: reconnected" wait_for 50 is true mprop $BIKE Connected
# Back, and still silent: a link that brought no data since it was ready is not asked for
# again at once, the backoff paces it.
backoff0=$(count_events "machine $BIKE: reconnecting in 100 ms")
ctl drop-link $BIKE
check "quiet, no session: a link that brought no data reconnects with backoff" \
	wait_for 30 more_events "machine $BIKE: reconnecting in 100 ms" "$backoff0"
check "quiet, no session: reconnected again" wait_for 50 is true mprop $BIKE Connected
ctl clear stop-notify
data0=$(mprop $BIKE Data)
check "quiet, no session: data again once it notifies" wait_for 30 data_changed

# ---- Disconnect and forget -----------------------------------------------------------------
check "Disconnect" bz call org.backride /org/backride org.backride.Manager1 Disconnect s ""
check "disconnected (once the machine answered the Reset)" wait_for 50 is false mprop $BIKE Connected
expect_eq "state idle" "$(state)" idle
out=$(bz call org.backride /org/backride org.backride.Manager1 Disconnect s "" 2>&1) && rc=0 || rc=$?
expect_match "Disconnect twice: NotConnected" "$rc:$out" "^1:.*No machine is connected"
out=$(br_cli forget "$HRS")
expect_eq "forget the strap" "$out" "Forgot $HRS. Its sessions are kept."
out=$(br_cli forget "$HRS" 2>&1) && rc=0 || rc=$?
expect_match "forget twice: NotFound, exit 1" "$rc:$out" "^1:.*No machine $HRS"
expect_eq "forgotten in the database" \
	"$(db "SELECT count(*) FROM machines WHERE address='$HRS';")" 0
check "forgotten object gone" bash -c \
	"! busctl --address='$BR_BUS' introspect org.backride /org/backride/machine/C0_FF_EE_00_00_03 >/dev/null 2>&1"

# ---- A restarted daemon remembers the bike ---------------------------------------------
kill -TERM "$BR_DAEMON_PID"
wait "$BR_DAEMON_PID" && rc=0 || rc=$?
expect_eq "SIGTERM exits 0" "$rc" 0
br_start_daemon
out=$(br_cli machines)
expect_match "remembered after a restart" "$out" "$BIKE +bike +remembered +yes"
check "no handles left open" bash -c "! grep -q 'handles still open' '$BR_TMP/daemon.log'"

br_finish
