from __future__ import annotations

from pathlib import Path

import pytest

from compose_lite.errors import ConfigError
from compose_lite.watch.debounce import Batch, Change, ChangeKind
from compose_lite.watch.filters import PatternSet
from compose_lite.watch.rules import (
    Action,
    BindMountTrigger,
    Classification,
    ReloadConfig,
    RuleMatch,
    ServiceAction,
    Triggers,
    WatchTrigger,
    classify,
    container_path,
    initial_sync,
    restart_dependents,
)

C, M, D = ChangeKind.CREATED, ChangeKind.MODIFIED, ChangeKind.DELETED


def batch(*changes: Change, rescan: bool = False) -> Batch:
    return Batch(tuple(sorted(changes, key=lambda c: c.path)), rescan, 0.0, 0.05, len(changes))


def sync(service: str, path: str, target: str, **kw: object) -> WatchTrigger:
    return WatchTrigger(service, path, Action.SYNC, target, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("host", "rule_path", "target", "expected"),
    [
        ("/p/src/app.py", "/p/src", "/app", "/app/app.py"),
        ("/p/src/a/b/c.py", "/p/src", "/app/", "/app/a/b/c.py"),
        ("/p/src", "/p/src", "/app", "/app"),
        ("/p/config.json", "/p/config.json", "/etc/app/config.json", "/etc/app/config.json"),
        ("/p/src/x", "/p/src", "/srv/./www/../app", "/srv/app/x"),
    ],
)
def test_container_path_maps_under_target(host: str, rule_path: str, target: str, expected: str) -> None:
    assert container_path(host, sync("web", rule_path, target)) == expected


def test_container_path_refuses_paths_outside_the_rule() -> None:
    with pytest.raises(ValueError) as info:
        container_path("/p/other/x", sync("web", "/p/src", "/app"))
    assert str(info.value) == "/p/other/x is not under /p/src"


def test_sync_rule_without_target_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as info:
        Triggers(watch=[WatchTrigger("web", "/p/src", Action.SYNC_RESTART)])
    assert str(info.value) == (
        "services.web.develop.watch: watch rule on /p/src has action sync+restart but no target"
    )
    assert info.value.hint == "set `target:` to the container path the files are synced to"


def test_sync_rule_yields_matches_with_container_paths() -> None:
    t = sync("web", "/p/src", "/app")
    result = classify(batch(Change("/p/src/a.py", M), Change("/p/src/b.py", D)), Triggers(watch=[t]))
    (action,) = result.actions
    assert action == ServiceAction(
        "web",
        Action.SYNC,
        (RuleMatch(t, (Change("/p/src/a.py", M), Change("/p/src/b.py", D))),),
        paths=("/p/src/a.py", "/p/src/b.py"),
    )
    assert [action.matches[0].container_path(c.path) for c in action.matches[0].changes] == [
        "/app/a.py",
        "/app/b.py",
    ]
    assert result.reload is None


def test_only_matching_services_get_actions() -> None:
    triggers = Triggers(
        watch=[sync("web", "/p/web", "/app"), WatchTrigger("api", "/p/api", Action.RESTART)],
        bind_mounts=[BindMountTrigger("worker", "/p/worker", "/code")],
    )
    result = classify(batch(Change("/p/web/index.html", M), Change("/p/README.md", M)), triggers)
    assert [a.service for a in result.actions] == ["web"]


def test_strongest_action_wins_per_service() -> None:
    s = sync("web", "/p/src", "/app")
    triggers = Triggers(
        watch=[
            s,
            WatchTrigger("web", "/p/package.json", Action.REBUILD),
            WatchTrigger("web", "/p/conf", Action.RESTART),
        ]
    )
    only_sync = classify(batch(Change("/p/src/a.js", M)), triggers).actions
    assert [(a.service, a.action) for a in only_sync] == [("web", Action.SYNC)]
    sync_and_restart = classify(batch(Change("/p/src/a.js", M), Change("/p/conf/x.ini", M)), triggers)
    (action,) = sync_and_restart.actions
    # The restart must not lose the synced file: both together are sync+restart.
    assert action.action is Action.SYNC_RESTART
    assert action.matches == (RuleMatch(s, (Change("/p/src/a.js", M),)),)
    assert action.paths == ("/p/conf/x.ini", "/p/src/a.js")
    everything = classify(
        batch(Change("/p/src/a.js", M), Change("/p/conf/x.ini", M), Change("/p/package.json", M)), triggers
    )
    assert everything.actions == (
        ServiceAction("web", Action.REBUILD, paths=("/p/conf/x.ini", "/p/package.json", "/p/src/a.js")),
    )


