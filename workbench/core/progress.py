"""Cancel tokens and progress sinks shared by every long core operation."""

from __future__ import annotations

import threading
from typing import Protocol

from workbench.core.errors import Cancelled


class CancelToken:
    """Set from any thread to ask a running operation to stop."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        """Sleep up to `timeout` seconds; True if cancelled meanwhile."""
        return self._event.wait(timeout)

    def raise_if_cancelled(self, what: str = "The operation") -> None:
        if self._event.is_set():
            raise Cancelled(what)


class Sink(Protocol):
    """Where a long operation reports what it is doing.

    `progress` is a step with an optional fraction done (0..1, None when
    unknown); `output` is raw text from a tool or function (pip, docker, logs).
    Implementations must be thread-safe and must not block.
    """

    def progress(self, message: str, fraction: float | None = None) -> None: ...

    def output(self, text: str) -> None: ...


class NullSink:
    """A sink that drops everything."""

    def progress(self, message: str, fraction: float | None = None) -> None:
        pass

    def output(self, text: str) -> None:
        pass
