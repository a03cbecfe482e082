"""Differential test: generated projects through `cl config` and Docker Compose v2 must agree.

Either both reject a project, or both accept it and print the same model (after dropping the
spellings of "unset", see reference.normalize). CI runs a fixed-seed sample; a long local run:

    CL_DIFF_EXAMPLES=3000 .venv/bin/python -m pytest tests/differential -p no:cacheprovider

``CL_DIFF_REPORT=DIR`` keeps going past a difference and writes each one, shrunk no further, to
DIR/NNN.txt, for a survey of everything that differs at once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.differential import reference
from tests.differential.deliberate import deliberate_difference
from tests.differential.projects import Project, projects

EXAMPLES = int(os.environ.get("CL_DIFF_EXAMPLES", "300"))
REPORT_DIR = os.environ.get("CL_DIFF_REPORT")

# about 0.2 s a project (two tool runs): the suite's 300 s timeout would end a long run early
pytestmark = [pytest.mark.differential, pytest.mark.timeout(max(300, EXAMPLES))]


def compare(project: Project) -> str | None:
    """None when both tools agree, else a report of how they differ (and, in report mode, one
    line per project in DIR/outcomes.txt: whether each tool accepted it)."""
    found, outcome = reference.compare(
        reference.required_reference(), project.files, project.args, project.env
    )
    if REPORT_DIR:
        Path(REPORT_DIR).mkdir(parents=True, exist_ok=True)
        with open(Path(REPORT_DIR) / "outcomes.txt", "a", encoding="utf-8") as log:
            log.write(outcome + "\n")
    found = [d for d in found if not deliberate_difference(d, project.files)]
    if not found:
        return None
    return "\n".join(found) + "\n\n" + project.describe()


_reported = [0]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(projects())
def test_cl_config_agrees_with_docker_compose(project: Project) -> None:
    difference = compare(project)
    if difference and REPORT_DIR:
        _reported[0] += 1
        Path(REPORT_DIR).mkdir(parents=True, exist_ok=True)
        (Path(REPORT_DIR) / f"diff-{_reported[0]:03d}.txt").write_text(difference, encoding="utf-8")
        return
    assert difference is None, difference
