#!/usr/bin/env bash
# Installs what Bedside needs to build and test on Debian: the C libraries it links
# (PCRE2, Vectorscan, libcurl, SQLite) and the independent Standard Webhooks signer (PyPI) that the
# webhook tests check signatures with, and headless Chromium with Selenium for the review console's
# browser test. The HTTP benchmark also needs wrk (apt-get install wrk).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
need=()
for pkg in libpcre2-dev libvectorscan-dev libcurl4-openssl-dev libsqlite3-dev chromium chromium-driver; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v python3 >/dev/null 2>&1 || need+=(python3 python3-pip)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c "import standardwebhooks" 2>/dev/null || python3 -m pip install -q standardwebhooks
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium || true
