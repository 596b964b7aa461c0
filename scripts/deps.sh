#!/bin/sh
# Install the Debian packages backride needs to build, test and run its demo,
# and only those that are missing. Idempotent; needs root (or sudo) when
# something is missing. Packages given as arguments are installed too (the
# benchmarks add theirs this way: bench/deps.sh).
set -eu

PKGS="
build-essential
pkg-config
meson
ninja-build
libsystemd-dev
libuv1-dev
libsqlite3-dev
libcmocka-dev
libinih-dev
dbus
systemd
sqlite3
clang
clang-format
libclang-rt-dev
valgrind
bluez
python3
gpsbabel
bash-completion
"

missing=""
for p in $PKGS "$@"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "deps: missing packages and not root; run as root or install sudo" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
