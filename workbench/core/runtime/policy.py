"""InvokePolicy: what the platform enforces and keeps for one invoke (limits, deadline, logs)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

# shared/lambda-facts.md sections 1 and 9: Invoke refuses requests over 6,291,456 bytes; the
# runtime's response limit observed is 6,291,556 bytes.
MAX_REQUEST_BYTES = 6_291_456
MAX_RESPONSE_BYTES = 6_291_556
LOG_CAP_BYTES = 16 * 1024 * 1024  # output kept per invoke; the rest is counted
INIT_LIMIT_S = 10.0  # Lambda's init phase limit for on-demand functions


class DeadlineClock:
    """Lambda's clock for one invoke, which a debugger can stop while it holds the function.

    Time spent paused does not count against the timeout; `paused_s` says how long that was.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paused_since: float | None = None
        self._paused_total = 0.0
        self.changed = threading.Event()  # set on every pause/resume, so waiters re-check

    def pause(self) -> None:
        with self._lock:
            if self._paused_since is None:
                self._paused_since = time.perf_counter()
        self.changed.set()

    def resume(self) -> None:
        with self._lock:
            if self._paused_since is not None:
                self._paused_total += time.perf_counter() - self._paused_since
                self._paused_since = None
        self.changed.set()

    @property
    def paused(self) -> bool:
        return self._paused_since is not None

    @property
    def paused_s(self) -> float:
        with self._lock:
            running = 0.0
            if self._paused_since is not None:
                running = time.perf_counter() - self._paused_since
            return self._paused_total + running


@dataclass(frozen=True)
class InvokePolicy:
    """How the platform treats one invoke.

    `enforce_timeout` False lets an invoke run past the function's timeout (never in normal
    use; a debugger pauses `clock` instead). `keep_logs` False counts the output without
    keeping it (load tests). The limits default to Lambda's.
    """

    enforce_timeout: bool = True
    keep_logs: bool = True
    log_cap_bytes: int = LOG_CAP_BYTES
    max_request_bytes: int = MAX_REQUEST_BYTES
    max_response_bytes: int = MAX_RESPONSE_BYTES
    init_limit_s: float = INIT_LIMIT_S
    clock: DeadlineClock | None = field(default=None, compare=False)


DEFAULT_POLICY = InvokePolicy()
