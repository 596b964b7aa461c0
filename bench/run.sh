#!/bin/bash
# Benchmarks of backride: cost per notification, footprint, history at scale.
# They print figures; they are not pass/fail tests. See bench/README.md.
#
#   bench/run.sh [--json] [--no-deps] [SECTION...]
#
# Sections (default: all): ingest callgrind footprint history session reconnect web.
# Environment: BENCH_N (200000 notifications), BENCH_CG_N (20000, under callgrind),
# BENCH_DAYS (3650), BENCH_BUILD (build-bench), BENCH_HISTORY_DB (a cached database).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
json=
deps=1
sections=()
for a in "$@"; do
	case $a in
	--json) json=1 ;;
	--no-deps) deps= ;;
	-h | --help)
		sed -n '2,10s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	ingest | callgrind | footprint | history | session | reconnect | web) sections+=("$a") ;;
	*)
		echo "run.sh: unknown argument '$a'" >&2
		exit 2
		;;
	esac
done
[ ${#sections[@]} -gt 0 ] || sections=(ingest callgrind footprint history session reconnect web)

[ -z "$deps" ] || "$here/deps.sh" >&2
BENCH_BUILD=${BENCH_BUILD:-$(dirname "$here")/build-bench}
export BENCH_BUILD
if [ ! -f "$BENCH_BUILD/build.ninja" ]; then
	meson setup "$BENCH_BUILD" "$(dirname "$here")" --buildtype=release -Dtests=enabled >&2
fi
ninja -C "$BENCH_BUILD" >&2

export RESULTS=$BENCH_BUILD/bench/results.tsv
: >"$RESULTS"
failed=()
for s in "${sections[@]}"; do
	printf '# ---- %s ----\n' "$s" >&2
	if ! (
		# shellcheck source=bench/lib.sh
		. "$here/lib.sh"
		# shellcheck source=bench/sections.sh
		. "$here/sections.sh"
		# shellcheck source=bench/web.sh
		. "$here/web.sh"
		"bench_$s"
	); then
		failed+=("$s")
	fi
done

. "$here/lib.sh"
if [ -n "$json" ]; then
	res_json
else
	printf '\nbackride benchmarks, %s, %s x %s, %s\n\n' "$(date -u '+%F %H:%M UTC')" "$(nproc)" \
		"$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)" \
		"$(git -C "$(dirname "$here")" describe --always --dirty 2>/dev/null || echo '?')"
	res_table
fi
if [ ${#failed[@]} -gt 0 ]; then
	echo "run.sh: sections that did not finish: ${failed[*]}" >&2
	exit 1
fi
