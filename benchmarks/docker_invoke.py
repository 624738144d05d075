"""Docker environment: warm invoke, cold invoke and save-to-ready, trivial handler, image present.

Run: .venv/bin/python benchmarks/docker_invoke.py [--invokes N] [--colds N] [--memory MB]
Goals: warm median under 0.6 ms at 1,769 MB (issue 18; issue 3 asked under 3 ms), cold
(container create to result) under 600 ms, save-to-ready (edit, then the pre-started
environment answering) under 800 ms. SAM CLI side by side: benchmarks/docker_sam.py.
Image: LAMBDA_WORKBENCH_TEST_IMAGE or the local test image.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stats import percentile, time_invokes  # noqa: E402
from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.runtime import docker_engine  # noqa: E402
from workbench.core.runtime.invoker import Invoker  # noqa: E402

IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_IMAGE", "lambda-workbench-test/python:3.11")
HANDLER = "def handler(event, context):\n    return {VERSION}\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invokes", type=int, default=500)
    parser.add_argument("--colds", type=int, default=15)
    parser.add_argument("--memory", type=int, default=1769, help="Memory Size in MB")
    args = parser.parse_args()
    status = docker_engine.engine_status()
    if not status.ok or not docker_engine.image_present(IMAGE):
        print(f"skipped: needs a Docker engine and the image {IMAGE} ({status.sentence})")
        sys.exit(1 if os.environ.get("CI") == "true" else 0)
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o755)  # readable by the sandbox user, like a normal project
        code = Path(folder, "app.py")
        code.write_text(HANDLER.replace("{VERSION}", "0"))
        function = FunctionConfig(
            name="bench", handler="app.handler", code_dir=Path(folder), memory_mb=args.memory
        )
        invoker = Invoker(function, "docker", image=IMAGE)
        times = time_invokes(invoker, args.invokes, args.colds)
        warm, reported, colds, inits = times.warm, times.reported, times.cold, times.init
        saves = []
        for version in range(1, args.colds + 1):
            start = time.perf_counter()
            code.write_text(HANDLER.replace("{VERSION}", str(version)))  # the save
            invoker.update_function(function)  # retires the warm environment
            invoker.prestart()  # what the app does in the background after a save
            saves.append((time.perf_counter() - start) * 1000)
            result = invoker.invoke(b"{}")
            assert result.payload == str(version).encode() and result.cold_start
        invoker.close()
    print(f"image {IMAGE}, Memory Size {args.memory} MB, CPU limit on")
    print(
        f"warm invoke round trip over {args.invokes}: median {statistics.median(warm):.2f} ms, "
        f"p99 {percentile(warm, 0.99):.2f} ms (Duration as reported: median "
        f"{statistics.median(reported):.2f} ms)"
    )
    print(
        f"cold invoke (container create to result) over {args.colds}: median "
        f"{statistics.median(colds):.0f} ms, p99 {percentile(colds, 0.99):.0f} ms "
        f"(Init Duration median {statistics.median(inits):.0f} ms)"
    )
    print(
        f"save-to-ready (write file, retire, pre-start until the runtime's first next) over "
        f"{args.colds}: median {statistics.median(saves):.0f} ms, "
        f"p99 {percentile(saves, 0.99):.0f} ms"
    )
    print(
        f"ratios: warm / 0.6 ms goal = {statistics.median(warm) / 0.6:.2f}; cold / 600 ms goal = "
        f"{statistics.median(colds) / 600:.2f}; save-to-ready / 800 ms goal = "
        f"{statistics.median(saves) / 800:.2f}"
    )


if __name__ == "__main__":
    main()
