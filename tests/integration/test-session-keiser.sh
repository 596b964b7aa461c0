#!/bin/bash
# The Keiser M3i (backride-sim --keiser): a bike that only advertises. Scan finds it by its
# manufacturer data, pair remembers it without Pair or Connect, and a whole gentle session runs
# guided on its advertisements: a sample every second, history, show and export. Silence for
# 2 s reads as zeros (the rider stopped), malformed and review frames are never recorded, and
# 5 minutes of silence lose the bike until it advertises again.
. "$(dirname "$0")/lib.sh"
SCALE=${SCALE:-20}
. "$(dirname "$0")/session-lib.sh"

KEISER=C0:FF:EE:00:00:07
KPATH=/org/bluez/hci0/dev_C0_FF_EE_00_00_07
mdata() { mprop $KEISER Data | tr -d '"'; }
metric() { prop Metrics | tr -s ' ' '\n' | awk -v k="$1" 'f { print; exit } $1 == k { f = 1 }'; }
cadence_is() { [ "$(metric cadence_hrpm)" = "$1" ]; }
pedalling() { [ "$(metric cadence_hrpm)" -gt 100 ] 2>/dev/null; }
btd_prop() { bz get-property org.bluez $KPATH org.bluez.Device1 "$1" | cut -d' ' -f2-; }

br_setup
session_conf
session_setup --keiser --hr-strap

# ---- scan and pair ----------------------------------------------------------------------
out=$(br_cli scan --seconds 2)
expect_match "scan lists it as a bike with its equipment ID" "$out" \
	"$KEISER +bike +-?[0-9]+ +Keiser M3i #7"
out=$(br_cli pair $KEISER)
# Never paired in BlueZ (it cannot be): remembered, as a machine that refuses pairing is.
expect_match "pair remembers it" "$out" "^Remembered Keiser M3i #7 \($KEISER, bike\) unpaired: .*cannot be paired"
expect_eq "stored as a Keiser bike" "$(db "SELECT kind, protocol FROM machines WHERE address = '$KEISER';")" \
	"bike|keiser"
expect_eq "never paired nor connected in BlueZ" "$(btd_prop Paired):$(btd_prop Connected)" "false:false"
check "no Connect was tried" eval '! has_event "machine $KEISER: connecting"'

# ---- a guided session on its advertisements -----------------------------------------------
out=$(br_cli start --gentle --bike --minutes 5 --no-stretch --pain 1 --detach 2>&1) && rc=0 || rc=$?
expect_match "the session starts" "$rc:$out" "^0:.*started \(bike"
id=$(prop Id)
expect_eq "guided" "$(prop Guided)" true
expect_match "the message says why" "$(prop Message)" "no FTMS control point"
check "advice in watts" wait_for 100 matches "^pedal easy, about [0-9]+ W at 80 rpm$" prop Advice
check "live data" wait_for 100 pedalling
expect_match "Machine1.Data: power, cadence, distance, gear as resistance" "$(mdata)" \
	"power_w i [0-9]+ .*cadence_hrpm i [0-9]+ .*distance_m i [0-9]+ .*resistance i 80"
expect_eq "Machine1.Link" "$(mprop $KEISER Link)" '"ready"'
check "the rider shifts to gear 4" ctl rider $KEISER gear=4
check "the gear is the resistance level" wait_for 100 matches "resistance i 40" mdata
check "a gear out of 1-24 is refused" eval '! ctl rider $KEISER gear=30 2>/dev/null'
check "steady" wait_for 150 phase_is steady

# A user's scan ends: the discovery the Keiser's link needs goes on.
br_cli scan --seconds 1 >/dev/null
sleep 1 # 20 session s after the scan ended
expect_eq "still discovering" "$(bz get-property org.bluez /org/bluez/hci0 org.bluez.Adapter1 Discovering)" "b true"
expect_eq "no silence while discovering" "$(count_events "the rider stopped")" 0

