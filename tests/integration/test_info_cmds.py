"""images/top/port/ls/events/wait/stats/cp on the real engine, in Compose v2's output shapes."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from tests.integration.cl_helpers import cl, free_port, spawned, write

STACK = """
services:
  web:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "mkdir -p /srv/dir; echo inside > /srv/file.txt; echo deep > /srv/dir/a; sleep 300"]
    ports: ["127.0.0.1:{port}:80"]
  job:
    image: cl-busybox
    command: ["sh", "-c", "sleep 1; exit 4"]
"""


def test_info_commands(tmp_path: Path, project_name: str) -> None:
    port = free_port()
    d = write(tmp_path, STACK.replace("{port}", str(port)))
    cl(project_name, d, "up", "-d")
    time.sleep(0.3)

    table = cl(project_name, d, "images").stdout.splitlines()
    assert table[0].split() == ["CONTAINER", "REPOSITORY", "TAG", "PLATFORM", "IMAGE", "ID", "SIZE",
                                "CREATED"]
    assert table[1].startswith(f"{project_name}-job-1".ljust(len(project_name) + 9))
    as_json = cl(project_name, d, "images", "--format", "json").stdout
    assert as_json.endswith("]\n\n")  # Compose's empty line after the array
    records = json.loads(as_json)
    assert {r["ContainerName"] for r in records} == {f"{project_name}-job-1", f"{project_name}-web-1"}
    assert set(records[0]) == {"ID", "ContainerName", "Repository", "Tag", "Platform", "Size", "LastTagTime"}
    assert (records[0]["Repository"], records[0]["Tag"]) == ("cl-busybox", "latest")
    assert [len(i) for i in cl(project_name, d, "images", "-q").stdout.split()] == [64]  # whole ids

    top = cl(project_name, d, "top", "web").stdout.splitlines()
    assert top[0].split()[:4] == ["SERVICE", "#", "UID", "PID"] and any("sleep 300" in ln for ln in top)

    assert cl(project_name, d, "port", "web", "80").stdout == f"127.0.0.1:{port}\n"
    missing = cl(project_name, d, "port", "web", "81", check=False)
    assert missing.returncode == 1
    assert missing.stderr == f"error: no port 81/tcp for container {project_name}-web-1: {port}/tcp\n"

    waited = cl(project_name, d, "wait", "job", check=False)
    assert waited.returncode == 4 and waited.stdout.endswith(" exited with status code 4\n")

    listed_text = cl(project_name, d, "ls", "-a", "--format", "json", "--filter",
                     f"name={project_name}").stdout
    assert listed_text.endswith("}]\n")  # one line, no empty one after it (as Compose prints it)
    listed = json.loads(listed_text)
    assert listed == [{"Name": project_name, "Status": "exited(1), running(1)",
                       "ConfigFiles": str(d / "compose.yaml")}]
    running_only = cl(project_name, d, "ls", "--filter", f"name={project_name}").stdout.splitlines()
    assert running_only[0].split() == ["NAME", "STATUS", "CONFIG", "FILES"]
    assert running_only[1].split()[:2] == [project_name, "running(1)"]

    stats = [json.loads(ln) for ln in cl(project_name, d, "stats", "--no-stream", "--format", "json")
             .stdout.splitlines()]
    assert [s["Name"] for s in stats] == [f"{project_name}-web-1"]
    assert set(stats[0]) == {"BlockIO", "CPUPerc", "Container", "ID", "MemPerc", "MemUsage", "Name", "NetIO",
                             "PIDs"}
    assert stats[0]["CPUPerc"].endswith("%") and " / " in stats[0]["MemUsage"]
    assert cl(project_name, d, "stats", "--no-stream").stdout.startswith("CONTAINER ID   NAME")  # docker CLI


def test_events_json(tmp_path: Path, project_name: str) -> None:
    d = write(tmp_path, STACK.replace("{port}", str(free_port())))
    cl(project_name, d, "up", "-d", "web")
    with spawned(project_name, d, "events", "--json") as watcher:
        time.sleep(1.0)
        cl(project_name, d, "restart", "-t", "1", "web")
        time.sleep(0.5)
        os.killpg(watcher.pid, signal.SIGINT)
        out, _ = watcher.communicate(timeout=10)
    events = [json.loads(ln) for ln in out.splitlines()]
    assert {"kill", "die", "stop", "start"} <= {e["action"] for e in events}, out
    first = events[0]
    assert set(first) == {"action", "attributes", "id", "service", "time", "type"}
    assert (first["service"], first["type"], first["attributes"]["name"]) == (
        "web", "container", f"{project_name}-web-1")
    assert out.startswith('{"action":')


def test_cp_round_trip(tmp_path: Path, project_name: str) -> None:
    d = write(tmp_path, STACK.replace("{port}", str(free_port())))
    cl(project_name, d, "up", "-d", "web")
    time.sleep(0.3)
    out = d / "out"
    out.mkdir()
    cl(project_name, d, "cp", "web:/srv/file.txt", "out/copy.txt")
    assert (out / "copy.txt").read_text() == "inside\n"
    cl(project_name, d, "cp", "web:/srv/dir", "out/")
    assert (out / "dir" / "a").read_text() == "deep\n"
    cl(project_name, d, "cp", "out", "web:/srv/back")  # a directory, under a new name
    cl(project_name, d, "cp", "./out/copy.txt", "web:/srv/")  # into an existing directory
    listing = cl(project_name, d, "exec", "-T", "web", "sh", "-c",
                 "cat /srv/back/dir/a /srv/back/copy.txt /srv/copy.txt").stdout
    assert listing == "deep\ninside\ninside\n"
    cl(project_name, d, "cp", "web:/srv/back", "again")
    assert (d / "again" / "dir" / "a").read_text() == "deep\n"
    missing = cl(project_name, d, "cp", "web:/nope", "x", check=False)
    assert missing.returncode == 1 and "Could not find the file /nope" in missing.stderr
    both = cl(project_name, d, "cp", "a", "b", check=False)
    assert both.stderr.startswith("error: one of source and destination must be SERVICE:PATH")
