from __future__ import annotations

import io
from typing import Any

import pytest

from compose_lite import app, attach
from compose_lite.engine.base import ExecResult
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import ConfigError
from compose_lite.logfmt import LogLine
from compose_lite.model import DependsOn, Hook, Project, Service
from compose_lite.output import PlainReporter, QuietReporter


class View:
    def __init__(self) -> None:
        self.out: list[str] = []  # stdout: the output, its lifecycle lines, ``Attaching to``
        self.progress = ""  # stderr: the reporter's lines

    def line(self, entry: LogLine) -> None:
        self.out.append(f"{entry.name} | {entry.text}")

    def event(self, name: str, service: str, message: str) -> None:
        self.out.append(f"{name} {message}")

    def notice(self, message: str) -> None:
        self.out.append(f"! {message}")


def stack(restart: str | None = None) -> Project:
    return Project("p", "/w", services={
        "db": Service("db", image="img"),
        "job": Service("job", image="img", depends_on=(DependsOn("db"),), restart=restart)})


def started(proj: Project) -> FakeEngine:
    engine = FakeEngine(images={"img": "sha256:1"})
    app.up(proj, engine, app.UpRequest(), QuietReporter(io.StringIO()), environ={})
    engine.calls.clear()
    return engine


def run(proj: Project, engine: FakeEngine, view: View, **kw: Any) -> int:
    progress = io.StringIO()
    code = attach.run(proj, engine, ["db", "job"], attach.AttachOptions(**kw), view,
                      PlainReporter(progress), poll=0.01)
    view.progress = progress.getvalue()
    return code


def test_exit_code_from_stops_the_others_and_returns_that_code() -> None:
    proj = stack()
    engine = started(proj)
    engine.logs["p-job-1"] = [b"working\n"]
    engine.set_state("p-job-1", state="exited", exit_code=4)
    view = View()
    assert run(proj, engine, view, exit_code_from="job") == 4
    assert view.out[0] == "! Attaching to db-1, job-1"
    assert "job-1 | working" in view.out and "job-1 exited with code 4" in view.out
    assert "Aborting on container exit...\n" in view.progress
    assert "stop_container p-db-1" in engine.calls


def test_all_exited_ends_the_session_with_0() -> None:
    proj = stack()
    engine = started(proj)
    for name in ("p-db-1", "p-job-1"):
        engine.set_state(name, state="exited", exit_code=2)
    view = View()
    assert run(proj, engine, view, abort_on_failure=False) == 0
    assert sorted(v for v in view.out if "exited" in v) == ["db-1 exited with code 2",
                                                             "job-1 exited with code 2"]


def test_a_crash_under_a_restart_policy_does_not_abort() -> None:
    proj = stack(restart="on-failure")
    engine = started(proj)
    engine.set_state("p-job-1", state="exited", exit_code=1)
    listed = {"n": 0}
    real = engine.list_containers

    def listing(project: str) -> Any:
        listed["n"] += 1
        if listed["n"] == 3:  # it came back, then everything stops
            engine.set_state("p-db-1", state="exited", exit_code=0)
        return real(project)

    engine.list_containers = listing  # type: ignore[method-assign]
    view = View()
    assert run(proj, engine, view, abort_on_failure=True) == 0
    assert "job-1 exited with code 1" in view.out
    assert "Aborting on container exit" not in view.progress
    assert not any(c.startswith("stop_container") for c in engine.calls)
    assert attach.will_restart(proj.services["job"], 1) and not attach.will_restart(proj.services["job"], 0)


def test_ctrl_c_stops_gracefully_and_returns_130() -> None:
    proj = stack()
    engine = started(proj)
    calls = {"n": 0}
    real = engine.list_containers

    def listing(project: str) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(project)

    engine.list_containers = listing  # type: ignore[method-assign]
    view, progress = View(), io.StringIO()
    code = attach.run(proj, engine, ["db", "job"], attach.AttachOptions(), view,
                      PlainReporter(progress), poll=0.01)
    assert code == 130
    assert "Gracefully stopping... (press Ctrl+C again to force)\n" in progress.getvalue()
    assert [c for c in engine.calls if c.startswith("stop")] == ["stop_container p-job-1",
                                                                "stop_container p-db-1"]
    assert " Container p-job-1  Stopped" in progress.getvalue()


