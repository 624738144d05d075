"""A real moto server over HTTP and an AWS environment isolated in tmp_path (deploy + GUI tests)."""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_moto(extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start `moto_server` on 127.0.0.1 with a free port; returns (process, url)."""
    port = _free_port()
    exe = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "moto.server"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    # Real AWS has its managed policies (AWSLambdaBasicExecutionRole); moto loads them on request.
    env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    env.update(extra_env or {})
    proc = subprocess.Popen(
        [*cmd, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"moto_server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1).read()
            return proc, url
        except OSError:
            time.sleep(0.1)  # waiting for a subprocess to listen, not timing anything
    proc.kill()
    raise RuntimeError("moto_server did not start within 60 s")


def stop_moto(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    proc, url = start_moto()
    try:
        yield url
    finally:
        stop_moto(proc)


@pytest.fixture
def moto_url(moto_server: str, aws_env: Path) -> str:
    """The shared server with its state wiped, so each test starts from an empty account."""
    request = urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).read()
    return moto_server


@pytest.fixture
def aws_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fake credentials and empty AWS config files in tmp_path; the user's are never read."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    aws_dir = tmp_path / "aws"
    aws_dir.mkdir()
    (aws_dir / "config").write_text("")
    (aws_dir / "credentials").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws_dir / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(aws_dir / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for kind in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"LAMBDA_WORKBENCH_{kind}_DIR", str(tmp_path / kind.lower()))
    return aws_dir


# What the Lambda service answers to an invoke whose handler raised (moto cannot run code).
REQUEST_ID = "8f5a2c1e-0b4e-4a8e-9d7c-3f1e2d4c5b6a"
ERROR_LOG = (
    f"START RequestId: {REQUEST_ID} Version: $LATEST\n"
    f"[ERROR] MyErr: custom failure\rTraceback (most recent call last):\r ...\n"
    f"END RequestId: {REQUEST_ID}\n"
    f"REPORT RequestId: {REQUEST_ID}\tDuration: 3.01 ms\tBilled Duration: 4 ms\t"
    "Memory Size: 256 MB\tMax Memory Used: 40 MB\t\n"
)


class FakeLambda(BaseHTTPRequestHandler):
    """Answers POST /2015-03-31/functions/<name>/invocations the way the Lambda service does."""

    seen: list[tuple[str, dict[str, str], bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.seen.append((self.path, dict(self.headers), body))
        payload = b'{"errorMessage": "custom failure", "errorType": "MyErr"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Amz-Function-Error", "Unhandled")
        self.send_header("X-Amz-Log-Result", base64.b64encode(ERROR_LOG.encode()).decode())
        self.send_header("X-Amz-Executed-Version", "$LATEST")
        self.send_header("x-amzn-RequestId", REQUEST_ID)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_lambda() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLambda)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
