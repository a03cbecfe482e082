"""Differences from Docker Compose that compose-lite keeps on purpose (docs/compose-features.md,
"Deliberate differences"). Each rule says which reported difference it excuses and why."""

from __future__ import annotations

from collections.abc import Mapping

# `container_name` that the engine would refuse: Compose's schema pattern is unanchored, so its
# `config` accepts it and `up` fails later; cl refuses it at load, with a position and a hint.
_INVALID_CONTAINER_NAME = "container_name: invalid value"


def deliberate_difference(difference: str, files: Mapping[str, object]) -> bool:
    """True when ``difference`` (one report of the comparison) is a listed deliberate one."""
    if not difference.startswith("Compose accepts, cl rejects"):
        return False
    ours = difference.partition("--- cl stderr:")[2]
    errors = [line for line in ours.splitlines() if line.startswith("error:")]
    return len(errors) == 1 and _INVALID_CONTAINER_NAME in errors[0]