def test_restart_rule_alone_is_restart() -> None:
    triggers = Triggers(watch=[WatchTrigger("web", "/p/conf", Action.RESTART)])
    (action,) = classify(batch(Change("/p/conf/x.ini", M)), triggers).actions
    assert action == ServiceAction("web", Action.RESTART, paths=("/p/conf/x.ini",))


def test_sync_restart_rule() -> None:
    t = WatchTrigger("web", "/p/src", Action.SYNC_RESTART, "/app")
    (action,) = classify(batch(Change("/p/src/x", C)), Triggers(watch=[t])).actions
    assert action.action is Action.SYNC_RESTART and action.matches == (
        RuleMatch(t, (Change("/p/src/x", C),)),
    )


def test_sync_exec_collects_commands_in_rule_order() -> None:
    a = WatchTrigger("web", "/p/a", Action.SYNC_EXEC, "/a", exec_command=("kill", "-HUP", "1"))
    b = WatchTrigger("web", "/p/b", Action.SYNC_EXEC, "/b", exec_command=("touch", "/tmp/reload"))
    c = sync("web", "/p/c", "/c")
    result = classify(
        batch(Change("/p/a/1", M), Change("/p/b/2", M), Change("/p/c/3", M)), Triggers([a, b, c])
    )
    (action,) = result.actions
    assert action.action is Action.SYNC_EXEC
    assert action.exec_commands == (("kill", "-HUP", "1"), ("touch", "/tmp/reload"))
    assert [m.trigger for m in action.matches] == [a, b, c]


def test_rule_ignore_include_and_dockerignore_apply(tmp_path: Path) -> None:
    root = str(tmp_path / "src")
    t = WatchTrigger(
        "web",
        root,
        Action.SYNC,
        "/app",
        ignore=("node_modules/",),
        include=("**/*.js",),
        dockerignore=PatternSet(str(tmp_path), ("src/dist",)),
    )
    changes = [
        Change(f"{root}/lib/a.js", M),
        Change(f"{root}/node_modules/x/i.js", M),
        Change(f"{root}/dist/bundle.js", M),
        Change(f"{root}/README.md", M),
        Change(f"{root}/.git/index", M),
        Change(f"{root}/lib/.a.js.swp", M),
    ]
    (action,) = classify(batch(*changes), Triggers(watch=[t])).actions
    assert action.paths == (f"{root}/lib/a.js",)


def test_all_ignored_changes_produce_no_action() -> None:
    triggers = Triggers(watch=[sync("web", "/p", "/app")], bind_mounts=[BindMountTrigger("db", "/q", "/x")])
    result = classify(
        batch(Change("/p/.git/HEAD", M), Change("/q/.git/index", M), Change("/p/4913", C)), triggers
    )
    assert result == Classification(None, ())
    assert result.empty


def test_bind_mount_restarts_services_without_watch_rules() -> None:
    triggers = Triggers(
        watch=[sync("web", "/p/web", "/app")],
        bind_mounts=[
            BindMountTrigger("api", "/p/api", "/srv"),
            BindMountTrigger("web", "/p/web", "/usr/share/nginx/html"),  # web follows its own rules
            BindMountTrigger("db", "/p/data", "/var/lib/db"),  # opted out
            BindMountTrigger("cfg", "/p/nginx.conf", "/etc/nginx/nginx.conf"),  # a file mount
        ],
        opted_out=frozenset({"db"}),
    )
    changes = [
        Change("/p/api/main.py", M),
        Change("/p/web/index.html", M),
        Change("/p/data/base/1", M),
        Change("/p/nginx.conf", M),
    ]
    result = classify(batch(*changes), triggers)
    assert [(a.service, a.action, a.paths) for a in result.actions] == [
        ("api", Action.RESTART, ("/p/api/main.py",)),
        ("cfg", Action.RESTART, ("/p/nginx.conf",)),
        ("web", Action.SYNC, ("/p/web/index.html",)),
    ]


