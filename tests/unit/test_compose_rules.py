"""compose-go's loader rules, one test per rule, each named after it (checked against Docker
Compose v2.40.3; the differential test in tests/differential compares many more cases)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compose_lite.errors import ConfigError, ConfigErrors
from compose_lite.loader.pipeline import load
from compose_lite.loader.request import LoadRequest
from compose_lite.loader.short_syntax import parse_volume


def _write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _load(root: Path, *files: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    request = LoadRequest(
        files=files, cwd=str(root), environ={"HOME": "/home/u", **(env or {})}, project_name="p"
    )
    return load(request).model


def _service(root: Path, body: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    _write(root, "compose.yaml", "services:\n  web:\n    image: x\n" + body)
    return _load(root, env=env)["services"]["web"]


def _errors(root: Path, *files: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        _load(root, *files, env=env)
    errors = info.value.errors if isinstance(info.value, ConfigErrors) else [info.value]
    return [f"{e.path}: {e.message}" for e in errors]


def test_zero_values_of_plain_fields_are_left_out_pointer_fields_kept(tmp_path: Path) -> None:
    web = _service(
        tmp_path,
        "    read_only: false\n    privileged: 'no'\n    cpus: 0\n    mem_limit: 0\n"
        "    init: false\n    scale: 0\n    user: '0'\n    stop_grace_period: 0s\n",
    )
    assert {k: web[k] for k in ("init", "scale", "user", "stop_grace_period")} == {
        "init": False,
        "scale": 0,
        "user": "0",
        "stop_grace_period": "0s",
    }
    assert not {"read_only", "privileged", "cpus", "mem_limit"} & set(web)


def test_false_flags_and_empty_names_of_networks_are_left_out(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "compose.yaml",
        "services:\n  web:\n    image: x\n    networks: [n]\n"
        "networks:\n  n:\n    external: false\n    internal: 'false'\n"
        "    name: ${UNSET}\n    enable_ipv6: false\n",
    )
    # an empty name is left out, and not replaced by the default one (the engine side names it p_n)
    assert _load(tmp_path)["networks"]["n"] == {"enable_ipv6": False}


def test_environment_entries_are_data_never_dropped_as_zero(tmp_path: Path) -> None:
    web = _service(tmp_path, "    environment:\n      EMPTY: ''\n      ZERO: 0\n      NONE:\n")
    assert web["environment"] == {"EMPTY": "", "ZERO": "0", "NONE": None}


def test_reset_on_one_key_of_a_mapping_removes_the_key(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "compose.yaml",
        "services:\n  web:\n    image: x\n    environment:\n      DROP: v\n"
        "      KEEP: k\n    build:\n      context: .\n      args:\n        X: 1\n",
    )
    _write(
        tmp_path,
        "override.yaml",
        "services:\n  web:\n    environment:\n      DROP: !reset null\n"
        "    build:\n      args:\n        X: !reset\n",
    )
    web = _load(tmp_path, "compose.yaml", "override.yaml")["services"]["web"]
    assert web["environment"] == {"KEEP": "k"}
    assert "args" not in web["build"] or web["build"]["args"] == {}


def test_build_arg_without_value_takes_the_variable_or_is_dropped(tmp_path: Path) -> None:
    web = _service(
        tmp_path, "    build:\n      context: .\n      args: [SET, UNSET, LIT=1]\n", env={"SET": "v"}
    )
    assert web["build"]["args"] == {"SET": "v", "LIT": "1"}


def test_tmpfs_size_is_printed_in_bytes(tmp_path: Path) -> None:
    web = _service(
        tmp_path, "    volumes:\n      - type: tmpfs\n        target: /t\n        tmpfs: {size: 16m}\n"
    )
    assert web["volumes"][0]["tmpfs"] == {"size": str(16 << 20)}


def test_device_count_all_is_minus_one_and_the_default(tmp_path: Path) -> None:
    web = _service(
        tmp_path,
        "    deploy:\n      resources:\n        reservations:\n          devices:\n"
        "            - {capabilities: [gpu], count: all}\n            - {capabilities: [gpu]}\n"
        "            - {capabilities: [gpu], count: '2'}\n",
    )
    devices = web["deploy"]["resources"]["reservations"]["devices"]
    assert [d["count"] for d in devices] == [-1, -1, 2]


def test_network_attachment_driver_opts_are_strings(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "compose.yaml",
        "services:\n  web:\n    image: x\n    networks:\n      n:\n"
        "        driver_opts: {mtu: 1450}\nnetworks:\n  n: {}\n",
    )
    assert _load(tmp_path)["services"]["web"]["networks"]["n"]["driver_opts"] == {"mtu": "1450"}


def test_extra_hosts_are_sorted(tmp_path: Path) -> None:
    web = _service(tmp_path, "    extra_hosts: ['z:1.1.1.1', 'a=2.2.2.2', 'm:::1']\n")
    assert web["extra_hosts"] == ["a=2.2.2.2", "m=::1", "z=1.1.1.1"]


def test_container_paths_are_cleaned_sources_keep_their_spelling(tmp_path: Path) -> None:
    web = _service(
        tmp_path,
        "    volumes:\n      - type: bind\n        source: /src//a/\n        target: //var/run/x\n"
        "      - /c//d/:/e//f/\n",
    )
    assert [(v["source"], v["target"]) for v in web["volumes"]] == [
        ("/src//a/", "/var/run/x"),
        ("/c//d/", "/e/f"),
    ]


def test_short_volume_syntax_takes_a_drive_letter_in_any_part() -> None:
    assert parse_volume("x:/from-var") == {"target": "x:/from-var", "type": "volume", "volume": {}}
    assert parse_volume("c:/src:/dst:ro")["source"] == "c:/src"
    assert parse_volume("ab") == {"type": "volume", "target": "ab", "volume": {}}
    assert parse_volume("./a:/b:rw") == {
        "source": "./a",
        "target": "/b",
        "read_only": False,
        "type": "bind",
        "bind": {"create_host_path": True},
    }


def test_dotenv_lines_see_the_shell_before_earlier_lines(tmp_path: Path) -> None:
    _write(tmp_path, ".env", "B=from-file\nC=${B}-x\n")
    web = _service(tmp_path, "    environment:\n      C: ${C}\n", env={"B": "shell"})
    assert web["environment"] == {"C": "shell-x"}


def test_included_env_file_only_fills_what_the_includer_leaves_unset(tmp_path: Path) -> None:
    _write(tmp_path, ".env", "A=root\n")
    _write(tmp_path, "inc/.env", "A=inc\nB=inc-b\n")
    _write(
        tmp_path,
        "inc/compose.yaml",
        "services:\n  i:\n    image: x\n    environment:\n      A: $A\n      B: $B\n",
    )
    _write(tmp_path, "compose.yaml", "include: [inc/compose.yaml]\nservices:\n  web:\n    image: x\n")
    assert _load(tmp_path)["services"]["i"]["environment"] == {"A": "root", "B": "inc-b"}


def test_a_file_with_only_comments_is_accepted_among_several_not_alone(tmp_path: Path) -> None:
    _write(tmp_path, "compose.yaml", "services:\n  web:\n    image: x\n")
    _write(tmp_path, "empty.yaml", "# nothing yet\n")
    assert "web" in _load(tmp_path, "compose.yaml", "empty.yaml")["services"]
    assert _errors(tmp_path, "empty.yaml") == ["None: empty compose file"]


def test_label_file_is_folded_into_labels_inline_labels_win(tmp_path: Path) -> None:
    _write(tmp_path, "l.env", "A=1\nB=${A}-x\nD\n")
    web = _service(tmp_path, "    label_file: l.env\n    labels: {A: inline}\n", env={"D": "shell"})
    assert web["labels"] == {"A": "inline", "B": "1-x"} and "label_file" not in web


def test_scale_fills_replicas_of_an_existing_deploy_section(tmp_path: Path) -> None:
    web = _service(tmp_path, "    scale: 2\n    deploy: {resources: {}}\n")
    assert web["deploy"]["replicas"] == 2


def test_a_zero_ulimit_prints_as_an_empty_pair(tmp_path: Path) -> None:
    web = _service(tmp_path, "    ulimits:\n      nproc: 0\n      nofile: {soft: 0, hard: 10}\n")
    assert web["ulimits"] == {"nproc": {}, "nofile": {"hard": 10}}


def test_durations_take_days_and_weeks(tmp_path: Path) -> None:
    web = _service(tmp_path, "    stop_grace_period: 1d\n    healthcheck:\n      interval: 1w\n")
    assert (web["stop_grace_period"], web["healthcheck"]["interval"]) == ("24h0m0s", "168h0m0s")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "    cpus: 1\n    deploy: {resources: {limits: {cpus: '2'}}}\n",
            "services.web: can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'",
        ),
        (
            "    mem_limit: 1g\n    deploy: {resources: {limits: {memory: 512m}}}\n",
            "services.web: can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory'",
        ),
        (  # a block without the key holds 0 for compose-go
            "    mem_limit: 1g\n    deploy: {resources: {limits: {}}}\n",
            "services.web: can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory'",
        ),
        (
            "    mem_reservation: 2kb\n    deploy: {resources: {reservations: {cpus: '1'}}}\n",
            "services.web: can't set distinct values on 'mem_reservation' and "
            "'deploy.resources.reservations.memory'",
        ),
        (
            "    scale: 2\n    deploy: {replicas: 3}\n",
            "services.web: can't set distinct values on 'scale' and 'deploy.replicas'",
        ),
        ("    scale: -1\n", "services.web.scale: must be greater than or equal to 0"),
        (
            "    healthcheck: {retries: -1}\n",
            "services.web.healthcheck.retries: -1 is negative: the field holds a count",
        ),
        (
            "    container_name: cc\n    scale: 2\n",
            "services.web.container_name: "
            "can't set container_name and run 2 replicas: container names must be unique",
        ),
        (
            "    network_mode: host\n    networks: [default]\n",
            "services.web: network_mode and networks are mutually exclusive",
        ),
    ],
)
def test_conflicts_compose_rejects(tmp_path: Path, body: str, message: str) -> None:
    _write(tmp_path, "compose.yaml", "services:\n  web:\n    image: x\n" + body)
    assert _errors(tmp_path) == [message]


def test_equal_values_set_twice_are_accepted(tmp_path: Path) -> None:
    web = _service(
        tmp_path,
        "    cpus: 0.5\n    mem_limit: 1g\n    deploy: {resources: {limits: {cpus: '0.5', memory: 1024m}}}\n",
    )
    assert web["cpus"] == 0.5


def test_an_external_volume_takes_only_a_name(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "compose.yaml",
        "services:\n  web:\n    image: x\n    volumes: [v:/v]\n"
        "volumes:\n  v:\n    external: true\n    driver: local\n",
    )
    assert _errors(tmp_path) == ['volumes.v: conflicting parameters "external" and "driver" specified']


def test_container_names_are_unique_across_services(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "compose.yaml",
        "services:\n  a:\n    image: x\n    container_name: cc\n  b:\n    image: x\n    container_name: cc\n",
    )
    assert _errors(tmp_path) == [
        "services.b.container_name: container name 'cc' is already used by service 'a'"
    ]


def test_build_context_defaults_after_the_merge(tmp_path: Path) -> None:
    _write(tmp_path, "compose.yaml", "services:\n  web:\n    build: ./app\n")
    _write(tmp_path, "compose.override.yaml", "services:\n  web:\n    build: {target: dev}\n")
    web = _load(tmp_path)["services"]["web"]
    assert (web["build"]["context"], web["build"]["target"]) == (f"{tmp_path}/app", "dev")


def test_top_level_name_is_normalized_and_is_what_files_see_as_project_name(tmp_path: Path) -> None:
    _write(tmp_path, ".env", "COMPOSE_PROJECT_NAME_IGNORED=1\n")
    _write(
        tmp_path,
        "compose.yaml",
        "name: My_App.1\nservices:\n  web:\n    image: x\n"
        "    environment: {P: '${COMPOSE_PROJECT_NAME:-unset}'}\n",
    )
    loaded = load(LoadRequest(cwd=str(tmp_path), environ={"COMPOSE_PROJECT_NAME_X": "y"}))
    assert loaded.name == "my_app1"
    assert loaded.model["services"]["web"]["environment"] == {"P": "my_app1"}
    flagged = load(LoadRequest(cwd=str(tmp_path), environ={}, project_name="flag"))
    assert flagged.model["services"]["web"]["environment"] == {"P": "flag"}


def test_env_file_values_see_the_service_environment_then_their_own_lines(tmp_path: Path) -> None:
    _write(tmp_path, "a.env", "HOST=a\n")
    _write(tmp_path, "b.env", "HOST=b\nURL=http://${HOST}:${PORT}\n")
    web = _service(tmp_path, "    env_file: [a.env, b.env]\n    environment: {PORT: '8080'}\n")
    assert web["environment"]["URL"] == "http://b:8080"


def test_a_null_in_an_override_keeps_the_value_a_null_entry_replaces(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "a.yaml",
        "services:\n  web:\n    image: x\n    environment: {A: 1, B: 2}\n    restart: always\n",
    )
    _write(tmp_path, "b.yaml", "services:\n  web:\n    restart:\n    environment:\n      B:\n")
    web = _load(tmp_path, "a.yaml", "b.yaml")["services"]["web"]
    assert (web["restart"], web["environment"]) == ("always", {"A": "1", "B": None})


def test_a_tag_on_one_list_item(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "services:\n  web:\n    image: x\n    ports: ['80:80', '81:81']\n")
    _write(
        tmp_path,
        "b.yaml",
        "services:\n  web:\n    ports: [!reset '80:80']\n    volumes: [!override ./c:/a]\n",
    )
    web = _load(tmp_path, "a.yaml", "b.yaml")["services"]["web"]
    assert [p["target"] for p in web["ports"]] == [80, 81]
    assert web["volumes"][0]["source"] == f"{tmp_path}/c"


def test_floats_in_string_maps_are_written_as_go_does(tmp_path: Path) -> None:
    web = _service(tmp_path, "    environment: {A: 1234567.0, B: 1.0, C: 0.00001, D: .inf, E: 123456.5}\n")
    assert web["environment"] == {"A": "1.234567e+06", "B": "1", "C": "1e-05", "D": "+Inf", "E": "123456.5"}


def test_short_ports_split_like_docker(tmp_path: Path) -> None:
    web = _service(tmp_path, "    ports: ['::1:92:92', '53:53/UDP']\n")
    assert [(p.get("host_ip"), p["target"], p["protocol"]) for p in web["ports"]] == [
        ("::1", 92, "tcp"),
        (None, 53, "udp"),
    ]


def test_unquoted_dates_are_refused_where_strings_go_and_rfc3339_in_extensions(tmp_path: Path) -> None:
    _write(tmp_path, "compose.yaml", "x-when: 2001-12-14\nservices:\n  web:\n    image: x\n")
    assert _load(tmp_path)["x-when"] == "2001-12-14T00:00:00Z"
    _write(tmp_path, "compose.yaml", "x-when: [2001-12-14t21:59:43.10-05:00, 2002-12-14 21:59:43.000000001, "
                                     "2001-1-2 3:04:05 +0]\nservices:\n  web:\n    image: x\n")
    assert _load(tmp_path)["x-when"] == [  # Go's time.Time: nanoseconds, the offset as written
        "2001-12-14T21:59:43.1-05:00", "2002-12-14T21:59:43.000000001Z",
        "2001-1-2 3:04:05 +0"]  # not one of yaml.v3's time layouts: a string
    _write(tmp_path, "compose.yaml", "services:\n  web:\n    image: x\n    environment: {R: 2024-01-15}\n")
    assert _errors(tmp_path) == ["services.web.environment.R: 2024-01-15 is a date, not a string"]


def test_provider_services_need_no_image_and_get_no_network(tmp_path: Path) -> None:
    _write(tmp_path, "compose.yaml", "services:\n  db:\n    provider: {type: cloud, options: {size: 256}}\n")
    db = _load(tmp_path)["services"]["db"]
    assert db == {"provider": {"type": "cloud", "options": {"size": ["256"]}}}


def test_a_bind_volume_device_is_resolved_only_for_the_named_local_driver(tmp_path: Path) -> None:
    base = (
        "services:\n  web:\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data:\n{driver}"
        "    driver_opts: {{type: none, o: bind, device: ./vol}}\n"
    )
    _write(tmp_path, "compose.yaml", base.format(driver=""))
    assert _load(tmp_path)["volumes"]["data"]["driver_opts"]["device"] == "./vol"
    _write(tmp_path, "compose.yaml", base.format(driver="    driver: local\n"))
    assert _load(tmp_path)["volumes"]["data"]["driver_opts"]["device"] == f"{tmp_path}/vol"


def test_ipam_pools_merge_by_subnet(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "a.yaml",
        "services:\n  web:\n    image: x\n    networks: [n]\nnetworks:\n  n:\n    ipam:\n"
        "      config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.1}]\n",
    )
    _write(
        tmp_path,
        "b.yaml",
        "networks:\n  n:\n    ipam:\n      config: [{subnet: 10.0.0.0/24, ip_range: 10.0.0.0/25},"
        " {subnet: 10.1.0.0/24}]\n",
    )
    pools = _load(tmp_path, "a.yaml", "b.yaml")["networks"]["n"]["ipam"]["config"]
    assert pools == [
        {"subnet": "10.0.0.0/24", "gateway": "10.0.0.1", "ip_range": "10.0.0.0/25"},
        {"subnet": "10.1.0.0/24"},
    ]


def test_a_float_storage_option_and_a_blank_watch_path_are_refused(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "compose.yaml",
        "services:\n  web:\n    image: x\n    storage_opt: {size: 1.0}\n"
        "    develop:\n      watch: [{action: rebuild, path: ''}]\n",
    )
    assert _errors(tmp_path) == [
        "services.web.storage_opt.size: 1.0 is a number: storage options are strings",
        "services.web.develop.watch[0].path: value can't be blank",
    ]


def test_a_later_depends_on_entry_completes_the_earlier_one(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "a.yaml",
        "services:\n  web:\n    image: x\n    depends_on:\n"
        "      db: {condition: service_healthy, required: false}\n  db:\n    image: x\n",
    )
    _write(tmp_path, "b.yaml", "services:\n  web:\n    depends_on:\n      db: {restart: true}\n")
    _write(tmp_path, "c.yaml", "services:\n  web:\n    depends_on: [db]\n")
    assert _load(tmp_path, "a.yaml", "b.yaml")["services"]["web"]["depends_on"]["db"] == {
        "condition": "service_healthy",
        "required": False,
        "restart": True,
    }
    # a list names complete entries: it resets the condition, as in Compose
    assert _load(tmp_path, "a.yaml", "c.yaml")["services"]["web"]["depends_on"]["db"] == {
        "condition": "service_started",
        "required": True,
    }


@pytest.mark.parametrize("written", ['"1"', "${P:-1}"])
def test_a_network_priority_must_be_a_number_not_a_string(tmp_path: Path, written: str) -> None:
    _write(tmp_path, "compose.yaml", f"services:\n  web:\n    image: x\n    networks:\n      default:\n"
                                     f"        priority: {written}\n")
    assert _errors(tmp_path) == ["services.web.networks.default.priority: expected a number, got a string"]


def test_a_fractional_network_priority_keeps_its_whole_part(tmp_path: Path) -> None:
    web = _service(tmp_path, "    networks:\n      default: {priority: 1.5, gw_priority: 2.9}\n")
    assert web["networks"]["default"] == {"priority": 1, "gw_priority": 2}


def test_a_volume_label_repeated_by_an_override_is_refused_as_compose_does(tmp_path: Path) -> None:
    _write(tmp_path, "compose.yaml", "services:\n  web: {image: x, volumes: ['data:/d']}\nvolumes:\n  data:\n"
                                     "    labels: {a: '1', b: ''}\n")
    _write(tmp_path, "same.yaml", "volumes:\n  data:\n    labels: [a=1]\n")
    _write(tmp_path, "other.yaml", "volumes:\n  data:\n    labels: {a: '2', b: ''}\n")
    assert _errors(tmp_path, "compose.yaml", "same.yaml") == [
        "volumes.data.labels: the label a=1 is set by two files"]
    assert _load(tmp_path, "compose.yaml", "other.yaml")["volumes"]["data"]["labels"] == {"a": "2", "b": ""}


def test_an_override_string_over_an_earlier_mapping_is_one_item_as_compose_merges_it(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "services:\n  web:\n    image: x\n    environment: {A: '1', B: '2'}\n")
    _write(tmp_path, "b.yaml", "services:\n  web:\n    environment: A=3\n")
    _write(tmp_path, "c.yaml", "services:\n  web:\n    labels: k=v\n")
    assert _load(tmp_path, "a.yaml", "b.yaml")["services"]["web"]["environment"] == {"A": "3", "B": "2"}
    assert _errors(tmp_path, "a.yaml", "c.yaml") == [
        "services.web.labels: expected a mapping or list, got a string"]  # nothing earlier to merge with


def test_extra_hosts_merge_and_repeat_as_compose_go_does(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "services:\n  web:\n    image: x\n    extra_hosts: ['h=1.1.1.1']\n")
    _write(tmp_path, "b.yaml", "services:\n  web:\n    extra_hosts: ['h=1.1.1.1', 'h=2.2.2.2']\n")
    service = "services:\n  web:\n    image: x\n    extra_hosts: "
    _write(tmp_path, "twice.yaml", service + "['h:1.1.1.1', 'h:1.1.1.1']\n")
    _write(tmp_path, "spelt.yaml", service + "['h:1.1.1.1', 'h=1.1.1.1']\n")
    merged = _load(tmp_path, "a.yaml", "b.yaml")["services"]["web"]["extra_hosts"]
    assert merged == ["h=1.1.1.1", "h=2.2.2.2"]  # a later entry already there is not added again
    assert _errors(tmp_path, "twice.yaml") == ["services.web.extra_hosts[1]: duplicate entry 'h:1.1.1.1'"]
    assert _load(tmp_path, "spelt.yaml")["services"]["web"]["extra_hosts"] == ["h=1.1.1.1", "h=1.1.1.1"]



def test_blkio_device_entries_are_compose_gos_and_hash_as_its(tmp_path: Path) -> None:
    from compose_lite.compose_hash import service_hash

    _write(tmp_path, "compose.yaml", "services:\n  web:\n    image: nginx\n    blkio_config:\n"
           "      weight: 300\n      weight_device: [{path: /dev/sda, weight: 400}]\n"
           "      device_read_bps: [{path: /dev/sdb, rate: '12mb'}]\n"
           "      device_write_iops: [{path: /dev/sdb, rate: 30}]\n")
    web = _load(tmp_path)["services"]["web"]
    assert web["blkio_config"] == {"weight": 300, "weight_device": [{"Path": "/dev/sda", "Weight": 400}],
                                   "device_read_bps": [{"Path": "/dev/sdb", "Rate": "12582912"}],
                                   "device_write_iops": [{"Path": "/dev/sdb", "Rate": "30"}]}
    # what Docker Compose v2.40.3's `config --hash web` prints for this file
    assert service_hash(web) == "885319d0efce086ec6c72b590651ae014960cfd46ab76e08a56a833e41ce33b9"


@pytest.mark.parametrize("written", ['"true"', "${FLAG:-true}"])
def test_depends_on_required_must_be_a_boolean_not_a_string(tmp_path: Path, written: str) -> None:
    _write(tmp_path, "compose.yaml", "services:\n  web:\n    image: x\n    depends_on:\n      db:\n"
                                     f"        condition: service_started\n        required: {written}\n"
                                     "  db:\n    image: y\n")
    assert _errors(tmp_path) == ["services.web.depends_on.db.required: expected a boolean, got a string"]


def test_an_overriding_scalar_is_read_as_its_text_then_cast_where_the_field_wants_it(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "services:\n  web:\n    image: x\n    user: root\n    working_dir: /w\n")
    _write(tmp_path, "b.yaml", "services:\n  web:\n    user: !override 1000\n    scale: !override 3\n"
                               "    read_only: !override true\n    working_dir: !override\n")
    web = _load(tmp_path, "a.yaml", "b.yaml")["services"]["web"]
    assert (web["user"], web["scale"], web["read_only"]) == ("1000", 3, True)
    assert "working_dir" not in web  # an empty string, Compose's zero value


def test_deploy_memory_must_be_written_as_a_string(tmp_path: Path) -> None:
    _write(tmp_path, "compose.yaml", "services:\n  web:\n    image: x\n    mem_limit: 1024\n    deploy:\n"
                                     "      resources:\n        reservations: {memory: 0}\n"
                                     "        limits: {memory: '1024'}\n")
    assert _errors(tmp_path) == [
        "services.web.deploy.resources.reservations.memory: expected a string, got a number"]


def test_a_hooks_environment_is_a_mapping_in_lifecycle_hooks_and_watch_exec(tmp_path: Path) -> None:
    web = _service(tmp_path, "    post_start: [{command: a, environment: [A=1, B]}]\n"
                             "    develop:\n      watch:\n"
                             "        - {path: ./src, action: sync+exec, target: /app,\n"
                             "           exec: {command: kill -HUP 1, environment: [K=v]}}\n")
    assert web["post_start"][0]["environment"] == {"A": "1", "B": None}
    assert web["develop"]["watch"][0]["exec"] == {"command": ["kill", "-HUP", "1"], "environment": {"K": "v"}}


@pytest.mark.parametrize("written", ['"true"', "${FLAG:-true}"])
def test_use_api_socket_and_initial_sync_must_be_booleans_not_strings(tmp_path: Path, written: str) -> None:
    _write(tmp_path, "compose.yaml", f"services:\n  web:\n    image: x\n    use_api_socket: {written}\n"
                                     "    develop:\n      watch:\n        - path: ./src\n"
                                     "          action: sync\n          target: /a\n"
                                     f"          initial_sync: {written}\n")
    assert _errors(tmp_path) == [
        "services.web.use_api_socket: expected a boolean, got a string",
        "services.web.develop.watch[0].initial_sync: expected a boolean, got a string"]


def test_env_and_label_files_see_the_earlier_files_of_their_kind(tmp_path: Path) -> None:
    _write(tmp_path, "one.env", "TAG=v2\nX=x1\n")
    _write(tmp_path, "two.env", "E1=${TAG:-none}\nX=x2\nE2=${X}\nE3=${OWN}\n")  # own lines first
    _write(tmp_path, "l1.env", "A=one\n")
    _write(tmp_path, "l2.env", "B=${A:-unset}\nC=${HOME:-no environment}\n")
    web = _service(tmp_path, "    env_file: [one.env, two.env]\n    environment: {OWN: own}\n"
                             "    label_file: [l1.env, l2.env]\n")
    assert web["environment"] == {"TAG": "v2", "X": "x2", "E1": "v2", "E2": "x2", "E3": "own", "OWN": "own"}
    assert web["labels"] == {"A": "one", "B": "one", "C": "no environment"}