# The rider stops: 2 s of silence read as zeros, and the coach's no-pedalling rule acts.
check "the rider leaves" ctl fault silent $KEISER
check "zeros after the silence" wait_for 100 cadence_is 0
expect_eq "power zero too" "$(metric power_w)" 0
check "the event says so" wait_for 50 has_event "no advertisement for 2 s: the rider stopped"
check "no pedalling pauses the session" wait_for 150 matches "no-pedal" prop PauseReason
check "the rider is back" ctl clear silent
check "data again" wait_for 100 pedalling
check "running again" wait_for 150 is false prop Paused

# Malformed and review frames between good ones: dropped or ignored, never recorded.
check "malformed frames" ctl fault malformed $KEISER
check "review frames" ctl fault review-frames $KEISER
check "malformed counted" wait_for 100 has_event "malformed Keiser advertisement dropped"
check "still pedalling" wait_for 50 pedalling
sleep 1 # 20 session s of mixed frames
check "clear malformed" ctl clear malformed
check "clear review" ctl clear review-frames
check "the session completes" wait_for 600 phase_is done
expect_eq "completed, guided: no control point" \
	"$(db "SELECT end_reason, guided FROM sessions WHERE id = $id;")" "completed|no-control-point"

q() { db "SELECT $1 FROM samples WHERE session_id = $id;"; }
br_log "samples: $(q "count(*)") over $(q "max(t)") s; power $(q "min(power) || '..' || max(power)") W," \
	"cadence $(q "min(cadence) || '..' || max(cadence)") 0.5 rpm, distance $(q "max(distance)") m"
expect_eq "a sample every second" "$(q "count(*) > 200 AND count(*) = max(t) - min(t) + 1")" 1
expect_eq "no malformed or review frame recorded (their 999 W)" "$(q "count(*) FILTER (WHERE power >= 900)")" 0
expect_eq "no review cadence (150 rpm)" "$(q "count(*) FILTER (WHERE cadence >= 300)")" 0
check "zeros recorded while silent" ge 2 q "count(*) FILTER (WHERE cadence = 0 AND power = 0)"
check "distance recorded" ge 100 q "max(distance)"
check "heart rate from the strap or the bike" ge 50 q "min(hr)"
expect_match "history: a guided bike session" "$(br_cli history)" "bike .*completed, guided"
expect_match "show names the bike" "$(br_cli show $id)" "on Keiser M3i #7"
out=$(br_cli export $id --format csv)
expect_eq "export: a row per sample" "$(($(wc -l <<<"$out") - 1))" "$(q "count(*)")"
br_cli export $id --format fit -o "$BR_TMP/keiser.fit"
check "a FIT file" test -s "$BR_TMP/keiser.fit"
expect_match "the next plan counts this session" "$(br_cli plan)" \
	"^Next bike session: .*(went well|steady time)"

# ---- 5 minutes of silence: the bike is gone, and found again ------------------------------
out=$(br_cli start --gentle --bike --minutes 30 --no-stretch --pain 1 --detach 2>&1)
expect_match "a second session" "$out" "started \(bike"
id=$(prop Id)
check "live" wait_for 100 pedalling
check "the rider leaves for good" ctl fault silent $KEISER
check "gone after 5 minutes of silence" wait_for 400 has_event "no advertisement for 5 min: gone"
check "the link searches again" wait_for 50 is '"searching"' mprop $KEISER Link
check "the bike is back" ctl clear silent
check "ready again" wait_for 100 is '"ready"' mprop $KEISER Link
check "data again" wait_for 100 pedalling
br_cli stop --pain 1 >/dev/null
check "stopped" wait_for 100 phase_is done
check "discovery runs for the link only while it is wanted" wait_for 300 is false \
	eval "bz get-property org.bluez /org/bluez/hci0 org.bluez.Adapter1 Discovering | cut -d' ' -f2"

# A console asleep (nobody pedals): start gives up after its tries (3 x 10 s) and says why.
check "the console sleeps" ctl fault silent $KEISER
out=$(br_cli start --gentle --bike --minutes 5 --pain 1 --detach 2>&1) && rc=0 || rc=$?
expect_match "start fails and says to pedal" "$rc:$out" "^[1-9][0-9]*:backride: .*pedal to wake its console"
expect_eq "no session left behind" "$(state)" idle

br_finish
