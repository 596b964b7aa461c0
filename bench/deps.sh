#!/bin/sh
# Install what the benchmarks need beyond scripts/deps.sh, and only what is missing:
# Debian's bleak for the peer client, valgrind for callgrind, hyperfine for the CLI timings.
# Idempotent; needs root (or sudo) when something is missing.
set -eu

PKGS="
python3-bleak
valgrind
hyperfine
dbus
sqlite3
"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "bench deps: all packages present"
	exit 0
fi

echo "bench deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "bench deps: missing packages and not root; run as root or install sudo" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
