from __future__ import annotations

from pathlib import Path

import pytest

from compose_lite.watch.filters import (
    PathFilter,
    PatternSet,
    is_editor_temp,
    is_noise,
    load_dockerignore,
    parse_ignore_file,
    relative_to,
)


@pytest.mark.parametrize(
    "name",
    [
        ".app.py.swp",
        ".app.py.swo",
        ".app.py.swn",
        "app.py.swp",
        ".app.py.swx",
        ".app.py.swpx",
        "4913",
        "5036",
        "app.py~",
        ".#app.py",
        "#app.py#",
        "app.py___jb_tmp___",
        "app.py___jb_old___",
        ".goutputstream-X1Y2Z3",
        "app.py.kate-swp",
        "app.py.tmp",
    ],
)
def test_editor_temp_files_are_recognised(name: str) -> None:
    assert is_editor_temp(name)


@pytest.mark.parametrize(
    "name",
    ["app.py", "swp", "app.swift", "4912", "4914", "123", "#notes", "notes#", "tmp", "a.tmpl", "sw.py"],
)
def test_ordinary_names_are_not_editor_temp(name: str) -> None:
    assert not is_editor_temp(name)


@pytest.mark.parametrize(
    ("path", "base", "expected"),
    [
        ("/p/src/a.py", "/p", "src/a.py"),
        ("/p", "/p", ""),
        ("/p/", "/p", ""),
        ("/other/a.py", "/p", None),
        ("/pp/a.py", "/p", None),
        ("/p/../q/a", "/p", None),
    ],
)
def test_relative_to(path: str, base: str, expected: str | None) -> None:
    assert relative_to(path, base) == expected


@pytest.mark.parametrize(
    ("path", "noisy"),
    [
        ("/p/.git/index.lock", True),
        ("/p/.git", True),
        ("/p/sub/.hg/store/x", True),
        ("/p/.svn/entries", True),
        ("/p/src/.app.py.swp", True),
        ("/p/src/4913", True),
        ("/p/.github/workflows/ci.yml", False),
        ("/p/src/app.py", False),
        ("/p", False),
        # Only components below the watch root count: a root inside a VCS dir still works.
        ("/x/.git/p/app.py", False),
    ],
)
def test_noise_is_vcs_or_editor_temp_below_root(path: str, noisy: bool) -> None:
    root = "/x/.git/p" if path.startswith("/x/") else "/p"
    assert is_noise(path, root) is noisy


def test_parse_ignore_file_skips_comments_and_blank_lines() -> None:
    text = "# deps\nnode_modules\n\n  *.log  \n!keep.log\n#not-a-pattern\n"
    assert parse_ignore_file(text) == ("node_modules", "*.log", "!keep.log")


@pytest.mark.parametrize(
    ("patterns", "rel", "expected"),
    [
        (("node_modules",), "node_modules", True),
        (("node_modules",), "node_modules/pkg/index.js", True),
        (("node_modules",), "src/node_modules/x.js", False),
        (("**/node_modules",), "src/node_modules/x.js", True),
        (("*.log",), "debug.log", True),
        (("*.log",), "logs/debug.log", False),  # '*' stays within one segment
        (("**/*.log",), "logs/deep/debug.log", True),
        (("*.log", "!keep.log"), "keep.log", False),
        (("*.log", "!keep.log", "keep.log"), "keep.log", True),  # last match wins
        (("/build/",), "build/out.o", True),  # leading and trailing slashes are irrelevant
        (("./tmp",), "tmp/x", True),
        (("a/../b",), "b/c", True),
        (("src/?.py",), "src/a.py", True),
        (("src/?.py",), "src/ab.py", False),
        (("src/[ab].py",), "src/b.py", True),
        ((".dockerignore",), ".dockerignore", True),
        (("*",), ".dockerignore", True),  # watch rules have no build-only exception for it
        ((".",), "anything", False),  # '.' is ignored as a pattern, like docker build does
    ],
)
def test_pattern_set_uses_dockerignore_semantics(patterns: tuple[str, ...], rel: str, expected: bool) -> None:
    assert PatternSet("/p", patterns).matches(f"/p/{rel}") is expected


