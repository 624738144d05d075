"""A real moto server over HTTP and an AWS environment isolated in tmp_path (deploy + GUI tests)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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
