#!/usr/bin/env bash
# debian.sh TAG PACKAGE...: a minimal Debian rootfs with PACKAGEs, made by debootstrap from the
# apt mirror this machine is already configured with, then `docker import`ed as TAG:latest.
# Rebuilt only when missing; the rootfs tarball is cached in .images/ (git-ignored).
set -euo pipefail
tag="$1"; shift
docker image inspect "$tag:latest" >/dev/null 2>&1 && exit 0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$root/.images/$tag.tar"
if [ ! -s "$cache" ]; then
  # The mirror and suite come from apt's own configuration: nothing is hard-coded here.
  mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  [ -n "$mirror" ] || mirror="$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)"
  suite="$(. /etc/os-release && echo "$VERSION_CODENAME")"
  mkdir -p "$root/.images"
  rootfs="$(mktemp -d)"; trap 'rm -rf "$rootfs"' EXIT
  echo "engine.sh: debootstrap $tag ($*) from $suite; takes a minute or two" >&2
  pkgs="$(IFS=,; echo "$*")"
  debootstrap --variant=minbase --include="$pkgs" "$suite" "$rootfs" "$mirror" >"$root/.images/$tag.log" 2>&1 \
    || { echo "engine.sh: debootstrap failed, see $root/.images/$tag.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -cf "$cache" .
fi
docker import -c 'CMD ["/bin/bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  "$cache" "$tag:latest" >/dev/null
echo "engine.sh: imported $tag:latest" >&2
