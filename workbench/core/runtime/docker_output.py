"""A container's stdout+stderr through a FIFO on this host, read exactly up to any moment.

The image's entrypoint runs with both streams redirected into a FIFO that is bind-mounted
into the container. Everything the runtime wrote before it posted its response is in the
pipe by then (write() has returned), so draining the pipe until it is empty, when the
response arrives, yields exactly that invoke's output: no quiet period, no timing guess.
Needs a local Linux engine (a FIFO cannot cross Docker Desktop's file sharing).
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.core.runtime.engine_calls import bind
from workbench.core.runtime.engine_http import EngineError

# Fallback only (Docker Desktop, images without an entrypoint): the attach stream carries no
# end-of-invoke marker, so output counts as complete after a short silence.
QUIET_S = 0.001
QUIET_AFTER_OUTPUT_S = 0.004
TARGET = "/lambda-workbench/output"
_SHELL_WRAPPER = 'exec "$@" >' + TARGET + " 2>&1"
_F_SETPIPE_SZ = 1031  # Linux: a bigger pipe means fewer writer stalls on chatty functions
PIPE_BYTES = 1 << 20


def supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "mkfifo")


def wrap_entrypoint(entrypoint: list[str]) -> list[str]:
    """The image's entrypoint, run by /bin/sh with stdout and stderr sent into the FIFO."""
    return ["/bin/sh", "-c", _SHELL_WRAPPER, "lambda-workbench-output", *entrypoint]


class FifoOutput:
    """Owns the FIFO; delivers chunks in order to `on_output` from a reader thread or drain()."""

    def __init__(self, on_output: Callable[[bytes], None]) -> None:
        self.on_output = on_output
        # A private folder (0700): only this user (and the engine, as root) can reach the FIFO.
        self.folder = Path(tempfile.mkdtemp(prefix="lambda-workbench-output-"))
        self.path = self.folder / "output"
        os.mkfifo(self.path, 0o600)
        # Lambda's sandbox user is neither owner nor group: it writes as "other".
        os.chmod(self.path, 0o602)
        self._fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        # Our own write end keeps the pipe from reading as end-of-file before the container
        # opened it, and after it exited; end of output is the container's exit instead.
        self._hold = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
        with contextlib.suppress(OSError):
            import fcntl

            fcntl.fcntl(self._fd, _F_SETPIPE_SZ, PIPE_BYTES)
        self._wake_r, self._wake_w = os.pipe()
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="docker-env-output", daemon=True)
        self._thread.start()

    def mount(self) -> dict[str, Any]:
        return bind(TARGET, str(self.path))

    def drain(self, timeout: float = 0.0) -> None:
        """Deliver everything written so far; returns once the pipe is empty (no waiting)."""
        with self._lock:
            if self._closed:
                return
            while True:
                try:
                    chunk = os.read(self._fd, 65536)
                except BlockingIOError:
                    return
                except OSError:
                    return
                if not chunk:
                    return
                self.on_output(chunk)

    def ended(self, timeout: float) -> None:
        """After the container exited: everything it wrote is in the pipe."""
        self.drain()

    def _run(self) -> None:
        poller = select.poll()
        poller.register(self._fd, select.POLLIN)
        poller.register(self._wake_r, select.POLLIN)
        while True:
            events = poller.poll()
            if any(fd == self._wake_r for fd, _ in events):
                return
            self.drain()

    def close(self) -> None:
        """Stop reading and remove the FIFO (output still in the pipe is delivered first)."""
        if self._closed:
            return
        self.drain()
        os.write(self._wake_w, b"x")
        self._thread.join(1.0)
        with self._lock:
            self._closed = True
            for fd in (self._fd, self._hold, self._wake_r, self._wake_w):
                with contextlib.suppress(OSError):
                    os.close(fd)
        shutil.rmtree(self.folder, ignore_errors=True)


class AttachOutput:
    """The fallback: the container's attach stream, complete after a short quiet period."""

    def __init__(self, on_output: Callable[[bytes], None]) -> None:
        self.on_output = on_output
        self._last_output = 0.0
        self._flushed_at = 0.0
        self._arrived = threading.Condition()
        self._done = threading.Event()

    def follow(self, stream: object) -> None:
        threading.Thread(
            target=self._read, args=(stream,), name="docker-env-attach", daemon=True
        ).start()

    def _read(self, stream: object) -> None:
        try:
            for chunk in stream:  # type: ignore[attr-defined]
                if chunk:
                    self.on_output(chunk)
                    with self._arrived:
                        self._last_output = time.perf_counter()
                        self._arrived.notify_all()
        except (EngineError, OSError, ValueError):
            pass  # the container went away under the stream
        finally:
            self._done.set()
            with self._arrived:
                self._arrived.notify_all()

    def drain(self, timeout: float = 1.0) -> None:
        """Wait for a short quiet period on the stream (bounded by `timeout`)."""
        start = time.perf_counter()
        end = start + timeout
        with self._arrived:
            while not self._done.is_set():
                now = time.perf_counter()
                printed = self._last_output > self._flushed_at
                quiet = QUIET_AFTER_OUTPUT_S if printed else QUIET_S
                remaining = min(max(self._last_output, start) + quiet, end) - now
                if remaining <= 0:
                    break
                self._arrived.wait(remaining)
        self._flushed_at = time.perf_counter()

    def ended(self, timeout: float) -> None:
        """After the container exited: wait (bounded) for the stream's end."""
        self._done.wait(timeout)

    def close(self) -> None:
        pass
