#!/bin/bash
# backride-sim against its issue: the BlueZ 5.66 API as a GATT client sees it, the
# simulated machines, and every fault. Driven with busctl and sim-client (one connection
# per script, for sessions that live as long as the caller's connection).
. "$(dirname "$0")/lib.sh"
# Checks grep for things that may be absent; a failed check must not end the script.
set +o pipefail

CLIENT=$BUILD/tests/integration/sim-client
A=/org/bluez/hci0
D=$A/dev_C0_FF_EE_00_00_01
T=$A/dev_C0_FF_EE_00_00_02
H=$A/dev_C0_FF_EE_00_00_03
FT=$D/service000f
FEAT=$FT/char0010
IBD=$FT/char0012
TS=$FT/char0015
CP=$FT/char001c
MS=$FT/char001f
TCP=$T/service000f/char001c
TMS=$T/service000f/char001f
HRM=$H/service000a/char000b
CHR=org.bluez.GattCharacteristic1
DEV=org.bluez.Device1
ADP=org.bluez.Adapter1
BIKE=C0:FF:EE:00:00:01
TREAD=C0:FF:EE:00:00:02
HRS=C0:FF:EE:00:00:03

# client NAME < script: run sim-client, output in $BR_TMP/NAME.out and $OUT.
client()
{
	"$CLIENT" "$BR_BUS" >"$BR_TMP/$1.out" 2>&1
	OUT=$(cat "$BR_TMP/$1.out")
}
# machine ADDRESS PROP: the machine's true state from org.backride.SimMachine1.
machine()
{
	bz get-property org.backride.Sim "/org/backride/Sim/dev_${1//:/_}" \
		org.backride.SimMachine1 "$2" | cut -d' ' -f2- | tr -d '"' || true
}
sim_start()
{
	br_start_sim --time-scale 20 --rate 2 --temporary-timeout 1 "$@"
	br_wait_name org.backride.Sim
}
sim_stop()
{
	local rc=0
	kill -TERM "$BR_SIM_PID"
	br_wait_exit "$BR_SIM_PID" 50 || br_die "backride-sim did not exit on SIGTERM"
	wait "$BR_SIM_PID" || rc=$?
	return $rc
}
# A script prefix that discovers and connects DEVICE and waits for ServicesResolved.
connect_script()
{
	printf 'call %s %s StartDiscovery\nsleep 300\ncall %s %s Connect\nwait %s %s ServicesResolved true 3000\n' \
		"$A" "$ADP" "$1" "$DEV" "$1" "$DEV"
}
# Lines of an indication/notification value in $OUT: "PC PATH Value=HEX".
values() { { grep -o "^PC $1 Value=[0-9a-f-]*" <<<"$OUT" || true; } | sed 's/.*Value=//' | tr '\n' ' '; }
wr() { printf 'call %s %s WriteValue aya{sv} %s 1 type s request\n' "$CP" "$CHR" "$1"; }

br_setup
sim_start --bike --treadmill --hr-strap --att-latency 40 --disconnect-delay 300

# ---- Objects at start ------------------------------------------------------------------
tree=$(bz tree --list org.bluez)
expect_eq "only the adapter before discovery" "$(tr '\n' ' ' <<<"$tree")" "/ /org /org/bluez /org/bluez/hci0 "
expect_eq "adapter powered" "$(bz get-property org.bluez $A $ADP Powered)" "b true"
expect_match "AgentManager1 at /org/bluez" "$(bz introspect org.bluez /org/bluez)" "org.bluez.AgentManager1"
objs=$(bz call org.bluez / org.freedesktop.DBus.ObjectManager GetManagedObjects)
check "ObjectManager at / shows no simulator objects" bash -c "! grep -q org.backride <<<'$objs'"
expect_match "control interface on its own name" \
	"$(bz get-property org.backride.Sim /org/backride/Sim org.backride.Sim1 Devices)" \
	"as 3 \"$BIKE\" \"$TREAD\" \"$HRS\""

