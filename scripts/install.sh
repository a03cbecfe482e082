#!/usr/bin/env bash
# Install compose-lite (editable, with the test tools) into ./.venv. Idempotent and quick when done.
# The interpreter: $PYTHON if set, else the distribution's /usr/bin/python3, else python3 on PATH.
# Debian builds its python3 with PGO and LTO; a pyenv build has neither and ran every `cl` call
# 15-20 % slower here (start-up is most of a short command's time). The venv is rebuilt when the
# chosen interpreter changes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usable() { "$1" -c 'import ensurepip, sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
py=""
for candidate in "${PYTHON:-}" /usr/bin/python3 python3; do
  if [ -n "$candidate" ] && usable "$candidate"; then py="$candidate"; break; fi
done
[ -n "$py" ] || { echo "install.sh: Python >= 3.11 with venv support needed (set PYTHON)" >&2; exit 1; }
real() { "$1" -c 'import os, sys; print(os.path.realpath(sys.executable))'; }
if [ ! -x "$root/.venv/bin/python" ] || [ "$(real "$root/.venv/bin/python")" != "$(real "$py")" ]; then
  "$py" -m venv --clear "$root/.venv"
fi
stamp="$root/.venv/.installed-$(sha1sum "$root/pyproject.toml" | cut -c1-12)"
if [ ! -e "$stamp" ]; then
  "$root/.venv/bin/python" -m pip install -q --disable-pip-version-check -e "$root[test]" --config-settings editable_mode=compat
  touch "$stamp"
fi
