from __future__ import annotations

import pytest

from compose_lite.loader.paths import format_path


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("services",), "services"),
        (("services", "web", "ports", 0), "services.web.ports[0]"),
        (("services", "web", "develop", "watch", 1, "path"), "services.web.develop.watch[1].path"),
        (("x", 0, 2), "x[0][2]"),
        ((0, "a"), "[0].a"),
    ],
)
def test_format_path(path: tuple[str | int, ...], text: str) -> None:
    assert format_path(path) == text
