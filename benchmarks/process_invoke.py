"""Process environment: warm invoke round trip (1,000 invokes) and cold start, trivial handler.

Run: .venv/bin/python benchmarks/process_invoke.py [--invokes N] [--colds N]
Goal (issue 2): warm median under 1 ms of overhead beyond the handler, cold start under 150 ms.
The peer is AWS's own runtime client, awslambdaric (installed with the workbench's test
dependencies), run by the same environment and init against the same Runtime API; the
two take turns. SAM CLI's warm invoke is measured beside ours by docker_sam.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stats import (  # noqa: E402
    InvokeTimes,
    peer_invoker,
    percentile,
    time_invokes_taking_turns,
)
from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.languages.base import Launch, with_init  # noqa: E402
from workbench.core.runtime.invoker import Invoker  # noqa: E402
from workbench.core.runtime.lambda_env import lambda_environment  # noqa: E402
from workbench.core.runtime.process_env import ProcessEnvironment  # noqa: E402

HANDLER = "def handler(event, context):\n    return {}\n"


class AwsRicEnvironment(ProcessEnvironment):
    """awslambdaric on this host under the same init (its output is not framed: fine for
    timing, so output is not waited for)."""

    presents_token = False  # it cannot send the workbench's token header

    def launch(self, cancel: Any, sink: Any) -> Launch:
        code = str(self.function.code_dir)
        env = lambda_environment(self.function, self.api_address, task_root=code)
        env.update(PATH=os.environ.get("PATH", ""))
        argv = with_init((sys.executable, "-u", "-m", "awslambdaric", self.function.handler))
        return Launch(argv=argv, env=env, cwd=self.function.code_dir)

    def flush_output(self, request_id: str, timeout: float) -> None:
        return


def report(label: str, times: InvokeTimes) -> None:
    warm, reported, colds, inits = times.warm, times.reported, times.cold, times.init
    print(
        f"{label}: warm round trip over {len(warm)} invokes: median "
        f"{statistics.median(warm):.3f} ms, p99 {percentile(warm, 0.99):.3f} ms (Duration as "
        f"reported: median {statistics.median(reported):.3f} ms)"
    )
    print(
        f"{label}: cold start (reset, then invoke) over {len(colds)}: median "
        f"{statistics.median(colds):.1f} ms, p99 {percentile(colds, 0.99):.1f} ms "
        f"(Init Duration median {statistics.median(inits):.1f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invokes", type=int, default=1000)
    parser.add_argument("--colds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "app.py").write_text(HANDLER)
        function = FunctionConfig(name="bench", handler="app.handler", code_dir=Path(folder))
        invokers = {"workbench bootstrap": Invoker(function, "process")}
        if importlib.util.find_spec("awslambdaric") is not None:
            invokers["awslambdaric"] = peer_invoker(function, AwsRicEnvironment)
        times = time_invokes_taking_turns(invokers, args.invokes, args.colds)
    for label, measured in times.items():
        report(label, measured)
    ours = times["workbench bootstrap"]
    line = (
        f"ratios: warm median / 1 ms goal = {statistics.median(ours.warm) / 1.0:.2f}; "
        f"cold median / 150 ms goal = {statistics.median(ours.cold) / 150:.2f}"
    )
    if "awslambdaric" in times:
        peer = times["awslambdaric"]
        warm = statistics.median(peer.warm) / statistics.median(ours.warm)
        cold = statistics.median(peer.cold) / statistics.median(ours.cold)
        line += f"; awslambdaric / ours: warm {warm:.2f}x, cold {cold:.2f}x"
    print(line)


if __name__ == "__main__":
    main()
