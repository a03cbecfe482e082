"""Hand-written tricky cases (cases.jsonl: one project per line, the way a user switching from
Compose writes files) through `cl config` and Docker Compose v2, which must agree on each.

A case that still differs for a reason not yet fixed is listed in KNOWN with that reason; it is an
expected failure, and a strict one: once it passes, it must leave the list.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from tests.differential import reference
from tests.differential.deliberate import deliberate_difference

CASES = [json.loads(line) for line in (Path(__file__).with_name("cases.jsonl")).read_text().splitlines()]

KNOWN = {
    "m24_extra_hosts_dup": "Compose compares extra_hosts across files as written (h:ip and h=ip differ)",
    "b01_build_full": "Compose itself fails to print a build.ssh key path",
    "b10_build_ssh_keypath": "Compose itself fails to print a build.ssh key path",
}

pytestmark = pytest.mark.differential


def _files(case: dict[str, Any]) -> dict[str, str | bytes]:
    return {
        path: base64.b64decode(content["base64"]) if isinstance(content, dict) else content
        for path, content in case["files"].items()
    }


def _param(case: dict[str, Any], known: dict[str, str]) -> Any:
    reason = known.get(case["name"])
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(case, id=case["name"], marks=marks)


def _assert_agrees(case: dict[str, Any], fmt: str) -> None:
    files = _files(case)
    found, _ = reference.compare(
        reference.required_reference(),
        files,
        case.get("args", []),
        case.get("env", {}),
        project_flag=not case.get("no_project_flag"),
        directory_name=case["name"],
        fmt=fmt,
    )
    found = [d for d in found if not deliberate_difference(d, files)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("case", [_param(c, KNOWN) for c in CASES])
def test_case_agrees_with_docker_compose(case: dict[str, Any]) -> None:
    _assert_agrees(case, "json")


# YAML is printed from the same model with yaml.v3's own rules (all-zero structs and null commands
# left out, both limits of a ulimit, key order, quoting): every 4th case, compared as text, line by line.
YAML_SAMPLE = [c for i, c in enumerate(CASES) if i % 4 == 0 and c["name"] not in KNOWN]
KNOWN_YAML = {
    "t16_x_top_numbers": "an unquoted date in a top-level extension is printed quoted (Compose keeps a time, "
                         "printed plain; the loader's cache keeps it as a string)",
    "t17_x_top_times": "as t16, for each of the times",
}


@pytest.mark.parametrize("case", [_param(c, KNOWN_YAML) for c in YAML_SAMPLE])
def test_case_yaml_agrees_with_docker_compose(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    monkeypatch.setattr(yaml, "safe_load", str.splitlines)  # the reference's reader keeps the text's lines
    _assert_agrees(case, "yaml")
