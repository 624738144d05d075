"""Node.js process environment: warm round trip (1,000 invokes) and cold start, trivial handler.

Run: .venv/bin/python benchmarks/node_process_invoke.py [--invokes N] [--colds N]
Goal (issue 14): warm median under 1 ms, cold start under 150 ms; AWS's aws-lambda-ric on the
same host is measured beside it when scripts/node-peer.sh has built it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stats import (  # noqa: E402
    InvokeTimes,
    peer_invoker,
    percentile,
    time_invokes_taking_turns,
)
from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.languages.base import Launch, with_init  # noqa: E402
from workbench.core.languages.nodejs import FAMILY  # noqa: E402
from workbench.core.runtime.invoker import Invoker  # noqa: E402
from workbench.core.runtime.process_env import ProcessEnvironment  # noqa: E402

HANDLER = "export const handler = async () => ({});\n"
PEER = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "lambda-workbench-node-peer/3.3.0/node_modules/aws-lambda-ric"
)


class PeerEnvironment(ProcessEnvironment):
    """aws-lambda-ric started like ours (its output is not framed: fine for timing)."""

    def launch(self, cancel, sink) -> Launch:  # type: ignore[no-untyped-def]
        ours = FAMILY.process_launch(self.function, self.api_address)
        # Under the environment's init (reaper.py --exec NODE ...) on Linux: the same for it.
        argv = ours.argv[ours.argv.index("--exec") + 1 :] if "--exec" in ours.argv else ours.argv
        return replace(ours, argv=with_init((argv[0], str(PEER / "bin/index.mjs"), "app.handler")))

    def flush_output(self, request_id: str, timeout: float) -> None:
        return


def report(label: str, times: InvokeTimes) -> None:
    warm, colds_ms, inits = times.warm, times.cold, times.init
    print(
        f"{label}: warm round trip over {len(warm)} invokes: median "
        f"{statistics.median(warm):.3f} ms, p99 {percentile(warm, 0.99):.3f} ms; cold start "
        f"over {len(colds_ms)}: median {statistics.median(colds_ms):.1f} ms, p99 "
        f"{percentile(colds_ms, 0.99):.1f} ms (Init Duration median "
        f"{statistics.median(inits):.1f} ms)"
    )
    print(
        f"{label}: ratios: warm median / 1 ms goal = {statistics.median(warm):.2f}; "
        f"cold median / 150 ms goal = {statistics.median(colds_ms) / 150:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invokes", type=int, default=1000)
    parser.add_argument("--colds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "app.mjs").write_text(HANDLER)
        function = FunctionConfig(
            name="bench", handler="app.handler", code_dir=Path(folder), runtime="nodejs20.x"
        )
        invokers = {"workbench client": Invoker(function, "process")}
        if PEER.is_dir():
            invokers["aws-lambda-ric"] = peer_invoker(function, PeerEnvironment)
        # In turns (blocks of 100 warm invokes, colds alternating): measured one after
        # the other, whichever ran first looked up to 0.4 ms slower per warm invoke.
        times = time_invokes_taking_turns(invokers, args.invokes, args.colds)
        for label, measured in times.items():
            report(label, measured)


if __name__ == "__main__":
    main()
