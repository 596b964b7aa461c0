#!/bin/bash
# Full disk: the database on a 2 MiB tmpfs, filled during a session. The daemon says so in the
# log, in Manager1.Event and in Session1.Message, keeps driving the machine within the session's
# targets, never corrupts the database, and records everything once space returns (storage keeps
# up to an hour in memory); the write-ahead log is checkpointed and stays small, so the disk
# does not fill again, the session closes and a new one starts; a session that ends while the
# disk is full is closed when space returns. Needs root (mount); exit 77 without.
. "$(dirname "$0")/rel-lib.sh"

SCALE=${BR_DISK_SCALE:-20}
br_setup
mkdir "$BR_TMP/disk"
if ! mount -t tmpfs -o size=2m tmpfs "$BR_TMP/disk" 2>/dev/null; then
	echo "SKIP: cannot mount a tmpfs (needs root)"
	exit 77
fi
trap 'rc=$?; umount -l "$BR_TMP/disk" 2>/dev/null; (exit $rc); br_cleanup' EXIT
DB=$BR_TMP/disk/backride.db
# shellcheck disable=SC2034 # lib.sh's db reads this database
BR_DB=$DB

br_start_sim --bike --time-scale "$SCALE" --seed 2
rel_daemon_conf "$SCALE"
br_start_daemon --database "$DB"
bz monitor --match "type='signal',interface='org.backride.Manager1',member='Event'" \
	>"$BR_TMP/events.log" 2>&1 &
br_pids+=($!)
rel_pair "$BIKE"

fill() { dd if=/dev/zero of="$BR_TMP/disk/filler" bs=4k >/dev/null 2>&1 || true; }
message() { bus_prop /org/backride/session org.backride.Session1 Message; }
logged() { grep -q "$1" "$BR_TMP/daemon.log"; }
in_events() { grep -q "$1" "$BR_TMP/events.log"; }
not_session() { [ "$(state)" != session ]; }
session_power() { bus_prop /org/backride/session org.backride.Session1 Targets | sed -n 's/.*"power" \([0-9]*\).*/\1/p'; }

# ---- 1. full during a session, space returns during it --------------------------------------
id=$(rel_start 30)
sleep 1
fill
check "full: logged" wait_for 100 logged "the disk is full"
check "full: Session1.Message says so" wait_for 50 eval '[[ $(message) == *"disk is full"* ]]'
check "full: Manager1.Event says so" wait_for 50 in_events "storage: the disk is full"
full_at=$(prop Elapsed)
sleep 2
expect_eq "full: the session goes on" "$(state)" session
t=$(session_power)
sim_t=$(sim "$BIKE" TargetPower)
check "full: the machine is driven as the session says ($sim_t W, target $t W, cap 100)" \
	awk -v a="$sim_t" -v b="$t" 'BEGIN { exit !(a + 0 <= 100 && (a - b) ^ 2 <= 100) }'
rm -f "$BR_TMP/disk/filler"
check "space back: logged, nothing lost" wait_for 200 logged "recording resumed with nothing lost"
back_at=$(prop Elapsed)
check "space back: Manager1.Event says so" wait_for 50 in_events "recording resumed; nothing lost"
check "space back: the message is gone" wait_for 50 eval '[[ $(message) != *"disk is full"* ]]'
elapsed=$(prop Elapsed)
read -r n last <<<"$(db "SELECT count(*), max(t) FROM samples WHERE session_id = $id" | tr '|' ' ')"
check "space back: one sample per second, none lost ($n samples, last t $last, Elapsed $elapsed)" \
	[ "$n" -eq $((last + 1)) ] && [ "$last" -ge $((elapsed - 1)) ]
# Ten more minutes of session: some 6 MiB of write-ahead log if it were never checkpointed.
fulls=$(grep -c "the disk is full" "$BR_TMP/daemon.log")
wal_max=0
wal_size() { stat -c %s "$DB-wal" 2>/dev/null || echo 0; }
recorded_past() {
	local w
	w=$(wal_size)
	((w > wal_max)) && wal_max=$w
	[ "$(db "SELECT coalesce(max(t), 0) FROM samples WHERE session_id = $id")" -ge "$1" ]
}
check "space back: ten more minutes recorded" wait_for 1200 recorded_past $((elapsed + 600))
expect_eq "space back: the disk did not fill again" "$(grep -c "the disk is full" "$BR_TMP/daemon.log")" "$fulls"
check "space back: the write-ahead log stays small (at most $wal_max bytes)" [ "$wal_max" -le 1048576 ]
rel_call -p /org/backride/session org.backride.Session1 Stop i -1 >/dev/null
wait_for 200 not_session || true
expect_eq "the session ends normally" "$(db "SELECT end_reason FROM sessions WHERE id = $id")" stopped
read -r n last <<<"$(db "SELECT count(*), max(t) FROM samples WHERE session_id = $id" | tr '|' ' ')"
expect_eq "every second of it kept" "$n" $((last + 1))
expect_eq "integrity_check" "$(db 'PRAGMA integrity_check')" ok
rel_figure disk_wal_max_bytes "$wal_max"
rel_figure disk_full_session_seconds "$((back_at - full_at))"

# ---- 2. the session ends while the disk is full ---------------------------------------------
id=$(rel_start 3)
sleep 1
fill
check "full at the end: the session completes" wait_for 600 not_session
check "full at the end: logged" wait_for 50 logged "Cannot close session $id: the disk is full"
expect_eq "full at the end: not closed yet" "$(db "SELECT ended_at IS NULL FROM sessions WHERE id = $id")" 1
ctl state "$BIKE" | awk '$1 == "Mode" { m = $2 } $1 == "TargetPower" { t = $2 }
	END { print m ":" t }' >"$BR_TMP/after" # one reading of both
# At its floor, or already given back (FTMS Reset after the session: no ERG, no target).
check "full at the end: the bike is at rest" grep -qxE 'erg:10.00|resistance:0.00' "$BR_TMP/after"
rm -f "$BR_TMP/disk/filler"
check "space back: the session is closed" wait_for 150 logged "Session $id closed now"
read -r reason ns <<<"$(db "SELECT end_reason, n_samples FROM sessions WHERE id = $id" | tr '|' ' ')"
read -r n last <<<"$(db "SELECT count(*), max(t) FROM samples WHERE session_id = $id" | tr '|' ' ')"
expect_eq "space back: completed, every sample kept" "$reason $ns" "completed $n"
expect_eq "space back: no gap" "$n" $((last + 1))
expect_eq "integrity_check" "$(db 'PRAGMA integrity_check')" ok
check "the daemon is alive" kill -0 "$BR_DAEMON_PID"
rel_figure disk_samples_lost 0
br_finish
