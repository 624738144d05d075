"""Streaming percentiles: exact for small runs, bounded and within 0.5 % for huge ones."""

from __future__ import annotations

import random

from workbench.core.latency import EXACT_LIMIT, RELATIVE_ACCURACY, LatencyStats


def true_percentile(values: list[float], fraction: float) -> float:
    import math

    return sorted(values)[max(1, math.ceil(fraction * len(values))) - 1]


def test_exact_below_the_limit():
    stats = LatencyStats()
    assert stats.percentile(0.5) is None
    values = [float(v) for v in range(1, 101)]
    random.Random(1).shuffle(values)
    for value in values:
        stats.add(value)
    assert stats.exact
    assert (stats.percentile(0.5), stats.percentile(0.9), stats.percentile(0.99)) == (50, 90, 99)
    assert stats.percentile(1.0) == 100 and stats.percentile(0.0) == 1


def test_huge_runs_stay_bounded_and_accurate():
    rng = random.Random(7)
    values = [rng.lognormvariate(3, 1) for _ in range(200_000)] + [0.0, 1e6]
    stats = LatencyStats()
    for value in values:
        stats.add(value)
    assert not stats.exact and stats.count == len(values)
    assert len(stats._buckets) < 3000  # memory does not grow with the number of samples
    for fraction in (0.5, 0.9, 0.99):
        want = true_percentile(values, fraction)
        assert abs(stats.percentile(fraction) - want) <= want * RELATIVE_ACCURACY * 1.01
    assert stats.percentile(1.0) == 1e6
    assert len(values) > EXACT_LIMIT
