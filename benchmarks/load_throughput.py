"""`load`: 200 requests at concurrency 8 of a handler sleeping 100 ms, process and Docker.

Run: .venv/bin/python benchmarks/load_throughput.py [--runner process|docker|both]
Goal (issue 15): within 1.3x of the ideal 2.5 s (200 x 100 ms / 8) plus the cold starts.
The cold starts are measured on their own first: 8 requests at concurrency 8 of the same
function with a handler that does not sleep (one wave of 8 environments starting at once).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.load import run_load  # noqa: E402
from workbench.core.runtime import docker_engine  # noqa: E402
from workbench.core.runtime.host import FunctionHost  # noqa: E402

IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_IMAGE", "lambda-workbench-test/python:3.11")
HANDLER = "import time\ndef handler(event, context):\n    time.sleep(event['s'])\n    return 1\n"
REQUESTS, CONCURRENCY, SLEEP_S = 200, 8, 0.1


def measure(runner: str, code: Path) -> None:
    function = FunctionConfig(name="bench", handler="app.handler", code_dir=code, timeout_s=30)
    image = IMAGE if runner == "docker" else None
    with FunctionHost(runner, image=image, default_limit=CONCURRENCY) as host:
        host.add(function)
        cold = run_load(host, "bench", b'{"s": 0}', CONCURRENCY, CONCURRENCY)
    with FunctionHost(runner, image=image, default_limit=CONCURRENCY) as host:
        host.add(function)
        run = run_load(host, "bench", b'{"s": %.3f}' % SLEEP_S, REQUESTS, CONCURRENCY)
    data = run.to_json_dict()
    ideal = REQUESTS * SLEEP_S / CONCURRENCY
    budget = ideal + cold.wall_s
    print(
        f"{runner}: {REQUESTS} requests at concurrency {CONCURRENCY}: wall {run.wall_s:.2f} s, "
        f"{data['environments']} environments, {data['coldStarts']} cold starts, "
        f"{data['errors']} errors, p50 {data['p50Ms']} ms, p99 {data['p99Ms']} ms, "
        f"{data['throughputPerS']} invokes/s"
    )
    print(
        f"{runner}: cold wave (8 at once) {cold.wall_s:.2f} s; ideal {ideal:.2f} s + cold = "
        f"{budget:.2f} s; ratio wall / (ideal + cold) = {run.wall_s / budget:.2f} (goal <= 1.3)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runner", choices=("process", "docker", "both"), default="both")
    args = parser.parse_args()
    runners = ["process", "docker"] if args.runner == "both" else [args.runner]
    with tempfile.TemporaryDirectory() as folder:
        code = Path(folder)
        code.chmod(0o755)
        (code / "app.py").write_text(HANDLER)
        for runner in runners:
            if runner == "docker":
                status = docker_engine.engine_status()
                if not status.ok or not docker_engine.image_present(IMAGE):
                    print(f"docker: skipped, needs an engine and {IMAGE} ({status.sentence})")
                    continue
            measure(runner, code)


if __name__ == "__main__":
    main()
