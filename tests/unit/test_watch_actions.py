from __future__ import annotations

from pathlib import Path

from compose_lite import app
from compose_lite.clock import FakeClock
from compose_lite.engine.base import ExecResult
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import EngineError
from compose_lite.model import (
    Build,
    Healthcheck,
    Hook,
    Network,
    Project,
    Service,
    ServiceNetwork,
    WatchRule,
)
from compose_lite.output import WarningsOnly
from compose_lite.state import ContainerState
from compose_lite.watch.actions import ActionRunner, Outcome, Step
from compose_lite.watch.adapter import build_triggers
from compose_lite.watch.debounce import Batch, Change, ChangeKind
from compose_lite.watch.rules import Action, ServiceAction, classify

NET = (ServiceNetwork("default"),)


def project(tmp_path: Path, *services: Service) -> Project:
    return Project("p", str(tmp_path), services={s.name: s for s in services},
                   networks={"default": Network("default", "p_default")})


def started(tmp_path: Path, *services: Service) -> tuple[FakeEngine, Project]:
    engine = FakeEngine(images={"img": "sha256:img"})
    proj = project(tmp_path, *services)
    app.up(proj, engine, app.UpRequest(), app_reporter(), environ={})
    engine.calls.clear()
    return engine, proj


def app_reporter() -> WarningsOnly:
    return WarningsOnly([].append)


def action_for(proj: Project, *changes: Change) -> ServiceAction:
    result = classify(Batch(changes, False, 0.0, 0.0, len(changes)), build_triggers(proj))
    (action,) = result.actions
    return action


def run_change(engine: FakeEngine, proj: Project, change: Change) -> Outcome:
    return ActionRunner(engine, FakeClock()).run(action_for(proj, change), proj)


def web(src: Path, action: str = "sync", **kw: object) -> Service:
    rule = WatchRule(str(src), action, target="/www", **kw)  # type: ignore[arg-type]
    return Service("web", image="img", networks=NET, watch=(rule,))


def test_sync_copies_changed_files_and_removes_deleted_ones(tmp_path: Path) -> None:
    src = tmp_path / "www"
    (src / "sub").mkdir(parents=True)
    (src / "index.html").write_text("v2")
    (src / "sub" / "a.txt").write_text("a")
    engine, proj = started(tmp_path, web(src))
    clock = FakeClock()
    action = action_for(proj, Change(str(src / "index.html"), ChangeKind.MODIFIED),
                        Change(str(src / "sub"), ChangeKind.CREATED, is_dir=True),
                        Change(str(src / "gone.txt"), ChangeKind.DELETED))
    outcome = ActionRunner(engine, clock).run(action, proj)
    assert outcome.error is None
    assert [s.text for s in outcome.steps] == ["synced 3, removed 1"]
    assert engine.calls == ["exec_run p-web-1: rm -rf /www/gone.txt", "put_archive p-web-1:/"]
    files = engine.containers[next(iter(engine.containers))].files
    assert files == {"/www/index.html": b"v2", "/www/sub": b"", "/www/sub/a.txt": b"a"}
    assert not outcome.restarted


def test_sync_restart_then_waits_for_healthy(tmp_path: Path) -> None:
    src = tmp_path / "www"
    src.mkdir()
    (src / "index.html").write_text("v2")
    svc = web(src, "sync+restart")
    svc = Service(**{**svc.__dict__, "healthcheck": Healthcheck(("CMD", "true"))})
    engine, proj = started(tmp_path, svc)
    engine.states["p-web-1"] = [ContainerState("running", "starting"), ContainerState("running", "starting"),
                                ContainerState("running", "healthy")]
    clock = FakeClock()
    outcome = ActionRunner(engine, clock).run(
        action_for(proj, Change(str(src / "index.html"), ChangeKind.MODIFIED)), proj)
    assert outcome.error is None and outcome.restarted
    assert engine.calls == ["put_archive p-web-1:/", "restart_container p-web-1"]
    assert [s.text for s in outcome.steps] == ["synced 1", "restarted", "healthy"]
    assert outcome.steps[-1].render() == "healthy (+100 ms)"  # two polls of 50 ms on the fake clock
    assert clock.slept == [0.05, 0.05]


