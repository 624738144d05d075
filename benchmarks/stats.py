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


def time_invokes_taking_turns(
    invokers: dict[str, Any], invokes: int, colds: int, block: int = 100
) -> dict[str, InvokeTimes]:
    """time_invokes for several invokers at once, in turns: `block` warm invokes of each
    in turn, then the cold ones alternating, so that neither the machine's drift nor
    the order (who ran first, JIT warm-up) favours one. One unmeasured invoke and one
    block of warm-up each come first. The invokers are closed at the end."""
    try:
        return _in_turns(invokers, invokes, colds, block)
    finally:
        for invoker in invokers.values():
            invoker.close()


def _in_turns(
    invokers: dict[str, Any], invokes: int, colds: int, block: int
) -> dict[str, InvokeTimes]:
    times = {name: InvokeTimes() for name in invokers}
    for invoker in invokers.values():
        for _ in range(block + 1):
            invoker.invoke(b"{}")
    done = 0
    while done < invokes:
        size = min(block, invokes - done)
        for name, invoker in invokers.items():
            for _ in range(size):
                start = time.perf_counter()
                result = invoker.invoke(b"{}")
                times[name].warm.append((time.perf_counter() - start) * 1000)
                times[name].reported.append(result.duration_ms)
        done += size
    for _ in range(colds):
        for name, invoker in invokers.items():
            invoker.reset()
            start = time.perf_counter()
            result = invoker.invoke(b"{}")
            times[name].cold.append((time.perf_counter() - start) * 1000)
            times[name].init.append(result.init_duration_ms or 0.0)
            assert result.cold_start and result.succeeded, (result.error, result.logs)
    return times


def peer_invoker(function: Any, environment: type) -> Any:
    """A process-runner Invoker whose environments are `environment` (a ProcessEnvironment
    subclass starting a peer runtime client, e.g. AWS's own) instead of ours."""
    from workbench.core.runtime.invoker import Invoker

    def factory(runner, function, api_address, on_output, on_exit, **_):  # type: ignore[no-untyped-def]
        return environment(function, api_address, on_output, on_exit)

    return Invoker(function, "process", environment_factory=factory)
