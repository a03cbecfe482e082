"""The watch loop on the real engine: each test a small project serving a watched file on 127.0.0.1."""

from __future__ import annotations

import errno
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import fetch, free_port, wait_until
from tests.integration.watch_support import HTTPD, WatchedStack, sync_project


def test_sync_serves_new_content_without_restart(docker_client: Any, project_name: str,
                                                 tmp_path: Path) -> None:
    port = free_port()
    wd = sync_project(tmp_path, port)
    with WatchedStack(docker_client, wd, project_name) as stack:
        stack.wait_served(port, "v1")  # the initial sync
        before = stack.started_at("web")
        (wd / "www" / "index.html").write_text("v2")
        stack.wait_served(port, "v2")
        assert stack.started_at("web") == before
        stack.wait_lines(2)
        assert stack.lines[-1].startswith("web     1 file changed → synced 1 (")
        assert stack.problems == []


def test_atomic_save_counts_as_one_change(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    port = free_port()
    wd = sync_project(tmp_path, port)
    with WatchedStack(docker_client, wd, project_name) as stack:
        stack.wait_served(port, "v1")
        # What vim (backupcopy=no) and many IDEs do: write a temp file, rename it over the original.
        temp = wd / "www" / ".index.html.tmp"
        temp.write_text("atomic")
        os.replace(temp, wd / "www" / "index.html")
        stack.wait_served(port, "atomic")
        stack.wait_lines(2)
        time.sleep(0.3)
        assert stack.lines[1:] == [stack.lines[1]] and stack.lines[1].startswith("web     1 file changed")
        assert stack.exec("web", "ls", "-a", "/www")[1].split() == [".", "..", "index.html"]


def test_ten_thousand_file_burst(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    port = free_port()
    wd = sync_project(tmp_path, port)
    with WatchedStack(docker_client, wd, project_name) as stack:
        stack.wait_served(port, "v1")
        assert stack.loop is not None
        batches_before = stack.loop.batches
        writing = time.monotonic()
        for i in range(10_000):
            sub = wd / "www" / f"d{i % 100}"
            sub.mkdir(exist_ok=True)
            (sub / f"f{i}.txt").write_text(f"{i}\n")
        count = "find /www -name 'f*.txt' | wc -l"
        wait_until(lambda: stack.exec("web", "sh", "-c", count)[1].strip() == "10000",
                   "10,000 files in the container", timeout=120)
        wrote_for = time.monotonic() - writing
        time.sleep(0.7)  # a late batch, if any, would be done by now
        # Writing 10,000 files outlasts one debounce window (at most 0.5 s): one large batch per
        # window, never one per file, however slow the machine writes.
        assert 1 <= stack.loop.batches - batches_before <= wrote_for / 0.5 + 3, stack.lines
        assert stack.exec("web", "cat", "/www/d37/f537.txt")[1] == "537\n"
        assert fetch(port, "/d93/f9993.txt") == "9993\n"


def test_directory_delete_and_recreate(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    port = free_port()
    wd = sync_project(tmp_path, port)
    sub = wd / "www" / "sub"
    sub.mkdir()
    (sub / "old.txt").write_text("old")
    with WatchedStack(docker_client, wd, project_name) as stack:
        stack.wait_served(port, "old", "/sub/old.txt")
        for f in sub.iterdir():
            f.unlink()
        sub.rmdir()
        wait_until(lambda: stack.exec("web", "test", "-e", "/www/sub")[0] != 0,
                   "sub removed in the container")
        sub.mkdir()
        (sub / "new.txt").write_text("new")
        stack.wait_served(port, "new", "/sub/new.txt")
        (sub / "later.txt").write_text("still watched")  # the re-created directory is watched too
        stack.wait_served(port, "still watched", "/sub/later.txt")
        assert stack.exec("web", "ls", "/www/sub")[1].split() == ["later.txt", "new.txt"]


def test_symlink_outside_the_tree_is_never_followed(docker_client: Any, project_name: str,
                                                     tmp_path: Path) -> None:
    port = free_port()
    wd = sync_project(tmp_path, port)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    with WatchedStack(docker_client, wd, project_name) as stack:
        stack.wait_served(port, "v1")
        os.symlink(secret, wd / "www" / "leak.txt")
        os.symlink("index.html", wd / "www" / "alias.html")  # a link inside the tree works
        stack.wait_served(port, "v1", "/alias.html")
        assert stack.exec("web", "readlink", "/www/leak.txt")[1].strip() == str(secret)
        code, out = stack.exec("web", "cat", "/www/leak.txt")
        assert code != 0 and "TOP SECRET" not in out
        assert "TOP SECRET" not in stack.exec("web", "sh", "-c", "grep -r SECRET /www || true")[1]


def test_git_churn_does_nothing(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    port = free_port()
    wd = sync_project(tmp_path, port)
    (wd / "www" / ".git").mkdir()
    with WatchedStack(docker_client, wd, project_name) as stack:
        stack.wait_served(port, "v1")
        lines = len(stack.lines)
        for i in range(50):
            (wd / "www" / ".git" / "index").write_text(str(i))
            (wd / "www" / ".git" / f"obj{i}").write_text(str(i))
            (wd / "www" / f".index.html.sw{'pox'[i % 3]}").write_text("vim")
            (wd / "www" / "4913").write_text("")
            (wd / "www" / "4913").unlink()
        time.sleep(1.0)
        assert stack.lines[lines:] == [] and stack.problems == []
        assert stack.exec("web", "test", "-e", "/www/.git")[0] != 0


RESTARTS = """
services:
  web:
    image: cl-busybox
    init: true
    command: {sync_restart_cmd}
    ports: ["127.0.0.1:{port}:80"]
    develop:
      watch:
        - path: ./src
          action: sync+restart
          target: /src
  api:
    image: cl-busybox
    init: true
    command: {bind_cmd}
    ports: ["127.0.0.1:{api_port}:80"]
    volumes: [./conf:/conf:ro]
  worker:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    depends_on:
      api: {{condition: service_started, restart: true}}
  other:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    volumes: [./other:/other]
    x-cl-watch: false
"""


def restarts_project(tmp_path: Path, port: int, api_port: int) -> Path:
    for d in ("src", "conf", "other"):
        (tmp_path / d).mkdir()
    (tmp_path / "src" / "index.html").write_text("s1")
    (tmp_path / "conf" / "token").write_text("c1")
    # Both servers read their content only at start: only a restart shows a change.
    (tmp_path / "compose.yaml").write_text(RESTARTS.format(
        port=port, api_port=api_port,
        sync_restart_cmd=HTTPD.format(prep="cp /src/index.html /www/ 2>/dev/null;"),
        bind_cmd=HTTPD.format(prep="cp /conf/token /www/index.html;")))
    return tmp_path


def test_sync_restart_and_bind_mount_restart_with_dependents(docker_client: Any, project_name: str,
                                                             tmp_path: Path) -> None:
    port, api_port = free_port(), free_port()
    wd = restarts_project(tmp_path, port, api_port)
    with WatchedStack(docker_client, wd, project_name) as stack:
        stack.wait_served(api_port, "c1")
        started = {s: stack.started_at(s) for s in ("web", "api", "worker", "other")}

        (wd / "src" / "index.html").write_text("s2")  # sync+restart
        stack.wait_served(port, "s2")
        assert stack.started_at("web") != started["web"]
        stack.wait_lines(1)
        assert stack.lines[0].startswith("web     1 file changed → synced 1 (")
        assert "→ restarted (" in stack.lines[0]

        (wd / "conf" / "token").write_text("c2")  # bind mount: api restarts, worker (restart: true) too
        stack.wait_served(api_port, "c2")
        stack.wait_lines(3)
        assert stack.lines[1].startswith("api     1 file changed → restarted (")
        assert stack.lines[2].startswith("worker  dependency api restarted → restarted (")
        assert stack.started_at("worker") != started["worker"]

        (wd / "other" / "data").write_text("opted out")  # x-cl-watch: false
        time.sleep(0.8)
        assert stack.started_at("other") == started["other"]
        assert len(stack.lines) == 3 and stack.problems == []
        assert stack.started_at("web") != started["web"]


def test_rebuild(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    port = free_port()
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "Dockerfile").write_text("FROM cl-busybox\nCOPY index.html /www/index.html\n")
    (ctx / "index.html").write_text("built 1")
    (tmp_path / "compose.yaml").write_text(f"""
services:
  web:
    build: ./ctx
    init: true
    command: ["httpd", "-f", "-p", "80", "-h", "/www"]
    ports: ["127.0.0.1:{port}:80"]
    develop:
      watch:
        - {{path: ./ctx, action: rebuild}}
  bystander:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
""")
    with WatchedStack(docker_client, tmp_path, project_name) as stack:
        stack.wait_served(port, "built 1")
        old_id = stack.container("web")["Id"]
        bystander = stack.container("bystander")["Id"]
        (ctx / "index.html").write_text("built 2")
        stack.wait_served(port, "built 2")
        stack.wait_lines(1)
        assert stack.lines[0].startswith("web        1 file changed → rebuilt and recreated (")
        assert stack.container("web")["Id"] != old_id
        assert stack.container("bystander")["Id"] == bystander


def test_compose_edit_then_broken_edit(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    port = free_port()
    compose = tmp_path / "compose.yaml"
    template = """
services:
  web:
    image: cl-busybox
    init: true
    command: {cmd}
    environment: {{TOKEN: "{token}"}}
    ports: ["127.0.0.1:{port}:80"]
  bystander:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
"""
    cmd = HTTPD.format(prep="echo -n $$TOKEN > /www/index.html;")
    compose.write_text(template.format(cmd=cmd, token="t1", port=port))
    with WatchedStack(docker_client, tmp_path, project_name) as stack:
        stack.wait_served(port, "t1")
        bystander = stack.container("bystander")["Id"]
        compose.write_text(template.format(cmd=cmd, token="t2", port=port))
        stack.wait_served(port, "t2")
        stack.wait_lines(1)
        assert stack.lines[0].startswith("config     compose.yaml changed → reloaded → recreate "
                                         f"{project_name}-web-1: environment.TOKEN changed (")

        broken = template.format(cmd=cmd, token="t3", port=port).replace("init: true", "init: [", 1)
        compose.write_text(broken)
        wait_until(lambda: bool(stack.problems), "the broken edit reported")
        first, *rest = stack.problems[0].splitlines()
        assert first == "config     compose.yaml changed → not applied, keeping the last good configuration:"
        assert rest[0].startswith(f"  {compose}:")  # file:line:col of the loader's error
        assert fetch(port) == "t2"

        compose.write_text(template.format(cmd=cmd, token="t4", port=port))  # fixed: the loop went on
        stack.wait_served(port, "t4")
        assert stack.container("bystander")["Id"] == bystander


def test_restart_storm_guard(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    """Containers writing into their own bind mount: at start-up (ignored as the restart's own echo)
    and shortly after start (chained restarts, then the mount is no longer watched)."""
    for d in ("early", "late"):
        (tmp_path / d).mkdir()
    (tmp_path / "compose.yaml").write_text("""
services:
  early:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "trap 'exit 0' TERM; date >> /data/log; sleep 3600 & wait"]
    volumes: [./early:/data]
  late:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "trap 'exit 0' TERM; (sleep 0.5; date >> /data/log) & sleep 3600 & wait"]
    volumes: [./late:/data]
""")
    with WatchedStack(docker_client, tmp_path, project_name) as stack:
        (tmp_path / "early" / "edit").write_text("by the user")
        (tmp_path / "late" / "edit").write_text("by the user")
        wait_until(lambda: bool(stack.problems), "the storm warning", timeout=40)
        assert stack.problems[0].startswith("warning: service late was restarted 5 times in a row")
        time.sleep(1.5)
        late = [line for line in stack.lines if line.startswith("late")]
        early = [line for line in stack.lines if line.startswith("early")]
        assert len(late) == 5, stack.lines
        assert len(early) == 1, stack.lines
        assert len(stack.problems) == 1


def test_sync_into_a_target_that_is_a_symlink_in_the_container(docker_client: Any, project_name: str,
                                                                tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "www").mkdir()
    (tmp_path / "compose.yaml").write_text(f"""
services:
  web:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "mkdir -p /srv/site; ln -s /srv/site /www; exec httpd -f -p 80 -h /www"]
    ports: ["127.0.0.1:{port}:80"]
    develop:
      watch:
        - {{path: ./www, action: sync, target: /www}}
""")
    with WatchedStack(docker_client, tmp_path, project_name) as stack:
        (tmp_path / "www" / "index.html").write_text("through the link")
        stack.wait_served(port, "through the link")
        assert stack.exec("web", "readlink", "/www")[1].strip() == "/srv/site"
        assert stack.exec("web", "cat", "/srv/site/index.html")[1] == "through the link"


class _WatchHog:
    """Holds inotify watches (root's per-user limit is shared by every process) until it is closed:
    it takes all that remain, then gives ``spare`` back."""

    def __init__(self, tree: Path, spare: int) -> None:
        import ctypes
        import ctypes.util

        self._libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self._fd = self._libc.inotify_init1(0)
        assert self._fd >= 0, "inotify_init1 failed"
        held: list[int] = []
        for i in range(100_000):  # bounded: far above this machine's limit in the test
            directory = tree / f"h{i}"
            directory.mkdir(parents=True)
            wd = self._libc.inotify_add_watch(self._fd, str(directory).encode(), 0x100)  # IN_CREATE
            if wd < 0:
                assert ctypes.get_errno() == errno.ENOSPC, os.strerror(ctypes.get_errno())
                break
            held.append(wd)
        for wd in held[-spare:]:
            self._libc.inotify_rm_watch(self._fd, wd)

    def close(self) -> None:
        os.close(self._fd)


def test_exhausted_inotify_watches_fall_back_to_polling_and_say_so_once(
        docker_client: Any, project_name: str, tmp_path: Path) -> None:
    """The tree fits the limit on paper, but the watches others hold leave too few: the kernel
    refuses one midway (ENOSPC) and the watch polls that root instead, with one line."""
    port = free_port()
    (tmp_path / "project").mkdir()
    wd = sync_project(tmp_path / "project", port)
    for i in range(60):
        (wd / "www" / f"d{i}").mkdir()
    limit_file = Path("/proc/sys/fs/inotify/max_user_watches")
    original = limit_file.read_text()
    limit_file.write_text("2000")
    hog = _WatchHog(tmp_path / "hog", spare=30)
    try:
        with WatchedStack(docker_client, wd, project_name) as stack:
            stack.wait_served(port, "v1")
            (wd / "www" / "d59" / "late.txt").write_text("polled\n")
            wait_until(lambda: fetch(port, "/d59/late.txt") == "polled\n",
                       "a change in the polled tree synced")
    finally:
        hog.close()
        limit_file.write_text(original)
    fallbacks = [p for p in stack.problems if "polling it instead" in p]
    assert len(fallbacks) == 1 and "inotify limit reached" in fallbacks[0], stack.problems


def test_full_disks_on_either_side_are_reported_and_the_watch_goes_on(docker_client: Any, project_name: str,
                                                                      tmp_path: Path) -> None:
    """The synced tree's disk fills on the host (a save is cut short), and the container's target
    fills (the engine refuses the copy): each is one line, the loop keeps running, and once there is
    room again the next change brings the container to the host's content."""
    port = free_port()
    host_disk = tmp_path / "project"
    host_disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(host_disk)], check=True)
    try:
        small = 'volumes:\n  small: {driver_opts: {type: tmpfs, device: tmpfs, o: "size=64k"}}\n'
        sync_project(host_disk, port, service_keys="    volumes: [small:/www]\n", top_level=small)
        with WatchedStack(docker_client, host_disk, project_name) as stack:
            stack.wait_served(port, "v1")
            (host_disk / "www" / "big.bin").write_bytes(bytes(100 * 1024))  # fits the host, not the target
            wait_until(lambda: any("no space left on device" in p for p in stack.problems),
                       lambda: f"the refused copy reported: {stack.problems}")
            try:  # now the host side: a save cut short by a full disk
                (host_disk / "www" / "filler.bin").write_bytes(bytes(512 * 1024))
            except OSError as err:
                assert err.errno == errno.ENOSPC
            (host_disk / "www" / "big.bin").unlink()
            (host_disk / "www" / "filler.bin").unlink()
            (host_disk / "www" / "index.html").write_text("v2")
            wait_until(lambda: fetch(port) == "v2", "the next change synced once there was room")
            assert stack.loop is not None and stack.loop.ready.is_set()
            assert stack.exec("web", "ls", "/www")[1].split() == ["index.html"]
    finally:
        subprocess.run(["umount", "-l", str(host_disk)], check=False)
