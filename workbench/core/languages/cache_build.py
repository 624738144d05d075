"""Build a cache folder once, even when several workbench processes ask at the same time.

A file lock (flock / msvcrt) serialises the builders; the build goes into a
private partial folder that is renamed into place only when complete, so a
reader never sees half an install and a crash leaves no broken cache entry.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.progress import CancelToken

COMPLETE = ".complete"
_LOCK_WAIT_S = 30 * 60  # another process may be running a long pip install


def is_built(target: Path) -> bool:
    return (target / COMPLETE).is_file()


def build_once(
    target: Path,
    build: Callable[[Path], None],
    cancel: CancelToken,
    on_wait: Callable[[], None] | None = None,
) -> Path:
    """`target`, built by `build(partial_folder)` unless some process already built it.

    `on_wait` is called once if another process holds the lock (to say why nothing moves).
    """
    if is_built(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(target.with_name(target.name + ".lock"), cancel, on_wait):
        if is_built(target):  # another process finished it while we waited
            return target
        import tempfile  # here: only a build needs it (~3 ms of every CLI start)

        partial = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.partial."))
        partial.chmod(0o755)  # like any cache folder (mkdtemp makes it private)
        try:
            build(partial)
            (partial / COMPLETE).write_text("ok\n", encoding="ascii")
            if target.exists():  # a leftover without .complete (an old crash)
                shutil.rmtree(target, ignore_errors=True)
            os.replace(partial, target)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    return target


@contextlib.contextmanager
def file_lock(
    path: Path, cancel: CancelToken, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created 0600) across processes and threads."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + _LOCK_WAIT_S
        while not _try_lock(fd):
            if on_wait is not None:
                on_wait()
                on_wait = None
            if time.monotonic() > deadline:
                raise WorkbenchError(
                    f"Another workbench process has held {path} for over "
                    f"{_LOCK_WAIT_S // 60} minutes; close it or delete the lock file and retry."
                )
            if cancel.wait(0.05):
                raise Cancelled("Waiting for the dependency cache")
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
