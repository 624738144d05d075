"""`serve` on the Docker runner: warm GET latency, requests/s with 8 clients, cold after an edit.

Run: .venv/bin/python benchmarks/serve_api.py [--requests 200] [--clients 8] [--colds 5]
     [--sam PATH-TO-sam]   also time `sam local start-api --warm-containers EAGER` side by side
Goals (issue 12): p50 of 200 sequential GETs at least 10x lower than SAM CLI's on the same
template and image; the first request after an edit (cold) under 0.5 s at 1,769 MB.
Image: LAMBDA_WORKBENCH_TEST_IMAGE or the local test image.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stats import percentile  # noqa: E402
from workbench.core.runtime import docker_engine  # noqa: E402

IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_IMAGE", "lambda-workbench-test/python:3.11")
TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      Handler: app.handler
      Runtime: python3.11
      MemorySize: 1769
      Events:
        Get: {Type: Api, Properties: {Path: /hello, Method: get}}
"""
HANDLER = 'def handler(event, context):\n    return {"statusCode": 200, "body": "v{VERSION}"}\n'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, path: str, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            if get(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port} within {limit_s:g} s")


def get(port: int, path: str, connection: http.client.HTTPConnection | None = None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        if own:
            connection.close()


def sequential(port: int, count: int, keep_alive: bool) -> list[float]:
    times = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60) if keep_alive else None
    for _ in range(count):
        start = time.perf_counter()
        status, _ = get(port, "/hello", connection)
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200, status
    if connection is not None:
        connection.close()
    return times


def throughput(port: int, clients: int, seconds: float) -> float:
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            status, _ = get(port, "/hello", connection)
            if status == 200:
                counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - start)


def start_workbench(root: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "serve", str(root), "--runner", "docker"]
        + ["--image", IMAGE, "--port", str(port), "--output", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process


def cold_after_edit(root: Path, port: int, process: subprocess.Popen, colds: int) -> list[float]:
    """Edit the handler, wait for serve's reload line, time the next (cold) request."""
    assert process.stderr is not None
    times = []
    source = root / "src" / "app.py"
    for version in range(1, colds + 1):
        source.write_text(HANDLER.replace("{VERSION}", str(version)))
        while "reloaded" not in process.stderr.readline():
            pass
        start = time.perf_counter()
        status, body = get(port, "/hello")
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200 and body == f"v{version}".encode(), body
    return times


def report(name: str, times: list[float]) -> None:
    print(
        f"{name}: p50 {percentile(times, 0.5):.2f} ms, p90 {percentile(times, 0.9):.2f} ms, "
        f"p99 {percentile(times, 0.99):.2f} ms (n={len(times)})"
    )


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--colds", type=int, default=5)
    parser.add_argument("--sam", help="path to SAM CLI's `sam`, to measure it side by side")
    args = parser.parse_args()
    status = docker_engine.engine_status()
    if not status.ok or not docker_engine.image_present(IMAGE):
        print(f"skipped: needs a Docker engine and the image {IMAGE} ({status.sentence})")
        sys.exit(1 if os.environ.get("CI") == "true" else 0)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "app"
        (root / "src").mkdir(parents=True)
        for path in (Path(folder), root, root / "src"):
            path.chmod(0o755)  # readable by the sandbox user, like a normal project
        (root / "template.yaml").write_text(TEMPLATE)
        (root / "src" / "app.py").write_text(HANDLER.replace("{VERSION}", "0"))
        print(f"image {IMAGE}, Memory Size 1769 MB, {os.cpu_count()} cores")
        port = free_port()
        process = start_workbench(root, port)
        try:
            wait_for(port, "/hello", 120)
            sequential(port, 20, keep_alive=True)  # warm up
            # Werkzeug closes every connection after its response, so each GET connects.
            ours = sequential(port, args.requests, keep_alive=False)
            report("workbench serve", ours)
            rate = throughput(port, args.clients, args.seconds)
            print(f"workbench serve, {args.clients} clients: {rate:.0f} requests/s")
            report(
                "workbench serve, first request after an edit (cold)",
                cold_after_edit(root, port, process, args.colds),
            )
        finally:
            stop(process)
        if args.sam:
            sam_side_by_side(args, root, ours)


def sam_side_by_side(args: argparse.Namespace, root: Path, ours: list[float]) -> None:
    port = free_port()
    sam = shutil.which(args.sam) or args.sam
    process = subprocess.Popen(
        [sam, "local", "start-api", "--port", str(port), "--warm-containers", "EAGER"]
        + ["--skip-pull-image", "--invoke-image", IMAGE, "--template", str(root / "template.yaml")],
        cwd=root,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, "/hello", 300)
        sequential(port, 20, keep_alive=False)
        theirs = sequential(port, args.requests, keep_alive=False)
        report("sam local start-api --warm-containers EAGER", theirs)
        ratio = percentile(theirs, 0.5) / percentile(ours, 0.5)
        print(f"p50 ratio SAM / workbench: {ratio:.1f}x")
        rate = throughput(port, args.clients, args.seconds)
        print(f"sam local start-api, {args.clients} clients: {rate:.0f} requests/s")
    finally:
        stop(process)
    print(json.dumps({"samP50Ms": percentile(theirs, 0.5), "oursP50Ms": percentile(ours, 0.5)}))


if __name__ == "__main__":
    main()
