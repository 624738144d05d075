"""ProjectWatcher: changes under the project folder, batched, from watchdog's own thread."""

from __future__ import annotations

import contextlib
import threading
import warnings
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from workbench.core.progress import CancelToken, Sink
from workbench.ui.tree.listing import SKIP_DIRS
from workbench.ui.worker import start_task

# watchdog's inotify emitter warns when a folder created inside the tree is registered a
# second time ("Callback with id ... already exists"); the watch is still right.
warnings.filterwarnings("ignore", message="Callback with id", category=RuntimeWarning)

BATCH_MS = 150  # an editor's save is several events (temp file, rename): report them once
IGNORED_DIRS = SKIP_DIRS - {"events"}  # saved events are watched too


def ignored(path: Path, root: Path) -> bool:
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return True
    name = parts[-1] if parts else ""
    if any(part in IGNORED_DIRS for part in parts):
        return True
    # atomic_write_text's temp files (.name.xxxx.tmp) and editor swap files
    return name.endswith((".tmp", ".swp", "~", ".pyc")) or name.startswith(".#")


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: ProjectWatcher, root: Path, observer: Any) -> None:
        self.watcher, self.root, self.observer = watcher, root, observer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        found = [Path(str(p)) for p in paths if p]
        found = [p for p in found if not ignored(p, self.root)]
        if not found:
            return
        if not shiboken6.isValid(self.watcher):
            return  # the window is gone; its observer is being stopped
        if self.watcher._observer is not self.observer:
            return  # a previous project's watch, still stopping
        self.watcher._add(found)


class ProjectWatcher(QObject):
    """Watches one folder tree; `changed` carries every path touched since the last batch."""

    #: paths (absolute) created, modified, moved or deleted; batched
    changed = Signal(list)
    #: watching could not start (a sentence: too many folders, unreadable, ...)
    failed = Signal(str)
    _poked = Signal()  # from watchdog's thread; queued into the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: set[Path] = set()
        self._observer: Any = None
        self.root: Path | None = None
        self._timer = QTimer(self, singleShot=True, interval=BATCH_MS)
        self._timer.timeout.connect(self._flush)
        self._poked.connect(self._on_poked)
        self._holder: dict[str, Any] = {"observer": None}
        self.destroyed.connect(_stopper(self._holder))

    @property
    def watching(self) -> bool:
        """True once the recursive watch is registered and its thread runs."""
        observer = self._observer
        return observer is not None and observer.is_alive()

    def watch(self, root: Path) -> None:
        """Start watching `root` (stops the previous one). Setup runs on a worker.

        Registering a recursive inotify watch walks the whole tree, which is slow
        for a big folder, so it never happens on the GUI thread.
        """
        self.stop()
        self.root = root.resolve()
        observer = Observer()
        self._observer = observer
        self._holder["observer"] = observer
        handler = _Handler(self, self.root, observer)

        def start(_cancel: CancelToken, _sink: Sink) -> None:
            try:
                observer.schedule(handler, str(self.root), recursive=True)
                observer.start()
            except OSError as error:
                with contextlib.suppress(Exception):
                    observer.stop()
                raise_sentence(error, self.root)

        start_task(start, on_error=self.failed.emit)

    def stop(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            # Stopping joins the emitter's thread and drops one inotify watch per folder
            # (10-40 ms for a big tree): on a thread of its own, never the GUI thread.
            threading.Thread(target=_stop_quietly, args=(observer,), daemon=True).start()
        with self._lock:
            self._pending.clear()

    def _add(self, paths: list[Path]) -> None:
        with self._lock:
            first = not self._pending
            self._pending.update(paths)
        if first:
            with contextlib.suppress(RuntimeError):  # deleted between the check and now
                self._poked.emit()

    def _on_poked(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _flush(self) -> None:
        with self._lock:
            paths, self._pending = sorted(self._pending), set()
        if paths and self._observer is not None:
            self.changed.emit(paths)


def _stop_quietly(observer: Any) -> None:
    with contextlib.suppress(Exception):  # already stopped, or its folder is gone
        observer.unschedule_all()
        observer.stop()


def _stopper(holder: dict[str, Any]) -> Any:
    # `destroyed` fires after the Python side is gone: keep only what stopping needs.

    def stop(*_args: object) -> None:
        observer = holder["observer"]
        if observer is not None:
            with contextlib.suppress(Exception):
                observer.stop()

    return stop


def raise_sentence(error: OSError, root: Path | None) -> None:
    from workbench.core.errors import WorkbenchError

    if error.errno == 28 or "inotify" in str(error).lower():  # ENOSPC: watch limit reached
        raise WorkbenchError(
            f"{root} has more folders than this system lets one program watch, so changes made "
            "outside the app are not noticed; raise fs.inotify.max_user_watches or open a "
            "smaller folder."
        ) from error
    raise WorkbenchError(
        f"Changes under {root} cannot be watched ({error.strerror or error}); reopen the "
        "project after editing files outside the app."
    ) from error
