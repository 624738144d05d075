"""Small statistics shared by the benchmark scripts."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile, e.g. percentile(times, 0.99) for p99."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


@dataclass
class InvokeTimes:
    """Milliseconds per invoke: warm round trips (and their reported Duration), cold starts."""

    warm: list[float] = field(default_factory=list)
    reported: list[float] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)
    init: list[float] = field(default_factory=list)


def time_invokes(invoker: Any, invokes: int, colds: int) -> InvokeTimes:
    """Time `invokes` warm invokes, then `colds` cold ones (a reset before each, not counted).

    The first invoke, which starts the environment, is not counted.
    """
    times = InvokeTimes()
    invoker.invoke(b"{}")
    for _ in range(invokes):
        start = time.perf_counter()
        result = invoker.invoke(b"{}")
        times.warm.append((time.perf_counter() - start) * 1000)
        times.reported.append(result.duration_ms)
    for _ in range(colds):
        invoker.reset()
        start = time.perf_counter()
        result = invoker.invoke(b"{}")
        times.cold.append((time.perf_counter() - start) * 1000)
        times.init.append(result.init_duration_ms or 0.0)
        assert result.cold_start and result.succeeded, (result.error, result.logs)
    return times