def test_unhealthy_after_restart_is_reported(tmp_path: Path) -> None:
    svc = Service("api", image="img", networks=NET, healthcheck=Healthcheck(("CMD", "true")),
                  watch=(WatchRule(str(tmp_path / "conf"), "restart"),))
    engine, proj = started(tmp_path, svc)
    engine.states["p-api-1"] = [ContainerState("running", "unhealthy", health_log="boom")]
    outcome = ActionRunner(engine, FakeClock()).run(
        action_for(proj, Change(str(tmp_path / "conf" / "x"), ChangeKind.MODIFIED)), proj)
    assert outcome.error is not None
    assert outcome.line(5) == ("api    1 file changed → restarted (0.0 ms) → failed: container p-api-1 "
                               "is unhealthy\n       last health check output: boom")


def test_sync_exec_runs_the_rule_command_with_its_options(tmp_path: Path) -> None:
    src = tmp_path / "www"
    src.mkdir()
    (src / "a").write_text("a")
    hook = Hook(("reload", "now"), user="app", working_dir="/www", environment={"X": "1"})
    engine, proj = started(tmp_path, web(src, "sync+exec", exec=hook))
    outcome = run_change(engine, proj, Change(str(src / "a"), ChangeKind.MODIFIED))
    assert outcome.error is None
    assert [s.text for s in outcome.steps] == ["synced 1", "ran reload"]
    assert engine.calls == ["put_archive p-web-1:/", "exec_run p-web-1: reload now"]
    engine.exec_results["p-web-1"] = ExecResult(2, b"no such thing\n")
    outcome = run_change(engine, proj, Change(str(src / "a"), ChangeKind.MODIFIED))
    assert str(outcome.error) == "`reload now` in p-web-1 exited 2: no such thing"


def test_engine_failure_is_an_outcome_not_an_exception(tmp_path: Path) -> None:
    src = tmp_path / "www"
    src.mkdir()
    (src / "a").write_text("a")
    engine, proj = started(tmp_path, web(src))
    engine.fail[("put_archive", "p-web-1:/")] = EngineError("copy files into c1:/: disk full")
    outcome = run_change(engine, proj, Change(str(src / "a"), ChangeKind.MODIFIED))
    assert outcome.line() == "web  1 file changed → failed: copy files into c1:/: disk full"


def test_no_running_container(tmp_path: Path) -> None:
    src = tmp_path / "www"
    src.mkdir()
    engine, proj = started(tmp_path, web(src))
    engine.set_state("p-web-1", state="exited")
    outcome = ActionRunner(engine, FakeClock()).run(
        action_for(proj, Change(str(src / "a"), ChangeKind.DELETED)), proj)
    assert str(outcome.error) == "no running container for service web"
    assert outcome.error is not None and outcome.error.hint == "start it with `cl up`"


def test_rebuild_recreates_only_that_service(tmp_path: Path) -> None:
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    built = Service("web", build=Build(str(ctx)), networks=NET, watch=(WatchRule(str(ctx), "rebuild"),))
    other = Service("other", image="img", networks=NET)
    engine = FakeEngine(images={"img": "sha256:img"})
    proj = project(tmp_path, built, other)
    app.up(proj, engine, app.UpRequest(), app_reporter(), environ={})
    engine.calls.clear()
    outcome = ActionRunner(engine, FakeClock()).run(
        action_for(proj, Change(str(ctx / "Dockerfile"), ChangeKind.MODIFIED)), proj)
    assert outcome.error is None and outcome.restarted
    assert [s.text for s in outcome.steps] == ["rebuilt and recreated"]
    assert engine.calls[0] == "build_image p-web"
    assert not any("other" in call for call in engine.calls)
    assert any(call.startswith("create_container") and "p-web-1" in call for call in engine.calls)
    # the image the rebuild replaced is removed (--prune, the default); --no-prune keeps it
    assert any(call.startswith("remove_image sha256:built-p-web-") for call in engine.calls)
    engine.calls.clear()
    ActionRunner(engine, FakeClock(), prune=False).run(
        action_for(proj, Change(str(ctx / "Dockerfile"), ChangeKind.MODIFIED)), proj)
    assert not any(call.startswith("remove_image") for call in engine.calls)


def test_dependent_restart_cause() -> None:
    assert Outcome("b", "dependency a restarted", [Step("restarted", 0.3)]).line() == (
        "b  dependency a restarted → restarted (300 ms)")
    action = ServiceAction("b", Action.RESTART, because_of="a")
    from compose_lite.watch.actions import describe_cause

    assert describe_cause(action) == "dependency a restarted"
