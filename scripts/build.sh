#!/bin/bash
# Configure (once) and build backride in DIR with extra meson options.
# Usage: scripts/build.sh DIR [MESON_OPTION]...
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
shift
if [ ! -f "$dir/build.ninja" ]; then
	meson setup "$dir" --prefix=/usr --sysconfdir=/etc --localstatedir=/var "$@"
else
	meson configure "$dir" "$@" >/dev/null
fi
meson compile -C "$dir"
