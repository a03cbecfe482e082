from __future__ import annotations

from pathlib import Path

import pytest

from compose_lite.errors import ConfigError
from compose_lite.loader.pipeline import load
from compose_lite.loader.request import LoadRequest


def _model(root: Path) -> dict:
    return load(LoadRequest(cwd=str(root), project_name="p")).model


def test_extends_same_file_merges_base_first(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  base:\n    image: x\n    environment: {A: '1'}\n    command: a b\n"
        "  web:\n    extends: base\n    environment: {B: '2'}\n    command: c\n")
    web = _model(tmp_path)["services"]["web"]
    assert web["image"] == "x"
    assert web["environment"] == {"A": "1", "B": "2"}
    assert web["command"] == ["c"]
    assert "extends" not in web


def test_extends_other_file_keeps_its_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "base.yaml").write_text(
        "services:\n  b:\n    image: x\n    volumes: ['./data:/d']\n")
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    extends: {file: sub/base.yaml, service: b}\n")
    web = _model(tmp_path)["services"]["web"]
    assert web["volumes"][0]["source"] == f"{tmp_path}/sub/data"


def test_an_override_elsewhere_extends_a_file_relative_to_the_project_directory(tmp_path: Path) -> None:
    """As compose-go resolves it: the project's files share one working directory; a base file's
    own extends resolve against that base file's directory."""
    files = {
        "a/compose.yaml": "services:\n  web: {image: nginx}\n",
        "b/over.yaml": "services:\n  api:\n    extends: {file: sub/common.yaml, service: c}\n",
        "a/sub/common.yaml": "services:\n  c:\n    extends: {file: lib/deep.yaml, service: d}\n",
        "b/sub/common.yaml": "services:\n  c: {image: wrong-directory}\n",
        "a/sub/lib/deep.yaml": "services:\n  d: {image: right}\n",
        "a/lib/deep.yaml": "services:\n  d: {image: wrong-directory}\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    request = LoadRequest(files=("a/compose.yaml", "b/over.yaml"), cwd=str(tmp_path), project_name="p")
    assert load(request).model["services"]["api"]["image"] == "right"


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: x\n    extends: a\n")
    with pytest.raises(ConfigError, match="extends cycle detected: a -> b -> a"):
        _model(tmp_path)


def test_extends_unknown_service(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  a:\n    image: x\n    extends: nope\n")
    with pytest.raises(ConfigError) as info:
        _model(tmp_path)
    assert str(info.value) == (
        "services.a.extends.service: cannot extend service 'a': service 'nope' not found"
    )
