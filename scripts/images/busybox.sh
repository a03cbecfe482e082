#!/usr/bin/env bash
# cl-busybox: FROM scratch + Debian's static busybox (about 2 MB). Rebuilt only when missing.
set -euo pipefail
docker image inspect cl-busybox:latest >/dev/null 2>&1 && exit 0
ctx="$(mktemp -d)"; trap 'rm -rf "$ctx"' EXIT
cp /bin/busybox "$ctx/busybox"
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN ["/bin/mkdir", "-p", "/tmp", "/var/www", "/etc"]
RUN ["/bin/chmod", "1777", "/tmp"]
CMD ["/bin/sh"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q -t cl-busybox:latest "$ctx" >/dev/null
echo "engine.sh: built cl-busybox:latest" >&2
