#!/bin/bash
# The shape of the test tree, checked in the unit suite:
#  - tests/integration/lib.sh is the one vocabulary of the shell tests: no other shell file
#    under tests/ or bench/ defines a function that lib.sh defines (nor rewrites one with
#    declare -f), and lib.sh defines each of its functions once;
#  - no test source (.c, .h, .sh, .py under tests/) is over 800 lines: split it by theme.
#   check-tests.sh [SOURCE_ROOT]
# Exit 0 when the tree keeps both rules; 1, with each offence named, when it does not.
set -euo pipefail

SRC=${1:-${BACKRIDE_SOURCE_ROOT:?usage: check-tests.sh SOURCE_ROOT}}
LIB=$SRC/tests/integration/lib.sh
MAX_LINES=800
bad=0

# defs FILE: "LINE NAME" for each shell function FILE defines.
defs()
{
	grep -n -E '^[[:space:]]*(function[[:space:]]+)?[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(\)[[:space:]]*(\{.*|#.*)?$' "$1" |
		sed -E 's/^([0-9]+):[[:space:]]*(function[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*).*/\1 \3/'
}

mapfile -t lib_funcs < <(defs "$LIB" | awk '{ print $2 }' | sort)
[ "${#lib_funcs[@]}" -gt 0 ] || {
	echo "check-tests: no functions found in $LIB" >&2
	exit 1
}
while read -r name; do
	echo "lib.sh defines $name() more than once"
	bad=1
done < <(printf '%s\n' "${lib_funcs[@]}" | uniq -d)

declare -A in_lib
for f in "${lib_funcs[@]}"; do
	in_lib[$f]=1
done

while IFS= read -r -d '' file; do
	[ "$file" -ef "$LIB" ] && continue
	rel=${file#"$SRC"/}
	while read -r line name; do
		if [ -n "${in_lib[$name]:-}" ]; then
			echo "$rel:$line: redefines $name(), a function of tests/integration/lib.sh"
			bad=1
		fi
	done < <(defs "$file")
	while IFS=: read -r line _; do
		echo "$rel:$line: rewrites a function with declare -f"
		bad=1
	done < <(grep -n -E 'declare[[:space:]]+-f[[:space:]]+[A-Za-z_]' "$file" || true)
done < <(find "$SRC/tests" "$SRC/bench" -type f -name '*.sh' -print0 | sort -z)

while IFS= read -r -d '' file; do
	n=$(wc -l <"$file")
	if [ "$n" -gt "$MAX_LINES" ]; then
		echo "${file#"$SRC"/}: $n lines, over $MAX_LINES: split it by theme"
		bad=1
	fi
done < <(find "$SRC/tests" -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' \) \
	-print0 | sort -z)

if [ "$bad" -ne 0 ]; then
	exit 1
fi
echo "ok: ${#lib_funcs[@]} functions in lib.sh, none redefined; no test file over $MAX_LINES lines"
