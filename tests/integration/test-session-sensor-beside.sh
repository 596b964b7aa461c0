#!/bin/bash
# A power meter beside an FTMS bike ([sensor] address, as a strap beside it): its power
# replaces the bike's estimate ([sensor] replace = power) while the bike is driven as usual;
# silent, the bike's own values come back; bad [sensor] values are named errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

SCALE=20
POWER=C0:FF:EE:00:00:04

# data KEY: one value of the bike's Machine1.Data ("" if absent).
data()
{
	mprop $BIKE Data | tr ' ' '\n' | awk -v k="\"$1\"" '$1 == k { getline; getline; print; exit }'
}
# near WATTS: the bike's recorded power within 15 % of WATTS (and WATTS > 20).
near() { local v; v=$(data power_w); [ -n "$v" ] && awk -v v="$v" -v w="$1" 'BEGIN { d = v - w; exit !(w > 20 && d * d <= (0.15 * w) ^ 2) }'; }
meter_power() { near "$(sim $POWER Power)"; }
bike_power() { near "$(sim $BIKE Power)"; }
# apart: the power meter's and the bike's own power differ by more than 30 % (each device
# of the simulator has its own rider, so a value shows where it came from).
apart() { awk -v a="$(sim $POWER Power)" -v b="$(sim $BIKE Power)" 'BEGIN { d = a - b; exit !(d * d > (0.3 * b) ^ 2) }'; }

br_setup

# ---- bad values: named errors, the daemon does not start on them -------------------------
for bad in "replace = watts" "replace = power,," "replace = " "address = C0:FF:EE"; do
	printf '%s\n' '[sensor]' "$bad" >"$BR_TMP/bad.conf"
	out=$("$BACKRIDED" --bus "$BR_BUS" --config "$BR_TMP/bad.conf" --database "$BR_TMP/bad.db" 2>&1) && rc=0 || rc=$?
	expect_match "[sensor] $bad: refused with file:line and the key" "$rc:$out" "^[1-9][0-9]*:.*bad.conf:2.*(replace|address)"
done

session_conf '[sensor]' "address = $POWER" 'replace = power'
session_setup --bike --power-meter --rate 10 --seed 9
expect_match "pair the power meter" "$(br_cli pair $POWER)" "^Paired with"
expect_match "pair the bike" "$(br_cli pair $BIKE)" "^Paired with"
expect_eq "the bike is the preferred machine" \
	"$(db "SELECT address FROM machines WHERE preferred = 1;")" "$BIKE"
out=$(br_cli start --gentle --minutes 30 --pain 1 --detach 2>&1)
expect_match "the session starts on the bike" "$out" "started \(bike"
expect_eq "driven, not guided" "$(prop Guided)" false
check "the power meter connects beside the bike" wait_for 150 is "true" mprop $POWER Connected
check "the two devices' power differs" wait_for 100 apart
check "the bike's power is the power meter's" wait_for 100 meter_power
check "said once" has_event "$BIKE: values from the sensor $POWER beside it"
check "the bike keeps its own speed" wait_for 50 ge 100 data speed_ckmh
check "steady" wait_for 300 phase_is steady
check "targets still reach the bike" wait_for 100 is erg sim $BIKE Mode

# Silent, the power meter gives nothing: the bike's own power, never the meter's last value.
check "the power meter falls silent" ctl fault stop-notify $POWER
check "said" wait_for 100 has_event "$POWER: no data from the sensor for 3000 ms: the machine's own values are used"
check "the bike's own power again" wait_for 100 bike_power
check "clear" ctl clear stop-notify
check "the power meter's again" wait_for 150 meter_power
check "stop" br_cli stop --pain 1
check "done" wait_for 300 phase_is done
id=$(db "SELECT max(id) FROM sessions;")
check "samples recorded" ge 10 db "SELECT count(*) FROM samples WHERE session_id = $id AND power > 0;"
check "disconnect gives both back" br_cli disconnect
check "the power meter is let go" wait_for 150 is "false" mprop $POWER Connected

br_finish
