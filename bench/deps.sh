#!/bin/sh
# Install what the benchmarks need beyond the build and test packages, and only what is
# missing: Debian's bleak for the peer client, valgrind for callgrind, hyperfine for the CLI
# timings, chromium for backride-web's page. Idempotent; needs root (or sudo) when something is missing.
set -eu
exec "$(dirname "$0")/../scripts/deps.sh" python3-bleak valgrind hyperfine chromium
