"""What a project asks of the engine's API is refused before anything is created."""

from __future__ import annotations

import pytest

from compose_lite import app
from compose_lite.clock import FakeClock
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import ConfigError
from compose_lite.model import Mount, Network, Project, Service, ServiceNetwork
from compose_lite.output import QuietReporter


class Null:
    def write(self, _: str) -> int:
        return 0


def _project(**service: object) -> Project:
    fields: dict[str, object] = {"networks": (ServiceNetwork("default"),), **service}
    web = Service("web", image="img", **fields)  # type: ignore[arg-type]
    return Project("p", "/w", services={"web": web}, networks={"default": Network("default", "p_default")})


@pytest.mark.parametrize(("service", "message", "path"), [
    ({"mounts": (Mount("volume", "/d", "data", volume_subpath="x"),)},
     "a volume subpath needs Docker Engine 26 or later (Engine API 1.45); this engine speaks API 1.41",
     "services.web.volumes[0]"),
    ({"mounts": (Mount("image", "/d", "img"),)}, "an image mount needs Docker Engine 28 or later", None),
    ({"networks": (ServiceNetwork("default", interface_name="eth1"),)},
     "interface_name needs Docker Engine 28.1", "services.web.networks.default.interface_name"),
    ({"mounts": (Mount("npipe", "/d", "x"),)}, "npipe mounts are not supported", None),
])
def test_up_refuses_what_the_engine_cannot_do_before_creating_anything(
        service: dict[str, object], message: str, path: str | None) -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    with pytest.raises(ConfigError) as err:
        app.up(_project(**service), engine, app.UpRequest(), QuietReporter(Null()),  # type: ignore[arg-type]
               environ={}, clock=FakeClock())
    assert message in err.value.message and (path is None or err.value.path == path)
    assert engine.calls == [] and engine.networks == {}


def test_a_newer_engine_takes_them() -> None:
    engine = FakeEngine(images={"img": "sha256:1"}, engine_api="1.49")
    project = _project(networks=(ServiceNetwork("default", interface_name="eth1"),))
    reporter = QuietReporter(Null())  # type: ignore[arg-type]
    app.up(project, engine, app.UpRequest(), reporter, environ={}, clock=FakeClock())
    assert engine.list_containers("p")[0].state == "running"
