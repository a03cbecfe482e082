#!/usr/bin/env bash
# The whole test run: engine + images, install, lint, type check, unit and integration tests.
# Extra arguments go to pytest (e.g. scripts/test.sh -m "not integration" -x).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOCKER_HOST="${DOCKER_HOST:-unix:///var/run/docker.sock}"
scripts/engine.sh --postgres
scripts/install.sh
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest -p no:cacheprovider "$@"
