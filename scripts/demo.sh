#!/usr/bin/env bash
# The newcomer's first command: engine + images + compose-lite, then the webapp sample.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOCKER_HOST="${DOCKER_HOST:-unix:///var/run/docker.sock}"
scripts/engine.sh --postgres
scripts/install.sh
exec .venv/bin/cl -f samples/webapp/compose.yaml config
