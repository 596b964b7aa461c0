#!/bin/sh
# SPDX-License-Identifier: MIT
# Fails unless every symbol the codec archive leaves undefined is defined by libc itself (or is
# a sanitizer/coverage runtime hook the compiler inserts). Catches a codec that starts to need
# libm, libuv, sd-bus, SQLite or our util library.
#   check-libc-only.sh LIBFTMS.a CC
set -eu

lib=$1
cc=${2:-cc}
NM=${NM:-nm}

libc=$("$cc" -print-file-name=libc.so.6 2>/dev/null || true)
case $libc in
/*) ;;
*) libc=$(ldconfig -p 2>/dev/null | awk '/libc\.so\.6 / { print $NF; exit }') ;;
esac
[ -n "$libc" ] && [ -e "$libc" ] || { echo "cannot find libc.so.6" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$NM" -D --defined-only "$libc" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' |
	sort -u >"$tmp/libc"
"$NM" --defined-only -P "$lib" 2>/dev/null | awk 'NF >= 2 && $1 !~ /:$/ { print $1 }' |
	sort -u >"$tmp/own"
"$NM" -u -P "$lib" 2>/dev/null | awk 'NF >= 2 && $1 !~ /:$/ { print $1 }' | sort -u |
	comm -23 - "$tmp/own" |
	grep -Ev '^(__(asan|ubsan|lsan|msan|tsan|sanitizer|sancov|gcov|llvm_gcov|llvm_gcda)_|_GLOBAL_OFFSET_TABLE_$|__gcov)' \
	>"$tmp/undef" || true

comm -23 "$tmp/undef" "$tmp/libc" >"$tmp/foreign"
if [ -s "$tmp/foreign" ]; then
	echo "libftms needs symbols outside libc:" >&2
	sed 's/^/  /' "$tmp/foreign" >&2
	exit 1
fi
echo "libftms: $(wc -l <"$tmp/undef") undefined symbols, all from libc:" $(cat "$tmp/undef")
