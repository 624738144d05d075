"""`lambda-workbench serve` as a user runs it: a subprocess, real sockets, Ctrl+C."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.unit.http.conftest import SERVE_APP, call

WAIT_S = 60


class ServeProcess:
    """A running `serve`, its stdout and stderr read line by line on threads."""

    def __init__(self, *args: str, cwd: Path | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "workbench", "serve", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            start_new_session=True,  # its own process group: we can check nothing is left
        )
        self.stdout: queue.Queue[str] = queue.Queue()
        self.stderr: queue.Queue[str] = queue.Queue()
        for stream, lines in (
            (self.process.stdout, self.stdout),
            (self.process.stderr, self.stderr),
        ):
            threading.Thread(target=self._pump, args=(stream, lines), daemon=True).start()

    @staticmethod
    def _pump(stream, lines: queue.Queue) -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))

    def line(self, which: str = "stdout") -> str:
        try:
            return getattr(self, which).get(timeout=WAIT_S)
        except queue.Empty:
            raise AssertionError(f"serve wrote no {which} line in {WAIT_S} s") from None

    def until(self, predicate, which: str = "stderr") -> str:
        while True:
            found = self.line(which)
            if predicate(found):
                return found

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=WAIT_S)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)

    def group_gone(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return True
        return False


@pytest.fixture
def app(tmp_path: Path) -> Path:
    root = tmp_path / "api"
    shutil.copytree(SERVE_APP, root)
    return root


def test_json_contract_requests_and_clean_ctrl_c(app):
    serve = ServeProcess(
        str(app),
        "--runner",
        "process",
        "--port",
        "0",
        "--output",
        "json",
        "--function",
        "EchoFunction",
        "--function",
        "UrlFunction",
    )
    try:
        rows = []
        while True:
            row = json.loads(serve.line())
            if "ready" in row:
                break
            rows.append(row)
        assert row["ready"] is True and isinstance(row["port"], int)
        port = row["port"]
        assert {"kind", "method", "path", "function", "url"} == set(rows[0])
        item = next(r for r in rows if r["path"] == "/items/{id}")
        assert item == {
            "kind": "rest",
            "method": "GET",
            "path": "/items/{id}",
            "function": "EchoFunction",
            "url": f"http://127.0.0.1:{port}/items/{{id}}",
        }
        assert {r["kind"] for r in rows} == {"rest", "http", "url"}
        # Routes of other functions (and their authorizers) are not served.
        assert {r["function"] for r in rows} == {"EchoFunction", "UrlFunction"}
        assert call(port, "GET", "/items/9").status == 200
        first = json.loads(serve.line())
        assert first["method"] == "GET" and first["path"] == "/items/9"
        assert first["status"] == 200 and first["function"] == "EchoFunction"
        assert first["coldStart"] is True and first["durationMs"] > 0
        assert set(first) == {"method", "path", "status", "function", "durationMs", "coldStart"}
        call(port, "GET", "/items/9")
        assert json.loads(serve.line())["coldStart"] is False
        call(port, "GET", "/missing")
        missing = json.loads(serve.line())
        assert missing == {
            "method": "GET",
            "path": "/missing",
            "status": 403,
            "function": None,
            "durationMs": None,
            "coldStart": False,
        }
        url = next(r for r in rows if r["kind"] == "url")["url"]
        url_port = int(url.rsplit(":", 1)[1].split("/")[0])
        assert call(url_port, "GET", "/x").status == 200
    finally:
        code = serve.stop()
    assert code == 0
    assert serve.group_gone(), "serve left processes behind"


def test_text_output_has_the_route_table_and_report_figures(app):
    serve = ServeProcess(
        str(app), "--runner", "process", "--port", "0", "--function", "EchoFunction"
    )
    try:
        ready = serve.until(lambda line: line.startswith("Serving on port"), "stdout")
        port = int(ready.split("port ")[1].split(".")[0])
        assert call(port, "GET", "/items/1").status == 200
        line = serve.line()
        assert line.startswith("GET /items/1 200 EchoFunction")
        for figure in ("Duration:", "Billed Duration:", "Memory Size: 256 MB", "Max Memory Used:"):
            assert figure in line
        assert "Init Duration:" in line and line.endswith("(cold)")
    finally:
        assert serve.stop() == 0


def test_port_in_use_is_one_sentence_and_exit_2(app):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "workbench",
                "serve",
                str(app),
                "--runner",
                "process",
                "--port",
                str(port),
                "--function",
                "EchoFunction",
            ],
            capture_output=True,
            text=True,
            timeout=WAIT_S,
        )
    assert result.returncode == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_function_and_no_routes_are_sentences(app, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "serve", str(app), "--function", "Nope"],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )
    assert result.returncode == 2 and "There is no function Nope" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "serve", str(app), "--function", "TokenAuthFunction"],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )
    assert result.returncode == 2 and "defines no API routes or function URLs" in result.stderr


def test_saving_code_reloads_without_restart(app):
    serve = ServeProcess(
        str(app),
        "--runner",
        "process",
        "--port",
        "0",
        "--output",
        "json",
        "--function",
        "EchoFunction",
    )
    try:
        while "ready" not in (row := json.loads(serve.line())):
            pass
        port = row["port"]
        assert call(port, "GET", "/items/1").header("x-version") == "one"
        assert json.loads(serve.line())["coldStart"] is True
        assert call(port, "GET", "/items/1").header("x-version") == "one"
        assert json.loads(serve.line())["coldStart"] is False
        source = app / "src" / "app.py"
        source.write_text(source.read_text().replace('VERSION = "one"', 'VERSION = "two"'))
        line = serve.until(lambda line: "reloaded" in line)
        assert line.startswith("app.py changed: ") and "EchoFunction" in line
        reply = call(port, "GET", "/items/1")
        assert reply.header("x-version") == "two"
        assert json.loads(serve.line())["coldStart"] is True
    finally:
        assert serve.stop() == 0


def test_plain_folder_serves_each_function_on_its_url(tmp_path):
    (tmp_path / "lambda_function.py").write_text(
        "import json\n"
        "def lambda_handler(event, context):\n"
        "    return {'path': event['rawPath'], 'q': event.get('queryStringParameters')}\n"
    )
    serve = ServeProcess(str(tmp_path), "--runner", "process", "--port", "0", "--output", "json")
    try:
        route = json.loads(serve.line())
        assert route["kind"] == "url" and route["method"] == "ANY" and route["path"] == "/"
        ready = json.loads(serve.line())
        assert ready["ready"] is True
        port = int(route["url"].rsplit(":", 1)[1].split("/")[0])
        assert port == ready["port"]
        reply = call(port, "GET", "/hello?x=1")
        assert reply.status == 200 and reply.json() == {"path": "/hello", "q": {"x": "1"}}
    finally:
        assert serve.stop() == 0


def test_template_edits_apply_new_settings_and_name_new_routes(app):
    serve = ServeProcess(
        str(app), "--runner", "process", "--port", "0", "--function", "EchoFunction"
    )
    try:
        ready = serve.until(lambda line: line.startswith("Serving on port"), "stdout")
        port = int(ready.split("port ")[1].split(".")[0])
        assert call(port, "GET", "/items/1").status == 200
        assert "Memory Size: 256 MB" in serve.line()
        template = app / "template.yaml"
        text = template.read_text()
        template.write_text(
            text.replace(
                "      Handler: app.echo\n      Events:",
                "      Handler: app.echo\n      MemorySize: 512\n      Events:",
            )
        )
        serve.until(lambda line: "new settings of EchoFunction apply now" in line)
        assert call(port, "GET", "/items/1").status == 200
        line = serve.line()
        assert "Memory Size: 512 MB" in line and line.endswith("(cold)")
        template.write_text(
            template.read_text().replace("Path: /items, Method: post", "Path: /more, Method: post")
        )
        serve.until(lambda line: "routes in template.yaml changed; restart serve" in line)
    finally:
        assert serve.stop() == 0
