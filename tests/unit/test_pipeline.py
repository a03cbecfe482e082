from __future__ import annotations

from pathlib import Path

import pytest

from compose_lite.errors import ConfigErrors
from compose_lite.loader.pipeline import load
from compose_lite.loader.request import LoadRequest


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _load(root: Path, *files: str, **kw: object) -> dict:
    request = LoadRequest(files=files, cwd=str(root), environ={"HOME": "/home/u", **kw.pop("env", {})},
                          **kw)  # type: ignore[arg-type]
    return load(request).model


def test_single_file_canonical_model(tmp_path: Path) -> None:
    _write(tmp_path, "compose.yaml", "services:\n  web:\n    image: nginx:${TAG:-1}\n"
                                     "    ports: ['8080:80']\n    volumes: ['data:/d', './src:/s']\n"
                                     "volumes:\n  data:\n")
    model = _load(tmp_path, project_name="demo")
    assert model == {
        "name": "demo",
        "services": {"web": {
            "image": "nginx:1",
            "ports": [{"mode": "ingress", "protocol": "tcp", "published": "8080", "target": 80}],
            "volumes": [
                {"source": "data", "target": "/d", "type": "volume", "volume": {}},
                {"source": f"{tmp_path}/src", "target": "/s", "type": "bind",
                 "bind": {"create_host_path": True}},
            ],
            "networks": {"default": None},
        }},
        "volumes": {"data": {"name": "demo_data"}},
        "networks": {"default": {"ipam": {}, "name": "demo_default"}},
    }


def test_override_file_merges_and_env_file_folds_into_environment(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "name: proj\nservices:\n  web:\n    image: a\n    env_file: web.env\n"
                               "    environment: [X=1, FROM_SHELL]\n")
    _write(tmp_path, "b.yaml", "services:\n  web:\n    image: b\n    environment: {Y: 2}\n")
    _write(tmp_path, "web.env", "X=0\nZ=${X:-z}\n")
    loaded = load(LoadRequest(files=("a.yaml", "b.yaml"), cwd=str(tmp_path), environ={"FROM_SHELL": "s"}))
    assert loaded.name == "proj"
    web = loaded.model["services"]["web"]
    assert web["image"] == "b"
    # values in an env file see the service's own entries before the file's earlier lines (Compose v2.40)
    assert web["environment"] == {"X": "1", "Z": "1", "FROM_SHELL": "s", "Y": "2"}
    assert "env_file" not in web


def test_profiles_filter_services(tmp_path: Path) -> None:
    _write(tmp_path, "compose.yaml",
           "services:\n  a:\n    image: x\n  b:\n    image: x\n    profiles: [dbg]\n")
    loaded = load(LoadRequest(cwd=str(tmp_path), project_name="p"))
    assert list(loaded.model["services"]) == ["a"]
    assert list(loaded.disabled_services) == ["b"]
    loaded = load(LoadRequest(cwd=str(tmp_path), project_name="p", profiles=("dbg",)))
    assert list(loaded.model["services"]) == ["a", "b"]


def test_naming_a_service_its_profiles_disable_turns_its_profiles_on(tmp_path: Path) -> None:
    # `docker compose run migrate` runs a `tools` service without --profile tools, and the other
    # services of that profile (its dependencies among them) come with it.
    _write(tmp_path, "compose.yaml",
           "services:\n  app:\n    image: x\n"
           "  migrate:\n    image: x\n    profiles: [tools]\n    depends_on: [seed]\n"
           "  seed:\n    image: x\n    profiles: [tools]\n"
           "  dbg:\n    image: x\n    profiles: [debug]\n")
    loaded = load(LoadRequest(cwd=str(tmp_path), project_name="p", services=("migrate", "app", "nosuch")))
    assert list(loaded.model["services"]) == ["app", "migrate", "seed"]
    assert list(loaded.disabled_services) == ["dbg"] and loaded.active_profiles == ["tools"]


def test_reference_errors_are_collected_with_positions(tmp_path: Path) -> None:
    path = _write(tmp_path, "compose.yaml",
                  "services:\n  web:\n    image: x\n    networks: [frontnet]\n    depends_on: [db]\n"
                  "networks:\n  front-net: {}\n")
    with pytest.raises(ConfigErrors) as info:
        _load(tmp_path, project_name="p")
    assert str(info.value) == (
        f"{path}:4:15: services.web.networks.frontnet: network 'frontnet' is not declared\n"
        f"{path}:5:17: services.web.depends_on.db: service 'web' depends on undefined service 'db'"
    )
    assert info.value.errors[0].hint == (
        "did you mean 'front-net'? (or declare it in the top-level `networks:` section)"
    )


