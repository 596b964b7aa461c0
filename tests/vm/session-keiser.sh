#!/bin/bash
# vm: the Keiser M3i through the real bluetoothd: backride-sim --ble --keiser broadcasts a
# non-connectable advertisement with its manufacturer data (LEAdvertisingManager1, Type
# broadcast, ManufacturerData changed every advert), and backrided finds it by that data, pairs
# it without Pair or Connect, reads its frames from the PropertiesChanged that bluetoothd sends
# with DuplicateData, and runs a guided session with a sample a second. The private-bus
# counterpart is tests/integration/test-session-keiser.sh. btvirt reports an advert when it is
# registered (--readvertise) and, maybe, when its data changes: real time (scale 1) keeps the
# gaps under the 2 s that read as a stopped rider.
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"

vm_setup
"$BACKRIDE_SIM" --ble --adapter "$PERIPHERAL" --readvertise 400 --keiser --time-scale 1 \
	>>"$BR_TMP/sim.log" 2>&1 &
BR_SIM_PID=$!
br_pids+=("$BR_SIM_PID")
vm_wait_name org.backride.Sim
wait_for 100 grep -q "Registered the advertisement" "$BR_TMP/sim.log" ||
	br_die "the simulator did not register its advertisement"
check "a broadcaster: no GATT application" eval '! grep -q "GATT application" "$BR_TMP/sim.log"'
printf '[bluez]\nadapter = %s\nreconnect_min_ms = 200\nreconnect_max_ms = 2000\n' "$CENTRAL" \
	>"$BR_TMP/backride.conf"
vm_start_daemon --time-scale 1

# ---- scan and pair ------------------------------------------------------------------------
# bluetoothd (the kernel) gives a non-connectable advert a new random address each time it is
# set up: every --readvertise here. The bike is its equipment ID, whatever the address.
n=0
while :; do
	out=$(vm_scan --seconds 8) || true
	KADDR=$(awk '/ Keiser M3i #7$/ { print $1; exit }' <<<"$out")
	[ -n "$KADDR" ] && break
	n=$((n + 1))
	[ "$n" -lt 3 ] || br_die "the Keiser was not found by scanning: $out"
done
br_log "figure: $(grep -c ' Keiser M3i #7$' <<<"$out") addresses of the one M3i in an 8 s scan"
expect_match "scan: a bike named by its equipment ID" "$out" "$KADDR +bike +(-?[0-9]+|-) +Keiser M3i #7"
out=$(br_cli pair "$KADDR" 2>&1) && rc=0 || rc=$?
expect_match "pair remembers it" "$rc:$out" "^0:Remembered Keiser M3i #7 \\($KADDR, bike\\) unpaired"
expect_eq "stored as a Keiser" "$(db "SELECT protocol FROM machines WHERE address = '$KADDR';")" keiser
KPATH=/org/bluez/$CENTRAL/dev_${KADDR//:/_}
expect_eq "never connected" "$(bz get-property org.bluez "$KPATH" org.bluez.Device1 Connected)" "b false"

# ---- a guided session on its advertisements ------------------------------------------------
out=$(br_cli start --gentle --bike --minutes 5 --pain 1 --detach 2>&1) && rc=0 || rc=$?
expect_match "the session starts" "$rc:$out" "^0:.*started \\(bike"
id=$(prop Id)
check "ready on its adverts" wait_for 300 is '"ready"' mprop "$KADDR" Link
expect_eq "guided" "$(prop Guided)" true
pedalling() { [[ $(mprop "$KADDR" Data) =~ \"cadence_hrpm\"\ i\ ([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -gt 100 ]; }
check "live data from the real bluetoothd" wait_for 100 pedalling
sleep 20
out=$(br_cli stop --pain 1 2>&1)
check "stopped" wait_for 100 not_session
q() { db "SELECT $1 FROM samples WHERE session_id = $id;"; }
br_log "samples: $(q "count(*)") over $(q "max(t)") s, cadence $(q "min(cadence) || '..' || max(cadence)"), zeros $(q "count(*) FILTER (WHERE cadence = 0)")"
check "a sample every second" is 1 q "count(*) >= 15 AND count(*) = max(t) - min(t) + 1"
check "pedalling recorded" ge 100 q "max(cadence)"
br_log "figure: $(count_events "the rider stopped") silences of 2 s in the session"
check "its frames followed the bike to its new addresses" has_event "advertisements come from"

br_finish