# ---- Discovery filter: strict variant types --------------------------------------------
client filter <<EOF2
call $A $ADP SetDiscoveryFilter a{sv} 1 RSSI i -60
call $A $ADP SetDiscoveryFilter a{sv} 1 UUIDs s 1826
call $A $ADP SetDiscoveryFilter a{sv} 1 Bogus b true
call $A $ADP SetDiscoveryFilter a{sv} 2 RSSI n -60 Pathloss q 10
call $A $ADP SetDiscoveryFilter a{sv} 1 RSSI n 50
call $A $ADP SetDiscoveryFilter a{sv} 1 Transport s sideways
call $A $ADP SetDiscoveryFilter a{sv} 3 UUIDs as 1 00001826-0000-1000-8000-00805f9b34fb Transport s le DuplicateData b true
call $A $ADP StopDiscovery
EOF2
expect_eq "filter: RSSI as int32, UUIDs as s, unknown key, RSSI+Pathloss, RSSI 50, bad transport" \
	"$(grep -c '^ERROR org.bluez.Error.InvalidArguments: Invalid arguments in method call' <<<"$OUT")" 6
expect_eq "filter: valid filter accepted" "$(sed -n 7p <<<"$OUT")" "REPLY"
expect_eq "StopDiscovery without a session" "$(sed -n 8p <<<"$OUT")" \
	"ERROR org.bluez.Error.Failed: No discovery started"

# ---- Discovery: devices appear with RSSI and ServiceData; filter by UUID ----------------
client disc <<EOF2
watch
call $A $ADP SetDiscoveryFilter a{sv} 1 UUIDs as 1 00001826-0000-1000-8000-00805f9b34fb
call $A $ADP StartDiscovery
call $A $ADP StartDiscovery
sleep 400
get $D $DEV RSSI
get $D $DEV ServiceData
get $D $DEV UUIDs
get $D $DEV AddressType
get $D $DEV Name
sleep 700
EOF2
expect_match "second StartDiscovery from one client" "$OUT" \
	"ERROR org.bluez.Error.InProgress: Operation already in progress"
expect_match "Discovering=true" "$OUT" "PC $A Discovering=true"
expect_match "bike appears" "$OUT" "IA $D"
expect_match "treadmill appears" "$OUT" "IA $T"
check "HR strap filtered out by UUIDs" bash -c "! grep -q 'IA $H' <<<'$OUT'"
expect_match "RSSI present while discovering" "$OUT" "VALUE -[0-9]+"
expect_match "RSSI changes" "$(grep -c "PC $D RSSI=" <<<"$OUT")" "^[2-9]"
expect_match "ServiceData: FTMS available, indoor bike" "$OUT" \
	"VALUE \{00001826-0000-1000-8000-00805f9b34fb=012000\}"
expect_match "UUIDs from the advert" "$OUT" "VALUE \[00001826-0000-1000-8000-00805f9b34fb\]"
expect_match "Name" "$OUT" "VALUE Backride Sim Bike"
# The client's connection is gone: its discovery session ended with it.
sleep 0.2
expect_eq "discovery ends when the client's connection drops" \
	"$(bz get-property org.bluez $A $ADP Discovering)" "b false"
check "RSSI invalidated after discovery" bash -c \
	"! busctl --address='$BR_BUS' get-property org.bluez $D $DEV RSSI >/dev/null 2>&1"
sleep 1.5
check "temporary device removed after TemporaryTimeout" bash -c \
	"! busctl --address='$BR_BUS' introspect org.bluez $D >/dev/null 2>&1"

# Unfiltered discovery reports RSSI changes of 8 dB or more only (device_set_rssi).
client nofilter <<EOF2
watch
call $A $ADP StartDiscovery
sleep 2500
EOF2
rssi=$(grep -o "^PC $D RSSI=-[0-9]*" <<<"$OUT" | sed 's/.*=//' | tr '\n' ' ')
check "unfiltered: RSSI steps of 8 dB or more ($rssi)" awk -v l="$rssi" \
	'BEGIN { n = split(l, v, " "); for (i = 2; i <= n; i++) { d = v[i] - v[i-1];
	 if (d < 0) d = -d; if (d < 8) exit 1 } exit 0 }'
sleep 1.2

# LE peers without TxPower: a BR/EDR-only or a Pathloss filter matches none of them.
client bredr <<EOF2
watch
call $A $ADP SetDiscoveryFilter a{sv} 1 Transport s bredr
call $A $ADP StartDiscovery
sleep 400
call $A $ADP SetDiscoveryFilter a{sv} 1 Pathloss q 20
sleep 400
EOF2
check "Transport bredr / Pathloss: no LE device reported" bash -c "! grep -q '^IA ' <<<'$OUT'"

