from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from compose_lite import app, copy
from compose_lite.cli.gotemplate import table
from compose_lite.cli.info_cmds import human_size
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import ConfigError, NotFoundError
from compose_lite.model import Project, Service
from compose_lite.output import QuietReporter


class Null:
    def write(self, _: str) -> int:
        return 0


def running() -> tuple[FakeEngine, object]:
    engine = FakeEngine(images={"img": "sha256:1"})
    proj = Project("p", "/w", services={"web": Service("web", image="img")})
    app.up(proj, engine, app.UpRequest(), QuietReporter(Null()), environ={})  # type: ignore[arg-type]
    return engine, engine.list_containers("p")[0]


def test_parse_endpoint() -> None:
    assert copy.parse_endpoint("web:/etc/hosts") == copy.Endpoint("/etc/hosts", "web")
    assert copy.parse_endpoint("./a:b") == copy.Endpoint("./a:b")
    assert copy.parse_endpoint("/abs/path") == copy.Endpoint("/abs/path")
    with pytest.raises(ConfigError) as info:
        copy.parse_endpoint("web:")
    assert info.value.message == "invalid copy endpoint 'web:': no path after the service"
    with pytest.raises(ConfigError):
        copy.check_pair(copy.Endpoint("a", "web"), copy.Endpoint("b", "db"))


def test_into_a_directory_keeps_the_name_otherwise_the_destination_names_it(tmp_path: Path) -> None:
    engine, c = running()
    src = tmp_path / "conf.txt"
    src.write_text("x")
    engine.containers[c.id].files["/etc/app/existing"] = b""  # type: ignore[attr-defined]
    copy.to_container(engine, c, str(src), "/etc/app")  # type: ignore[arg-type]
    copy.to_container(engine, c, str(src), "/etc/app/renamed.txt")  # type: ignore[arg-type]
    files = engine.containers[c.id].files  # type: ignore[attr-defined]
    assert files["/etc/app/conf.txt"] == b"x" and files["/etc/app/renamed.txt"] == b"x"
    with pytest.raises(NotFoundError) as info:
        copy.to_container(engine, c, str(src), "/missing/")  # type: ignore[arg-type]
    assert info.value.message == "directory /missing/ does not exist in container p-web-1"


def test_follow_link_copies_what_a_symlink_points_to_under_the_links_name(tmp_path: Path) -> None:
    engine, c = running()
    container = engine.containers[c.id]  # type: ignore[attr-defined]
    container.files["/data/real/f"] = b"content"
    container.links["/srv/current"] = "/data/real"
    copy.from_container(engine, c, "/srv/current", str(tmp_path), follow_link=True)  # type: ignore[arg-type]
    assert (tmp_path / "current" / "f").read_bytes() == b"content"
    copy.from_container(engine, c, "/srv/current", str(tmp_path / "named"), follow_link=True)  # type: ignore[arg-type]
    assert (tmp_path / "named" / "f").read_bytes() == b"content"


def test_out_of_the_container(tmp_path: Path) -> None:
    engine, c = running()
    files = engine.containers[c.id].files  # type: ignore[attr-defined]
    files["/srv/dir/a"] = b"deep"
    files["/srv/f"] = b"flat"
    copy.from_container(engine, c, "/srv/f", str(tmp_path / "g"))  # type: ignore[arg-type]
    copy.from_container(engine, c, "/srv/dir", str(tmp_path))  # type: ignore[arg-type]
    copy.from_container(engine, c, "/srv/dir", str(tmp_path / "renamed"))  # type: ignore[arg-type]
    assert (tmp_path / "g").read_bytes() == b"flat"
    assert (tmp_path / "dir" / "a").read_bytes() == b"deep"
    assert (tmp_path / "renamed" / "a").read_bytes() == b"deep"
    with pytest.raises(NotFoundError):
        copy.from_container(engine, c, "/srv/f", str(tmp_path / "nope" / "x"))  # type: ignore[arg-type]


def escaping_archives(outside: Path) -> dict[str, bytes]:
    """Archives that try to write into ``outside``: through a symlink, and through a hard link."""
    archives = {}
    for kind in ("symlink", "hardlink"):
        data = io.BytesIO()
        with tarfile.open(fileobj=data, mode="w") as tar:
            link = tarfile.TarInfo("d/link")
            if kind == "symlink":
                link.type, link.linkname = tarfile.SYMTYPE, str(outside)
                planted = tarfile.TarInfo("d/link/planted")
            else:
                link.type, link.linkname = tarfile.LNKTYPE, str(outside / "planted")
                planted = tarfile.TarInfo("d/link")
            tar.addfile(link)
            planted.size = 5
            tar.addfile(planted, io.BytesIO(b"owned"))
        archives[kind] = data.getvalue()
    return archives


@pytest.mark.parametrize("kind", ["symlink", "hardlink"])
@pytest.mark.parametrize("with_filters", [True, False])
def test_an_archive_reaching_outside_the_destination_is_refused(tmp_path: Path, with_filters: bool, kind: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if with_filters and not hasattr(tarfile, "tar_filter"):
        pytest.skip("this Python predates extraction filters (3.11.4)")
    if not with_filters:  # as on Python < 3.11.4, which Debian 12 ships: no filter at all
        monkeypatch.delattr(tarfile, "tar_filter", raising=False)
        if hasattr(tarfile, "fully_trusted_filter"):  # where Python would otherwise default to one
            monkeypatch.setattr(tarfile.TarFile, "extraction_filter",
                                staticmethod(tarfile.fully_trusted_filter))
    outside, dest = tmp_path / "outside", tmp_path / "dest"
    outside.mkdir()
    dest.mkdir()
    (outside / "planted").write_bytes(b"mine")
    with tarfile.open(fileobj=io.BytesIO(escaping_archives(outside)[kind])) as tar, \
            pytest.raises(ConfigError) as info:
        copy.extract(tar, str(dest))
    assert info.value.message.startswith("refusing to extract: ")
    assert "outside the destination" in info.value.message
    assert [p.name for p in outside.iterdir()] == ["planted"]
    assert (outside / "planted").read_bytes() == b"mine"


def test_host_archive_root_entry_is_renamed(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x").write_text("1")
    with tarfile.open(fileobj=io.BytesIO(copy.host_archive(str(tmp_path / "d"), "new"))) as tar:
        assert sorted(tar.getnames()) == ["new", "new/x"]


def test_sizes_and_tables_as_docker_prints_them() -> None:
    assert [human_size(n) for n in (0, 999, 1985472, 1170)] == ["0B", "999B", "1.99MB", "1.17kB"]
    assert human_size(460 * 1024, binary=True) == "460KiB"
    assert human_size(23.59 * 1024 ** 3, binary=True) == "23.59GiB"
    assert table([("NAME", "STATUS"), ("p", "running(1)")]) == (
        "NAME                STATUS\np                   running(1)\n")


def test_host_archive_is_owned_by_root_unless_archive_mode(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    if os.geteuid() == 0:  # an owner other than root, so that keeping it is visible
        os.chown(tmp_path / "f", 1234, 4321)
    with tarfile.open(fileobj=io.BytesIO(copy.host_archive(str(tmp_path / "f"), "f"))) as tar:
        assert [(m.uid, m.gid) for m in tar.getmembers()] == [(0, 0)]
    kept = copy.host_archive(str(tmp_path / "f"), "f", keep_ids=True)
    with tarfile.open(fileobj=io.BytesIO(kept)) as tar:
        stat = os.stat(tmp_path / "f")
        assert [(m.uid, m.gid) for m in tar.getmembers()] == [(stat.st_uid, stat.st_gid)]
