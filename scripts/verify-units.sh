#!/usr/bin/env bash
# Verifies the systemd units in deploy/systemd with `systemd-analyze verify`, against a scratch
# root that holds the system's own units and the built binary where the units expect it, so the
# units are checked exactly as shipped. Any finding (even one systemd only warns about) fails.
# Usage: scripts/verify-units.sh [path/to/bedside]   (default: .build/debug/bedside)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/bedside}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/etc/systemd/system" "$root/usr/lib/systemd" "$root/bin"
cp "$binary" "$root/usr/local/bin/bedside"
cp /bin/kill "$root/bin/kill"
cp -r /lib/systemd/system "$root/usr/lib/systemd/system"
cp deploy/systemd/*.service "$root/etc/systemd/system/"
units=$(cd deploy/systemd && ls ./*.service | sed 's#^\./##')
# shellcheck disable=SC2086
output=$(systemd-analyze verify --root="$root" $units 2>&1) || { echo "$output"; exit 1; }
if [ -n "$output" ]; then echo "$output"; exit 1; fi
echo "verify-units: $(echo $units | wc -w) units pass systemd-analyze verify"