# Two clients: one stopping does not end the other's session.
printf 'call %s %s StartDiscovery\nsleep 1500\n' "$A" "$ADP" | "$CLIENT" "$BR_BUS" >/dev/null &
other=$!
sleep 0.4
client two <<EOF2
call $A $ADP StartDiscovery
call $A $ADP StopDiscovery
get $A $ADP Discovering
EOF2
expect_eq "another client's session keeps Discovering" "$(sed -n 3p <<<"$OUT")" "VALUE true"
wait "$other"

# ---- Connect, ServicesResolved later, GATT objects -------------------------------------
client connect <<EOF2
watch
$(printf 'call %s %s StartDiscovery\nsleep 300\n' $A $ADP)
call $D $DEV Connect
get $D $DEV ServicesResolved
wait $D $DEV ServicesResolved true 3000
get $CP $CHR Flags
get $IBD $CHR Flags
get $TS $CHR Flags
get $FEAT $CHR Flags
get $CP $CHR UUID
get $CP $CHR MTU
get $CP $CHR Service
get $FT org.bluez.GattService1 UUID
get $CP/desc001e org.bluez.GattDescriptor1 UUID
call $FEAT $CHR ReadValue a{sv} 0
call $FEAT $CHR ReadValue a{sv} 1 offset u 0
call $FEAT $CHR ReadValue a{sv} 1 offset q 2
call $FEAT $CHR ReadValue a{sv} 1 offset q 9
call $FT/char0018 $CHR ReadValue a{sv} 1 offset q 0
call $FT/char001a $CHR ReadValue a{sv} 0
call $IBD $CHR ReadValue a{sv} 0
EOF2
expect_eq "Connect replies when the link is up" "$(grep -m1 -E '^(REPLY|ERROR)' <<<"$OUT" | head -1)" "REPLY"
expect_match "ServicesResolved false at the Connect reply" "$OUT" "VALUE false"
expect_match "ServicesResolved true later" "$OUT" "WAIT ok"
expect_match "Connected=true signal" "$OUT" "PC $D Connected=true"
check "Connected before ServicesResolved" bash -c \
	"grep -n 'Connected=true\|ServicesResolved=true' $BR_TMP/connect.out | head -1 | grep -q Connected"
expect_match "GATT objects added before ServicesResolved" \
	"$(grep -E "IA $CP\$|ServicesResolved=true" "$BR_TMP/connect.out" | head -1)" "IA $CP"
expect_match "CP flags" "$OUT" "VALUE \[write,indicate\]"
expect_match "IBD flags" "$OUT" "VALUE \[notify\]"
expect_match "Training Status flags" "$OUT" "VALUE \[read,notify\]"
expect_match "Feature flags" "$OUT" "VALUE \[read\]"
expect_match "CP UUID" "$OUT" "VALUE 00002ad9-0000-1000-8000-00805f9b34fb"
expect_match "MTU while connected" "$OUT" "VALUE 247"
expect_match "char Service path" "$OUT" "VALUE $FT"$'\n'
expect_match "service UUID" "$OUT" "VALUE 00001826-0000-1000-8000-00805f9b34fb"
expect_match "CCCD descriptor" "$OUT" "VALUE 00002902-0000-1000-8000-00805f9b34fb"
expect_match "ReadValue 0x2ACC: ERG bike features" "$OUT" "REPLY 865600000c000000"
expect_match "offset must be q" "$OUT" "ERROR org.bluez.Error.InvalidArguments"
expect_match "ReadValue at an offset" "$OUT" "REPLY 00000c000000"
expect_match "ReadValue past the end" "$OUT" \
	"ERROR org.bluez.Error.InvalidArguments: Invalid offset"
expect_match "resistance range 0..20.0 step 1.0" "$OUT" "REPLY 0000c8000a00"
expect_match "power range 10..800 W" "$OUT" "REPLY 0a0020030100"
expect_match "reading a notify-only char" "$OUT" \
	"ERROR org.bluez.Error.NotPermitted: Read not permitted"
expect_match "UUIDs from GATT after resolution" "$OUT" "PC $D UUIDs=\[00001800"
expect_eq "device stays connected after the client leaves" \
	"$(bz get-property org.bluez $D $DEV Connected)" "b true"
# bluetoothd 5.69 and later give every remote attribute a read-only Handle, the number in its
# path (bluetoothctl 5.78 and later list only attributes that have one).
expect_eq "service Handle" "$(bz get-property org.bluez $FT org.bluez.GattService1 Handle)" "q 15"
expect_eq "characteristic Handle (its declaration)" \
	"$(bz get-property org.bluez $CP $CHR Handle)" "q 28"