def test_pattern_set_never_matches_outside_or_base_itself() -> None:
    patterns = PatternSet("/p/src", ("*", "**"))
    assert not patterns.matches("/p/src")
    assert not patterns.matches("/p/other.py")
    assert patterns.matches("/p/src/a.py")


def test_load_dockerignore_reads_context_file(tmp_path: Path) -> None:
    (tmp_path / ".dockerignore").write_text("# comment\nnode_modules\n*.md\n")
    patterns = load_dockerignore(str(tmp_path))
    assert patterns == PatternSet(str(tmp_path), ("node_modules", "*.md"))


def test_load_dockerignore_prefers_dockerfile_specific_file(tmp_path: Path) -> None:
    (tmp_path / ".dockerignore").write_text("a\n")
    (tmp_path / "Dockerfile.dev.dockerignore").write_text("b\n")
    assert load_dockerignore(str(tmp_path), "Dockerfile.dev") == PatternSet(str(tmp_path), ("b",))
    assert load_dockerignore(str(tmp_path), "Dockerfile") == PatternSet(str(tmp_path), ("a",))


def test_load_dockerignore_absent_or_empty_is_none(tmp_path: Path) -> None:
    assert load_dockerignore(str(tmp_path)) is None
    (tmp_path / ".dockerignore").write_text("# only a comment\n\n")
    assert load_dockerignore(str(tmp_path)) is None


def test_path_filter_ignore_is_relative_to_rule_path(tmp_path: Path) -> None:
    root = tmp_path / "web"
    root.mkdir()
    f = PathFilter.for_rule(str(root), ignore=["node_modules/", "*.pyc"])
    assert f.accepts(str(root / "app.py"))
    assert not f.accepts(str(root / "node_modules" / "x" / "index.js"))
    assert not f.accepts(str(root / "node_modules"), is_dir=True)
    assert not f.accepts(str(root / "cache.pyc"))
    assert f.accepts(str(root / "pkg" / "cache.pyc"))  # '*.pyc' is one segment deep, as in Compose
    assert not f.accepts(str(tmp_path / "elsewhere.py"))


def test_path_filter_drops_noise_before_patterns(tmp_path: Path) -> None:
    f = PathFilter.for_rule(str(tmp_path), include=["**"])
    assert not f.accepts(str(tmp_path / ".git" / "HEAD"))
    assert not f.accepts(str(tmp_path / "src" / ".main.go.swp"))
    assert f.accepts(str(tmp_path / "src" / "main.go"))


def test_path_filter_include_keeps_only_matching_files(tmp_path: Path) -> None:
    f = PathFilter.for_rule(str(tmp_path), include=["*.py", "static/**"])
    assert f.accepts(str(tmp_path / "app.py"))
    assert f.accepts(str(tmp_path / "static" / "css" / "site.css"))
    assert not f.accepts(str(tmp_path / "README.md"))
    # Directories pass: they may hold included files, filtered again when their contents are read.
    assert f.accepts(str(tmp_path / "pkg"), is_dir=True)


def test_path_filter_ignore_beats_include(tmp_path: Path) -> None:
    f = PathFilter.for_rule(str(tmp_path), ignore=["test_*.py"], include=["*.py"])
    assert f.accepts(str(tmp_path / "app.py"))
    assert not f.accepts(str(tmp_path / "test_app.py"))


def test_path_filter_applies_build_context_dockerignore(tmp_path: Path) -> None:
    (tmp_path / ".dockerignore").write_text("dist\n")
    root = tmp_path / "src"
    f = PathFilter.for_rule(str(root), dockerignore=load_dockerignore(str(tmp_path)))
    assert f.accepts(str(root / "a.ts"))
    # The dockerignore is anchored on the build context, not on the rule's path.
    assert f.accepts(str(root / "dist" / "a.js"))
    f2 = PathFilter.for_rule(str(tmp_path), dockerignore=load_dockerignore(str(tmp_path)))
    assert not f2.accepts(str(tmp_path / "dist" / "a.js"))


def test_path_filter_for_a_single_file_rule(tmp_path: Path) -> None:
    target = tmp_path / "config.json"
    target.write_text("{}")
    f = PathFilter.for_rule(str(target), ignore=["*.bak"], include=["*.yaml"])
    assert f.accepts(str(target))  # the rule's own file always counts
    assert not f.accepts(str(tmp_path / "other.json"))
