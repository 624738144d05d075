"""Debugger: Debug to the stopped line (cold, process runner), and a Step Over round trip.

Run: .venv/bin/python benchmarks/debug_session.py [--rounds N]
Goals (issue 13): breakpoint hit under 0.8 s in the process runner; Step Over under 100 ms;
a warm invoke without the debugger costs nothing extra (debugpy is never imported then).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.debug.session import DebugSession  # noqa: E402
from workbench.core.function import FunctionConfig  # noqa: E402

APP = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "debug" / "app.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--image", default="lambda-workbench-test/python:3.11")
    parser.add_argument("--docker-rounds", type=int, default=5)
    args = parser.parse_args()
    function = FunctionConfig(name="bench", handler="app.handler", code_dir=APP.parent)
    hits, steps = [], []
    for _ in range(args.rounds):
        session = DebugSession(function, breakpoints={APP: [9]})
        started = time.perf_counter()
        session.start(b'{"count": 50}')
        stop = session.wait_stopped(30)
        hits.append((time.perf_counter() - started) * 1000)
        assert stop is not None and stop.frames[0].line == 9
        for _ in range(5):
            begun = time.perf_counter()
            session.step_over()
            stop = session.wait_stopped(30)
            steps.append((time.perf_counter() - begun) * 1000)
            assert stop is not None
        session.continue_()
        session.wait_finished(30)
        session.stop()
    docker_hits = []
    if args.docker_rounds:
        import shutil
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            code = Path(folder) / "fn"
            shutil.copytree(APP.parent, code)
            code.chmod(0o755)
            docker_fn = FunctionConfig(
                name="bench", handler="app.handler", code_dir=code, memory_mb=1769
            )
            for _ in range(args.docker_rounds):
                session = DebugSession(
                    docker_fn, breakpoints={code / "app.py": [9]}, runner="docker",
                    image=args.image,
                )  # fmt: skip
                started = time.perf_counter()
                session.start(b'{"count": 50}')
                stop = session.wait_stopped(60)
                docker_hits.append((time.perf_counter() - started) * 1000)
                assert stop is not None and stop.frames[0].line == 9, session.failure
                session.continue_()
                session.wait_finished(30)
                session.stop()
    check = (
        "import sys, workbench.core.runtime.host, workbench.core.runtime.process_env;"
        "print('debugpy' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    print(
        f"Debug to stopped line (cold process environment, frames read) over {args.rounds}: "
        f"median {statistics.median(hits):.0f} ms, max {max(hits):.0f} ms (goal 800 ms: "
        f"ratio {statistics.median(hits) / 800:.2f})"
    )
    print(
        f"Step Over round trip (command to the new stopped line with frames) over {len(steps)}: "
        f"median {statistics.median(steps):.1f} ms, max {max(steps):.1f} ms (goal 100 ms: "
        f"ratio {statistics.median(steps) / 100:.2f})"
    )
    if docker_hits:
        print(
            f"Debug to stopped line (cold container, 1,769 MB, {args.image}) over "
            f"{len(docker_hits)}: median {statistics.median(docker_hits):.0f} ms, max "
            f"{max(docker_hits):.0f} ms (goal 1,500 ms: ratio "
            f"{statistics.median(docker_hits) / 1500:.2f})"
        )
    print(f"debugpy imported by the invoke path without the debugger: {loaded.stdout.strip()}")


if __name__ == "__main__":
    main()
