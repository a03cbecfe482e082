from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from compose_lite import app, logs
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import ConfigError, GoneError, NotFoundError
from compose_lite.logfmt import LogLine
from compose_lite.model import Project, Service
from compose_lite.output import QuietReporter
from compose_lite.state import ContainerState, Status


class Null:
    def write(self, _: str) -> int:
        return 0


def started(*services: str, scale: int = 1) -> FakeEngine:
    engine = FakeEngine(images={"img": "sha256:1"})
    proj = Project("p", "/w", services={s: Service(s, image="img") for s in services})
    app.up(proj, engine, app.UpRequest(scale={s: scale for s in services}), QuietReporter(Null()), environ={})
    return engine


def collect(engine: FakeEngine, options: logs.LogOptions, services: tuple[str, ...] = (),
            index: int | None = None) -> list[LogLine]:
    out: list[LogLine] = []
    assert logs.show(engine, "p", services, options, out.append, index=index, poll=0.01) == []
    return out


def test_lines_are_split_across_chunks_and_both_streams_shown() -> None:
    engine = started("web")
    engine.logs["p-web-1"] = [b"hel", b"lo\r\nwor", b"ld\n", b"no newline"]
    assert [(e.name, e.text) for e in collect(engine, logs.LogOptions())] == [
        ("web-1", "hello"), ("web-1", "world"), ("web-1", "no newline")]


def test_tail_service_and_index_selection() -> None:
    engine = started("web", "db", scale=2)
    for name in ("p-web-1", "p-web-2", "p-db-1"):
        engine.logs[name] = [f"{name} a\n{name} b\n".encode()]
    lines = collect(engine, logs.LogOptions(tail=1), services=("web",), index=2)
    assert [(e.name, e.service, e.text) for e in lines] == [("web-2", "web", "p-web-2 b")]


def test_timestamps_are_split_from_the_text() -> None:
    engine = started("web")
    engine.logs["p-web-1"] = [b"2024-01-02T03:04:05.000000000Z hello world\n"]
    (entry,) = collect(engine, logs.LogOptions(timestamps=True))
    assert (entry.timestamp, entry.text) == ("2024-01-02T03:04:05.000000000Z", "hello world")


def test_follow_reports_exits_and_ends_when_nothing_is_live() -> None:
    engine = started("web")
    engine.logs["p-web-1"] = [b"bye\n"]
    exits: list[tuple[str, int]] = []

    def stop_after_read(line: LogLine) -> None:
        engine.set_state("p-web-1", state="exited", exit_code=3)

    assert logs.show(engine, "p", (), logs.LogOptions(follow=True), stop_after_read,
                     lambda c, code: exits.append((c.name, code)), poll=0.01) == []
    assert exits == [("p-web-1", 3)]


def test_an_exit_is_reported_once_though_the_container_list_still_says_running() -> None:
    """The engine's list answers with a container's old state for a moment after its output has
    ended (inspect already says exited): that is no restart to resume."""
    engine = started("web")
    engine.logs["p-web-1"] = [b"bye\n"]
    exits: list[tuple[str, int]] = []
    real_list = engine.list_containers
    stale = {"left": 2, "exited": 0}

    def stop_after_read(line: LogLine) -> None:
        engine.set_state("p-web-1", state="exited", exit_code=3)
        stale["exited"] = 1

    def lagging(project: str) -> list:  # type: ignore[type-arg]
        listed = real_list(project)
        if stale["exited"] and stale["left"]:
            stale["left"] -= 1
            return [replace(c, state=Status.RUNNING) for c in listed]
        return listed

    engine.list_containers = lagging  # type: ignore[method-assign]
    logs.show(engine, "p", (), logs.LogOptions(follow=True), stop_after_read,
              lambda c, code: exits.append((c.name, code)), poll=0.01)
    assert exits == [("p-web-1", 3)]
    assert stale["left"] == 0  # the stale answers were seen


def test_an_exit_is_reported_when_inspect_catches_up_with_the_ended_output() -> None:
    """The engine ends a stopped container's stream a moment before inspect says it exited."""
    engine = started("web")
    engine.logs["p-web-1"] = [b"bye\n"]
    engine.states["p-web-1"] = [ContainerState("running"), ContainerState("exited", exit_code=3)]
    exits: list[tuple[str, int]] = []
    logs.show(engine, "p", (), logs.LogOptions(follow=True), lambda line: None,
              lambda c, code: exits.append((c.name, code)), poll=0.01)
    assert exits == [("p-web-1", 3)]


