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
rel_sql() { sqlite3 -batch "$DB" "$@"; }

br_start_sim --bike --time-scale "$SCALE" --seed 2
rel_daemon_conf "$SCALE"
br_start_daemon --database "$DB"
busctl --address="$BR_BUS" monitor --match "type='signal',interface='org.backride.Manager1',member='Event'" \
	>"$BR_TMP/events.log" 2>&1 &
br_pids+=($!)
rel_pair "$BIKE"

fill() { dd if=/dev/zero of="$BR_TMP/disk/filler" bs=4k >/dev/null 2>&1 || true; }
message() { rel_prop /org/backride/session org.backride.Session1 Message; }
logged() { grep -q "$1" "$BR_TMP/daemon.log"; }
in_events() { grep -q "$1" "$BR_TMP/events.log"; }
not_session() { [ "$(rel_state)" != session ]; }
target() { rel_prop /org/backride/session org.backride.Session1 Targets | sed -n 's/.*"power" \([0-9]*\).*/\1/p'; }

# ---- 1. full during a session, space returns during it --------------------------------------
id=$(rel_start 30)
sleep 1
fill
check "full: logged" rel_wait 100 logged "the disk is full"
check "full: Session1.Message says so" rel_wait 50 eval '[[ $(message) == *"disk is full"* ]]'
check "full: Manager1.Event says so" rel_wait 50 in_events "storage: the disk is full"
full_at=$(rel_elapsed)
sleep 2
expect_eq "full: the session goes on" "$(rel_state)" session
t=$(target)
sim_t=$(rel_sim_state "$BIKE" TargetPower)
check "full: the machine is driven as the session says ($sim_t W, target $t W, cap 100)" \
	awk -v a="$sim_t" -v b="$t" 'BEGIN { exit !(a + 0 <= 100 && (a - b) ^ 2 <= 100) }'
rm -f "$BR_TMP/disk/filler"
check "space back: logged, nothing lost" rel_wait 200 logged "recording resumed with nothing lost"
back_at=$(rel_elapsed)
check "space back: Manager1.Event says so" rel_wait 50 in_events "recording resumed; nothing lost"
check "space back: the message is gone" rel_wait 50 eval '[[ $(message) != *"disk is full"* ]]'
elapsed=$(rel_elapsed)
read -r n last <<<"$(rel_sql "SELECT count(*), max(t) FROM samples WHERE session_id = $id" | tr '|' ' ')"
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
	[ "$(rel_sql "SELECT coalesce(max(t), 0) FROM samples WHERE session_id = $id")" -ge "$1" ]
}
check "space back: ten more minutes recorded" rel_wait 1200 recorded_past $((elapsed + 600))
expect_eq "space back: the disk did not fill again" "$(grep -c "the disk is full" "$BR_TMP/daemon.log")" "$fulls"
check "space back: the write-ahead log stays small (at most $wal_max bytes)" [ "$wal_max" -le 1048576 ]
rel_call -p /org/backride/session org.backride.Session1 Stop i -1 >/dev/null
rel_wait 200 not_session || true
expect_eq "the session ends normally" "$(rel_sql "SELECT end_reason FROM sessions WHERE id = $id")" stopped
read -r n last <<<"$(rel_sql "SELECT count(*), max(t) FROM samples WHERE session_id = $id" | tr '|' ' ')"
expect_eq "every second of it kept" "$n" $((last + 1))
expect_eq "integrity_check" "$(rel_sql 'PRAGMA integrity_check')" ok
rel_figure disk_wal_max_bytes "$wal_max"
rel_figure disk_full_session_seconds "$((back_at - full_at))"

# ---- 2. the session ends while the disk is full ---------------------------------------------
id=$(rel_start 3)
sleep 1
fill
check "full at the end: the session completes" rel_wait 600 not_session
check "full at the end: logged" rel_wait 50 logged "Cannot close session $id: the disk is full"
expect_eq "full at the end: not closed yet" "$(rel_sql "SELECT ended_at IS NULL FROM sessions WHERE id = $id")" 1
rel_sim state "$BIKE" | awk '$1 == "Mode" { m = $2 } $1 == "TargetPower" { t = $2 }
	END { print m ":" t }' >"$BR_TMP/after" # one reading of both
# At its floor, or already given back (FTMS Reset after the session: no ERG, no target).
check "full at the end: the bike is at rest" grep -qxE 'erg:10.00|resistance:0.00' "$BR_TMP/after"
rm -f "$BR_TMP/disk/filler"
check "space back: the session is closed" rel_wait 150 logged "Session $id closed now"
read -r reason ns <<<"$(rel_sql "SELECT end_reason, n_samples FROM sessions WHERE id = $id" | tr '|' ' ')"
read -r n last <<<"$(rel_sql "SELECT count(*), max(t) FROM samples WHERE session_id = $id" | tr '|' ' ')"
expect_eq "space back: completed, every sample kept" "$reason $ns" "completed $n"
expect_eq "space back: no gap" "$n" $((last + 1))
expect_eq "integrity_check" "$(rel_sql 'PRAGMA integrity_check')" ok
check "the daemon is alive" kill -0 "$BR_DAEMON_PID"
rel_figure disk_samples_lost 0
br_finish
