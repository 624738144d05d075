"""Whole-process CLI invokes (cold): the process runner and the Docker runner, with a peer.

Run: .venv/bin/python benchmarks/docker_cli.py [--runs 10] [--no-peer]
Goals (issue 18): `lambda-workbench invoke DIR --handler app.handler --runner process`
under 0.15 s, and `... --runner docker` (256 MB) under 0.3 s, each a fresh process with
a cold environment.

The peer for the process runner is python-lambda-local (PyPI), which runs the same
handler in a fresh process of its own; it is installed once into a cached venv
(~/.cache/lambda-workbench-bench/plocal) and timed in the same run, the two
alternating run by run so that machine noise hits both alike. `sam local invoke` is
timed by docker_sam.py. Byte-code caches are allowed (as after a normal install):
PYTHONDONTWRITEBYTECODE is unset and one unmeasured run of each comes first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_IMAGE", "lambda-workbench-test/python:3.11")
HANDLER = "def handler(event, context):\n    return {'ok': True}\n"
PEER_VENV = Path.home() / ".cache" / "lambda-workbench-bench" / "plocal"


def run_once(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, timeout=120)
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or b"ok" not in done.stdout + done.stderr:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-800:]}")
    return elapsed


def paired(commands: dict[str, list[str]], env: dict[str, str], cwd: Path, runs: int):
    """Each command's times, the commands taking turns; one unmeasured run of each first."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        run_once(command, env, cwd)
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(run_once(command, env, cwd))
    return times


def peer_command() -> list[str] | None:
    """python-lambda-local's command, installing it into the cached venv the first time."""
    script = PEER_VENV / "bin" / "python-lambda-local"
    if not script.exists():
        print("installing python-lambda-local into", PEER_VENV, file=sys.stderr)
        venv.create(PEER_VENV, with_pip=True, clear=True)
        pip = [str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
        if subprocess.run([*pip, "python-lambda-local"], timeout=600).returncode != 0:
            return None
    return [str(script), "-f", "handler", "app.py", "event.json"]


def summary(name: str, values: list[float]) -> str:
    median = statistics.median(values)
    return f"{name}: {median:.3f} s (min {min(values):.3f}, max {max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-peer", action="store_true", help="skip python-lambda-local")
    parser.add_argument("--no-docker", action="store_true", help="skip the Docker runner")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cli = [str(Path(sys.executable).with_name("lambda-workbench")), "invoke"]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        folder.chmod(0o755)
        (folder / "app.py").write_text(HANDLER)
        (folder / "app.py").chmod(0o644)
        (folder / "event.json").write_text("{}")
        base = [*cli, str(folder), "--handler", "app.handler"]
        commands = {"lambda-workbench, process runner": [*base, "--runner", "process"]}
        peer = None if args.no_peer else peer_command()
        if peer is not None:
            commands["python-lambda-local"] = peer
        times = paired(commands, env, folder, args.runs)
        docker = []
        if not args.no_docker:
            docker_command = [*base, "--runner", "docker", "--image", IMAGE, "--memory", "256"]
            docker = paired({"docker": docker_command}, env, folder, args.runs)["docker"]
    print(f"{args.runs} whole-process cold invokes each, median (min, max)")
    for name, values in times.items():
        print(summary(name, values))
    if peer is not None:
        ours = statistics.median(times["lambda-workbench, process runner"])
        theirs = statistics.median(times["python-lambda-local"])
        print(f"python-lambda-local / lambda-workbench: {theirs / ours:.2f}x")
    elif not args.no_peer:
        print("python-lambda-local: not measured (it could not be installed)")
    if docker:
        print(summary("lambda-workbench, docker runner, 256 MB", docker))
    print("sam local invoke: see benchmarks/docker_sam.py")


if __name__ == "__main__":
    main()