expect_eq "descriptor Handle" \
	"$(bz get-property org.bluez $CP/desc001e org.bluez.GattDescriptor1 Handle)" "q 30"

# Disconnect: bluetoothd drops the link DISCONNECT_TIMER after the call, then replies.
client disc2 <<EOF2
watch
send $D $DEV Disconnect
sleep 100
get $D $DEV Connected
sleep 400
get $D $DEV Connected
call $D $DEV Disconnect
call $D $DEV Connect
wait $D $DEV ServicesResolved true 3000
EOF2
expect_eq "Disconnect: still connected during the disconnect timer, then not" \
	"$(grep VALUE <<<"$OUT" | tr '\n' ' ')" "VALUE true VALUE false "
expect_match "Disconnect: ServicesResolved, Connected, then the reply" "$OUT" \
	"PC $D ServicesResolved=false.*PC $D Connected=false.*AREPLY"
expect_match "Disconnect when not connected succeeds" "$(grep -E '^(REPLY|ERROR)' <<<"$OUT" | head -1)" \
	"^REPLY"

# ---- Notifications and the control point -----------------------------------------------
client cp <<EOF2
watch
$(wr 00)
call $IBD $CHR StartNotify
call $IBD $CHR StartNotify
call $CP $CHR StartNotify
call $MS $CHR StartNotify
call $TS $CHR StartNotify
$(wr 05c800)
sleep 100
$(wr 00)
sleep 100
$(wr 05c800)
sleep 100
$(wr 02e803)
sleep 100
$(wr 050f27)
sleep 100
$(wr 0801)
sleep 100
$(wr 07)
sleep 100
$(wr 07)
sleep 100
$(wr 3f)
sleep 100
$(wr 04ff)
sleep 100
send $CP $CHR WriteValue aya{sv} 00 0
$(wr 00)
sleep 300
EOF2
expect_eq "CP write before indications" "$(sed -n 1p <<<"$OUT")" \
	"ERROR org.bluez.Error.Failed: Operation failed with ATT error: 0xfd"
expect_eq "StartNotify twice from one client is fine" "$(sed -n 3p <<<"$OUT")" "REPLY"
expect_match "StartNotify -> Notifying" "$OUT" "PC $IBD Notifying=true"
expect_match "notifications as PropertiesChanged on Value" "$OUT" "PC $IBD Value=74"
expect_eq "indications, in order" "$(values "$CP")" \
	"800505 800001 800501 800202 800503 800804 800701 800704 803f02 800403 800001 "
expect_match "Machine Status: target power changed" "$(values "$MS")" "^08c800 04 "
expect_match "Training Status: manual/ERG on start" "$(values "$TS")" "^000c"
expect_match "second outstanding write: InProgress" "$OUT" \
	"ERROR org.bluez.Error.InProgress: In Progress"
expect_eq "machine: has control" "$(machine $BIKE HasControl)" "true"
expect_eq "machine: ERG target 200 W" "$(machine $BIKE TargetPower)" "200"
expect_eq "machine: started" "$(machine $BIKE Started)" "true"
expect_eq "StopNotify without a session" \
	"$(printf 'call %s %s StopNotify\n' $IBD $CHR | "$CLIENT" "$BR_BUS")" \
	"ERROR org.bluez.Error.Failed: No notify session started"
expect_eq "sessions end with the client" "$(bz get-property org.bluez $IBD $CHR Notifying)" \
	"b false"

# ERG: power follows the target with a lag.
sleep 1.5
p=$(machine $BIKE Power)
check "ERG power reaches 200 W (got $p)" awk -v p="$p" 'BEGIN { exit !(p > 185 && p < 215) }'
client res <<<"$(printf 'watch\n%s\n%s\nsleep 100\n%s\nsleep 100\n' \
	"$(printf 'call %s %s StartNotify' $CP $CHR)" "$(wr 00)" "$(wr 0464)")"
expect_match "resistance 10.0 accepted" "$(values "$CP")" "800401"
expect_eq "machine: resistance mode" "$(machine $BIKE Mode)" "resistance"
expect_eq "machine: resistance level" "$(machine $BIKE Resistance)" "10"

# Rider: cadence sags, stops; power and speed go to zero.
ctl rider $BIKE stop
sleep 0.6
c=$(machine $BIKE Cadence)
check "rider stopped: cadence 0 (got $c)" awk -v c="$c" 'BEGIN { exit !(c < 1) }'
ctl rider $BIKE cadence=90
sleep 0.6
c=$(machine $BIKE Cadence)
check "rider back at 90 rpm (got $c)" awk -v c="$c" 'BEGIN { exit !(c > 80 && c < 100) }'

