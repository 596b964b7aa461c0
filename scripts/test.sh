#!/bin/bash
# Install what is missing, build, and run every test:
#   1. the normal build with -Dwerror=true: unit, integration, fuzz-corpus and
#      slow suites;
#   2. an ASan+UBSan build of the test suite but its long suite (whole sessions
#      of a minute or more, run in step 1);
#   3. the unit suite under valgrind, and the integration tests that take the
#      daemon through its distinct paths with every daemon under valgrind;
#   4. a bounded libFuzzer pass over every parser;
#   5. the vm suite: backride against the real bluetoothd 5.66 in a qemu VM, and
#      Debian 13's 5.82 as vm582-* (../shared/rig); it reports skipped, loudly,
#      where the VM cannot run. A scenario that fails is run once more (a VM
#      under software emulation is load-sensitive) and the rerun is reported
#      loudly; it counts as failed if
#      it fails again.
#   6. the quick start on brand-new Debian 12 and 13 roots (scripts/fresh-roots.sh):
#      each root counts as one test, passed or failed.
# Ends with one line "N passed, N failed". Set BACKRIDE_TEST_QUICK=1 to run
# only step 1 without the slow and long suites, BACKRIDE_NO_VM=1 to leave out step 5,
# BACKRIDE_NO_FRESH=1 step 6. BACKRIDE_TEST_JOBS (default 2) tests run at once.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=${BACKRIDE_TEST_JOBS:-2}
if ! [[ $jobs =~ ^[1-9][0-9]*$ ]]; then
	echo "BACKRIDE_TEST_JOBS must be a number of tests, not '$jobs'" >&2
	exit 2
fi
# The long suite's page test drives Debian's chromium: only a run with that suite installs it.
browser=(chromium)
[ -z "${BACKRIDE_TEST_QUICK:-}" ] || browser=()
./scripts/deps.sh "${browser[@]}" || exit 1

passed=0
failed=0
skipped=0
status=0

# count DIR: add the results of the last meson test run in DIR.
count()
{
	local log=$1/meson-logs/testlog.json p f k
	[ -f "$log" ] || return 0
	p=$(grep -c '"result": "OK"' "$log" || true)
	f=$(grep -c -E '"result": "(FAIL|ERROR|TIMEOUT|UNEXPECTEDPASS)"' "$log" || true)
	k=$(grep -c '"result": "SKIP"' "$log" || true)
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + k))
}

# step NAME COMMAND...: run one step, remember a failure, go on.
step()
{
	local name=$1 start=$SECONDS
	shift
	echo "==> $name"
	if ! "$@"; then
		echo "==> $name: FAILED after $((SECONDS - start)) s"
		status=1
	else
		echo "==> $name: took $((SECONDS - start)) s"
	fi
}

step "format (clang-format)" ./scripts/check-format.sh
step "build (werror)" ./scripts/build.sh build-test -Dwerror=true -Db_sanitize=none
quick=()
[ -z "${BACKRIDE_TEST_QUICK:-}" ] || quick=(--no-suite slow --no-suite long)
step "tests" meson test -C build-test --no-suite vm "${quick[@]}" --print-errorlogs \
	--num-processes "$jobs"
count build-test

if [ -z "${BACKRIDE_TEST_QUICK:-}" ]; then
	step "build (ASan+UBSan)" ./scripts/build.sh build-asan -Dwerror=true \
		-Db_sanitize=address,undefined -Db_lundef=false
	step "tests (ASan+UBSan)" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-asan --no-suite vm --no-suite long --print-errorlogs \
		--num-processes "$jobs"
	count build-asan
	step "unit tests (valgrind)" meson test -C build-test --suite unit --setup valgrind \
		--print-errorlogs
	count build-test
	# Under valgrind, the integration tests that take the daemon through its distinct paths
	# (pairing, each machine kind and driver, recovery, rules, console, link drops, power
	# cycle, garbage, guided mode, exports, the web server): every test of the suite already
	# ran in the ASan+UBSan build, whose LeakSanitizer checks leaks too.
	step "integration tests (daemons under valgrind)" \
		tests/reliability/valgrind-integration.sh build-test daemon bluez-pairing \
		bluez-control machines-restart history cli session session-treadmill \
		session-recovery session-rules session-resistance session-guided session-console \
		session-link-drops session-power-cycle session-walkingpad-faults \
		session-sensor-beside session-quirk-split-records session-quirk-cp-no-indicate \
		session-garbage export-pause web
	count build-test
	step "fuzz (bounded)" tests/fuzz/run-fuzz.sh "${BACKRIDE_FUZZ_SECONDS:-8}"
	if [ -z "${BACKRIDE_NO_VM:-}" ]; then
		echo "==> vm suite (real bluetoothd)"
		vm_start=$SECONDS
		BACKRIDE_VM_TESTS=1 meson test -C build-test --suite vm --print-errorlogs \
			--num-processes 1
		log=build-test/meson-logs/testlog.json
		again=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    t = json.loads(line)
    if t["result"] in ("FAIL", "ERROR", "TIMEOUT"):
        print(t["name"].split(" / ")[-1])' "$log")
		if [ -n "$again" ]; then
			# Count the first run's passes and skips; the reruns decide the rest.
			passed=$((passed + $(grep -c '"result": "OK"' "$log" || true)))
			skipped=$((skipped + $(grep -c '"result": "SKIP"' "$log" || true)))
			echo "*** vm suite: $(echo $again) failed; running them once more ***"
			# shellcheck disable=SC2086
			BACKRIDE_VM_TESTS=1 meson test -C build-test --print-errorlogs \
				--num-processes 1 $again || status=1
		fi
		count build-test
		echo "==> vm suite: took $((SECONDS - vm_start)) s"
	fi
	if [ -z "${BACKRIDE_NO_FRESH:-}" ]; then
		rm -f build-fresh/results
		step "fresh roots (the quick start on brand-new Debian 12 and 13)" \
			./scripts/fresh-roots.sh
		# One test per root; a script that ended before writing its results failed both.
		if [ -f build-fresh/results ]; then
			passed=$((passed + $(grep -c ' passed$' build-fresh/results || true)))
			failed=$((failed + $(grep -c ' failed$' build-fresh/results || true)))
		else
			failed=$((failed + 2))
		fi
	fi
fi

echo "==> all steps took $SECONDS s"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
	exit 1
fi
