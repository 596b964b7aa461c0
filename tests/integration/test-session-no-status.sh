#!/bin/bash
# Machines without Fitness Machine Status or without Training Status (backride-sim --quirk
# no-machine-status, no-training-status): a gentle session on a bike and on a treadmill
# completes all the same; a user pause still stops the belt.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

ended() { [ -n "$(db "SELECT end_reason FROM sessions WHERE id = $1;")" ]; }
stopped() { is 0.00 sim $TREAD Speed; }
running() { [ "$(prop Paused)" = false ]; }

br_setup
for quirk in no-machine-status no-training-status; do
	if [ -n "${BR_SIM_PID:-}" ]; then # the machines of the quirk before
		kill -TERM "$BR_DAEMON_PID" "$BR_SIM_PID"
		br_wait_exit "$BR_DAEMON_PID" 100 && br_wait_exit "$BR_SIM_PID" 100
	fi
	session_setup --bike --treadmill --quirk $quirk
	br_cli pair $BIKE >/dev/null
	br_cli start --gentle --bike --minutes 3 --pain 1 --detach >/dev/null 2>&1
	id=$(prop Id)
	check "$quirk: bike session ends" wait_for 300 ended "$id"
	expect_eq "$quirk: bike completed" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed
	br_cli pair $TREAD >/dev/null
	br_cli start --gentle --treadmill --minutes 3 --pain 1 --yes --detach >/dev/null 2>&1
	id=$(prop Id)
	check "$quirk: treadmill warms up" wait_for 150 phase_is warmup
	expect_match "$quirk: pause" "$(br_cli pause)" "Paused"
	check "$quirk: the belt stops" wait_for 150 stopped
	expect_match "$quirk: resume" "$(br_cli resume)" "Resumed"
	check "$quirk: running again" wait_for 50 running
	check "$quirk: treadmill session ends" wait_for 300 ended "$id"
	expect_eq "$quirk: treadmill completed" "$(db "SELECT end_reason FROM sessions WHERE id = $id;")" completed
done
br_finish
