"""Zero-downtime redeploys on the real engine (deploy.update_config.order: start-first).

A server that takes 2 s to start listening and stops listening at once on SIGTERM (finishing the
requests it has) is redeployed three times while a client in the project asks for it by name 20
times a second, retrying twice on the answer's next address a request that got no byte of an answer
(refused, not established, or reset unanswered: nginx's `proxy_next_upstream error`, as the
single-server sample's proxy has it): no request may fail, and
every answer after the last `up` comes from the new version. Stop-first loses about a third of
them. A version that never gets healthy is not let in: `up` fails, the old version keeps
answering, and nothing of the failed replacement is left. A rollout killed midway converges on the
next `up`, still without a failed request.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, spawned, wait_until, write
from tests.integration.conftest import PROJECT_LABEL

STACK = """
services:
  app:
    image: cl-busybox
    environment:
      VERSION: ${VERSION}
    # Listens after 2 s; on SIGTERM it closes its listener at once and lets the requests it has finish.
    command: ["sh", "-c", "trap 'exit 0' TERM; mkdir -p /www; echo $$VERSION > /www/index.html;
              if [ $$VERSION = broken ]; then sleep 3600 & wait; fi;
              sleep 2; httpd -f -p 8000 -h /www & pid=$$!;
              trap 'kill $$pid; sleep 1; exit 0' TERM; wait"]
    healthcheck:
      test: ["CMD-SHELL", "echo | nc 127.0.0.1 8000 >/dev/null"]
      interval: 500ms
      timeout: 2s
      retries: 8
    deploy:
      update_config:
        order: start-first
  client:
    image: cl-python
    init: true
    command: ["python3", "-u", "/client.py"]
    volumes: ["./client.py:/client.py:ro"]
"""

# One line per request: "<unix time> ok <version>" or "<unix time> FAIL <why>".
CLIENT = """
import socket, time

def ask():
    # As the sample's proxy (nginx, `proxy_next_upstream error`): the name resolved per request; a
    # GET that got no byte of an answer (refused, not established within 0.5 s, or reset while
    # queued at a listener that closed) retried, twice, on the answer's next address. Once an
    # answer has begun, its failure counts.
    addresses = [a[4][0] for a in socket.getaddrinfo("app", 8000, socket.AF_INET, socket.SOCK_STREAM)]
    result = "FAIL no attempt"
    for attempt in range(3):
        address = addresses[attempt % len(addresses)]
        s = socket.socket()
        data, connected = b"", False
        try:
            s.settimeout(0.5)
            s.connect((address, 8000))
            connected = True
            s.settimeout(3)
            s.sendall(b"GET /index.html HTTP/1.0\\r\\n\\r\\n")
            while chunk := s.recv(4096):
                data += chunk
        except OSError as err:
            result = f"FAIL {err!r} with {data!r} from {address} of {addresses}"
            if data or (connected and isinstance(err, TimeoutError)):  # begun, or no answer in 3 s
                return result
            continue
        finally:
            s.close()
        head, _, body = data.partition(b"\\r\\n\\r\\n")
        status = head.split(b"\\r\\n")[0]
        return f"ok {body.decode().strip()}" if b" 200 " in status else f"FAIL {status!r}"
    return result

end = time.time() + 600  # bounded: the test ends long before
while time.time() < end:
    started = time.time()
    try:
        result = ask()
    except OSError as err:  # the name did not resolve
        result = f"FAIL {err!r}"
    print(f"{started:.3f} {result}", flush=True)
    time.sleep(max(0.0, 0.05 - (time.time() - started)))
"""


def _answers(docker_client: Any, project: str) -> list[tuple[float, str]]:
    logs = docker_client.containers.get(f"{project}-client-1").logs().decode()
    lines = (line.partition(" ") for line in logs.splitlines())
    return [(float(stamp), result) for stamp, _, result in lines]


def _deploy(project: str, where: Path, version: str, check: bool = True) -> Any:
    return cl(project, where, "up", "-d", env={"VERSION": version}, timeout=120, check=check)


def _serving(docker_client: Any, project: str) -> list[str]:
    """The app containers there are, by name, with the version each runs."""
    found = docker_client.containers.list(all=True, filters={
        "label": [f"{PROJECT_LABEL}={project}", "com.docker.compose.service=app"]})
    return sorted(f"{c.name} {c.attrs['Config']['Env'][0]}" for c in found)


def _v1_serving_a_client(project: str, where: Path, docker_client: Any) -> float:
    """The stack up with VERSION=v1 and its client answered; when the client's record begins."""
    write(where, STACK)
    (where / "client.py").write_text(CLIENT)
    cl(project, where, "up", "-d", "--wait", env={"VERSION": "v1"}, timeout=120)
    wait_until(lambda: any(r.startswith("ok") for _, r in _answers(docker_client, project)),
               "the client's first answer", timeout=30)
    return time.time()


def _answers_after(docker_client: Any, project: str, moment: float, begun: float) -> list[tuple[float, str]]:
    """The client's answers since ``begun``, once it has answered for a second after ``moment``."""
    wait_until(lambda: _answers(docker_client, project)[-1][0] > moment + 1, "answers after the last up")
    return [(t, r) for t, r in _answers(docker_client, project) if t >= begun]


def test_redeploys_lose_no_request_and_end_on_the_new_version(project_name: str, tmp_path: Path,
                                                             docker_client: Any) -> None:
    begun = _v1_serving_a_client(project_name, tmp_path, docker_client)
    for version in ("v2", "v3", "v4"):
        _deploy(project_name, tmp_path, version)
    deployed = time.time()
    answers = _answers_after(docker_client, project_name, deployed, begun)
    assert [a for a in answers if not a[1].startswith("ok")] == []
    assert {r for t, r in answers if t > deployed} == {"ok v4"}
    assert len({r for _, r in answers}) == 4  # every version answered in its turn
    assert _serving(docker_client, project_name) == [f"{project_name}-app-1 VERSION=v4"]


def test_a_version_that_never_gets_healthy_is_not_let_in(project_name: str, tmp_path: Path,
                                                        docker_client: Any) -> None:
    begun = _v1_serving_a_client(project_name, tmp_path, docker_client)
    failed = _deploy(project_name, tmp_path, "broken", check=False)
    ended = time.time()
    assert failed.returncode != 0
    assert "rollout of service app failed" in failed.stderr and "unhealthy" in failed.stderr, failed.stderr
    assert f"{project_name}-app-1 keeps running the previous version" in failed.stderr
    answers = _answers_after(docker_client, project_name, ended, begun)
    assert {r for _, r in answers} == {"ok v1"}
    assert _serving(docker_client, project_name) == [f"{project_name}-app-1 VERSION=v1"]


def test_a_rollout_killed_midway_converges_on_the_next_up(project_name: str, tmp_path: Path,
                                                         docker_client: Any) -> None:
    begun = _v1_serving_a_client(project_name, tmp_path, docker_client)
    with spawned(project_name, tmp_path, "up", "-d", env={"VERSION": "v2"}) as killed:
        wait_until(lambda: any(s.endswith("VERSION=v2") for s in _serving(docker_client, project_name)),
                   "the replacement started beside the old container")
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(timeout=10)
    _deploy(project_name, tmp_path, "v2")
    assert _serving(docker_client, project_name) == [f"{project_name}-app-1 VERSION=v2"]
    answers = _answers_after(docker_client, project_name, time.time(), begun)
    assert [a for a in answers if not a[1].startswith("ok")] == []