def test_follow_picks_up_a_container_created_meanwhile() -> None:
    engine = started("web")
    engine.logs["p-web-1"] = [b"old\n"]
    seen: list[str] = []
    calls = {"n": 0}
    real_list = engine.list_containers

    def listing(project: str) -> list:  # type: ignore[type-arg]
        calls["n"] += 1
        if calls["n"] == 2:  # the old container stops, a new one takes over (a recreate)
            engine.set_state("p-web-1", state="exited")
            proj = Project("p", "/w", services={"web": Service("web", image="img", command=("new",))})
            app.up(proj, engine, app.UpRequest(), QuietReporter(Null()), environ={})
            engine.logs["p-web-1"] = [b"new\n"]
        if calls["n"] == 4:
            engine.set_state("p-web-1", state="exited")
        return real_list(project)

    engine.list_containers = listing  # type: ignore[method-assign]
    logs.show(engine, "p", (), logs.LogOptions(follow=True), lambda e: seen.append(e.text), poll=0.01)
    assert seen == ["old", "new"]


def test_parse_time_forms() -> None:
    assert logs.parse_time("1700000000", now=0, option="--since") == 1700000000
    assert logs.parse_time("1h30m", now=10_000, option="--since") == 10_000 - 5400
    assert logs.parse_time("2024-01-02T13:23:37Z", now=0, option="--since") == 1704201817
    with pytest.raises(ConfigError) as info:
        logs.parse_time("yesterday", now=0, option="--until")
    assert info.value.message == "invalid --until value 'yesterday'"


def test_split_lines_keeps_the_unfinished_rest() -> None:
    assert logs.split_lines(b"ab", b"c\nde") == (["abc"], b"de")


def test_an_unexpected_stream_failure_is_reported_not_raised_in_the_thread() -> None:
    engine = started("web")

    def broken(*_: object, **__: object) -> Iterator[bytes]:
        yield b"first\n"
        raise OSError("connection reset by peer")

    engine.container_logs = broken  # type: ignore[method-assign]
    out: list[LogLine] = []
    errors = logs.show(engine, "p", (), logs.LogOptions(), out.append, poll=0.01)
    assert [e.text for e in out] == ["first"]
    assert [str(e) for e in errors] == ["logs of p-web-1: connection reset by peer"]


@pytest.mark.parametrize("follow", [False, True])
def test_a_closed_output_ends_the_logs_quietly(follow: bool) -> None:
    """`cl logs | head -2`: once the reader of our output is gone, every reader stops and the
    command ends with OutputClosed (exit 141, nothing printed), also while following."""
    from compose_lite.cli.logs_cmd import LogPrinter
    from compose_lite.errors import OutputClosed

    engine = started("web", "db")  # running: a follow would go on forever without the closed output
    for name in ("p-web-1", "p-db-1"):
        engine.logs[name] = [b"".join(f"{name} {i}\n".encode() for i in range(100))]

    class Closing:
        written = 0

        def write(self, _: str) -> int:
            self.written += 1
            if self.written > 2:
                raise BrokenPipeError(32, "Broken pipe")
            return 0

        def flush(self) -> None: ...

    out = Closing()
    printer = LogPrinter(("web", "db"), colour=False, stream=out)  # type: ignore[arg-type]
    with pytest.raises(OutputClosed):
        logs.show(engine, "p", (), logs.LogOptions(follow=follow), printer.line, poll=0.01)
    assert out.written <= 4  # the other reader stopped at its next line


@pytest.mark.parametrize("vanished", [
    GoneError("can not get logs from container which is dead or marked for removal"),
    NotFoundError("No such container")])
def test_a_container_removed_since_it_was_listed_ends_its_output_quietly(vanished: Exception) -> None:
    """A recreate while following: the old container is listed, then gone before its logs are read."""
    engine = started("web")
    engine.logs["p-web-1"] = [b"hello\n"]

    def gone(container_id: str, **_: object) -> Iterator[bytes]:
        raise vanished

    engine.container_logs = gone  # type: ignore[assignment,method-assign]
    assert collect(engine, logs.LogOptions()) == []


def test_lines_are_prefixed_with_the_name_less_the_project_or_a_custom_name_whole() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    proj = Project("p", "/w", services={"web": Service("web", image="img"),
                                        "db": Service("db", image="img", container_name="the-db")})
    app.up(proj, engine, app.UpRequest(), QuietReporter(Null()), environ={})
    for name in ("p-web-1", "the-db"):
        engine.logs[name] = [b"hi\n"]
    assert sorted(e.name for e in collect(engine, logs.LogOptions())) == ["the-db", "web-1"]
