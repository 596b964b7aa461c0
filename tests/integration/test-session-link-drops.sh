#!/bin/bash
# A machine that drops its link every 60 simulated seconds (backride-sim --quirk link-drops=60,
# the most common complaint against the FTMS apps): a gentle bike session goes on through
# every drop and completes; each reconnect loses at most the seconds the link was down (the
# samples without the bike's data are the seconds between each 'link down' and 'link up').
. "$(dirname "$0")/lib.sh"
SCALE=20
. "$(dirname "$0")/session-lib.sh"

br_setup
session_conf '[safety]' 'max_power_w = 60'
session_setup --bike --quirk link-drops=60
br_cli pair $BIKE >/dev/null

out=$(br_cli start --gentle --bike --minutes 6 --pain 1 2>&1 </dev/null) || true
id=$(db "SELECT max(id) FROM sessions;")
expect_match "the session completes through the drops" "$out" "Session $id ended: completed"
drops=$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'link' AND value = 0;")
ups=$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'link' AND value = 1;")
check "the machine dropped the link several times ($drops)" [ "$drops" -ge 4 ]
expect_eq "and every drop was followed by a reconnect" "$ups" "$drops"
expect_eq "phases in order" "$(phases "$id")" "warmup steady cooldown stopping stretches done"
read -r n last <<<"$(db "SELECT n_samples, (SELECT max(t) FROM samples WHERE session_id = $id) FROM sessions WHERE id = $id;" | tr '|' ' ')"
check "one sample per session second, no gaps ($n samples, last t $last)" [ "$n" -eq $((last + 1)) ]
# The seconds the link was down, from each 'link down' to the next 'link up'.
down=$(db "SELECT coalesce(sum((SELECT min(u.t) FROM events u WHERE u.session_id = $id AND u.type = 'link' AND u.value = 1 AND u.id > d.id) - d.t + 1), 0) FROM events d WHERE d.session_id = $id AND d.type = 'link' AND d.value = 0;")
ride_end=$(db "SELECT min(t) FROM events WHERE session_id = $id AND type = 'phase' AND detail = 'stopping';")
missing=$(db "SELECT count(*) FROM samples WHERE session_id = $id AND t >= 1 AND t < $ride_end AND power IS NULL;")
check "samples without data ($missing) only while the link was down ($down s)" [ "$missing" -le "$down" ]
check "and some were missing: the drops were seen" [ "$missing" -ge "$drops" ]
check "every drop paused the session for the link, and it resumed" \
	[ "$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'pause' AND detail = 'link';")" -eq "$drops" ]
expect_eq "recorded completed" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed

br_finish
