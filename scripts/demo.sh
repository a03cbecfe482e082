#!/usr/bin/env bash
# The newcomer's first command: Docker Engine + local images + compose-lite, then the webapp sample
# up with hot reload. Ctrl-C stops the stack (its data stays in the named volume).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOCKER_HOST="${DOCKER_HOST:-unix:///var/run/docker.sock}"
scripts/engine.sh --postgres
scripts/install.sh
port="${FRONTEND_PORT:-8080}"
cat >&2 <<MSG

  compose-lite is bringing up samples/webapp (frontend, backend, PostgreSQL, a migration job).
  Open   http://127.0.0.1:${port}        (the notes app; API at /api/notes, /api/hello)
  Edit   samples/webapp/backend/app/server.py   (GREETING: synced in, backend restarted)
         samples/webapp/frontend/static/*       (synced in, served at once)
  Stop   Ctrl-C                                  (then: .venv/bin/cl -f samples/webapp/compose.yaml down)

MSG
exec .venv/bin/cl -f samples/webapp/compose.yaml up --build --watch
