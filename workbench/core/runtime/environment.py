"""The interface every execution environment (process, Docker) implements."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, Sink

# Go-style names, as Lambda prints them in "Runtime exited with error: signal: killed".
SIGNAL_NAMES = {
    1: "hangup",
    2: "interrupt",
    3: "quit",
    4: "illegal instruction",
    6: "aborted",
    7: "bus error",
    8: "floating point exception",
    9: "killed",
    11: "segmentation fault",
    13: "broken pipe",
    15: "terminated",
}


@dataclass(frozen=True)
class ExitInfo:
    """How an environment's runtime process ended."""

    code: int | None = None  # exit status, when it exited
    signal: int | None = None  # signal number, when it was killed
    out_of_memory: bool = False

    def describe(self) -> str:
        """The tail of Lambda's message: 'exit status 3' or 'signal: killed'."""
        if self.signal is not None or self.out_of_memory:
            return f"signal: {SIGNAL_NAMES.get(self.signal or 9, f'signal {self.signal}')}"
        return f"exit status {self.code}"


class Environment(ABC):
    """One execution environment: a runtime process talking to a RuntimeApi.

    The Invoker owns the RuntimeApi and everything Lambda-shaped (START/END/
    REPORT, timeouts, limits, error shapes); an environment only starts the
    runtime, streams its output, reports its exit and its memory peak.

    `on_output(chunk)` receives the runtime's stdout+stderr bytes, in order,
    from any thread. `on_exit(info)` is called once, from any thread, when
    the runtime process ends for any reason.
    """

    kind: str = "?"

    def __init__(
        self,
        function: FunctionConfig,
        api_address: str,
        on_output: Callable[[bytes], None],
        on_exit: Callable[[ExitInfo], None],
    ) -> None:
        self.function = function
        self.api_address = api_address
        self.on_output = on_output
        self.on_exit = on_exit
        self.exit_info: ExitInfo | None = None
        # perf_counter when the runtime process itself was launched (set by start()).
        self.launched_at: float | None = None
        self._exited = threading.Event()

    @abstractmethod
    def start(self, cancel: CancelToken, sink: Sink) -> None:
        """Launch the runtime. Returns once it is launched, not once it is ready."""

    @abstractmethod
    def kill(self) -> None:
        """Stop the runtime at once (timeout, cancel). Idempotent."""

    @abstractmethod
    def close(self) -> None:
        """Stop the runtime and free everything it holds. Idempotent."""

    @abstractmethod
    def max_memory_used_mb(self) -> int | None:
        """Peak memory of the environment so far, in MB (None when unknown)."""

    def flush_output(self, request_id: str, timeout: float) -> None:  # noqa: B027
        """Wait (at most `timeout` s) until all output of `request_id` reached on_output.

        Environments that cannot tell may wait for a short quiet period instead.
        """

    def note_reported_rss(self, max_rss_kb: int | None) -> None:  # noqa: B027
        """The runtime reported its own peak RSS (the workbench's bootstrap does)."""

    def begin_invokes(self) -> None:  # noqa: B027
        """Called once after the runtime's first `next`, before the first event is handed out.

        The init phase is over here: an environment that gives init more CPU than Lambda's
        proportional share (as Lambda does) applies the share now.
        """

    def _exited_with(self, info: ExitInfo) -> None:
        """Subclasses call this once the runtime process is gone."""
        if self._exited.is_set():
            return
        self.exit_info = info
        self._exited.set()
        self.on_exit(info)

    @property
    def alive(self) -> bool:
        return not self._exited.is_set()
