#!/usr/bin/env bash
# Install compose-lite (editable, with the test tools) into ./.venv. Idempotent and quick when done.
# The interpreter: $PYTHON if set (it must work), else the distribution's /usr/bin/python3, else
# python3 on PATH. Debian builds its python3 with PGO and LTO; a pyenv build has neither and ran
# every `cl` call 15-20 % slower here (start-up is most of a short command's time). The venv is
# rebuilt when the chosen interpreter or its version changes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usable() { "$1" -c 'import ensurepip, sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
if [ -n "${PYTHON:-}" ]; then
  usable "$PYTHON" || { echo "install.sh: PYTHON=$PYTHON is not a Python >= 3.11 with venv support" >&2; exit 1; }
  py="$PYTHON"
elif usable /usr/bin/python3; then
  py=/usr/bin/python3
elif usable python3; then
  py=python3
else
  echo "install.sh: Python >= 3.11 with venv support needed (or set PYTHON)" >&2; exit 1
fi
# Which interpreter, at which version: /usr/bin/python3 can move to a new version under the venv.
identity="$("$py" -c 'import os, sys; print(os.path.realpath(sys.executable), *sys.version_info[:3])')"
if [ ! -x "$root/.venv/bin/python" ] || [ "$(cat "$root/.venv/.interpreter" 2>/dev/null)" != "$identity" ]; then
  "$py" -m venv --clear "$root/.venv"
  echo "$identity" > "$root/.venv/.interpreter"
fi
stamp="$root/.venv/.installed-$(sha1sum "$root/pyproject.toml" | cut -c1-12)"
if [ ! -e "$stamp" ]; then
  "$root/.venv/bin/python" -m pip install -q --disable-pip-version-check -e "$root[test]" --config-settings editable_mode=compat
  touch "$stamp"
fi
