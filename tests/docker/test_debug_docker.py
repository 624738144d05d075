"""The debugger in the Lambda container: real debugpy mounted read-only, paths mapped both ways."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from tests.conftest import FIXTURES
from workbench.core.debug.session import DebugSession
from workbench.core.function import FunctionConfig

pytest.importorskip("debugpy")


@pytest.fixture
def code(tmp_path):
    folder = tmp_path / "fn"
    shutil.copytree(FIXTURES / "debug", folder)
    folder.chmod(0o755)  # the sandbox user must read it, as on Lambda
    (folder / "app.py").chmod(0o644)
    return folder


def test_breakpoint_on_the_host_file_hits_in_the_container_and_the_clock_waits(
    code, docker_image, settings
):
    function = FunctionConfig(name="dbg", handler="app.handler", code_dir=code, timeout_s=3)
    function.memory_mb = 512
    session = DebugSession(
        function,
        breakpoints={code / "app.py": [7]},
        runner="docker",
        image=docker_image,
        settings=settings,
    )
    try:
        session.start(b'{"count": 3}')
        stop = session.wait_stopped(60)
        assert stop is not None, session.failure
        top = stop.frames[0]
        assert top.path == (code / "app.py").resolve() and top.line == 8  # mapped to the host
        assert session.locals(top.id)["event"] == "{'count': 3}"
        session.step_over()
        stop = session.wait_stopped(30)
        assert stop is not None and stop.frames[0].line == 9
        time.sleep(3.5)  # held past the 3 s timeout
        session.continue_()
        result = session.wait_finished(60)
    finally:
        session.stop()
    assert result is not None and result.succeeded, result.error if result else session.failure
    assert result.runner == "docker"
    assert json.loads(result.payload)["total"] == 3
    assert result.paused_ms >= 3000


def test_debug_port_in_docker_maps_paths_for_an_ide_that_does_not(code, docker_image, tmp_path):
    import subprocess
    import sys
    import threading

    from workbench.core.debug.dap import DapClient
    from workbench.core.debug.launch import free_port

    port = free_port()
    cli = subprocess.Popen(
        [sys.executable, "-m", "workbench", "invoke", str(code), "--handler", "app.handler",
         "--runner", "docker", "--image", docker_image, "--timeout", "3",
         "--debug-port", str(port), "--output", "json"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert cli.stderr is not None
        assert cli.stderr.readline().strip() == f"Debugger listening on 127.0.0.1:{port}"
        stopped = threading.Event()
        threads: list[int] = []

        def on_event(name: str, body: dict) -> None:
            if name == "stopped":
                threads.append(body["threadId"])
                stopped.set()

        ide = DapClient.connect("127.0.0.1", port, 10, on_event=on_event)
        ide.request("initialize", adapterID="debugpy", linesStartAt1=True, pathFormat="path")
        ide.send("attach", justMyCode=False)  # no pathMappings: the workbench maps
        ide.request("setBreakpoints", source={"path": str(code / "app.py")},
                    breakpoints=[{"line": 12}], timeout=30)  # fmt: skip
        ide.request("configurationDone", timeout=30)
        assert stopped.wait(60)
        frames = ide.request("stackTrace", threadId=threads[0])["stackFrames"]
        assert frames[0]["line"] == 12
        assert frames[0]["source"]["path"] == str((code / "app.py").resolve())
        time.sleep(3.5)
        ide.send("continue", threadId=threads[0])
        out, err = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.communicate()
    assert cli.returncode == 0, err
    result = json.loads(out.splitlines()[-1])
    assert result["runner"] == "docker" and result["payload"]["total"] == 1
