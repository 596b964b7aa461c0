#!/bin/bash
# Check that every C file git tracks is formatted by the committed .clang-format.
# Prints the files that are not; exit 1 if any. Fix with: clang-format -i FILE...
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r f; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "not clang-formatted: $f"
		bad=1
	fi
done < <(git ls-files '*.c' '*.h')
[ "$bad" -eq 0 ] && echo "format: every C file is clang-formatted"
exit "$bad"
