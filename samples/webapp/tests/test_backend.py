"""The notes API tested through its real PostgreSQL, with compose-lite's pytest plugin.

    pytest samples/webapp/tests          (images: scripts/engine.sh --postgres)

One stack for the module (``compose_stack_session``): db, migrate, backend and the frontend that
forwards /api to it, on a host port of its own; torn down with its volumes after the run.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

COMPOSE = Path(__file__).resolve().parents[1] / "compose.yaml"


@pytest.fixture(scope="session")
def api(compose_stack_session: Any) -> str:
    stack = compose_stack_session(COMPOSE, environment={"FRONTEND_PORT": "0"})  # any free host port
    host, port = stack.port("frontend", 8080)
    return f"http://{host}:{port}/api"


def call(url: str, body: str | None = None) -> Any:
    request = urllib.request.Request(url, data=None if body is None else body.encode(),
                                     method="GET" if body is None else "POST")
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.load(reply)


def test_a_note_is_stored_and_listed(api: str) -> None:
    created = call(f"{api}/notes", "buy milk")
    assert created["body"] == "buy milk"
    assert {"id": created["id"], "body": "buy milk"} in call(f"{api}/notes")


def test_notes_keep_their_order(api: str) -> None:
    first, second = call(f"{api}/notes", "one"), call(f"{api}/notes", "two")
    ids = [note["id"] for note in call(f"{api}/notes")]
    assert ids.index(first["id"]) < ids.index(second["id"])


def test_the_migration_ran_before_the_backend_served(compose_stack_session: Any) -> None:
    stack = compose_stack_session.stacks[0]
    migrate = [c for c in stack.ps(all=True) if c.service == "migrate"]
    assert [c.state for c in migrate] == ["exited"] and migrate[0].exit_code == 0
