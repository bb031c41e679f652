#!/usr/bin/env bash
# Installs what Bedside needs to build and test on Debian: the C libraries it links
# (PCRE2, Vectorscan, libcurl, SQLite), PostgreSQL for the scale-out store tests, wrk for the
# HTTP benchmark, and the independent Standard Webhooks signer used by the webhook tests.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
need=()
for pkg in libpcre2-dev libvectorscan-dev libcurl4-openssl-dev libsqlite3-dev python3 python3-pip; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c "import standardwebhooks" 2>/dev/null || python3 -m pip install -q standardwebhooks || true
