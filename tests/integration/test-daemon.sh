#!/bin/bash
# The foundation end to end: backrided on a private bus, driven by the real
# backride CLI and busctl.
. "$(dirname "$0")/lib.sh"

br_setup

# The CLI says what to do when no daemon is running, and exits 69.
out=$(br_cli status 2>&1) && rc=0 || rc=$?
expect_eq "status without a daemon exits 69" "$rc" 69
expect_match "status without a daemon says so" "$out" "daemon is not running; start it with"

# A bad config value stops the start-up with file:line.
printf '[daemon]\nlog_level = loud\n' >"$BR_TMP/bad.conf"
out=$("$BACKRIDED" --bus "$BR_BUS" --config "$BR_TMP/bad.conf" --database "$BR_TMP/x.db" 2>&1) &&
	rc=0 || rc=$?
expect_eq "bad config exits 1" "$rc" 1
expect_match "bad config names file and line" "$out" "bad.conf:2: bad value for 'log_level'"
check "bad config created no database" [ ! -e "$BR_TMP/x.db" ]

# --check-config
printf '[daemon]\nlog_level = debug\nmystery = 1\n' >"$BR_TMP/ok.conf"
out=$("$BACKRIDED" --config "$BR_TMP/ok.conf" --check-config 2>&1) && rc=0 || rc=$?
expect_eq "check-config of a good file exits 0" "$rc" 0
expect_match "check-config warns about unknown keys" "$out" "ok.conf:3: unknown key 'mystery'"
out=$("$BACKRIDED" --config "$BR_TMP/missing.conf" --check-config 2>&1) && rc=0 || rc=$?
expect_eq "an explicit missing config is an error" "$rc" 1

# Bad usage.
"$BACKRIDED" --no-such-option >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "unknown daemon option exits 2" "$rc" 2
br_cli no-such-verb >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "unknown CLI verb exits 2" "$rc" 2
out=$(br_cli status --help)
expect_match "verb help" "$out" "Usage: backride status"
out=$("$BACKRIDE" --version)
expect_match "CLI version" "$out" "^backride [0-9]+\.[0-9]+\.[0-9]+$"

# The daemon comes up and answers.
br_start_daemon
out=$(bz introspect org.backride /org/backride)
expect_match "introspect shows Manager1" "$out" "org.backride.Manager1"
expect_match "introspect shows the ObjectManager" "$out" "org.freedesktop.DBus.ObjectManager"
bz --xml-interface introspect org.backride /org/backride \
	>"$BR_TMP/live.xml"
out=$("$SRC/tests/integration/check-introspect.py" "$BR_TMP/live.xml" \
	"$SRC"/dbus/org.backride.*.xml 2>&1) && rc=0 || rc=$?
expect_eq "introspection matches the contract in dbus/" "$rc:$out" "0:"

version=$("$BACKRIDE" --version | cut -d' ' -f2)
out=$(br_cli status)
expect_match "status prints the daemon version" "$out" "backrided $version"
expect_match "status prints the state" "$out" "State: idle"
out=$(br_cli --json status)
expect_eq "status --json" "$out" "{\"version\":\"$version\",\"state\":\"idle\"}"
out=$(br_cli status --json)
expect_eq "--json after the verb" "$out" "{\"version\":\"$version\",\"state\":\"idle\"}"

out=$(bus_prop /org/backride \
	org.backride.Manager1 Version)
expect_eq "busctl reads Version" "$out" "s \"$version\""

# A second daemon cannot take the name.
"$BACKRIDED" --bus "$BR_BUS" --config "$BR_TMP/backride.conf" \
	--database "$BR_TMP/second.db" >"$BR_TMP/second.log" 2>&1 && rc=0 || rc=$?
expect_eq "a second daemon exits 1" "$rc" 1
expect_match "a second daemon says why" "$(cat "$BR_TMP/second.log")" "Cannot own the bus name"

# SIGTERM: a clean exit, every handle closed.
kill -TERM "$BR_DAEMON_PID"
wait "$BR_DAEMON_PID" && rc=0 || rc=$?
expect_eq "SIGTERM exits 0" "$rc" 0
log=$(cat "$BR_TMP/daemon.log")
check "no handles left open at exit" bash -c "! grep -q 'handles still open' '$BR_TMP/daemon.log'"
expect_match "logs carry journald priority prefixes" "$log" "<6>backrided .* ready"

# The database it made is WAL and versioned.
mode=$(db 'PRAGMA journal_mode;')
expect_eq "database is in WAL mode" "$mode" "wal"
ver=$(db 'PRAGMA user_version;')
check "database has a schema version" [ "$ver" -ge 1 ]

# A database from a newer backride is refused and left alone.
db 'PRAGMA user_version = 999;'
sum_before=$(sha256sum "$BR_TMP/backride.db")
"$BACKRIDED" --bus "$BR_BUS" --config "$BR_TMP/backride.conf" \
	--database "$BR_TMP/backride.db" >"$BR_TMP/newer.log" 2>&1 && rc=0 || rc=$?
expect_eq "newer database: exit 1" "$rc" 1
expect_match "newer database: clear message" "$(cat "$BR_TMP/newer.log")" "newer"
expect_eq "newer database: file unchanged" "$(sha256sum "$BR_TMP/backride.db")" "$sum_before"

# A database in a directory that does not exist: the error says which directory to create.
out=$("$BACKRIDED" --bus "$BR_BUS" --config "$BR_TMP/backride.conf" \
	--database "$BR_TMP/state/backride.db" 2>&1) && rc=0 || rc=$?
expect_match "missing directory: exit 1, names the directory to create" "$rc:$out" \
	"^1:.*cannot open database $BR_TMP/state/backride.db: No such file or directory; create $BR_TMP/state \(systemd's StateDirectory= does .*\) or pass --database"

# A damaged file is refused and left alone.
head -c 8192 /dev/urandom >"$BR_TMP/junk.db"
sum_before=$(sha256sum "$BR_TMP/junk.db")
"$BACKRIDED" --bus "$BR_BUS" --config "$BR_TMP/backride.conf" \
	--database "$BR_TMP/junk.db" >"$BR_TMP/junk.log" 2>&1 && rc=0 || rc=$?
expect_eq "damaged database: exit 1" "$rc" 1
expect_eq "damaged database: file unchanged" "$(sha256sum "$BR_TMP/junk.db")" "$sum_before"

br_finish
