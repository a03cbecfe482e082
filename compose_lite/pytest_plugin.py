"""A pytest plugin for tests against real Compose stacks (registered by the package: `pytest11`).

    def test_orders(compose_stack):
        stack = compose_stack("compose.yaml")          # up and healthy, a project of its own
        host, port = stack.port("api", 8000)
        ...                                            # torn down with its volumes afterwards

``compose_stack`` is a factory per test; ``compose_stack_session`` one whose stacks are shared by
the whole run. A failing test's report gets the last log lines of its stacks. Options:
``--compose-keep`` leaves stacks up for debugging; ``--compose-file`` is the file used when the
factory is given none.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from compose_lite.api import Stack

LOG_LINES = 50
_STACKS = pytest.StashKey[list["Stack"]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("compose-lite")
    group.addoption("--compose-keep", action="store_true", default=False,
                    help="leave the stacks compose_stack started running after the tests (for debugging)")
    group.addoption("--compose-file", default=None, metavar="PATH",
                    help="the compose file compose_stack() starts when it is given none")


class StackFactory:
    """Makes stacks that are up and healthy, each under a project name of its own, and takes them
    down (volumes included) when its scope ends."""

    def __init__(self, config: pytest.Config, scope_name: str, node: pytest.Item | None) -> None:
        self._config = config
        self._scope_name = scope_name
        self._node = node
        self.stacks: list[Stack] = []

    def __call__(self, files: Any = None, project_name: str | None = None, *, up: bool = True,
                 **options: Any) -> Stack:
        from compose_lite.api import Stack

        files = files or self._config.getoption("--compose-file")
        if not files:
            raise pytest.UsageError("compose_stack() needs a compose file, or --compose-file")
        stack = Stack(files, project_name=project_name or self._unique_name(), **options)
        self.stacks.append(stack)
        if self._node is not None:
            self._node.stash.setdefault(_STACKS, []).append(stack)
        if up:
            stack.up(wait=True)
        return stack

    def _unique_name(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self._scope_name.lower()).strip("-")[:30] or "stack"
        return f"pytest-{slug}-{uuid.uuid4().hex[:6]}"

    def close(self) -> None:
        if self._config.getoption("--compose-keep"):
            return
        errors = []
        for stack in reversed(self.stacks):
            try:
                stack.down(volumes=True)
            except Exception as err:  # take the others down too; report the first failure
                errors.append(err)
        if errors:
            raise errors[0]


@pytest.fixture
def compose_stack(request: pytest.FixtureRequest) -> Iterator[StackFactory]:
    factory = StackFactory(request.config, request.node.name, request.node)
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def compose_stack_session(request: pytest.FixtureRequest) -> Iterator[StackFactory]:
    factory = StackFactory(request.config, "session", None)
    yield factory
    factory.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when != "call" or not report.failed:
        return
    for stack in item.stash.get(_STACKS, []):
        try:
            text = stack.logs(tail=LOG_LINES)
        except Exception as err:  # the report must not fail for want of logs
            text = f"(logs unavailable: {err})"
        report.sections.append((f"compose logs: {stack.name} (last {LOG_LINES} lines each)", text))
