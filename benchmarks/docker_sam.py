"""The Docker runner next to AWS SAM CLI, measured in one run on the same image and handler.

Run: .venv/bin/python benchmarks/docker_sam.py [--warm 300] [--colds 5] [--sam PATH]
Needs `sam` (pip install aws-sam-cli, in its own venv) on PATH or given with --sam.
Goals (issue 18): warm invoke round trip (1,769 MB) at least 20x faster than SAM's
`start-lambda` with warm containers; whole-process cold CLI invoke (256 MB) at least 4x
faster than `sam local invoke`.

There is no path to public registries here, so SAM runs on the local test image: it is
tagged, for the duration of the run, as the base image SAM looks for
(public.ecr.aws/lambda/python:3.10-x86_64; SAM adds its emulator on top), and both tags
are removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.runtime.invoker import Invoker  # noqa: E402

IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_IMAGE", "lambda-workbench-test/python:3.11")
SAM_BASE = "public.ecr.aws/lambda/python:3.10-x86_64"
SAM_RAPID = "public.ecr.aws/lambda/python:3.10-rapid-x86_64"
HANDLER = "def handler(event, context):\n    return {'ok': True}\n"
TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Bench:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/
      Handler: app.handler
      Runtime: python3.10
      MemorySize: {memory}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sam_warm(sam: str, project: Path, invokes: int, env: dict[str, str]) -> list[float]:
    port = free_port()
    server = subprocess.Popen(
        [sam, "local", "start-lambda", "--port", str(port), "--skip-pull-image",
         "--warm-containers", "EAGER"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/2015-03-31/functions/Bench/invocations"
    try:
        for _ in range(600):  # up to 60 s for the server and its container
            try:
                urllib.request.urlopen(urllib.request.Request(url, b"{}"), timeout=30).read()
                break
            except OSError:
                time.sleep(0.1)
        times = []
        for _ in range(invokes):
            start = time.perf_counter()
            body = urllib.request.urlopen(urllib.request.Request(url, b"{}"), timeout=30).read()
            times.append((time.perf_counter() - start) * 1000)
            assert json.loads(body) == {"ok": True}, body
        return times
    finally:
        server.terminate()
        server.wait(30)


def whole_process_pairs(
    commands: list[tuple[list[str], Path]], env: dict[str, str], runs: int
) -> list[list[float]]:
    """Each command's times, the commands taking turns run by run (machine drift hits
    both alike); one unmeasured run of each first."""
    for command, cwd in commands:
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, (command, cwd) in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True)
            times[index].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warm", type=int, default=300)
    parser.add_argument("--colds", type=int, default=5)
    parser.add_argument("--sam", default=shutil.which("sam"))
    args = parser.parse_args()
    if not args.sam:
        print("skipped: no sam on PATH (pip install aws-sam-cli in its own venv, pass --sam)")
        return
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["SAM_CLI_TELEMETRY"] = "0"
    subprocess.run(["docker", "tag", IMAGE, SAM_BASE], check=True)
    try:
        with tempfile.TemporaryDirectory() as folder:
            project = Path(folder)
            project.chmod(0o755)
            (project / "fn").mkdir(mode=0o755)
            (project / "fn" / "app.py").write_text(HANDLER)
            (project / "fn" / "app.py").chmod(0o644)
            (project / "template.yaml").write_text(TEMPLATE.format(memory=1769))
            function = FunctionConfig("bench", "app.handler", project / "fn", memory_mb=1769)
            invoker = Invoker(function, "docker", image=IMAGE)
            invoker.invoke(b"{}")
            ours = []
            for _ in range(args.warm):
                start = time.perf_counter()
                invoker.invoke(b"{}")
                ours.append((time.perf_counter() - start) * 1000)
            invoker.close()
            theirs = sam_warm(args.sam, project, args.warm, env)
            (project / "template.yaml").write_text(TEMPLATE.format(memory=256))
            sam_command = [args.sam, "local", "invoke", "Bench", "--skip-pull-image", "-e",
                           "/dev/null"]  # fmt: skip
            our_command = [sys.executable, "-m", "workbench", "invoke", str(project / "fn"),
                           "--handler", "app.handler", "--runner", "docker", "--image", IMAGE,
                           "--memory", "256"]  # fmt: skip
            sam_cold, our_cold = whole_process_pairs(
                [(sam_command, project), (our_command, ROOT)], env, args.colds
            )
    finally:
        subprocess.run(["docker", "rmi", SAM_BASE, SAM_RAPID], capture_output=True)
    ow, tw = statistics.median(ours), statistics.median(theirs)
    oc, tc = statistics.median(our_cold), statistics.median(sam_cold)
    print(
        f"warm round trip, 1,769 MB, {args.warm} invokes: lambda-workbench {ow:.2f} ms, "
        f"sam local start-lambda (warm containers) {tw:.2f} ms, ratio {tw / ow:.1f}x"
    )
    print(
        f"cold whole-process CLI invoke, 256 MB, {args.colds} runs taking turns: "
        f"lambda-workbench {oc:.3f} s, sam local invoke {tc:.3f} s, ratio {tc / oc:.1f}x"
    )


if __name__ == "__main__":
    main()
