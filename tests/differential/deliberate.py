"""Differences from Docker Compose that compose-lite keeps on purpose (docs/compose-features.md,
"Deliberate differences"). Each entry says which reported difference it excuses and why."""

from __future__ import annotations

from tests.differential.projects import Project


def deliberate_difference(difference: str, project: Project) -> bool:
    """True when ``difference`` (one line of reference.differences) is a listed deliberate one."""
    return False
