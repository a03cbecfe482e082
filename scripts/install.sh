#!/usr/bin/env bash
# Install compose-lite (editable, with the test tools) into ./.venv. Idempotent and quick when done.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python3}"
"$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "install.sh: Python >= 3.11 needed" >&2; exit 1; }
[ -x "$root/.venv/bin/python" ] || "$py" -m venv "$root/.venv"
stamp="$root/.venv/.installed-$(sha1sum "$root/pyproject.toml" | cut -c1-12)"
if [ ! -e "$stamp" ]; then
  "$root/.venv/bin/python" -m pip install -q --disable-pip-version-check -e "$root[test]" --config-settings editable_mode=compat
  touch "$stamp"
fi
