"""`use_api_socket`: the transformation the docker CLI and Compose make on the client."""

from __future__ import annotations

import json
from pathlib import Path

from compose_lite.api_socket import CONFIG_DIR, SOCKET, config_json, with_api_socket
from compose_lite.engine.docker_credentials import cli_auths
from compose_lite.model import Service


def test_the_credentials_file_holds_only_the_auths_as_the_cli_writes_it(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({
        "auths": {"reg.example:5000": {"auth": "dTpw"}, "empty.example": {}},
        "psFormat": "table {{.ID}}", "currentContext": "remote"}))
    text = config_json(cli_auths({"DOCKER_CONFIG": str(tmp_path), "HOME": "/nowhere"}))
    assert json.loads(text) == {"auths": {"empty.example": {}, "reg.example:5000": {"auth": "dTpw"}}}
    assert text.startswith('{\n\t"auths": {\n\t\t"empty.example": {},\n\t\t"reg.example:5000": {')
    assert config_json(cli_auths({"HOME": str(tmp_path / "no-home")})) == '{\n\t"auths": {}\n}'


def test_the_service_gets_the_socket_and_docker_config_unless_it_sets_its_own() -> None:
    svc = with_api_socket(Service("tools", image="x", use_api_socket=True, environment={"A": "1"}))
    assert [(m.type, m.source, m.target) for m in svc.mounts] == [("bind", SOCKET, SOCKET)]
    assert svc.environment == {"A": "1", "DOCKER_CONFIG": CONFIG_DIR}
    own = with_api_socket(Service("tools", image="x", use_api_socket=True,
                                  environment={"DOCKER_CONFIG": "/c"}))
    assert own.environment == {"DOCKER_CONFIG": "/c"}
    plain = Service("web", image="x")
    assert with_api_socket(plain) is plain
