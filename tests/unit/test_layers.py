"""The package's seams, checked on its import statements (lazy ones inside functions included)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "compose_lite"


def _imports(path: Path) -> set[str]:
    """Every compose_lite module or name ``path`` imports, as dotted names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("compose_lite")}


def _modules(under: str = "") -> list[Path]:
    return sorted((PACKAGE / under).rglob("*.py"))


def test_nothing_outside_the_loader_imports_its_modules() -> None:
    """The loader's door is compose_lite.loader (its __init__ exports what others may use)."""
    inside = PACKAGE / "loader"
    offenders = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in _modules() if inside not in path.parents
        for name in _imports(path)
        if name.startswith("compose_lite.loader.") and name.removeprefix("compose_lite.loader.").split(".")[0]
        in {p.stem for p in inside.glob("*.py")} - {"__init__"}
    }
    assert sorted(offenders) == []


def test_the_engine_imports_nothing_above_it() -> None:
    """engine/ may use the model, the state vocabulary, the labels and the errors, and itself; never
    the layers that use it."""
    allowed = ("compose_lite.engine", "compose_lite.errors", "compose_lite.model", "compose_lite.labels",
               "compose_lite.state")
    offenders = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in _modules("engine")
        for name in _imports(path)
        if not name.startswith(allowed) and name not in ("compose_lite", "compose_lite.labels")
    }
    assert sorted(offenders) == []


def test_the_planner_is_pure() -> None:
    """It reads state (compose_lite.state) and writes plans; it never talks to an engine or observes."""
    names = _imports(PACKAGE / "planner.py")
    assert sorted(n for n in names if n.startswith(("compose_lite.engine", "compose_lite.observe"))) == []


def test_no_module_is_over_600_lines() -> None:
    """A module that grows past this holds more than one job: split it by job, as canonical.py
    (short syntax, path resolution, defaults) and docker_engine.py (requests, replies, transport) were."""
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text().splitlines()) for p in _modules()}
    assert {name: n for name, n in sizes.items() if n > 600} == {}


def test_only_the_observer_lists_containers() -> None:
    """compose_lite.observe is the one way to read containers, so every command sees them alike."""
    calls = re.compile(r"\.list_(all_)?containers\(")
    offenders = [str(p.relative_to(PACKAGE)) for p in _modules()
                 if calls.search(p.read_text()) and p.parent.name != "engine" and p.name != "observe.py"]
    assert offenders == []
