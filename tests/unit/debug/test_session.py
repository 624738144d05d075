"""The debugger with real debugpy in the process runner: breakpoints, stepping, the clock."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from workbench.core.debug.lines import breakpoint_line
from workbench.core.debug.session import DebugSession
from workbench.core.function import FunctionConfig

pytest.importorskip("debugpy")
APP = FIXTURES / "debug" / "app.py"


def function(**changes: object) -> FunctionConfig:
    config = FunctionConfig(name="dbg", handler="app.handler", code_dir=APP.parent)
    for key, value in changes.items():
        setattr(config, key, value)
    return config


@pytest.fixture
def sessions():
    made: list[DebugSession] = []
    yield made
    for session in made:
        session.stop()


def test_breakpoint_on_a_comment_moves_to_the_next_executable_line():
    assert breakpoint_line(APP, 7) == 8
    assert breakpoint_line(APP, 4) == 6  # blank lines before a def stop at the def
    assert breakpoint_line(APP, 999) == 999
    assert breakpoint_line(Path("/nonexistent.py"), 3) == 3


def test_stop_read_a_local_step_over_and_continue_to_the_result(sessions):
    session = DebugSession(function(), breakpoints={APP: [7]})
    sessions.append(session)
    session.start(b'{"count": 3}')
    stop = session.wait_stopped(30)
    assert stop is not None, session.failure
    assert stop.frames[0].path == APP.resolve() and stop.frames[0].line == 8
    assert stop.frames[0].name == "handler"
    assert json.loads(session.locals(stop.frames[0].id)["event"].replace("'", '"')) == {"count": 3}
    session.step_over()
    stop = session.wait_stopped(30)
    assert stop is not None and stop.frames[0].line == 9
    assert session.locals(stop.frames[0].id)["count"] == "3"
    assert session.evaluate("count * 2", stop.frames[0].id) == "6"
    session.continue_()
    result = session.wait_finished(30)
    assert result is not None and result.succeeded, session.failure
    assert json.loads(result.payload)["total"] == 3


def test_no_timeout_while_paused_and_the_remaining_time_continues(sessions):
    session = DebugSession(function(timeout_s=3), breakpoints={APP: [12]})
    sessions.append(session)
    session.start(b"{}")
    stop = session.wait_stopped(30)
    assert stop is not None and stop.frames[0].line == 12
    time.sleep(5)  # held well past the 3 s timeout
    session.continue_()
    result = session.wait_finished(30)
    assert result is not None and result.succeeded, result.error if result else session.failure
    assert result.paused_ms >= 4500
    assert result.duration_ms < 3000
    assert json.loads(result.payload)["remaining"] > 2000
    assert any("held the function" in hint for hint in result.hints)


def test_stop_while_paused_ends_the_invoke_and_its_process(sessions):
    session = DebugSession(function(), breakpoints={APP: [9]})
    sessions.append(session)
    session.start(b"{}")
    assert session.wait_stopped(30) is not None
    process = session._invoker._env.process  # type: ignore[union-attr]
    session.stop()
    assert session.finished.wait(15)
    assert session.result is None and session.failure
    assert process.wait(10) is not None


def test_a_run_without_breakpoints_finishes_and_times_out_as_usual(sessions):
    session = DebugSession(function(handler="app.sleepy", timeout_s=1))
    sessions.append(session)
    session.start(b'{"s": 3}')
    result = session.wait_finished(30)
    assert result is not None
    assert result.error is not None and result.error["errorType"] == "Sandbox.Timedout"


def test_the_client_going_away_mid_session_does_not_hang_the_invoke(sessions):
    session = DebugSession(function(), breakpoints={APP: [9]})
    sessions.append(session)
    session.start(b"{}")
    assert session.wait_stopped(30) is not None
    assert session._client is not None
    session._client.close()  # as if the IDE crashed
    assert session.finished.wait(30)
    assert session.result is not None or session.failure  # an outcome, not a hang


def test_a_handler_with_threads_stops_and_finishes(sessions, tmp_path):
    (tmp_path / "threads.py").write_text(
        "import threading\n\n"
        "def handler(event, context):\n"
        "    box = []\n"
        "    worker = threading.Thread(target=lambda: box.append(1))\n"
        "    worker.start()\n"
        "    worker.join()\n"
        "    return len(box)\n"
    )
    config = FunctionConfig(name="t", handler="threads.handler", code_dir=tmp_path)
    session = DebugSession(config, breakpoints={tmp_path / "threads.py": [8]})
    sessions.append(session)
    session.start(b"{}")
    stop = session.wait_stopped(30)
    assert stop is not None and stop.frames[0].line == 8
    session.continue_()
    result = session.wait_finished(30)
    assert result is not None and result.succeeded and result.payload == b"1"