def test_dependency_cycle_is_shown_as_a_path(tmp_path: Path) -> None:
    _write(tmp_path, "compose.yaml", "services:\n  a:\n    image: x\n    depends_on: [b]\n"
                                     "  b:\n    image: x\n    depends_on: [a]\n")
    with pytest.raises(ConfigErrors) as info:
        _load(tmp_path, project_name="p")
    assert info.value.errors[-1].message == "dependency cycle detected: a -> b -> a"


def test_version_is_dropped_with_a_warning(tmp_path: Path) -> None:
    _write(tmp_path, "compose.yaml", "version: '3'\nservices:\n  a:\n    image: x\n")
    loaded = load(LoadRequest(cwd=str(tmp_path), project_name="p"))
    assert "version" not in loaded.model
    assert [w.message for w in loaded.warnings] == [
        "the attribute `version` is obsolete, it will be ignored, "
        "please remove it to avoid potential confusion"
    ]


def test_unused_resources_are_dropped(tmp_path: Path) -> None:
    _write(tmp_path, "compose.yaml", "services:\n  a:\n    image: x\n    network_mode: host\n"
                                     "volumes:\n  unused: {}\nnetworks:\n  lonely: {}\n")
    model = _load(tmp_path, project_name="p")
    assert set(model) == {"name", "services"}


def test_malformed_fields_are_all_reported_with_positions(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: x\n    ports: ['80-79:80']\n    mem_limit: 12zb\n"
    )
    with pytest.raises(ConfigErrors) as info:
        load(LoadRequest(cwd=str(tmp_path), environ={}, project_name="p"))
    file = str(tmp_path / "compose.yaml")
    assert [str(e) for e in info.value.errors] == [
        f"{file}:4:12: services.web.ports: invalid port range '80-79' in '80-79:80'",
        f"{file}:5:16: services.web.mem_limit: invalid size: '12zb'",
    ]


def test_values_that_cannot_be_cast_are_all_reported_once(tmp_path: Path) -> None:
    # compose-go: "failed to cast to expected type"; the schema does not repeat the complaint
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: x\n    init: yes please\n    healthcheck:\n      retries: twenty\n"
        "    ports: [{target: abc}]\n"
    )
    with pytest.raises(ConfigErrors) as info:
        load(LoadRequest(cwd=str(tmp_path), environ={}, project_name="p"))
    file = str(tmp_path / "compose.yaml")
    assert [str(e) for e in info.value.errors] == [
        f"{file}:4:11: services.web.init: failed to cast to expected type: invalid boolean: yes please",
        f"{file}:6:16: services.web.healthcheck.retries: failed to cast to expected type: "
        'strconv.Atoi: parsing "twenty": invalid syntax',
        f"{file}:7:22: services.web.ports[0].target: failed to cast to expected type: "
        'strconv.Atoi: parsing "abc": invalid syntax',
    ]
    assert info.value.errors[0].hint == "this field is a boolean: true or false"


def test_typed_fields_from_variables_are_cast(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: x\n    privileged: ${PRIV:-no}\n    read_only: ${RO}\n"
        "    init: 'false'\n    tty: ${T:-Yes}\n    scale: ${N}\n    cpus: ${C}\n    pids_limit: '0'\n"
        "networks:\n  default:\n    internal: ${RO}\n"
    )
    model = load(LoadRequest(cwd=str(tmp_path), environ={"RO": "false", "N": "2", "C": "1.5"},
                             project_name="p")).model
    web = model["services"]["web"]
    # privileged/read_only false and pids_limit 0 are zero values Compose leaves out; init is a pointer
    keys = ("privileged", "read_only", "init", "tty", "scale", "cpus", "pids_limit")
    assert {k: web.get(k) for k in keys} \
        == {"privileged": None, "read_only": None, "init": False, "tty": True, "scale": 2, "cpus": 1.5,
            "pids_limit": None}
    assert "internal" not in model["networks"]["default"]
