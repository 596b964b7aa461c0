#!/bin/bash
# Remembered machines survive a restart of the daemon: a treadmill, a heart-rate strap and a bike
# paired, then backrided restarted (with and without BlueZ there) lists all three with their
# name, kind and pairing, from the database.
. "$(dirname "$0")/lib.sh"

BIKE=C0:FF:EE:00:00:01
TREAD=C0:FF:EE:00:00:02
STRAP=C0:FF:EE:00:00:03

# machine ADDRESS: "kind|paired|remembered|name" of the machine in `backride machines --json`;
# count: how many machines it lists.
machine()
{
	br_cli machines --json | python3 -c '
import json, sys
for o in json.load(sys.stdin):
    if o["address"] == sys.argv[1]:
        print("%s|%s|%s|%s" % (o["kind"], o["paired"], o["remembered"], o["name"]))
' "$1"
}
count() { br_cli machines --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }
restart()
{
	kill -TERM "$BR_DAEMON_PID"
	wait "$BR_DAEMON_PID" || true
	br_start_daemon
}
expect_all()
{
	expect_eq "$1: the treadmill" "$(machine $TREAD)" "treadmill|True|True|Backride Sim Treadmill"
	expect_eq "$1: the strap" "$(machine $STRAP)" "hr|True|True|Backride Sim HR"
	expect_eq "$1: the bike" "$(machine $BIKE)" "bike|True|True|Backride Sim Bike"
}

br_setup
br_start_sim --bike --treadmill --hr-strap --time-scale 20 --rate 4
br_wait_name org.backride.Sim
br_start_daemon
br_cli scan --seconds 1 >/dev/null
for a in $TREAD $STRAP $BIKE; do
	check "pair $a" br_cli pair $a
done
expect_all "paired"

restart
expect_all "after a restart"

# Without BlueZ, what the daemon lists comes from its database alone.
kill -TERM "$BR_SIM_PID"
wait "$BR_SIM_PID" || true
restart
expect_all "after a restart without BlueZ"
expect_eq "three machines, no more" "$(count)" 3

br_finish