def test_incompatible_flags_and_unknown_services() -> None:
    proj = stack()
    with pytest.raises(ConfigError) as info:
        attach.check(proj, ["db"], attach.AttachOptions(abort_on_exit=True, abort_on_failure=True))
    assert info.value.message == ("--abort-on-container-failure cannot be combined with "
                                  "--abort-on-container-exit")
    with pytest.raises(ConfigError) as info:
        attach.check(proj, ["db"], attach.AttachOptions(exit_code_from="job"))
    assert info.value.message == "--exit-code-from: service 'job' is not part of this `up`"
    with pytest.raises(ConfigError) as info:
        attach.check(proj, ["db"], attach.AttachOptions(no_attach=("nope",)))
    assert info.value.message == "--no-attach: no such service: nope"


DETACHED = ("cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, "
            "--attach-dependencies or --watch")


@pytest.mark.parametrize(("flags", "message"), [  # as Docker Compose 2.40.3 words them
    (["-d", "--abort-on-container-exit"], f"--detach {DETACHED}"),
    (["-d", "--abort-on-container-failure"], f"--detach {DETACHED}"),
    (["-d", "--exit-code-from", "db"], f"--detach {DETACHED}"),
    (["-d", "--attach", "db"], f"--detach {DETACHED}"),
    (["-d", "--watch"], f"--detach {DETACHED}"),
    (["--wait", "--watch"], f"--wait {DETACHED}"),
    (["--wait", "--abort-on-container-exit"],
     "--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies"),
    (["--wait", "--attach-dependencies"],
     "--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies"),
    (["--abort-on-container-exit", "--abort-on-container-failure"],
     "--abort-on-container-failure cannot be combined with --abort-on-container-exit"),
    (["--build", "--no-build"], "--build and --no-build are incompatible"),
    (["--no-build", "--watch"], "--no-build and --watch are incompatible"),
    (["-V", "--no-recreate"], "--no-recreate and --renew-anon-volumes are incompatible"),
    (["--force-recreate", "--no-recreate"], "--force-recreate and --no-recreate are incompatible"),
    (["--always-recreate-deps", "--no-recreate"],
     "--always-recreate-deps and --no-recreate are incompatible"),
])
def test_up_refuses_the_flag_combinations_compose_refuses(flags: list[str], message: str) -> None:
    from click.testing import CliRunner

    from compose_lite.cli import cli

    result = CliRunner().invoke(cli, ["up", *flags])
    assert (result.exit_code, result.output) == (1, f"error: {message}\n")


def test_create_refuses_build_with_no_build() -> None:
    from click.testing import CliRunner

    from compose_lite.cli import cli

    result = CliRunner().invoke(cli, ["create", "--build", "--no-build"])
    assert (result.exit_code, result.output) == (1, "error: --build and --no-build are incompatible\n")


def test_exit_code_from_with_abort_on_failure_aborts_on_a_failure_only() -> None:
    proj = stack()
    engine = started(proj)
    engine.set_state("p-db-1", state="exited", exit_code=0)
    engine.set_state("p-job-1", state="exited", exit_code=0)
    view = View()
    assert run(proj, engine, view, exit_code_from="job", abort_on_failure=True) == 0
    assert "Aborting on container exit...\n" not in view.progress


def test_what_ups_hooks_printed_is_shown_first_under_the_container_with_an_arrow() -> None:
    proj = Project("p", "/w", services={
        "db": Service("db", image="img", post_start=(Hook(("migrate",)),)),
        "job": Service("job", image="img")})
    engine = FakeEngine(images={"img": "sha256:1"},
                        exec_results={"p-db-1": ExecResult(0, b"migrated\nseeded\n")})
    outcome = app.up(proj, engine, app.UpRequest(), QuietReporter(io.StringIO()), environ={})
    for name in ("p-db-1", "p-job-1"):
        engine.set_state(name, state="exited")
    view = View()
    code = attach.run(proj, engine, ["db", "job"], attach.AttachOptions(), view, QuietReporter(io.StringIO()),
                      hook_output=outcome.hook_output, poll=0.01)
    assert code == 0
    assert view.out[:3] == ["! Attaching to db-1, job-1", "db-1 -> | migrated", "db-1 -> | seeded"]
