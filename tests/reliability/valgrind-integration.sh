#!/bin/bash
# Run test suites with every backrided they start under valgrind (through BR_WRAP in
# tests/integration/lib.sh) and fail on any valgrind error or definite/indirect leak in any
# daemon run. Usage: tests/reliability/valgrind-integration.sh BUILD_DIR [MESON TEST ARGS...]
# (default: --suite integration). Prints "valgrind: N daemon runs, N with errors".
set -uo pipefail
build=${1:?usage: $0 BUILD_DIR [meson test args...]}
shift
[ $# -gt 0 ] || set -- --suite integration
logs=$(mktemp -d "${TMPDIR:-/tmp}/backride-valgrind.XXXXXX")
export BR_WRAP="valgrind --quiet --error-exitcode=99 --leak-check=full \
--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --track-fds=no \
--suppressions=$(cd "$(dirname "$0")" && pwd)/valgrind.supp \
--log-file=$logs/daemon.%p.log"
export BR_EXIT_TENTHS=300
meson test -C "$build" --no-rebuild --print-errorlogs --timeout-multiplier 10 "$@"
rc=$?
runs=0 bad=0
for f in "$logs"/daemon.*.log; do
	[ -e "$f" ] || continue
	runs=$((runs + 1))
	if [ -s "$f" ]; then # --quiet: anything written is an error or a leak
		bad=$((bad + 1))
		echo "---- $f"
		head -n 60 "$f"
	fi
done
echo "valgrind: $runs daemon runs, $bad with errors"
[ -n "${BR_KEEP:-}" ] || rm -rf "$logs"
[ "$runs" -gt 0 ] && [ "$bad" -eq 0 ] && [ "$rc" -eq 0 ]
