"""`invoke --debug-port N`: an IDE (here the workbench's own DAP client) attaches over TCP."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import FIXTURES
from workbench.core.debug.dap import DapClient
from workbench.core.debug.launch import free_port

pytest.importorskip("debugpy")
APP = FIXTURES / "debug" / "app.py"


def start_cli(port: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", "invoke", str(APP.parent), "--handler",
         "app.handler", "--runner", "process", "--timeout", "3", "--debug-port", str(port),
         "--output", "json", *extra],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_an_ide_attaches_stops_on_a_breakpoint_and_the_timeout_waits():
    port = free_port()
    cli = start_cli(port)
    try:
        assert cli.stderr is not None
        assert cli.stderr.readline().strip() == f"Debugger listening on 127.0.0.1:{port}"
        stopped = threading.Event()
        events: list[dict] = []

        def on_event(name: str, body: dict) -> None:
            if name == "stopped":
                events.append(body)
                stopped.set()

        ide = DapClient.connect("127.0.0.1", port, 10, on_event=on_event)
        ide.request("initialize", adapterID="debugpy", linesStartAt1=True, pathFormat="path")
        ide.send("attach", justMyCode=False)
        answer = ide.request(
            "setBreakpoints", source={"path": str(APP)}, breakpoints=[{"line": 12}]
        )
        assert answer["breakpoints"][0]["verified"]
        ide.request("configurationDone")
        assert stopped.wait(30)
        frames = ide.request("stackTrace", threadId=events[0]["threadId"])["stackFrames"]
        assert frames[0]["line"] == 12 and frames[0]["source"]["path"] == str(APP)
        time.sleep(4.5)  # past the 3 s timeout while held
        ide.send("continue", threadId=events[0]["threadId"])  # the answer may trail the end
        out, err = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
    assert cli.returncode == 0, err
    result = json.loads(out.splitlines()[-1])
    assert result["error"] is None and result["payload"]["total"] == 1


def test_a_port_in_use_is_a_sentence():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        cli = start_cli(busy.getsockname()[1])
        out, err = cli.communicate(timeout=60)
    assert cli.returncode == 2
    assert "choose another --debug-port" in err and "Traceback" not in err
