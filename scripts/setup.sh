#!/usr/bin/env bash
# Installs what Bedside needs on Debian.
#   scripts/setup.sh          the C libraries it builds against: PCRE2, Vectorscan, libcurl, SQLite
#   scripts/setup.sh --tests  also what the tests use: the independent Standard Webhooks signer (PyPI)
#                             that webhook signatures are checked with, and Chromium with its driver
#                             and selenium for the review console's browser test, and PostgreSQL's
#                             server (the tests start a throw-away cluster of their own with initdb)
# The HTTP benchmark also needs wrk (apt-get install wrk).
set -euo pipefail
tests=false
[ "${1:-}" = "--tests" ] && tests=true
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
packages=(libpcre2-dev libvectorscan-dev libcurl4-openssl-dev libsqlite3-dev)
$tests && packages+=(chromium chromium-driver postgresql)
need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v python3 >/dev/null 2>&1 || need+=(python3 python3-pip)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if $tests; then
  python3 -c "import standardwebhooks" 2>/dev/null || python3 -m pip install -q standardwebhooks
  python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium
fi