# ---- Faults ------------------------------------------------------------------------------
sub=$(printf 'watch\ncall %s %s StartNotify\ncall %s %s StartNotify\ncall %s %s StartNotify\n%s\nsleep 100\n' \
	$CP $CHR $MS $CHR $IBD $CHR "$(wr 00)")

ctl fault refuse-control
client f1 <<<"$sub"
expect_match "refuse-control: Request Control fails" "$(values "$CP")" "800004"
ctl clear refuse-control

printf '%s\nsleep 800\n' "$sub" | client f2 &
sleep 0.5
ctl lose-control $BIKE
wait $!
OUT=$(cat "$BR_TMP/f2.out")
expect_match "lose-control: Machine Status 0xFF" "$(values "$MS")" "ff"
expect_eq "lose-control: machine has no control" "$(machine $BIKE HasControl)" "false"

ctl fault cp-delay=400
client f3 <<<"$(printf '%s\nsleep 150\necho MARK\nsleep 500\n' "$sub")"
ctl clear cp-delay
expect_eq "cp-delay: the response comes late" \
	"$(grep -E "^MARK|^PC $CP Value" <<<"$OUT" | tr '\n' ' ')" "MARK PC $CP Value=800001 "

ctl fault cp-omit
client f4 <<<"$(printf '%s\nsleep 300\n' "$sub")"
ctl clear cp-omit
expect_eq "cp-omit: no indication" "$(values "$CP")" ""

ctl fault malformed
client f5 <<<"$(printf '%s\nsleep 600\n' "$sub")"
ctl clear malformed
expect_match "malformed: flags announce fields that are missing" "$(values "$IBD")" "^feff"

ctl fault truncate
client f6 <<<"$(printf '%s\nsleep 600\n' "$sub")"
ctl clear truncate
v=$(values "$IBD" | cut -d' ' -f1)
expect_eq "truncate: 3 bytes short" "${#v}" "36"

ctl fault garbage-data
client fg <<<"$(printf '%s\nsleep 600\n' "$sub")"
ctl clear garbage-data
g=$(values "$IBD")
expect_match "garbage-data: random frames of 2 to 30 bytes" "$g" "^([0-9a-f]{4,60} )+$"
expect_eq "garbage-data: no two alike" "$(tr ' ' '\n' <<<"$g" | sed '/^$/d' | sort | uniq -d)" ""

ctl fault stop-notify
client f7 <<<"$(printf '%s\nsleep 600\n' "$sub")"
ctl clear stop-notify
expect_eq "stop-notify: silence" "$(values "$IBD")" ""

printf '%s\nsleep 900\n' "$sub" | client f8 &
sleep 0.5
ctl drop-link $BIKE
wait $!
OUT=$(cat "$BR_TMP/f8.out")
expect_match "drop-link: ServicesResolved then Connected false" \
	"$(grep -E "PC $D (ServicesResolved|Connected)=" <<<"$OUT" | tr '\n' ' ')" \
	"ServicesResolved=false PC $D Connected=false"
expect_eq "drop-link: machine not connected" "$(machine $BIKE Connected)" "false"
check "MTU gone while disconnected" bash -c \
	"! busctl --address='$BR_BUS' get-property org.bluez $CP $CHR MTU >/dev/null 2>&1"
expect_eq "GATT objects stay (Cache=always)" "$(bz get-property org.bluez $CP $CHR UUID)" \
	's "00002ad9-0000-1000-8000-00805f9b34fb"'

ctl fault refuse-connect
client f9 <<<"call $D $DEV Connect"
ctl clear refuse-connect
expect_eq "refuse-connect" "$OUT" "ERROR org.bluez.Error.Failed: le-connection-abort-by-local"

client f10 <<EOF2
send $D $DEV Connect
call $D $DEV Disconnect
EOF2
expect_match "Disconnect cancels a pending Connect" "$OUT" \
	"AERROR org.bluez.Error.Failed: br-connection-canceled"

# Sessions survive a link loss and are re-armed before ServicesResolved.
client f11 <<EOF2
watch
call $IBD $CHR StartNotify
call $D $DEV Connect
sleep 1000
EOF2
expect_match "StartNotify while disconnected succeeds, data flows after reconnect" "$OUT" \
	"PC $IBD Value="

