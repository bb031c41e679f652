#!/usr/bin/env bash
# Checks the Dockerfile without a Docker engine: every path it copies from the repository exists,
# every runtime package it installs exists in Debian, and those packages provide every shared
# library the built binary links (so the image would start). Run on Debian bookworm, the image's base.
# Usage: scripts/check-dockerfile.sh [path/to/bedside]   (default: .build/debug/bedside)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/bedside}
failed=0

# COPY lines without --from name files of the repository.
while read -r line; do
  # shellcheck disable=SC2086
  set -- $line
  shift                                   # COPY
  sources=("${@:1:$#-1}")
  for source in "${sources[@]}"; do
    if [ ! -e "$source" ]; then echo "Dockerfile copies '$source', which is not in the repository"; failed=1; fi
  done
done < <(grep -E '^COPY ' Dockerfile | grep -v -- '--from=')

# The runtime stage's packages: the apt-get install after the last FROM.
runtime=$(awk '/^FROM /{stage++} stage==2' Dockerfile | grep -oE 'install -y -qq --no-install-recommends [^\\&]*' | sed 's/.*recommends //')
for package in $runtime; do
  if ! apt-cache show "$package" >/dev/null 2>&1; then echo "runtime package '$package' is not in Debian"; failed=1; fi
done

# Every shared library the binary needs (with those the Swift runtime needs, since the image links
# that runtime statically) must be installed in the image: by a runtime package, something it
# depends on, or a package every Debian system has.
needed() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
path_of() { ldd "$binary" | awk -v lib="$1" '$1 == lib && $3 ~ /^\// {print $3}'; }
libraries=$(needed "$binary")
for library in $libraries; do
  case "$library" in libswift*|libFoundation*|lib_Foundation*|libdispatch*|libBlocksRuntime*) libraries="$libraries $(needed "$(path_of "$library")")" ;; esac
done
installed=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances $runtime 2>/dev/null \
  | grep -v '^ ' | sed 's/:.*//' | sort -u)
for library in $(echo "$libraries" | tr ' ' '\n' | sort -u); do
  case "$library" in
    ld-linux*|libc.so*|libm.so*|libpthread*|libdl.so*|librt.so*|libutil*|libgcc_s*|libstdc++*) continue ;;
    libswift*|libFoundation*|lib_Foundation*|libdispatch*|libBlocksRuntime*) continue ;;
  esac
  path=$(path_of "$library")
  owner=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1)
  if [ -z "$owner" ]; then echo "no Debian package owns $library ($path)"; failed=1; continue; fi
  if echo "$installed" | grep -qx "$owner"; then continue; fi
  if apt-cache show "$owner" 2>/dev/null | grep -q '^Priority: required'; then continue; fi
  echo "$library comes from '$owner', which the image does not install"; failed=1
done

if [ "$failed" != 0 ]; then exit 1; fi
echo "check-dockerfile: copies exist; runtime packages ($runtime) exist and provide every library bedside links"
