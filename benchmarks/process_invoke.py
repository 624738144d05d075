"""Process environment: warm invoke round trip (1,000 invokes) and cold start, trivial handler.

Run: .venv/bin/python benchmarks/process_invoke.py [--invokes N] [--colds N]
Goal (issue 2): warm median under 1 ms of overhead beyond the handler, cold start under 150 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stats import percentile, time_invokes  # noqa: E402
from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.runtime.invoker import Invoker  # noqa: E402

HANDLER = "def handler(event, context):\n    return {}\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invokes", type=int, default=1000)
    parser.add_argument("--colds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "app.py").write_text(HANDLER)
        function = FunctionConfig(name="bench", handler="app.handler", code_dir=Path(folder))
        invoker = Invoker(function, "process")
        times = time_invokes(invoker, args.invokes, args.colds)
        warm, reported, colds, inits = times.warm, times.reported, times.cold, times.init
        invoker.close()
    print(
        f"warm round trip over {args.invokes} invokes: median {statistics.median(warm):.3f} ms, "
        f"p99 {percentile(warm, 0.99):.3f} ms (Duration as reported: median "
        f"{statistics.median(reported):.3f} ms)"
    )
    print(
        f"cold start (reset, then invoke) over {args.colds}: median "
        f"{statistics.median(colds):.1f} ms, p99 {percentile(colds, 0.99):.1f} ms "
        f"(Init Duration median {statistics.median(inits):.1f} ms)"
    )
    print(
        f"ratios: warm median / 1 ms goal = {statistics.median(warm) / 1.0:.2f}; "
        f"cold median / 150 ms goal = {statistics.median(colds) / 150:.2f}; "
        f"sam local start-lambda warm (~25 ms) / ours = {25 / statistics.median(warm):.0f}x"
    )


if __name__ == "__main__":
    main()
