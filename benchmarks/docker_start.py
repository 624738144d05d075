"""Where a cold Docker invoke's time goes: the engine's container start, per network mode.

Run: .venv/bin/python benchmarks/docker_start.py [--colds 11] [--memory 256]
Issue 18 asks for a whole-process cold CLI invoke (docker runner, 256 MB) under 0.3 s.
This times, for each network mode, the engine's `start` call alone (POST
/containers/{id}/start: namespaces, the network, mounts, the init process) and the
whole cold invoke through the Invoker (create to result), the modes taking turns so
that the machine's drift hits them alike. What the workbench itself adds is the cold
invoke minus the start; the CLI's own start-up is timed by docker_cli.py.

Modes: isolated (the default: the workbench's own bridge network, containers cannot
reach each other, each Runtime API answers only its container), the default bridge
(`--docker-network bridge`, what `sam local` uses) and the host's network
(`--network host`, no network isolation at all).
Image: LAMBDA_WORKBENCH_TEST_IMAGE or the local test image.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.runtime import docker_engine, engine_calls  # noqa: E402
from workbench.core.runtime.invoker import Invoker  # noqa: E402
from workbench.core.settings import Settings  # noqa: E402

IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_IMAGE", "lambda-workbench-test/python:3.11")
MODES = {
    "isolated (default)": {"network": "isolated"},
    "default bridge (--docker-network bridge)": {"docker_network": "bridge"},
    "host (--network host)": {"network": "host"},
}

_starts: list[float] = []


def _timed_start(original: Callable[..., Any]) -> Callable[..., Any]:
    def start(self: Any, *args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            _starts.append((time.perf_counter() - began) * 1000)

    return start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--colds", type=int, default=11)
    parser.add_argument("--memory", type=int, default=256, help="Memory Size in MB")
    args = parser.parse_args()
    status = docker_engine.engine_status()
    if not status.ok or not docker_engine.image_present(IMAGE):
        print(f"skipped: needs a Docker engine and the image {IMAGE} ({status.sentence})")
        sys.exit(1 if os.environ.get("CI") == "true" else 0)
    engine_calls.Container.start = _timed_start(engine_calls.Container.start)
    starts: dict[str, list[float]] = {mode: [] for mode in MODES}
    colds: dict[str, list[float]] = {mode: [] for mode in MODES}
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o755)  # readable by the sandbox user, like a normal project
        Path(folder, "app.py").write_text("def handler(event, context):\n    return 1\n")
        function = FunctionConfig(
            name="bench", handler="app.handler", code_dir=Path(folder), memory_mb=args.memory
        )
        invokers = {}
        for mode, overrides in MODES.items():
            settings = Settings(Path(folder) / "settings.json")
            for name, value in overrides.items():
                settings.override(name, value)
            invokers[mode] = Invoker(function, "docker", image=IMAGE, settings=settings)
        try:
            for round_ in range(args.colds + 1):  # the first round is not counted
                for mode, invoker in invokers.items():
                    invoker.reset()
                    began = time.perf_counter()
                    result = invoker.invoke(b"{}")
                    elapsed = (time.perf_counter() - began) * 1000
                    assert result.payload == b"1" and result.cold_start, result
                    if round_:
                        colds[mode].append(elapsed)
                        starts[mode].append(_starts[-1])
        finally:
            for invoker in invokers.values():
                invoker.close()
    print(f"image {IMAGE}, Memory Size {args.memory} MB, {args.colds} cold invokes per mode")
    for mode in MODES:
        start, cold = statistics.median(starts[mode]), statistics.median(colds[mode])
        print(
            f"{mode}: engine start median {start:.0f} ms (min {min(starts[mode]):.0f}); "
            f"cold invoke median {cold:.0f} ms; the rest (create, init, invoke) "
            f"{cold - start:.0f} ms"
        )


if __name__ == "__main__":
    main()
