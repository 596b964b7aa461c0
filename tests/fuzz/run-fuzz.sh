#!/bin/sh
# SPDX-License-Identifier: MIT
# Bounded libFuzzer pass over every codec parser.
#   tests/fuzz/run-fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Builds its own clang + ASan + UBSan tree (BUILD_DIR, default build-fuzz), starts from the
# committed seeds in tests/fuzz/corpus/<target>/ and keeps what it finds in
# tests/fuzz/corpus-<target>/ (git-ignored). Crashes land in tests/fuzz/crash-<target>-*; any
# crash, leak, ASan or UBSan report fails the run. CI: 8 s per target (~1.5 min in total).
# Long campaign: tests/fuzz/run-fuzz.sh 3600   (or JOBS=8 for parallel workers per target).
set -eu

secs=${1:-8}
[ $# -gt 0 ] && shift
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$src/build-fuzz}
jobs=${JOBS:-1}
targets=${*:-$(cd "$here/corpus" && ls)}

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$src" -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized
fi
ninja -C "$build" $(for t in $targets; do printf 'tests/fuzz/fuzz-%s ' "$t"; done)

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# -jobs forks workers that log to files in the cwd; use it only when asked for.
parallel=
[ "$jobs" -gt 1 ] && parallel="-jobs=$jobs -workers=$jobs -close_fd_mask=1"

status=0
for t in $targets; do
	work=$here/corpus-$t
	mkdir -p "$work"
	echo "== fuzz-$t: ${secs}s"
	if ! "$build/tests/fuzz/fuzz-$t" -max_total_time="$secs" -print_final_stats=1 \
		$parallel -artifact_prefix="$here/crash-$t-" \
		"$work" "$here/corpus/$t" >"$build/fuzz-$t.log" 2>&1; then
		echo "fuzz-$t FAILED, see $build/fuzz-$t.log" >&2
		tail -40 "$build/fuzz-$t.log" >&2
		status=1
	fi
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$build/fuzz-$t.log" |
		tr '\n' ' '
	echo
done
exit $status
