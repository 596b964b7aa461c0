#!/bin/bash
# vm: the peripheral drops the link in the middle of a gentle bike session through the real
# bluetoothd: the session pauses for the link, reconnects and completes, a sample a second.
# Same outcome as the link-drop part of tests/reliability/test-rel-link.sh (one drop).
. "$BACKRIDE_SOURCE_ROOT/tests/vm/vm-lib.sh"
SCALE=${SCALE:-20}

vm_session_setup --bike "$SCALE"

# ---- the peripheral drops the link mid-session ------------------------------------------------
out=$(br_cli start --gentle --minutes 4 --detach 2>&1)
expect_match "start --detach" "$out" "Session [0-9]+ started \(bike, 4 min planned\)"
id=$(prop Id)
check "steady" wait_for 600 phase_is steady
ctl drop-link "$MACHINE"
check "link drop: the link loss is seen" wait_for 100 has_event "machine $MACHINE: link lost"
check "link drop: reconnected" wait_for 400 connected
check "link drop: the session completes" wait_for 1200 not_session
expect_eq "link drop: end reason" "$(db "SELECT end_reason FROM sessions WHERE id = $id")" completed
pauses=$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'pause' AND detail LIKE '%link%'")
check "link drop: the session paused for the link ($pauses)" [ "$pauses" -ge 1 ]
read -r n last <<<"$(db "SELECT count(*), max(t) FROM samples WHERE session_id = $id" | tr '|' ' ')"
expect_eq "link drop: one sample per second throughout ($n)" "$n" $((last + 1))
expect_match "history lists it" "$(br_cli history)" " $id .*completed"

br_finish

