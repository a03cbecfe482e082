"""Which changed paths matter: VCS metadata, editor temp files, .dockerignore, a rule's ignore/include.

Functions over path strings; the only file-system access is reading an ignore file on request and
checking whether a rule's root is a file when its filter is built.
Pattern syntax and matching are Docker's .dockerignore rules, delegated to the Docker SDK's
``docker.utils.build.PatternMatcher`` (imported lazily): patterns are relative to a base directory,
``*`` stays within one path segment, ``**`` spans segments, a pattern matching a directory matches
everything below it, and a later ``!pattern`` re-includes.  The SDK compares case-insensitively.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docker.utils.build import PatternMatcher

VCS_DIRS = frozenset({".git", ".hg", ".svn"})

# Editor scratch files, by basename.  Atomic saves (temp file renamed over the real one) are
# also handled by the batcher, so a temp name missing here still yields one change of the real file.
_EDITOR_TEMP = re.compile(
    r"""
      .*\.sw[a-p]         # vim swap: .x.swp, .x.swo, ... (also without the leading dot, 'directory' option)
    | .*\.swx | .*\.swpx  # vim's probe swap files
    | .*~                 # vim/emacs/nano backups
    | \.\#.*              # emacs lock files
    | \#.*\#              # emacs auto-save files
    | .*___jb_(tmp|old)___  # JetBrains "safe write"
    | \.goutputstream-.*  # GTK editors (gedit) atomic save
    | .*\.kate-swp        # Kate swap
    | .*\.tmp             # generic atomic-save temp names
    """,
    re.VERBOSE,
)


def is_editor_temp(name: str) -> bool:
    """Whether a basename is an editor's swap, backup, lock or atomic-save temp file."""
    if name.isdigit():
        # vim probes directory writability with a file named 4913 (then 5036, 5159, ... on clashes).
        number = int(name)
        return number >= 4913 and (number - 4913) % 123 == 0
    return _EDITOR_TEMP.fullmatch(name) is not None


def relative_to(path: str, base: str) -> str | None:
    """``path`` relative to ``base`` with ``/`` separators; ``""`` for base itself; None if outside."""
    rel = os.path.relpath(path, base)
    if rel == ".":
        return ""
    if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def is_noise(path: str, root: str) -> bool:
    """Changes no rule ever acts on: inside a VCS directory or an editor temp file (below ``root``)."""
    rel = relative_to(path, root)
    if rel is None or rel == "":
        return False
    parts = rel.split("/")
    return any(part in VCS_DIRS for part in parts) or is_editor_temp(parts[-1])


@dataclass(frozen=True)
class PatternSet:
    """.dockerignore-syntax patterns relative to ``base`` (an absolute directory)."""

    base: str
    patterns: tuple[str, ...]

    def matches(self, path: str) -> bool:
        """Whether the absolute ``path`` is matched; paths outside ``base`` and base itself never are."""
        rel = relative_to(path, self.base)
        if not rel:
            return False
        # The SDK's stubs say PathLike, but its matching code works on (and needs) str.
        return bool(self._matcher.matches(rel))  # type: ignore[arg-type]

    @cached_property
    def _matcher(self) -> PatternMatcher:
        from docker.utils.build import PatternMatcher

        matcher = PatternMatcher(list(self.patterns))
        # The SDK appends "!.dockerignore" (docker build always sends that file); for watch rules
        # the file is an ordinary file, so drop that build-only exception.
        last = matcher.patterns[-1]
        if last.exclusion and last.cleaned_pattern == ".dockerignore":
            matcher.patterns.pop()
        return matcher


def parse_ignore_file(text: str) -> tuple[str, ...]:
    """Patterns of a .dockerignore text: one per line, ``#`` comments and blank lines skipped."""
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def load_dockerignore(context_dir: str, dockerfile: str | None = None) -> PatternSet | None:
    """The build context's ignore patterns, or None without an ignore file.

    Like BuildKit, ``<Dockerfile>.dockerignore`` next to the Dockerfile wins over the context's
    ``.dockerignore``.
    """
    candidates = []
    if dockerfile:
        candidates.append(os.path.join(context_dir, dockerfile + ".dockerignore"))
    candidates.append(os.path.join(context_dir, ".dockerignore"))
    for candidate in candidates:
        try:
            with open(candidate, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            continue
        patterns = parse_ignore_file(text)
        return PatternSet(context_dir, patterns) if patterns else None
    return None


@dataclass(frozen=True)
class PathFilter:
    """Everything that decides whether a change under one watch root counts.

    ``include`` (when given) keeps only matching files; directories always pass it, because they
    may contain included files and are filtered again when their contents are read.
    """

    root: str
    ignore: PatternSet | None = None
    include: PatternSet | None = None
    dockerignore: PatternSet | None = None

    @classmethod
    def for_rule(
        cls,
        root: str,
        ignore: Sequence[str] = (),
        include: Sequence[str] = (),
        dockerignore: PatternSet | None = None,
    ) -> PathFilter:
        # A rule on a single file anchors its patterns on the file's directory.
        base = root if not os.path.isfile(root) else os.path.dirname(root)
        return cls(
            root=root,
            ignore=PatternSet(base, tuple(ignore)) if ignore else None,
            include=PatternSet(base, tuple(include)) if include else None,
            dockerignore=dockerignore,
        )

    def accepts(self, path: str, *, is_dir: bool = False) -> bool:
        if relative_to(path, self.root) is None or is_noise(path, self.root):
            return False
        for patterns in (self.dockerignore, self.ignore):
            if patterns is not None and patterns.matches(path):
                return False
        if self.include is not None and not is_dir and path != self.root:
            return self.include.matches(path)
        return True
