#!/bin/sh
# SPDX-License-Identifier: MIT
# Fails when the CLI or the simulator includes a header of the daemon. What they share with the
# daemon lives in common/, the D-Bus names in dbus/. Every quoted include in cli/ and sim/ must
# name a file beside the includer, in common/ or dbus/, or the generated backride-build.h; the
# simulator may also include the FTMS codec (daemon/ftms/), a pure, libc-only leaf that it
# encodes its machines' frames with. No <...> include may name a file of the tree. Anything
# else, found or not, fails with its file and line.
#   check-no-daemon-include.sh SOURCE_ROOT
set -eu

root=${1:-.}
cd "$root"
bad=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

for f in cli/*.c cli/*.h sim/*.c sim/*.h; do
	[ -e "$f" ] || continue
	dir=${f%/*}
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
		sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' >"$tmp" || true
	while read -r line name; do
		case $name in
		*..* | /* | daemon/*) ok=no ;;
		backride-build.h) ok=yes ;;
		*)
			if [ -f "$dir/$name" ] || [ -f "common/$name" ] || [ -f "dbus/$name" ]; then
				ok=yes
			elif [ "$dir" = sim ] && [ -f "daemon/ftms/$name" ]; then
				ok=yes
			else
				ok=no
			fi
			;;
		esac
		if [ $ok = no ]; then
			echo "$f:$line: includes \"$name\", which is not in $dir/, common/ or dbus/" >&2
			bad=1
		fi
	done <"$tmp"
done

# <...> is for system headers; one that names a file of the tree is an include all the same.
for f in cli/*.c cli/*.h sim/*.c sim/*.h; do
	[ -e "$f" ] || continue
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' "$f" |
		sed 's/^\([0-9]*\):[^<]*<\([^>]*\)>.*/\1 \2/' >"$tmp" || true
	while read -r line name; do
		if [ -f "$name" ] || [ -n "$(find daemon -path "*/$name" -print -quit)" ]; then
			echo "$f:$line: includes <$name>, a header of this tree, not of the system" >&2
			bad=1
		fi
	done <"$tmp"
done

[ $bad = 0 ] || exit 1
echo "cli/ and sim/ include nothing from daemon/ (the simulator: the FTMS codec only)"
