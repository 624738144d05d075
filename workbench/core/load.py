"""Load runs: N invokes of one function with at most C in flight, summarised as they finish.

Results are folded into the summary as they arrive and then dropped, so memory stays
bounded for any N; output is counted, not kept (InvokePolicy(keep_logs=False)).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.invoke import InvocationResult
from workbench.core.latency import LatencyStats
from workbench.core.progress import CancelToken
from workbench.core.runtime.host import FunctionHost, Throttled
from workbench.core.runtime.policy import InvokePolicy

MAX_REQUESTS = 10_000_000
MAX_CONCURRENCY = 256  # each in-flight invoke is a process or a container on this machine
LOAD_POLICY = InvokePolicy(keep_logs=False)


def check_load_args(requests: int, concurrency: int) -> None:
    if concurrency < 1:
        raise WorkbenchError(
            f"--concurrency {concurrency} runs nothing; give 1 or more invokes in flight."
        )
    if concurrency > MAX_CONCURRENCY:
        raise WorkbenchError(
            f"--concurrency {concurrency:,} is more than this machine can host; give at most "
            f"{MAX_CONCURRENCY} (each invoke in flight is one environment)."
        )
    if requests < 1:
        raise WorkbenchError(f"--requests {requests} runs nothing; give 1 or more requests.")
    if requests > MAX_REQUESTS:
        raise WorkbenchError(
            f"--requests {requests:,} is more than one local run should take; give at most "
            f"{MAX_REQUESTS:,}, or run several times."
        )


@dataclass
class LoadSummary:
    """What a load run measured so far; `requests` counts the requests that were answered."""

    concurrency: int
    planned: int
    requests: int = 0
    invokes: int = 0  # requests that ran (not throttled)
    environments: int = 0
    cold_starts: int = 0
    errors: int = 0
    throttles: int = 0
    wall_s: float = 0.0
    max_memory_used_mb: int | None = None
    cost_usd: float = 0.0
    latency: LatencyStats = field(default_factory=LatencyStats)
    first_error: str | None = None
    interrupted: bool = False

    def add(self, result: InvocationResult) -> None:
        self.requests += 1
        self.invokes += 1
        self.cold_starts += int(result.cold_start)
        self.cost_usd += result.cost_usd
        self.latency.add(result.duration_ms)
        used = result.max_memory_used_mb
        if used is not None:
            self.max_memory_used_mb = max(self.max_memory_used_mb or 0, used)
        if result.error is not None:
            self.errors += 1
            if self.first_error is None:
                error = result.error
                self.first_error = f"{error.get('errorType')}: {error.get('errorMessage')}"

    def add_failure(self, sentence: str) -> None:
        """An invoke that could not happen (the environment did not start, ...)."""
        self.requests += 1
        self.errors += 1
        if self.first_error is None:
            self.first_error = sentence

    @property
    def throughput_per_s(self) -> float:
        return self.invokes / self.wall_s if self.wall_s > 0 else 0.0

    def to_json_dict(self) -> dict[str, Any]:
        """The `load --output json` summary (keys are a public contract)."""

        def ms(fraction: float) -> float | None:
            value = self.latency.percentile(fraction)
            return None if value is None else round(value, 2)

        per_million = self.cost_usd / self.invokes * 1_000_000 if self.invokes else 0.0
        return {
            "requests": self.requests,
            "concurrency": self.concurrency,
            "environments": self.environments,
            "coldStarts": self.cold_starts,
            "errors": self.errors,
            "throttles": self.throttles,
            "wallS": round(self.wall_s, 3),
            "throughputPerS": round(self.throughput_per_s, 2),
            "p50Ms": ms(0.5),
            "p90Ms": ms(0.9),
            "p99Ms": ms(0.99),
            "maxMemoryUsedMb": self.max_memory_used_mb,
            "costUsd": self.cost_usd,
            "costPerMillionUsd": round(per_million, 4),
        }


# (summary so far, invokes in flight when the latest one finished, that one included)
Progress = Callable[[LoadSummary, int], None]


def run_load(
    host: FunctionHost,
    name: str,
    event: bytes,
    requests: int,
    concurrency: int,
    *,
    reserved: int | None = None,
    cancel: CancelToken | None = None,
    on_progress: Progress | None = None,
    policy: InvokePolicy = LOAD_POLICY,
) -> LoadSummary:
    """Send `requests` invokes of `name`, `concurrency` at a time; throttles are counted.

    The host's pool limit for `name` decides how many environments there may be (C, or
    the function's reserved concurrency when lower); `reserved` 0 throttles every request,
    as Lambda does. Ctrl+C (KeyboardInterrupt) or `cancel` stop it: the summary then says
    `interrupted` and covers what finished.
    """
    check_load_args(requests, concurrency)
    cancel = cancel or CancelToken()
    summary = LoadSummary(concurrency=concurrency, planned=requests)
    lock = threading.Lock()
    issued = 0
    in_flight = 0
    started = time.perf_counter()

    def report() -> None:
        if on_progress is not None:
            on_progress(summary, in_flight)

    def take() -> bool:
        nonlocal issued, in_flight
        with lock:
            if issued >= requests or cancel.cancelled:
                return False
            issued += 1
            in_flight += 1
            return True

    fatal: list[str] = []
    running = [concurrency]
    all_done = threading.Event()

    def work() -> None:
        try:
            invoke_while_there_are_requests()
        finally:
            with lock:
                running[0] -= 1
                if running[0] == 0:
                    all_done.set()

    def invoke_while_there_are_requests() -> None:
        nonlocal in_flight
        while take():
            outcome: InvocationResult | str | None = None
            throttled = reserved == 0
            if not throttled:
                try:
                    outcome = host.invoke(name, event, cancel=cancel, policy=policy)
                except Throttled:
                    throttled = True
                except Cancelled:
                    pass
                except WorkbenchError as error:
                    outcome = str(error)
            with lock:
                if throttled:
                    summary.requests += 1
                    summary.throttles += 1
                elif isinstance(outcome, InvocationResult):
                    summary.add(outcome)
                    state = host.state(name)
                    summary.environments = max(summary.environments, state.environments)
                elif isinstance(outcome, str):
                    summary.add_failure(outcome)
                    if summary.invokes == 0 and not fatal:
                        # Nothing has run yet: the function cannot start here, so stop
                        # rather than fail N times.
                        fatal.append(outcome)
                        cancel.cancel()
                summary.wall_s = time.perf_counter() - started
                report()  # in flight still counts this one: what was running as it ended
                in_flight -= 1

    workers = [
        threading.Thread(target=work, name=f"load-{i}", daemon=True) for i in range(concurrency)
    ]
    for worker in workers:
        worker.start()
    # The workers' own count, not Thread.join: a join cut short by Ctrl+C can leave a
    # running thread marked as ended, and the host was then closed under it.
    try:
        while not all_done.wait(0.1):
            pass
    except KeyboardInterrupt:
        # Stop handing out requests and cut the running invokes short; they end as Cancelled.
        cancel.cancel()
    if cancel.cancelled:
        all_done.wait(10.0)
        if fatal and summary.invokes == 0:
            raise WorkbenchError(fatal[0])
        summary.interrupted = True
    summary.wall_s = time.perf_counter() - started
    return summary
