"""Memory tuning, locally: per memory size one cold start then N warm invokes, then a pick.

The pick follows AWS Lambda Power Tuning's strategies: "cost" (cheapest, ties go to the
fastest), "speed" (fastest, ties go to the cheapest) and "balanced" (the lowest
w x cost / max cost + (1 - w) x duration / max duration, w = 0.5). Durations are the
warm p50 and costs the warm p50 billed duration's, so the pick can be read off the table.
Only a runner that really limits memory and CPU (Docker) gives numbers worth tuning on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.function import MEMORY_MAX_MB, MEMORY_MIN_MB, FunctionConfig
from workbench.core.invoke import InvocationResult, invoke_cost_usd
from workbench.core.latency import LatencyStats
from workbench.core.progress import CancelToken
from workbench.core.runtime.host import FunctionHost
from workbench.core.runtime.policy import InvokePolicy

STRATEGIES = ("cost", "speed", "balanced")
DEFAULT_STRATEGY = "cost"  # Power Tuning's default
BALANCED_WEIGHT = 0.5
MAX_INVOKES = 1000
MAX_SIZES = 20
TUNE_POLICY = InvokePolicy(keep_logs=False)


def parse_memory_sizes(text: str) -> list[int]:
    """ "128,256,512" as sizes in MB, in order, without repeats; a sentence for anything else."""
    sizes: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            size = int(part)
        except ValueError:
            raise WorkbenchError(
                f"--memory {text!r}: {part!r} is not a whole number of MB; give sizes like "
                "128,256,512,1024,1769."
            ) from None
        if not MEMORY_MIN_MB <= size <= MEMORY_MAX_MB:
            raise WorkbenchError(
                f"Memory size {size} MB is outside Lambda's range "
                f"({MEMORY_MIN_MB}-{MEMORY_MAX_MB:,} MB)."
            )
        if size not in sizes:
            sizes.append(size)
    if not sizes:
        raise WorkbenchError("--memory needs at least one size, e.g. 128,256,512,1024,1769.")
    if len(sizes) > MAX_SIZES:
        raise WorkbenchError(f"--memory lists {len(sizes)} sizes; give at most {MAX_SIZES}.")
    return sizes


def check_invokes(invokes: int) -> None:
    if not 1 <= invokes <= MAX_INVOKES:
        raise WorkbenchError(
            f"--invokes {invokes} is out of range; give 1 to {MAX_INVOKES} warm invokes per size."
        )


@dataclass
class SizeResult:
    """What one memory size measured."""

    memory_mb: int
    architecture: str
    init_duration_ms: float | None = None
    warm: LatencyStats = field(default_factory=LatencyStats)
    billed: LatencyStats = field(default_factory=LatencyStats)
    max_memory_used_mb: int | None = None
    errors: int = 0
    first_error: str | None = None

    def add(self, result: InvocationResult, cold: bool) -> None:
        if cold:
            self.init_duration_ms = result.init_duration_ms
        else:
            self.warm.add(result.duration_ms)
            self.billed.add(float(result.billed_duration_ms))
        used = result.max_memory_used_mb
        if used is not None:
            self.max_memory_used_mb = max(self.max_memory_used_mb or 0, used)
        if result.error is not None:
            self.errors += 1
            if self.first_error is None:
                self.first_error = (
                    f"{result.error.get('errorType')}: {result.error.get('errorMessage')}"
                )

    @property
    def p50_ms(self) -> float | None:
        return self.warm.percentile(0.5)

    @property
    def billed_ms_p50(self) -> int | None:
        value = self.billed.percentile(0.5)
        return None if value is None else int(value)

    def cost_per_invoke(self, architecture: str | None = None) -> float | None:
        billed = self.billed_ms_p50
        if billed is None:
            return None
        return invoke_cost_usd(self.memory_mb, billed, architecture or self.architecture)

    def to_json_dict(self) -> dict[str, Any]:
        """One `tune --output json` object per size (keys are a public contract)."""

        def ms(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        cost = self.cost_per_invoke()
        return {
            "memoryMb": self.memory_mb,
            "initDurationMs": ms(self.init_duration_ms),
            "p50Ms": ms(self.p50_ms),
            "p90Ms": ms(self.warm.percentile(0.9)),
            "billedMsP50": self.billed_ms_p50,
            "costPerInvokeUsd": cost,
            "costPerMillionUsd": None if cost is None else round(cost * 1_000_000, 4),
            "maxMemoryUsedMb": self.max_memory_used_mb,
            "errors": self.errors,
        }


@dataclass(frozen=True)
class Recommendation:
    memory_mb: int | None
    strategy: str
    reason: str

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "recommendation": {
                "memoryMb": self.memory_mb,
                "strategy": self.strategy,
                "reason": self.reason,
            }
        }


Progress = Callable[[int, int, int], None]  # (memory MB, invokes done at it, invokes per size)


def tune(
    host: FunctionHost,
    function: FunctionConfig,
    event: bytes,
    sizes: list[int],
    invokes: int,
    *,
    cancel: CancelToken | None = None,
    on_size: Callable[[SizeResult], None] | None = None,
    on_progress: Progress | None = None,
) -> list[SizeResult]:
    """Measure each size in turn, in a fresh environment (the first invoke at a size is cold).

    Raises WorkbenchError when the function cannot run at all (nothing to tune).
    """
    check_invokes(invokes)
    cancel = cancel or CancelToken()
    results = []
    for size in sizes:
        cancel.raise_if_cancelled("Tuning")
        sized = replace(function, memory_mb=size)
        host.add(sized, limit=1)  # a new size retires the old environment: the next is cold
        measured = SizeResult(size, function.architecture)
        for index in range(invokes + 1):
            result = host.invoke(function.name, event, cancel=cancel, policy=TUNE_POLICY)
            # An environment that died (out of memory, exit) is replaced by a cold one;
            # only the size's first invoke counts as its cold start.
            measured.add(result, cold=index == 0)
            if on_progress is not None:
                on_progress(size, index + 1, invokes + 1)
        host.remove(function.name)  # free the CPU and memory for the next size
        results.append(measured)
        if on_size is not None:
            on_size(measured)
    return results


def recommend(
    results: list[SizeResult], strategy: str = DEFAULT_STRATEGY, weight: float = BALANCED_WEIGHT
) -> Recommendation:
    """Power Tuning's pick among the sizes that ran without errors."""
    if strategy not in STRATEGIES:
        raise WorkbenchError(f"Unknown strategy {strategy!r}: use {', '.join(STRATEGIES)}.")
    usable = [r for r in results if r.errors == 0 and r.p50_ms is not None]
    failed = [f"{r.memory_mb} MB" for r in results if r not in usable]
    if not usable:
        return Recommendation(
            None, strategy, "No memory size ran without errors; fix the function and tune again."
        )

    def cost(r: SizeResult) -> float:
        # Rounded (to a billionth of a dollar per million) so equal costs tie exactly.
        return round((r.cost_per_invoke() or 0.0) * 1e6, 9) / 1e6

    def duration(r: SizeResult) -> float:
        return r.p50_ms or 0.0

    if strategy == "cost":
        best = min(usable, key=lambda r: (cost(r), duration(r)))
        why = (
            f"the cheapest: ${cost(best) * 1e6:.4f} per million invokes at p50 "
            f"{duration(best):.2f} ms"
        )
    elif strategy == "speed":
        best = min(usable, key=lambda r: (duration(r), cost(r)))
        why = f"the fastest: p50 {duration(best):.2f} ms at ${cost(best) * 1e6:.4f} per million"
    else:
        top_cost = max(cost(r) for r in usable) or 1.0
        top_time = max(duration(r) for r in usable) or 1.0

        def value(r: SizeResult) -> float:
            return weight * cost(r) / top_cost + (1 - weight) * duration(r) / top_time

        best = min(usable, key=value)
        why = (
            f"the best balance: {weight:g} x cost/max cost + {1 - weight:g} x duration/max "
            f"duration is {value(best):.3f} (p50 {duration(best):.2f} ms, "
            f"${cost(best) * 1e6:.4f} per million)"
        )
    other = "arm64" if best.architecture == "x86_64" else "x86_64"
    other_cost = best.cost_per_invoke(other) or 0.0
    reason = (
        f"{best.memory_mb} MB is {why} on {best.architecture}; on {other} the same run would "
        f"cost ${other_cost * 1e6:.4f} per million."
    )
    if failed:
        reason += f" Left out for errors: {', '.join(failed)}."
    return Recommendation(best.memory_mb, strategy, reason)
