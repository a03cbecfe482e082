from __future__ import annotations

import os
from pathlib import Path

import pytest

from compose_lite.errors import ConfigError
from compose_lite.loader.bind import bind
from compose_lite.loader.pipeline import load
from compose_lite.loader.request import LoadRequest
from compose_lite.model import Build, DependsOn, Hook, Mount, Project, Service, WatchRule
from compose_lite.watch.adapter import build_triggers, dependents
from compose_lite.watch.debounce import Batch, Change, ChangeKind
from compose_lite.watch.rules import Action, BindMountTrigger, classify

COMPOSE = """
services:
  web:
    build: ./web
    volumes: [./web/static:/static]
    develop:
      watch:
        - path: ./web/src
          action: sync+exec
          target: /app
          include: ["*.py"]
          ignore: [tests/]
          exec: {command: "kill -HUP 1", user: root, environment: [MODE=dev]}
        - path: ./web/requirements.txt
          action: rebuild
  api:
    image: cl-busybox
    volumes:
      - ./api:/srv
      - /var/run/docker.sock:/var/run/docker.sock
      - data:/data
    depends_on:
      db: {condition: service_started, restart: true}
  db:
    image: cl-busybox
    x-cl-watch: false
    volumes: [./db:/var/lib/db]
  worker:
    image: cl-busybox
    depends_on:
      api: {condition: service_started, restart: true}
      db: {condition: service_started}
volumes:
  data: {}
"""


def load_project(tmp_path: Path, text: str = COMPOSE) -> Project:
    (tmp_path / "compose.yaml").write_text(text)
    loaded = load(LoadRequest(cwd=str(tmp_path), environ={}))
    return bind(loaded.model, working_dir=loaded.working_dir, config_files=tuple(loaded.config_files),
                environment=loaded.environment)


def batch(*paths: str) -> Batch:
    return Batch(tuple(Change(p, ChangeKind.MODIFIED) for p in paths), False, 0.0, 0.0, len(paths))


def test_compose_file_to_triggers(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / ".dockerignore").write_text("# build-only\n**/*.pyc\n")
    project = load_project(tmp_path)
    triggers = build_triggers(project)
    web_sync, web_rebuild = triggers.watch
    assert (web_sync.service, web_sync.path, web_sync.action, web_sync.target) == (
        "web", str(tmp_path / "web/src"), Action.SYNC_EXEC, "/app")
    assert web_sync.include == ("*.py",) and web_sync.ignore == ("tests/",)
    assert web_sync.exec_command == ("kill", "-HUP", "1")
    assert web_sync.dockerignore is not None and web_sync.dockerignore.patterns == ("**/*.pyc",)
    assert web_rebuild.action is Action.REBUILD
    # Only project-local bind mounts; the docker socket and named volumes are not watched.
    assert list(triggers.bind_mounts) == [
        BindMountTrigger("api", str(tmp_path / "api"), "/srv"),
        BindMountTrigger("db", str(tmp_path / "db"), "/var/lib/db"),
    ]
    assert triggers.opted_out == frozenset({"db"})
    assert list(triggers.config_files) == [str(tmp_path / "compose.yaml"), str(tmp_path / ".env")]
    # web has rules, so its bind mount is not a trigger; db opted out.
    assert triggers.watched_roots() == tuple(sorted([
        str(tmp_path / "api"), str(tmp_path / "web/src"), str(tmp_path / "web/requirements.txt"),
        str(tmp_path / "compose.yaml"), str(tmp_path / ".env")]))
    [spec] = [r.exec for r in project.services["web"].watch if r.exec is not None]
    assert spec == Hook(("kill", "-HUP", "1"), user="root", environment={"MODE": "dev"})


def test_classification_through_adapter_rules(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / ".dockerignore").write_text("**/*.pyc\n")
    triggers = build_triggers(load_project(tmp_path))
    src = tmp_path / "web" / "src"
    result = classify(batch(str(src / "a.py"), str(src / "b.pyc"), str(src / "tests" / "t.py"),
                            str(src / "README.md"), str(tmp_path / "db" / "wal"), str(tmp_path / ".env")),
                      triggers)
    assert result.reload is not None and result.reload.paths == (str(tmp_path / ".env"),)
    (web,) = result.actions
    assert web.action is Action.SYNC_EXEC
    assert [c.path for c in web.matches[0].changes] == [str(src / "a.py")]


def test_selected_services_and_env_files(tmp_path: Path) -> None:
    project = load_project(tmp_path)
    triggers = build_triggers(project, ["api"], env_files=["custom.env"])
    assert triggers.watch == [] and [m.service for m in triggers.bind_mounts] == ["api"]
    assert list(triggers.config_files) == [str(tmp_path / "compose.yaml"), os.path.abspath("custom.env")]
    with pytest.raises(ConfigError) as info:
        build_triggers(project, ["nope"])
    assert info.value.message == "no such service: nope"
    assert info.value.hint == "services: api, db, web, worker"


def test_dependents_map(tmp_path: Path) -> None:
    assert dependents(load_project(tmp_path)) == {"api": ("worker",), "db": ("api",)}


def test_bind_mount_of_the_project_dir_itself_counts() -> None:
    svc = Service("app", image="x", mounts=(Mount("bind", "/app", "/w"), Mount("bind", "/etc/x", "/etc/x")))
    triggers = build_triggers(Project("p", "/w", services={"app": svc}))
    assert list(triggers.bind_mounts) == [BindMountTrigger("app", "/w", "/app")]


def test_invalid_rules_are_config_errors() -> None:
    bad = Service("s", image="x", watch=(WatchRule("/w/a", "sync+exec", target="/a"),))
    with pytest.raises(ConfigError) as info:
        build_triggers(Project("p", "/w", services={"s": bad}))
    assert str(info.value) == "services.s.develop.watch[0]: action sync+exec needs an `exec.command`"
    odd = Service("s", image="x", watch=(WatchRule("/w/a", "teleport"),))
    with pytest.raises(ConfigError) as info:
        build_triggers(Project("p", "/w", services={"s": odd}))
    assert str(info.value) == "services.s.develop.watch[0].action: unknown watch action 'teleport'"


def test_dockerignore_only_for_rules_inside_the_build_context(tmp_path: Path) -> None:
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / ".dockerignore").write_text("*.log\n")
    svc = Service("s", build=Build(str(ctx)), watch=(WatchRule(str(ctx / "src"), "sync", target="/src"),
                                                     WatchRule(str(tmp_path / "other"), "sync", target="/o")))
    inside, outside = build_triggers(Project("p", str(tmp_path), services={"s": svc})).watch
    assert inside.dockerignore is not None and outside.dockerignore is None


def test_restart_true_dependency_model() -> None:
    svc = Service("b", image="x", depends_on=(DependsOn("a", restart=True), DependsOn("c")))
    assert dependents(Project("p", "/w", services={"b": svc})) == {"a": ("b",)}
