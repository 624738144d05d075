"""Recovery area: unsaved buffers copied to data_dir()/recovery so a crash loses nothing."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.core.settings import atomic_write_text, data_dir

SAVE_INTERVAL_MS = 3000


@dataclass(frozen=True)
class RecoveredBuffer:
    path: Path
    text: str
    saved_at: float


class RecoveryStore:
    """One JSON file per unsaved buffer, in a folder of this window's own.

    Each window writes only into `<base>/<pid>-<n>/` (with an owner.pid lock),
    so two windows on the same project never delete each other's copies. A
    clean quit removes the window's folder; folders left by a process that is
    no longer running are what a crash left, and are offered back at the next start.
    """

    _count = 0

    def __init__(self, root: Path | None = None) -> None:
        self.base = root or data_dir() / "recovery"
        RecoveryStore._count += 1
        self.root = self.base / f"{os.getpid()}-{RecoveryStore._count}"
        self.lock = self.root / "owner.pid"

    def _file_for(self, path: Path) -> Path:
        digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
        return self.root / f"{digest}.json"

    def _orphans(self) -> list[Path]:
        """Folders of windows that are gone (the base itself holds the old one-folder layout)."""
        if not self.base.is_dir():
            return []
        folders = [self.base] + sorted(p for p in self.base.iterdir() if p.is_dir())
        return [f for f in folders if f != self.root and not _owner_alive(f / "owner.pid")]

    def leftovers(self) -> list[RecoveredBuffer]:
        """Buffers crashed windows left (never those of a window that is still running)."""
        found = []
        for folder in self._orphans():
            for file in sorted(folder.glob("*.json")):
                try:
                    data = json.loads(file.read_text("utf-8"))
                    found.append(
                        RecoveredBuffer(Path(data["path"]), data["text"], data["saved_at"])
                    )
                except (OSError, ValueError, KeyError, TypeError):
                    continue  # a half-written entry from the crash itself: nothing to offer
        return found

    def discard_leftovers(self) -> None:
        """Remove what crashed windows left (after it was offered)."""
        for folder in self._orphans():
            _empty(folder, remove=folder != self.base)

    def claim(self) -> None:
        """Mark this window's folder as owned by this process."""
        atomic_write_text(self.lock, str(os.getpid()))

    def write(self, buffers: dict[Path, str]) -> None:
        """Make this window's folder hold exactly these unsaved buffers."""
        if buffers and not self.lock.exists():
            self.claim()
        keep = set()
        for path, text in buffers.items():
            target = self._file_for(path)
            keep.add(target)
            payload = {"path": str(path), "text": text, "saved_at": time.time()}
            if target.exists() and _same_text(target, text):
                continue
            atomic_write_text(target, json.dumps(payload))
        if self.root.is_dir():
            for stale in self.root.glob("*.json"):
                if stale not in keep:
                    stale.unlink(missing_ok=True)

    def clear(self) -> None:
        """Empty this window's folder (clean quit)."""
        _empty(self.root, remove=True)


def _empty(folder: Path, *, remove: bool) -> None:
    if not folder.is_dir():
        return
    for file in folder.glob("*.json"):
        file.unlink(missing_ok=True)
    (folder / "owner.pid").unlink(missing_ok=True)
    if remove:
        with contextlib.suppress(OSError):  # something else is in there: leave it
            folder.rmdir()


def _same_text(file: Path, text: str) -> bool:
    try:
        return json.loads(file.read_text("utf-8")).get("text") == text
    except (OSError, ValueError, AttributeError):
        return False


def _owner_alive(lock: Path) -> bool:
    try:
        pid = int(lock.read_text().strip())
    except (OSError, ValueError):
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def offer_recovery(store: RecoveryStore, tabs: Any, parent: QWidget) -> int:
    """Ask whether to reopen what a crash left; returns how many buffers were restored."""
    leftovers = store.leftovers()
    restored = 0
    if leftovers:
        names = "\n".join(f"• {b.path}" for b in leftovers)
        answer = QMessageBox.question(
            parent, "Recover unsaved changes",
            f"Lambda Workbench stopped before these files were saved:\n{names}\n\n"
            "Open the unsaved text? (Nothing is written until you save.)",
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            for buffer in leftovers:
                tabs.open_text(buffer.path, buffer.text)
                restored += 1
        store.discard_leftovers()
    store.claim()
    return restored
