"""The model `bridge convert` hands a transformation, on the fake engine."""

from __future__ import annotations

from pathlib import Path

from compose_lite import bridge
from compose_lite.engine.base import ImageInfo
from compose_lite.engine.fake import FakeEngine


class _Engine(FakeEngine):
    def image_info(self, ref: str) -> ImageInfo | None:
        found = super().image_info(ref)
        return ImageInfo(found.id, found.repo_tags, 0, "", "", exposed_ports=("8080/tcp", "53/udp")) \
            if found else None


def test_images_default_and_exposed_ports_gather_image_expose_and_published_targets(tmp_path: Path) -> None:
    (tmp_path / "key").write_text("k")
    model = {
        "name": "p",
        "services": {
            "web": {"image": "nginx", "expose": ["3000-3001"],
                    "ports": [{"target": 80, "published": "8000"}]},
            "api": {"build": {"context": "."}},
        },
        "secrets": {"key": {"file": str(tmp_path / "key")}, "env": {"environment": "TOKEN"},
                    "ext": {"external": True}},
        "configs": {"env": {"environment": "TOKEN"}},
    }
    warned: list[str] = []
    engine = _Engine(images={"nginx": "sha256:1"})
    done = bridge.complete_model(model, engine, {"TOKEN": "t"}, warned.append)
    assert done["services"]["web"]["expose"] == ["3000-3001", "53", "80", "8080"]
    assert done["services"]["api"]["image"] == "p-api" and "expose" not in done["services"]["api"]
    assert warned == ["image p-api for service api not found locally; Dockerfile-exposed ports will not be "
                      "included (run `cl build` first to include them)"]
    assert done["secrets"]["key"]["content"] == "k" and done["secrets"]["env"]["content"] == "t"
    assert "content" not in done["secrets"]["ext"] and "content" not in done["configs"]["env"]
    assert "pull_image nginx" not in engine.calls  # present locally: never pulled


def test_a_missing_image_that_cannot_be_built_is_pulled() -> None:
    engine = _Engine(pullable={"redis"})
    done = bridge.complete_model({"name": "p", "services": {"cache": {"image": "redis"}}}, engine, {},
                                 lambda _m: None)
    assert engine.calls == ["pull_image redis"]
    assert done["services"]["cache"]["expose"] == ["53", "8080"]