# ---- Treadmill: speed, incline, mph firmware, safety key --------------------------------
client tm <<EOF2
$(connect_script $T)
call $TCP $CHR StartNotify
call $TMS $CHR StartNotify
call $TCP $CHR WriteValue aya{sv} 00 0
sleep 100
call $TCP $CHR WriteValue aya{sv} 02e803 0
sleep 100
call $TCP $CHR WriteValue aya{sv} 033200 0
sleep 100
call $TCP $CHR WriteValue aya{sv} 07 0
sleep 100
call $T/service000f/char0018 $CHR ReadValue a{sv} 0
sleep 800
EOF2
expect_eq "treadmill: target speed 10 km/h" "$(machine $TREAD TargetSpeed)" "10"
expect_eq "treadmill: target incline 5 %" "$(machine $TREAD TargetIncline)" "5"
s=$(machine $TREAD Speed)
check "treadmill: belt accelerates within limits (got $s)" awk -v s="$s" 'BEGIN { exit !(s > 3 && s <= 10) }'
expect_match "treadmill: speed range 0.8..18 km/h" "$OUT" "REPLY 500008070a00"
printf 'watch\ncall %s %s StartNotify\nsleep 800\n' $TMS $CHR | client tk &
sleep 0.4
ctl safety-key $TREAD
wait $!
OUT=$(cat "$BR_TMP/tk.out")
expect_match "safety key: Machine Status 0x03" "$(values "$TMS")" "03"
expect_eq "safety key: stopped" "$(machine $TREAD Started)" "false"
sleep 0.5
expect_eq "safety key: belt stops" "$(machine $TREAD Speed)" "0"

# ---- Heart-rate strap --------------------------------------------------------------------
client hr <<EOF2
watch
$(connect_script $H)
call $HRM $CHR StartNotify
get $HRM $CHR UUID
sleep 500
EOF2
expect_match "HR strap: 0x2A37 notifications" "$OUT" "PC $HRM Value=16"
expect_match "HR strap: UUID" "$OUT" "VALUE 00002a37-0000-1000-8000-00805f9b34fb"
check "HR strap: no ServiceData property (it advertises none)" bash -c \
	"! busctl --address='$BR_BUS' get-property org.bluez $H $DEV ServiceData >/dev/null 2>&1"
ctl fault hr-silent
client hr2 <<EOF2
watch
call $HRM $CHR StartNotify
sleep 500
EOF2
ctl clear hr-silent
expect_eq "hr-silent: strap goes silent" "$(values "$HRM")" ""

# ---- Powered off: discovery and links end --------------------------------------------------
bz set-property org.bluez $A $ADP Powered b false
expect_eq "power off: Powered false" "$(bz get-property org.bluez $A $ADP Powered)" "b false"
expect_eq "power off: links drop" "$(bz get-property org.bluez $H $DEV Connected)" "b false"
client pw <<<"call $A $ADP StartDiscovery"
expect_eq "power off: StartDiscovery not ready" "$OUT" \
	"ERROR org.bluez.Error.NotReady: Resource Not Ready"
bz set-property org.bluez $A $ADP Powered b true

# ---- bluetoothd restart -------------------------------------------------------------------
old=$(bz status org.bluez | sed -n 's/^UniqueName=//p')
printf 'agent /test/agent NoInputNoOutput ok\nwatch\necho ready\nsleep 1000\n' | client rel &
for _ in $(seq 30); do grep -q ready "$BR_TMP/rel.out" 2>/dev/null && break; sleep 0.1; done
ctl restart-bluetoothd
sleep 0.1
check "restart: org.bluez released" bash -c "! busctl --address='$BR_BUS' status org.bluez >/dev/null 2>&1"
br_wait_name org.bluez
wait $!
expect_match "restart: agents get Release" "$(cat "$BR_TMP/rel.out")" "AGENT Release"
new=$(bz status org.bluez | sed -n 's/^UniqueName=//p')
check "restart: a new connection owns org.bluez ($old -> $new)" test "$old" != "$new"
# As bluetoothd 5.66: the name first, then the adapter unpowered, then Powered.
expect_match "restart: the adapter appears after the name, then powers on" \
	"$(grep -E "^(IA|PC) $A( Powered=|$)" "$BR_TMP/rel.out" | tail -n 2 | tr '\n' ' ')" \
	"^IA $A PC $A Powered=true $"
