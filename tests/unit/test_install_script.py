"""scripts/install.sh refuses an explicit interpreter that cannot build the venv, before touching it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_an_unusable_explicit_python_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    missing = tmp_path / "no-python"
    env = {**os.environ, "PYTHON": str(missing)}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "install.sh")], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == f"install.sh: PYTHON={missing} is not a Python >= 3.11 with venv support\n"
