"""Recovery area: unsaved buffers copied to data_dir()/recovery so a crash loses nothing."""

from __future__ import annotations

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
    """One JSON file per unsaved buffer, plus a lock naming the process that owns them.

    A clean quit empties the area; buffers left behind by a process that is no
    longer running are what a crash left, and are offered back at the next start.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or data_dir() / "recovery"
        self.lock = self.root / "owner.pid"

    def _file_for(self, path: Path) -> Path:
        digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
        return self.root / f"{digest}.json"

    def leftovers(self) -> list[RecoveredBuffer]:
        """Buffers a crashed session left (empty when another live window owns the area)."""
        if not self.root.is_dir() or _owner_alive(self.lock):
            return []
        found = []
        for file in sorted(self.root.glob("*.json")):
            try:
                data = json.loads(file.read_text("utf-8"))
                found.append(RecoveredBuffer(Path(data["path"]), data["text"], data["saved_at"]))
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a half-written entry from the crash itself: nothing to offer
        return found

    def claim(self) -> None:
        """Mark the area as owned by this process (after leftovers were handled)."""
        atomic_write_text(self.lock, str(os.getpid()))

    def write(self, buffers: dict[Path, str]) -> None:
        """Make the area hold exactly these unsaved buffers."""
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
        """Empty the area (clean quit, or the user declined the recovered buffers)."""
        if not self.root.is_dir():
            return
        for file in self.root.glob("*.json"):
            file.unlink(missing_ok=True)
        self.lock.unlink(missing_ok=True)


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
        store.clear()
    store.claim()
    return restored