wait_for 30 is "b true" bz get-property org.bluez $A $ADP Powered
expect_eq "restart: machines lost their links" "$(machine $BIKE Connected)" "false"
check "restart: GATT objects are gone until the next connection" bash -c \
	"! busctl --address='$BR_BUS' introspect org.bluez $CP >/dev/null 2>&1"
expect_eq "restart: connected devices are kept (not temporary)" \
	"$(bz get-property org.bluez $D $DEV Connected)" "b false"

rc=0
sim_stop || rc=$?
expect_eq "SIGTERM: clean exit" "$rc" "0"

# ---- Pairing, the agent, persistence ------------------------------------------------------
mkdir -p "$BR_TMP/state"
sim_start --bike --hr-strap --state-dir "$BR_TMP/state"
client pair <<EOF2
agent /test/agent NoInputNoOutput ok
watch
$(connect_script $D)
call $D $DEV Pair
call $D $DEV Pair
get $D $DEV Paired
get $D $DEV Bonded
call $D $DEV CancelPairing
call $A $ADP SetDiscoveryFilter a{sv} 1 UUIDs as 1 180d
EOF2
expect_eq "Pair: Just Works" "$(grep -E '^(REPLY|ERROR)' <<<"$OUT" | sed -n 3p)" "REPLY"
expect_match "Pair again: AlreadyExists" "$OUT" "ERROR org.bluez.Error.AlreadyExists: Already Exists"
expect_match "Paired and Bonded" "$(grep VALUE <<<"$OUT" | tr '\n' ' ')" "VALUE true VALUE true"
expect_match "Bonded before Paired" "$(grep -oE "PC $D (Bonded|Paired)" <<<"$OUT" | tr '\n' ' ')" \
	"Bonded PC $D Paired"
check "locally initiated Just Works: no agent call" bash -c "! grep -q '^AGENT Request' <<<'$OUT'"
expect_match "CancelPairing with nothing to cancel" "$OUT" \
	"ERROR org.bluez.Error.DoesNotExist: Does Not Exist"
bz set-property org.bluez $D $DEV Trusted b true
expect_eq "Trusted is writable" "$(bz get-property org.bluez $D $DEV Trusted)" "b true"

printf 'agent /test/agent NoInputNoOutput ok\n%s\nsleep 100\necho go\nsleep 600\nget %s %s Paired\n' \
	"$(connect_script $H)" $H $DEV | client remote &
sleep 1.2
ctl pair-request $HRS
wait $!
OUT=$(cat "$BR_TMP/remote.out")
expect_match "remote-initiated Just Works: RequestAuthorization on the default agent" "$OUT" \
	"AGENT RequestAuthorization $H"
expect_match "remote-initiated pairing completes" "$OUT" "VALUE true$"

sim_stop
sim_start --bike --hr-strap --state-dir "$BR_TMP/state"
expect_eq "persistence: Paired after a restart" "$(bz get-property org.bluez $D $DEV Paired)" "b true"
expect_eq "persistence: Bonded after a restart" "$(bz get-property org.bluez $D $DEV Bonded)" "b true"
expect_eq "persistence: Trusted after a restart" "$(bz get-property org.bluez $D $DEV Trusted)" "b true"
client agent2 <<EOF2
call /org/bluez org.bluez.AgentManager1 RegisterAgent os /a Bogus
call /org/bluez org.bluez.AgentManager1 UnregisterAgent o /a
call /org/bluez org.bluez.AgentManager1 RegisterAgent os /a NoInputNoOutput
call /org/bluez org.bluez.AgentManager1 RegisterAgent os /a NoInputNoOutput
call /org/bluez org.bluez.AgentManager1 RequestDefaultAgent o /b
call $A $ADP RemoveDevice o $D
call $A $ADP RemoveDevice o $D
EOF2
expect_eq "agent manager errors" "$(cut -d: -f1 <<<"$OUT" | tr '\n' ' ')" \
	"ERROR org.bluez.Error.InvalidArguments ERROR org.bluez.Error.DoesNotExist REPLY ERROR org.bluez.Error.AlreadyExists ERROR org.bluez.Error.DoesNotExist REPLY ERROR org.bluez.Error.DoesNotExist "
sim_stop
sim_start --bike --state-dir "$BR_TMP/state"
check "RemoveDevice forgets the bond" bash -c \
	"! busctl --address='$BR_BUS' introspect org.bluez $D >/dev/null 2>&1"
sim_stop

