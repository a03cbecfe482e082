from __future__ import annotations

from pathlib import Path

import pytest

from compose_lite.errors import ConfigError
from compose_lite.loader.pipeline import load
from compose_lite.loader.request import LoadRequest


def test_included_project_uses_its_own_directory_and_env(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "compose.yaml").write_text(
        "services:\n  db:\n    image: pg:${PG}\n    volumes: ['./init:/init']\n")
    (tmp_path / "lib" / ".env").write_text("PG=16\n")
    (tmp_path / "compose.yaml").write_text(
        "include: [lib/compose.yaml]\nservices:\n  web:\n    image: x\n    depends_on: [db]\n")
    model = load(LoadRequest(cwd=str(tmp_path), project_name="p")).model
    assert model["services"]["db"]["image"] == "pg:16"
    assert model["services"]["db"]["volumes"][0]["source"] == f"{tmp_path}/lib/init"
    assert list(model["services"]) == ["web", "db"]


def test_conflicting_service_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text("services:\n  web:\n    image: y\n")
    (tmp_path / "compose.yaml").write_text("include: [other.yaml]\nservices:\n  web:\n    image: x\n")
    with pytest.raises(ConfigError) as info:
        load(LoadRequest(cwd=str(tmp_path), project_name="p"))
    assert info.value.message == (
        f"imported service 'web' from {tmp_path}/other.yaml conflicts with "
        "a service of the same name defined here"
    )


def test_include_cycle_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("include: [compose.yaml]\nservices: {}\n")
    with pytest.raises(ConfigError, match="include cycle detected"):
        load(LoadRequest(cwd=str(tmp_path), project_name="p"))


@pytest.mark.parametrize(("made", "context"), [(True, "proj/ctx"), (False, "ctx")])
def test_an_include_project_directory_that_is_no_directory_resolves_paths_from_its_parent(
        tmp_path: Path, made: bool, context: str) -> None:
    (tmp_path / "inc").mkdir()
    if made:
        (tmp_path / "proj").mkdir()
    (tmp_path / "compose.yaml").write_text(
        "include:\n  - path: inc/a.yaml\n    project_directory: proj\nservices:\n  web: {image: x}\n")
    (tmp_path / "inc" / "a.yaml").write_text("services:\n  db: {image: y, build: ./ctx}\n")
    model = load(LoadRequest(cwd=str(tmp_path), project_name="p")).model
    assert model["services"]["db"]["build"]["context"] == str(tmp_path / context)
