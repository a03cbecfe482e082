#!/usr/bin/env bash
# Make this machine ready for compose-lite's tests and samples, idempotently:
#   1. Docker Engine from Debian packages (docker.io) installed and answering,
#   2. the local images built from Debian packages (no registry is ever contacted).
# Quick (< 1 s) when everything is already there.  Usage: scripts/engine.sh [--python] [--postgres]
# (--postgres: every image the tests use: cl-python, cl-postgres, the cl-nginx proxy and cl-dind,
#  a Docker engine for the nodes of the tests' Swarm cluster)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf 'engine.sh: %s\n' "$*" >&2; }

want_python=0; want_postgres=0
for arg in "$@"; do
  case "$arg" in
    --python) want_python=1 ;;
    --postgres) want_python=1; want_postgres=1 ;;
    *) log "unknown option $arg"; exit 2 ;;
  esac
done

apt_updated=0
apt_install() {
  [ "$apt_updated" = 1 ] || { apt-get update -qq >/dev/null; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || need_pkgs+=(busybox-static file)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
# sshd + ssh: the tests deploy through `cl -H ssh://…` to this same engine over loopback.
[ -x /usr/sbin/sshd ] || need_pkgs+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need_pkgs+=(openssh-client)
# a registry of the tests' own on loopback: `cl publish` and `cl push` go there, never outside.
command -v docker-registry >/dev/null 2>&1 || need_pkgs+=(docker-registry)
# the fault drills run an engine of their own in its own network namespace (ip netns, nsenter, pkill)
command -v ip >/dev/null 2>&1 || need_pkgs+=(iproute2)
command -v pkill >/dev/null 2>&1 || need_pkgs+=(procps)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  apt_install "${need_pkgs[@]}"
fi

export DOCKER_HOST="${DOCKER_HOST:-unix:///var/run/docker.sock}"
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/cl-dockerd.log)"
  nohup dockerd >/var/log/cl-dockerd.log 2>&1 &
  for _ in $(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { log "dockerd did not become ready; see /var/log/cl-dockerd.log"; exit 1; }
fi

"$here/images/busybox.sh"
[ "$want_python" = 1 ] && "$here/images/debian.sh" cl-python python3
[ "$want_postgres" = 1 ] && "$here/images/debian.sh" cl-postgres python3 postgresql python3-psycopg2
[ "$want_postgres" = 1 ] && "$here/images/debian.sh" cl-nginx nginx-light
[ "$want_postgres" = 1 ] && "$here/images/debian.sh" cl-dind docker.io iptables
log "ready: engine $(docker version --format '{{.Server.Version}}') at $DOCKER_HOST"
