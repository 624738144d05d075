"""Streaming latency percentiles in bounded memory, for load and tune runs of any length."""

from __future__ import annotations

import math

EXACT_LIMIT = 10_000  # samples kept as they are; above, a log-bucket histogram takes over
RELATIVE_ACCURACY = 0.005  # histogram percentiles are within 0.5 % of a true sample
_GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY)
_LOG_GAMMA = math.log(_GAMMA)
_SMALLEST_MS = 0.001


class LatencyStats:
    """Percentiles of milliseconds: exact for up to EXACT_LIMIT samples, then approximate.

    The approximation is DDSketch's: bucket i holds values in (gamma^(i-1), gamma^i], so a
    percentile read from a bucket is off by at most RELATIVE_ACCURACY, and the number of
    buckets grows with the log of the range (about 2,300 from 1 microsecond to 3 hours),
    not with the number of samples.
    """

    def __init__(self) -> None:
        self.count = 0
        self.maximum = 0.0
        self._exact: list[float] | None = []
        self._buckets: dict[int, int] = {}

    def add(self, ms: float) -> None:
        self.count += 1
        self.maximum = max(self.maximum, ms)
        if self._exact is not None:
            self._exact.append(ms)
            if len(self._exact) > EXACT_LIMIT:
                for value in self._exact:
                    self._bucket_add(value)
                self._exact = None
        else:
            self._bucket_add(ms)

    def _bucket_add(self, ms: float) -> None:
        index = math.ceil(math.log(max(ms, _SMALLEST_MS)) / _LOG_GAMMA)
        self._buckets[index] = self._buckets.get(index, 0) + 1

    @property
    def exact(self) -> bool:
        return self._exact is not None

    def percentile(self, fraction: float) -> float | None:
        """Nearest-rank percentile (0.5 for p50), None when there are no samples."""
        if self.count == 0:
            return None
        rank = max(1, math.ceil(fraction * self.count))
        if self._exact is not None:
            return sorted(self._exact)[rank - 1]
        if rank >= self.count:
            return self.maximum
        seen = 0
        for index in sorted(self._buckets):
            seen += self._buckets[index]
            if seen >= rank:
                # The bucket's midpoint in relative terms: within the accuracy of both ends.
                return min(self.maximum, 2 * _GAMMA**index / (_GAMMA + 1))
        return self.maximum