def test_watched_roots_skip_opted_out_and_ruled_mounts() -> None:
    triggers = Triggers(
        watch=[sync("web", "/p/web", "/app")],
        bind_mounts=[
            BindMountTrigger("api", "/p/api", "/srv"),
            BindMountTrigger("web", "/p/static", "/s"),
            BindMountTrigger("db", "/p/data", "/d"),
        ],
        config_files=["/p/compose.yaml", "/p/.env"],
        opted_out=frozenset({"db"}),
    )
    assert triggers.watched_roots() == ("/p/.env", "/p/api", "/p/compose.yaml", "/p/web")


def test_config_file_change_reloads() -> None:
    triggers = Triggers(watch=[sync("web", "/p", "/app")], config_files=["/p/compose.yaml", "/p/.env"])
    result = classify(batch(Change("/p/compose.yaml", M), Change("/p/.env", C)), triggers)
    assert result.reload == ReloadConfig(("/p/.env", "/p/compose.yaml"))
    # The rule on the project dir still syncs those files like any other.
    assert [a.paths for a in result.actions] == [("/p/.env", "/p/compose.yaml")]


def test_rescan_batch_acts_on_every_root() -> None:
    s = sync("web", "/p/web", "/app")
    triggers = Triggers(
        watch=[s, WatchTrigger("api", "/p/api", Action.REBUILD)],
        bind_mounts=[BindMountTrigger("worker", "/p/worker", "/w")],
        config_files=["/p/compose.yaml"],
    )
    result = classify(batch(rescan=True), triggers)
    assert result.reload == ReloadConfig(("/p/compose.yaml",))
    assert [(a.service, a.action) for a in result.actions] == [
        ("api", Action.REBUILD),
        ("web", Action.SYNC),
        ("worker", Action.RESTART),
    ]
    assert result.actions[1].matches == (RuleMatch(s, (Change("/p/web", M, is_dir=True),)),)


def test_initial_sync_copies_whole_trees_without_restarting() -> None:
    a = WatchTrigger("web", "/p/web", Action.SYNC_RESTART, "/app", initial_sync=True)
    b = WatchTrigger("web", "/p/other", Action.SYNC, "/o")  # no initial_sync
    c = WatchTrigger("api", "/p/api", Action.REBUILD, initial_sync=True)  # not a sync action
    assert initial_sync(Triggers(watch=[a, b, c])) == (
        ServiceAction(
            "web", Action.SYNC, (RuleMatch(a, (Change("/p/web", M, is_dir=True),)),), paths=("/p/web",)
        ),
    )


def test_restart_dependents_transitively_and_only_when_restarting() -> None:
    dependents = {"db": ["api"], "api": ["web", "worker"], "cache": ["api"]}
    actions = [
        ServiceAction("db", Action.RESTART, paths=("/p/db.conf",)),
        ServiceAction("worker", Action.REBUILD, paths=("/p/w",)),
    ]
    result = restart_dependents(actions, dependents)
    assert [(a.service, a.action, a.because_of) for a in result] == [
        ("api", Action.RESTART, "db"),
        ("db", Action.RESTART, None),
        ("web", Action.RESTART, "api"),
        ("worker", Action.REBUILD, None),  # its own stronger action is kept
    ]
    assert restart_dependents([ServiceAction("cache", Action.SYNC)], dependents) == (
        ServiceAction("cache", Action.SYNC),
    )


def test_restart_dependent_that_was_syncing_keeps_its_files() -> None:
    s = sync("api", "/p/api", "/app")
    own = ServiceAction("api", Action.SYNC, (RuleMatch(s, (Change("/p/api/x", M),)),), paths=("/p/api/x",))
    result = restart_dependents([ServiceAction("db", Action.RESTART), own], {"db": ["api"]})
    assert result[0] == ServiceAction("api", Action.SYNC_RESTART, own.matches, paths=("/p/api/x",))


def test_restart_dependents_survive_cycles() -> None:
    result = restart_dependents([ServiceAction("a", Action.RESTART)], {"a": ["b"], "b": ["a"]})
    assert [(x.service, x.because_of) for x in result] == [("a", None), ("b", "a")]
