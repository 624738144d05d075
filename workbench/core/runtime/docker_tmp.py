"""A container's /tmp: separate from its memory and sized to its ephemeral storage.

A tmpfs would be charged to the container's memory cgroup (200 MB written at 128 MB is an
OOM kill, not Lambda's behaviour). When this process may mount (root), /tmp is a sparse
ext4 file of the ephemeral storage size, loop-mounted: writing past it gives ENOSPC, as on
Lambda. Otherwise it is a plain folder on disk: no memory charge, but no size limit either
(README says so). Either is removed with the container; a crashed workbench's are removed
by the next one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from workbench.core.runtime import ids
from workbench.core.runtime.engine_calls import bind
from workbench.core.settings import cache_dir

SANDBOX_OWNER = "993:990"
_loop_works: bool | None = None
_loop_lock = threading.Lock()


def _root() -> Path:
    return cache_dir() / "tmp"


def _can_loop() -> bool:
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "geteuid")
        and os.geteuid() == 0
        and shutil.which("mkfs.ext4") is not None
        and shutil.which("mount") is not None
        and _loop_works is not False
    )


def image_bytes(size_mb: int) -> int:
    """The file size that gives at least `size_mb` of free space after ext4's own overhead."""
    return (size_mb + max(16, size_mb // 16)) * 1024 * 1024


class TmpStorage:
    """One environment's /tmp on this host."""

    def __init__(self, size_mb: int) -> None:
        global _loop_works
        self._closed = False
        self._close_lock = threading.Lock()
        self.folder = _root() / f"{os.getpid()}-{ids.token_hex(6)}"
        self.mountpoint = self.folder / "tmp"
        self.mountpoint.mkdir(parents=True)
        self.sized = False
        if _can_loop():
            try:
                self._loop_mount(size_mb)
                self.sized = True
            except (OSError, subprocess.SubprocessError):
                with _loop_lock:
                    _loop_works = False  # e.g. no loop devices in this machine: do not retry
        # Lambda's /tmp is writable by the sandbox user; sticky like any /tmp.
        os.chmod(self.mountpoint, 0o1777)

    def _loop_mount(self, size_mb: int) -> None:
        image = self.folder / "tmp.ext4"
        with open(image, "wb") as handle:
            handle.truncate(image_bytes(size_mb))  # sparse: costs nothing until written
        for command in (
            ["mkfs.ext4", "-q", "-F", "-m", "0", "-O", "^has_journal",
             "-E", f"root_owner={SANDBOX_OWNER},lazy_itable_init=1", str(image)],
            ["mount", "-o", "loop,nosuid,nodev", str(image), str(self.mountpoint)],
        ):  # fmt: skip
            subprocess.run(
                command,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=30,
            )

    def mount(self) -> dict[str, Any]:
        return bind("/tmp", str(self.mountpoint))

    def close(self) -> None:
        """Unmount (lazily: the container may still be going) and delete the storage."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        _remove(self.folder, self.sized)


class PendingTmp:
    """TmpStorage made on a thread (mkfs and mount take 30-100 ms) while the rest starts."""

    def __init__(self, size_mb: int) -> None:
        self._storage: TmpStorage | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._make, args=(size_mb,), name="docker-env-tmp", daemon=True
        )
        self._thread.start()

    def _make(self, size_mb: int) -> None:
        try:
            self._storage = TmpStorage(size_mb)
        except BaseException as error:  # handed to the caller by result()
            self._error = error

    def result(self) -> TmpStorage:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._storage is not None
        return self._storage

    def discard(self) -> None:
        self._thread.join()
        if self._storage is not None:
            self._storage.close()


def _remove(folder: Path, mounted: bool = True) -> None:
    if mounted:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                ["umount", "-l", str(folder / "tmp")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=30,
            )
    shutil.rmtree(folder, ignore_errors=True)


def remove_orphans(pid_alive: object) -> None:
    """Remove /tmp storage of workbench processes that no longer run."""
    root = _root()
    if not root.is_dir():
        return
    for folder in root.iterdir():
        pid_text = folder.name.split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        if callable(pid_alive) and pid_alive(int(pid_text)):
            continue
        _remove(folder, os.path.ismount(folder / "tmp"))
