#!/bin/sh
# Install the Debian packages backride needs to build, test and run its demo,
# and only those that are missing. Idempotent; needs root (or sudo) when
# something is missing. Packages given as arguments are installed too (the
# benchmarks add theirs this way: bench/deps.sh).
set -eu

# The same names on Debian 12 (bookworm) and 13 (trixie). A minimal Debian (debootstrap
# --variant=minbase) has none of them; it has bash, coreutils (timeout, sha256sum) and
# util-linux (setpriv, mount). scripts/fresh-roots.sh proves the list in such roots.
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
libcairo2-dev
libmicrohttpd-dev
libqrencode-dev
dbus
systemd
git
sqlite3
clang
clang-format
libclang-rt-dev
valgrind
bluez
libglib2.0-bin
python3
gpsbabel
bash-completion
python3-websocket
curl
fonts-dejavu-core
tmux
espeak-ng
sox
poppler-utils
"
# build: build-essential .. libqrencode-dev (libmicrohttpd and libqrencode for backride-web:
# 0.9.75 and 4.1.1 in Debian 12, 1.0.1 and 4.1.1 in 13; cairo for backride report's PDF); the
# demo and the tests: dbus (dbus-daemon, dbus-send), systemd (busctl, systemd-analyze);
# scripts/check-format.sh: git, clang-format;
# the tests: sqlite3, bluez (bluetoothctl), libglib2.0-bin (gdbus), python3, gpsbabel,
# poppler-utils (pdftoppm, pdfinfo: the report renders);
# backride-web's page tests: python3-websocket (its DevTools protocol driver; the browser,
# chromium, is the long suite's: scripts/test.sh adds it when it runs that suite),
# fonts-dejavu-core for its text, curl for its HTTP tests;
# the live view's keys: tmux (a real terminal to type into and read); the voice: espeak-ng (it
# speaks and renders the cues to WAV) and sox (the tests check each WAV is not silent);
# the fuzzers: clang, libclang-rt-dev; valgrind for the valgrind runs. The vm suite's
# packages (qemu...) are installed by its rig's setup.sh.

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
