"""Deploy against endpoints that are wrong, not AWS or silent: sentences, exit 2, no hang."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.core.deploy.dependencies import pip_command
from workbench.core.errors import WorkbenchError
from workbench.core.languages.python_deps import find_pip

ROOT = Path(__file__).resolve().parents[2]


def _deploy(function_dir: Path, endpoint: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "deploy", str(function_dir), "--yes",
         "--endpoint-url", endpoint, "--region", "eu-west-1"],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
        env=dict(os.environ),
    )  # fmt: skip


@pytest.fixture
def web_page_server() -> Iterator[str]:
    """A real HTTP server that answers every request with a web page, as a proxy might."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server name)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b"<html><body>Welcome to nginx!</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A socket that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(timeout=5)
    for conn in accepted:
        conn.close()
    listener.close()


def test_endpoint_that_is_not_a_url_is_a_sentence(aws_env: Path, function_dir: Path) -> None:
    for endpoint in ("not a url", "ftp://example.com", "http://"):
        result = _deploy(function_dir, endpoint)
        assert result.returncode == 2, result.stderr
        assert "is not an http:// or https:// URL" in result.stderr
        assert "Traceback" not in result.stderr


def test_endpoint_that_is_not_aws_is_a_sentence_and_exit_2(
    aws_env: Path, function_dir: Path, web_page_server: str
) -> None:
    result = _deploy(function_dir, web_page_server)
    assert result.returncode == 2, result.stderr
    assert "check the endpoint URL" in result.stderr and "Traceback" not in result.stderr


def test_endpoint_that_never_answers_ends_with_a_sentence(
    aws_env: Path, function_dir: Path, silent_server: str
) -> None:
    result = _deploy(function_dir, silent_server)
    assert result.returncode == 2, result.stderr
    assert "Checking your AWS credentials with" in result.stderr  # the progress sentence
    assert "accepted the connection but did not answer in time" in result.stderr


def test_frozen_bundle_finds_a_real_python_with_pip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "lambda-workbench"))
    monkeypatch.setenv("PATH", str(bin_dir))
    assert find_pip() == [str(bin_dir / "python3"), "-m", "pip"]
    command = pip_command(tmp_path, tmp_path / "requirements.txt", "python3.12", "x86_64")
    assert command[0] == str(bin_dir / "python3")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(WorkbenchError, match="no Python 3 with pip was found on PATH"):
        find_pip()
