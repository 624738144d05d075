"""Init Duration of the bundled example in Docker at 128 MB and at 1,769 MB.

Run: .venv/bin/python benchmarks/docker_init.py [--colds 10]
Goal (issue 18.7): the 128 MB median within 2x of the 1,769 MB median (init runs with up to
2 vCPUs, the memory-proportional share applies from the first invoke on).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.runtime import docker_engine  # noqa: E402
from workbench.core.runtime.invoker import Invoker  # noqa: E402
from workbench.core.settings import Settings  # noqa: E402

IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_IMAGE", "lambda-workbench-test/python:3.11")
EXAMPLE = ROOT / "examples" / "hello-python"


def init_ms(memory_mb: int, colds: int, boost: bool, settings: Settings) -> list[float]:
    settings.override("init_full_cpu", boost)
    function = FunctionConfig(
        "hello-python", "lambda_function.lambda_handler", EXAMPLE, memory_mb=memory_mb
    )
    invoker = Invoker(function, "docker", image=IMAGE, settings=settings)
    found = []
    try:
        for _ in range(colds):
            invoker.reset()
            result = invoker.invoke(b'{"name": "bench"}')
            assert result.succeeded and result.cold_start, result.logs
            found.append(result.init_duration_ms or 0.0)
    finally:
        invoker.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--colds", type=int, default=10)
    args = parser.parse_args()
    status = docker_engine.engine_status()
    if not status.ok or not docker_engine.image_present(IMAGE):
        print(f"skipped: needs a Docker engine and the image {IMAGE} ({status.sentence})")
        sys.exit(1 if os.environ.get("CI") == "true" else 0)
    settings = Settings(Path(tempfile.mkdtemp()) / "settings.json")
    print(f"image {IMAGE}, examples/hello-python, {args.colds} cold starts each")
    for boost in (True, False):
        small = statistics.median(init_ms(128, args.colds, boost, settings))
        large = statistics.median(init_ms(1769, args.colds, boost, settings))
        label = "init with up to 2 vCPUs" if boost else "init at the memory share (old)"
        print(
            f"{label}: Init Duration median 128 MB {small:.0f} ms, 1,769 MB {large:.0f} ms, "
            f"ratio {small / large:.2f}"
        )


if __name__ == "__main__":
    main()
