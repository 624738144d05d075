"""Process-environment specifics: interpreter choice, cancel, signals, live output."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from workbench.core.errors import Cancelled
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken
from workbench.core.runtime.invoker import Invoker

CONFORMANCE = FIXTURES / "conformance"


def invoker(handler: str, code_dir: Path = CONFORMANCE, **changes: object) -> Invoker:
    function = FunctionConfig(name="t", handler=handler, code_dir=code_dir)
    for key, value in changes.items():
        setattr(function, key, value)
    return Invoker(function, "process")


def test_function_venv_interpreter_is_used(tmp_path):
    (tmp_path / "app.py").write_text(
        "import sys\ndef handler(event, context):\n    return sys.prefix\n"
    )
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True
    )
    inv = invoker("app.handler", tmp_path)
    try:
        result = inv.invoke(b"{}")
    finally:
        inv.close()
    assert Path(result.payload_json()).resolve() == (tmp_path / ".venv").resolve()


def test_code_dir_is_cwd_and_first_on_path():
    inv = invoker("app.which_python")
    try:
        data = inv.invoke(b"{}").payload_json()
    finally:
        inv.close()
    assert Path(data["cwd"]) == CONFORMANCE and Path(data["path0"]) == CONFORMANCE


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_signal_kill_is_reported_like_lambda():
    inv = invoker("app.killed")
    try:
        result = inv.invoke(b"{}")
        assert result.error["errorType"] == "Runtime.ExitError"
        assert result.error["errorMessage"].endswith("Runtime exited with error: signal: killed")
        assert inv.state == "cold"
    finally:
        inv.close()


def test_cancel_stops_a_hanging_handler():
    inv = invoker("app.hangs", timeout_s=60)
    token = CancelToken()
    threading.Timer(0.5, token.cancel).start()
    try:
        with pytest.raises(Cancelled):
            inv.invoke(b"{}", cancel=token)
        assert inv.state == "cold"
    finally:
        inv.close()


class Collect:
    def __init__(self) -> None:
        self.text = ""

    def progress(self, message: str, fraction: float | None = None) -> None:
        pass

    def output(self, text: str) -> None:
        self.text += text


def test_output_streams_to_the_sink_live():
    inv = invoker("app.logs")
    sink = Collect()
    try:
        result = inv.invoke(b"{}", sink=sink)
    finally:
        inv.close()
    assert "printed line" in sink.text and "printed line" in result.logs


def test_prestart_then_invoke_is_cold_with_init_duration():
    inv = invoker("app.counts")
    try:
        inv.prestart()
        assert inv.state == "warm"
        result = inv.invoke(b"{}")
        assert result.cold_start and result.init_duration_ms is not None
        assert result.duration_ms < result.init_duration_ms + 1000
    finally:
        inv.close()


def test_late_exit_of_a_retired_environment_does_not_fail_the_current_invoke():
    callbacks = []

    def factory(runner, function, api_address, on_output, on_exit, **_):
        callbacks.append((on_output, on_exit))
        from workbench.core.runtime.process_env import ProcessEnvironment

        return ProcessEnvironment(function, api_address, on_output, on_exit)

    function = FunctionConfig(name="t", handler="app.sleeps", code_dir=CONFORMANCE)
    inv = Invoker(function, "process", environment_factory=factory)
    try:
        inv.invoke(b'{"s": 0}')
        inv.reset()
        old_output, old_exit = callbacks[0]
        from workbench.core.runtime.environment import ExitInfo

        # The old environment reports its exit and stray output while the new one works.
        threading.Timer(0.3, lambda: (old_output(b"stale\n"), old_exit(ExitInfo(code=1)))).start()
        result = inv.invoke(b'{"s": 0.8}')
        assert result.succeeded and result.payload == b'"slept"'
        assert "stale" not in result.logs
    finally:
        inv.close()


def test_max_memory_is_the_functions_not_the_parents():
    # Linux keeps ru_maxrss across fork+exec: a big parent (like the GUI) must not
    # inflate the function's Max Memory Used.
    ballast = bytearray(400 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])
    inv = invoker("app.ok")
    try:
        result = inv.invoke(b"{}")
    finally:
        inv.close()
    assert result.max_memory_used_mb is not None and 5 < result.max_memory_used_mb < 200
    del ballast


def test_edit_within_the_same_second_runs_new_code(tmp_path):
    source = tmp_path / "app.py"
    source.write_text("def handler(event, context):\n    return 'AAAA'\n")
    inv = invoker("app.handler", tmp_path)
    try:
        assert inv.invoke(b"{}").payload == b'"AAAA"'
        stat = source.stat()
        source.write_text("def handler(event, context):\n    return 'BBBB'\n")  # same size
        import os

        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime
        inv.reset()
        assert inv.invoke(b"{}").payload == b'"BBBB"'
    finally:
        inv.close()
    assert not (tmp_path / "__pycache__").exists()