# ---- Variants: resistance-only bike, mph firmware, MTU 23 ---------------------------------
sim_start --bike --treadmill --resistance-only --mph-firmware --mtu 23
# No Supported Power Range characteristic: the handles after it move up.
CP=$FT/char001a
client var <<EOF2
$(connect_script $D)
call $FEAT $CHR ReadValue a{sv} 0
call $CP $CHR StartNotify
call $IBD $CHR StartNotify
watch
$(wr 00)
sleep 100
$(wr 05c800)
sleep 600
$(connect_script $T)
call $TCP $CHR StartNotify
call $TCP $CHR WriteValue aya{sv} 00 0
sleep 100
call $TCP $CHR WriteValue aya{sv} f401 0
sleep 100
call $TCP $CHR WriteValue aya{sv} 02f401 0
sleep 100
EOF2
expect_match "resistance-only: no power target feature" "$OUT" "REPLY 8656000004000000"
expect_match "resistance-only: Set Target Power not supported" "$(values "$CP")" "800502"
CP=$FT/char001c
expect_match "MTU 23: records split with More Data" "$(values "$IBD")" "^1109[0-9a-f]+ 6402"
expect_eq "mph firmware: 5.00 read as mph" "$(machine $TREAD TargetSpeed)" "8.04672"
expect_eq "mph firmware: reported" "$(machine $TREAD MphFirmware)" "true"
sim_stop

# ---- BlueZ pitfalls as faults: Connected flap, ServicesResolved before the objects ------
sim_start --bike --fault connect-abort
client abort <<EOF2
watch
call $A $ADP StartDiscovery
sleep 300
call $D $DEV Connect
EOF2
expect_match "connect-abort: le-connection-abort-by-local" "$OUT" \
	"ERROR org.bluez.Error.Failed: le-connection-abort-by-local"
expect_match "connect-abort: Connected flips true and back" "$OUT" \
	"PC $D Connected=true.PC $D Connected=false"
ctl clear connect-abort
ctl fault resolve-early
client early <<EOF2
watch
call $D $DEV Connect
wait $D $DEV ServicesResolved true 3000
get $CP $CHR UUID
sleep 400
get $CP $CHR UUID
EOF2
expect_match "resolve-early: ServicesResolved before the GATT objects" \
	"$(grep -E "ServicesResolved=true|IA $CP\$" <<<"$OUT" | tr '\n' ' ')" "ServicesResolved=true IA $CP"
expect_match "resolve-early: objects missing at first, there later" \
	"$(grep VALUE <<<"$OUT" | tr '\n' ' ')" "VALUE ERROR org.freedesktop.DBus.Error.UnknownObject VALUE 00002ad9"
sim_stop
# bluetoothd 5.66 after a restart, for a bonded device it stored as dual-mode (tests/vm).
sim_start --bike --fault quiet-connected
client quiet <<EOF2
watch
$(connect_script $D)
get $D $DEV Connected
EOF2
expect_match "quiet-connected: ServicesResolved is signalled" "$OUT" "PC $D ServicesResolved=true"
check "quiet-connected: Connected=true is not" eval '! grep -q "PC $D Connected=true" <<<"$OUT"'
expect_match "quiet-connected: Connected reads true" "$OUT" "VALUE true"
sim_stop

# ---- Time scale and rate ------------------------------------------------------------------
sim_start --bike --time-scale 60 --power-range 20,500,5
sleep 1
d=$(machine $BIKE Distance)
check "time scale 60: ~60 s of riding per second (distance $d m)" \
	awk -v d="$d" 'BEGIN { exit !(d > 200 && d < 1500) }'
ctl flood $BIKE 10 >/dev/null 2>&1 && f=ok || f=refused
expect_eq "flood needs a link" "$f" "refused"
printf '%s\ncall %s %s ReadValue a{sv} 0\nwatch\ncall %s %s StartNotify\necho subscribed\nsleep 2000\n' \
	"$(connect_script $D)" $FT/char001a $CHR $IBD $CHR | client flood &
for _ in $(seq 50); do grep -q subscribed "$BR_TMP/flood.out" 2>/dev/null && break; sleep 0.1; done
sent=$(ctl flood $BIKE 500)
wait $!
OUT=$(cat "$BR_TMP/flood.out")
expect_eq "flood: all sent" "$sent" "500"
n=$(grep -c "^PC $IBD Value=" <<<"$OUT")
check "flood: all delivered ($n notifications)" test "$n" -ge 500
expect_match "--power-range" "$OUT" "REPLY 1400f4010500"
sim_stop

br_finish
