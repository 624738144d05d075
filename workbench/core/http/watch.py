"""Watch function folders while serving: a saved file retires that function's environments."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

# Changes that are not code: bytecode, editor swap/backup files, VCS data.
_IGNORED_PARTS = {"__pycache__", ".git", ".hg", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
_IGNORED_SUFFIXES = (".pyc", ".pyo", ".swp", ".swx", "~", ".tmp")
DEBOUNCE_S = 0.15  # an editor's save is often several events; act once


def ignored(path: str) -> bool:
    parts = Path(path).parts
    name = parts[-1] if parts else ""
    if any(p in _IGNORED_PARTS for p in parts):
        return True
    return name.endswith(_IGNORED_SUFFIXES) or name.startswith(".#")


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: CodeWatcher, names: list[str]) -> None:
        self.watcher, self.names = watcher, names

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return  # a folder's mtime changes with every file in it; the file event is enough
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if all(not p or ignored(p) for p in paths):
            return
        self.watcher.changed(self.names, paths[0])


class _FileHandler(FileSystemEventHandler):
    def __init__(self, watcher: CodeWatcher, path: Path) -> None:
        self.watcher, self.path = watcher, str(path)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        # Editors often save by writing a temporary file and renaming it over the original.
        if self.path in (str(event.src_path), str(getattr(event, "dest_path", "") or "")):
            self.watcher.changed([FILE_CHANGED], self.path)


FILE_CHANGED = ""  # the name reported for a change to one of the watched `files`


class CodeWatcher:
    """Calls `on_change(function_names, path)` (from a timer thread) when their code changes.

    A change to one of `files` (the template, the project file) is reported with the
    names `[FILE_CHANGED]`.
    """

    def __init__(
        self,
        folders: dict[str, Path],
        on_change: Callable[[list[str], str], None],
        files: Iterable[Path] = (),
    ) -> None:
        self.on_change = on_change
        self._observer = Observer()
        self._observer.daemon = True
        self._lock = threading.Lock()
        self._pending: dict[str, str] = {}
        self._timer: threading.Timer | None = None
        by_folder: dict[Path, list[str]] = {}
        for name, folder in folders.items():
            by_folder.setdefault(folder.resolve(), []).append(name)
        for folder, names in by_folder.items():
            if folder.is_dir():
                self._observer.schedule(_Handler(self, names), str(folder), recursive=True)
        for path in files:
            path = path.resolve()
            if path.parent.is_dir():
                self._observer.schedule(_FileHandler(self, path), str(path.parent), recursive=False)

    def start(self) -> None:
        self._observer.start()

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
        self._observer.stop()
        self._observer.join(timeout=5)

    def changed(self, names: Iterable[str], path: str) -> None:
        with self._lock:
            for name in names:
                self._pending[name] = path
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_S, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
            self._timer = None
        by_path: dict[str, list[str]] = {}
        for name, path in pending.items():
            by_path.setdefault(path, []).append(name)
        for path, names in by_path.items():
            self.on_change(sorted(names), path)
