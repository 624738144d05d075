"""Function host: the cost of acquiring a warm environment from a pool, and concurrency.

Run: .venv/bin/python benchmarks/host_pool.py [--rounds N]
Goal (issue 18): acquiring a warm environment under 50 us; 8 concurrent environments of one
function take the time of one invoke, not eight.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stats import percentile  # noqa: E402
from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.progress import CancelToken  # noqa: E402
from workbench.core.runtime.host import FunctionHost  # noqa: E402

HANDLER = (
    "import time\ndef handler(event, context):\n    time.sleep(event.get('s', 0))\n    return {}\n"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "app.py").write_text(HANDLER)
        function = FunctionConfig(name="bench", handler="app.handler", code_dir=Path(folder))
        with FunctionHost("process", default_limit=8) as host:
            host.add(function)
            host.invoke("bench", b"{}")  # one warm environment in the pool
            pool = host._pools["bench"]
            samples = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                slot = host._acquire("bench", pool, wait=False, cancel=_NEVER)
                host._release("bench", pool, slot)
                samples.append((time.perf_counter() - started) * 1e6)
            acquire = statistics.median(samples)
            warm = []
            for _ in range(200):
                started = time.perf_counter()
                host.invoke("bench", b"{}")
                warm.append((time.perf_counter() - started) * 1000)
            with ThreadPoolExecutor(8) as threads:
                list(threads.map(lambda _: host.invoke("bench", b'{"s": 0.2}'), range(8)))
                started = time.perf_counter()
                list(threads.map(lambda _: host.invoke("bench", b'{"s": 0.2}'), range(8)))
                burst = time.perf_counter() - started
    print(
        f"acquire + release of a warm environment over {args.rounds} rounds: median "
        f"{acquire:.2f} us, p99 {percentile(samples, 0.99):.2f} us (goal 50 us: "
        f"{50 / acquire:.0f}x under)"
    )
    print(
        f"warm invoke through the host over 200: median {statistics.median(warm):.3f} ms, "
        f"p99 {percentile(warm, 0.99):.3f} ms"
    )
    print(
        f"8 concurrent 200 ms invokes on 8 warm environments: {burst * 1000:.0f} ms "
        f"(one invoke is 200 ms; ratio {burst / 0.2:.2f})"
    )


_NEVER = CancelToken()

if __name__ == "__main__":
    main()
