"""`tune`: 5 memory sizes x 10 warm invokes of a handler sleeping 50 ms, on Docker.

Run: .venv/bin/python benchmarks/tune_sizes.py
Goal (issue 15): the whole run (5 cold starts, 50 warm invokes, recommendation) under 30 s.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.runtime import docker_engine  # noqa: E402
from workbench.core.runtime.host import FunctionHost  # noqa: E402
from workbench.core.tune import recommend, tune  # noqa: E402

IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_IMAGE", "lambda-workbench-test/python:3.11")
HANDLER = "import time\ndef handler(event, context):\n    time.sleep(0.05)\n    return 1\n"
SIZES = [128, 256, 512, 1024, 1769]


def main() -> None:
    status = docker_engine.engine_status()
    if not status.ok or not docker_engine.image_present(IMAGE):
        print(f"skipped: needs a Docker engine and the image {IMAGE} ({status.sentence})")
        sys.exit(1 if os.environ.get("CI") == "true" else 0)
    with tempfile.TemporaryDirectory() as folder:
        code = Path(folder)
        code.chmod(0o755)
        (code / "app.py").write_text(HANDLER)
        function = FunctionConfig(name="bench", handler="app.handler", code_dir=code)
        started = time.perf_counter()
        with FunctionHost("docker", image=IMAGE, default_limit=1) as host:
            results = tune(host, function, b"{}", SIZES, 10)
        pick = recommend(results, "balanced")
        wall = time.perf_counter() - started
    for r in results:
        print(
            f"{r.memory_mb:>5} MB: init {r.init_duration_ms:.0f} ms, p50 {r.p50_ms:.2f} ms, "
            f"billed p50 {r.billed_ms_p50} ms, ${r.cost_per_invoke() * 1e6:.4f} per million"
        )
    print(f"balanced pick: {pick.memory_mb} MB")
    print(f"5 sizes x 10 invokes: {wall:.1f} s in all; ratio / 30 s goal = {wall / 30:.2f}")


if __name__ == "__main__":
    main()
