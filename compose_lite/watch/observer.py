"""The watchdog bridge: observer threads whose handler only filters and enqueues into a Batcher.

Every root is watched through a non-recursive watch on its parent directory (which sees the root
itself deleted, re-created or atomically replaced) and, when the root is a directory, a recursive
watch on it.  A directory root that is deleted and re-created gets a fresh recursive watch and is
reported as created, so its whole tree is picked up.  Directories below a root need nothing
special: watchdog's recursive inotify watch adds watches for new subdirectories itself.

Lost events are never silent: an inotify queue overflow (watchdog logs it and rebuilds its
watches; it has no event for it) or a watch-limit error marks the next batch for a full rescan
and records a warning.  A root whose directory tree would not fit in the inotify watch limit is
polled instead.  ``poll=True`` or ``CL_WATCH_POLL=1`` polls everything (for file systems without
inotify: network shares, some VM mounts).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from compose_lite.watch.debounce import Batcher, ChangeKind
from compose_lite.watch.filters import is_noise

if TYPE_CHECKING:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers.api import BaseObserver, ObservedWatch

POLL_ENV = "CL_WATCH_POLL"
DEFAULT_POLL_INTERVAL = 0.5
_WATCHDOG_LOGGER = "watchdog.observers"
_MAX_WATCHES_FILE = "/proc/sys/fs/inotify/max_user_watches"

Event = tuple[str, ChangeKind, bool]  # path, kind, is_dir


def translate(event: FileSystemEvent) -> list[Event]:
    """A watchdog event as (path, kind, is_dir) changes; events that carry no content change → []."""
    src = os.fsdecode(event.src_path)
    is_dir = event.is_directory
    kind = event.event_type
    if kind == "moved":
        return [(src, ChangeKind.DELETED, is_dir), (os.fsdecode(event.dest_path), ChangeKind.CREATED, is_dir)]
    if kind == "created":
        return [(src, ChangeKind.CREATED, is_dir)]
    if kind == "deleted":
        return [(src, ChangeKind.DELETED, is_dir)]
    # A directory's own modified/attrib events only echo changes of its entries, which arrive as
    # events of their own.  For files, a close after writing and an attribute change (touch,
    # chmod) count as modifications; opens and read-only closes do not.
    if not is_dir and kind in ("modified", "closed", "attrib"):
        return [(src, ChangeKind.MODIFIED, False)]
    return []


def poll_requested(env: Mapping[str, str]) -> bool:
    return env.get(POLL_ENV, "").strip().lower() in ("1", "true", "yes", "on")


class ChangeObserver:
    """Watches ``roots`` (absolute paths of directories or files, existing or not) into ``batcher``.

    Warnings (lost events, polling fallbacks, roots that cannot be watched) are kept as data
    (:meth:`warnings`) and also passed to ``on_warning`` when given.
    """

    def __init__(
        self,
        roots: Iterable[str],
        batcher: Batcher,
        *,
        poll: bool | None = None,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_warning: Callable[[str], None] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.roots = tuple(sorted({os.path.abspath(r) for r in roots}))
        self.batcher = batcher
        self.poll = poll if poll is not None else poll_requested(os.environ if env is None else env)
        self.poll_interval = poll_interval
        self._on_warning = on_warning
        self._warnings: list[str] = []
        self._lock = threading.RLock()
        self._observers: dict[bool, BaseObserver] = {}  # keyed by "is polling"
        self._dir_watches: dict[str, tuple[BaseObserver, ObservedWatch]] = {}
        self._parent_watches: set[str] = set()
        self._handler: FileSystemEventHandler | None = None
        self._log_hook: _OverflowLogHook | None = None
        self._running = False

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._handler = _make_handler(self._dispatch)
        self._log_hook = _OverflowLogHook(self._lost_events)
        self._log_hook.install()
        self._running = True
        for root in self.roots:
            self._watch_parent(root)
            if os.path.isdir(root):
                self._watch_dir(root)

    def stop(self) -> None:
        with self._lock:
            self._running = False
            observers = list(self._observers.values())
            self._observers.clear()
            self._dir_watches.clear()
            self._parent_watches.clear()
        for observer in observers:
            observer.stop()
        for observer in observers:
            observer.join(timeout=5)
        if self._log_hook is not None:
            self._log_hook.remove()
            self._log_hook = None

    def __enter__(self) -> ChangeObserver:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def warnings(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._warnings)

    # -- event path (observer threads) ---------------------------------------------------------

    def _dispatch(self, event: FileSystemEvent) -> None:
        for path, kind, is_dir in translate(event):
            root = self._root_of(path)
            if root is None or is_noise(path, root):
                continue
            if path == root and is_dir and kind is ChangeKind.CREATED and self._running:
                self._watch_dir(root)
            self.batcher.add(path, kind, is_dir=is_dir)

    def _root_of(self, path: str) -> str | None:
        for root in self.roots:
            if path == root or path.startswith(root + os.sep):
                return root
        return None

    def _lost_events(self, message: str) -> None:
        self.batcher.overflow()
        self._warn(f"{message}; rescanning all watched paths")

    def _warn(self, message: str) -> None:
        with self._lock:
            self._warnings.append(message)
        if self._on_warning is not None:
            self._on_warning(message)

    # -- scheduling ----------------------------------------------------------------------------

    # Lock discipline: our lock is only held around our own dicts, never while calling into a
    # watchdog observer, whose dispatcher thread holds its lock while calling our handler.

    def _observer(self, polling: bool) -> BaseObserver:
        with self._lock:
            return self._observers.get(polling) or self._new_observer(polling)

    def _new_observer(self, polling: bool) -> BaseObserver:
        observer: BaseObserver
        if polling:
            from watchdog.observers.polling import PollingObserver

            observer = PollingObserver(timeout=self.poll_interval)
        else:
            from watchdog.observers import Observer

            observer = Observer()
        observer.daemon = True
        observer.start()
        self._observers[polling] = observer
        return observer

    def _schedule(self, path: str, recursive: bool) -> tuple[BaseObserver, ObservedWatch] | None:
        assert self._handler is not None
        polling = self.poll or (recursive and not self._fits_watch_limit(path))
        try:
            observer = self._observer(polling)
            return observer, observer.schedule(self._handler, path, recursive=recursive)
        except OSError as exc:
            if polling or exc.errno not in (errno.ENOSPC, errno.EMFILE):
                self._warn(f"cannot watch {path}: {exc.strerror or exc}")
                return None
            self._lost_events(f"inotify limit reached watching {path} ({exc.strerror}); polling it instead")
            observer = self._observer(True)
            return observer, observer.schedule(self._handler, path, recursive=recursive)

    def _watch_parent(self, root: str) -> None:
        parent = os.path.dirname(root)
        with self._lock:
            if parent in self._parent_watches:
                return
            self._parent_watches.add(parent)
        if not os.path.isdir(parent):
            self._warn(f"cannot watch {root}: {parent} does not exist")
        elif self._schedule(parent, recursive=False) is None:
            with self._lock:
                self._parent_watches.discard(parent)

    def _watch_dir(self, root: str) -> None:
        with self._lock:
            old = self._dir_watches.pop(root, None)
        if old is not None:
            observer, watch = old
            # Its inotify watch died with the old directory (KeyError: already unscheduled).
            with contextlib.suppress(KeyError):
                observer.unschedule(watch)
        scheduled = self._schedule(root, recursive=True)
        if scheduled is not None:
            with self._lock:
                self._dir_watches[root] = scheduled

    def _fits_watch_limit(self, root: str) -> bool:
        """Whether a recursive inotify watch of ``root`` fits the per-user limit.

        watchdog silently skips subdirectories it cannot watch, so check before relying on it.
        """
        try:
            with open(_MAX_WATCHES_FILE, encoding="ascii") as f:
                limit = int(f.read())
        except (OSError, ValueError):
            return True
        count = 0
        for _dirpath, dirnames, _files in os.walk(root):
            count += 1 + len(dirnames)
            if count > limit:
                self._warn(
                    f"{root} has more directories than the inotify watch limit ({limit}); polling it instead "
                    "(raise fs.inotify.max_user_watches, or ignore large directories)"
                )
                return False
        return True


class _OverflowLogHook(logging.Handler):
    """Turns watchdog's overflow log records into lost-event signals.

    watchdog handles an inotify queue overflow internally (it re-creates its watches) and only
    logs it, so its log records are the one place the overflow is visible.
    """

    def __init__(self, signal: Callable[[str], None]) -> None:
        super().__init__(level=logging.WARNING)
        self._signal = signal
        self._logger = logging.getLogger(_WATCHDOG_LOGGER)
        self._saved_level = self._logger.level

    def install(self) -> None:
        # Keep warnings flowing even when the application raised the root level to ERROR.
        if self._logger.getEffectiveLevel() > logging.WARNING:
            self._logger.setLevel(logging.WARNING)
        self._logger.addHandler(self)

    def remove(self) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._saved_level)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        lowered = message.lower()
        if "overflow" in lowered or "unable to rebuild" in lowered:
            self._signal(f"file-system events were lost ({message})")


def _make_handler(dispatch: Callable[[FileSystemEvent], None]) -> FileSystemEventHandler:
    from watchdog.events import FileSystemEventHandler

    class _Handler(FileSystemEventHandler):
        def dispatch(self, event: FileSystemEvent) -> None:
            dispatch(event)

    return _Handler()
