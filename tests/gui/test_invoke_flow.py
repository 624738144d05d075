"""The whole flow through the real process runner: invoke, results, error markers, stop, reset."""

from __future__ import annotations

import json

from tests.gui.test_window import make_window

FAILING = """import json


def lambda_handler(event, context):
    print("about to fail")
    return helper(event)


def helper(event):
    return event["missing"]
"""


def record(monkeypatch, pane, method):
    """Keep what the window hands to a pane while the pane still does its own work."""
    calls = []
    original = getattr(pane, method)

    def spy(*args):
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(pane, method, spy)
    return calls


def invoke_and_wait(qtbot, window, timeout=30_000):
    with qtbot.waitSignal(window.invoke_finished, timeout=timeout) as blocker:
        window.actions_by_id["invoke"].trigger()
    return blocker.args[0]


def test_invoke_example_through_the_process_runner(qtbot, monkeypatch):
    window = make_window(qtbot)
    shown = record(monkeypatch, window.results_pane, "show_result")
    history = record(monkeypatch, window.history_pane, "add")
    output = record(monkeypatch, window.results_pane, "append_output")
    window.event_pane.event_bytes = lambda: b'{"name": "tests"}'
    window.event_pane.event_text = lambda: '{"name": "tests"}'
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.succeeded, result and result.error
    assert result.runner == "process"
    body = json.loads(result.payload_json()["body"])
    assert body["message"] == "Hello, tests!"
    assert "START RequestId" in result.logs and "REPORT RequestId" in result.logs
    assert result.cold_start and result.init_duration_ms is not None
    assert shown == [(result, '{"name": "tests"}')]
    assert history == [(result, '{"name": "tests"}')]
    assert any("invocation 1 of this environment" in chunk for (chunk,) in output)
    summary = window.status.result_label.text()
    assert summary.startswith("OK") and f"billed {result.billed_duration_ms} ms" in summary
    assert "cold" in summary
    # Warm the second time: the environment (and its module globals) survived.
    again = invoke_and_wait(qtbot, window)
    assert again is not None and not again.cold_start
    assert json.loads(again.payload_json()["body"])["warmInvocations"] == 2
    qtbot.waitUntil(lambda: window.status.state_label.text() == "Environment: warm")


def test_failing_handler_marks_the_right_lines(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "failing"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(FAILING)
    window = make_window(qtbot, folder)
    window.event_pane.event_bytes = lambda: b"{}"
    window.event_pane.event_text = lambda: "{}"
    result = invoke_and_wait(qtbot, window)
    assert result is not None and not result.succeeded
    assert result.error["errorType"] == "KeyError"
    editor = window.tabs.editor_for(folder / "lambda_function.py")
    assert editor is not None
    assert editor.error_lines() == [6, 10]  # the call in the handler, the failing line
    assert "KeyError: 'missing'" in editor.annotation(10)
    assert editor.lineFromPosition(editor.currentPos()) + 1 == 10  # innermost frame shown
    assert window.status.result_label.text().startswith("Error (KeyError)")
    # A `File "...", line N` link in the logs opens that file at that line.
    editor.go_to_line(1)
    window.results_pane.file_link_activated.emit(str(folder / "lambda_function.py"), 5)
    assert editor.lineFromPosition(editor.currentPos()) + 1 == 5
    # Fix it in the editor: invoking saves, runs the new code and clears the markers.
    editor.setText(FAILING.replace('event["missing"]', "1"))
    fixed = invoke_and_wait(qtbot, window)
    assert fixed is not None and fixed.succeeded, fixed and fixed.error
    assert editor.error_lines() == []


def test_saving_the_code_resets_so_the_next_invoke_runs_the_new_code(qtbot, tmp_path):
    folder = tmp_path / "edit"
    folder.mkdir()
    source = "def lambda_handler(event, context):\n    return 'old'\n"
    (folder / "lambda_function.py").write_text(source)
    window = make_window(qtbot, folder)
    assert invoke_and_wait(qtbot, window).payload_json() == "old"
    editor = window.tabs.current_editor()
    assert editor is not None
    # (A different length: the process runner's .pyc check is mtime+size, see report.)
    editor.set_text(source.replace("'old'", "'newer'"))
    editor.insertText(0, " ")  # make it dirty
    editor.deleteRange(0, 1)
    with qtbot.waitSignal(window.session.environment_reset, timeout=30_000):
        window.actions_by_id["save"].trigger()
    result = invoke_and_wait(qtbot, window)
    assert result.payload_json() == "newer"
    assert result.cold_start


def test_unsaved_code_is_saved_before_invoking(qtbot, tmp_path):
    folder = tmp_path / "unsaved"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(
        "def lambda_handler(event, context):\n    return 'disk'\n"
    )
    window = make_window(qtbot, folder)
    assert invoke_and_wait(qtbot, window).payload_json() == "disk"
    editor = window.tabs.current_editor()
    assert editor is not None
    editor.setText("def lambda_handler(event, context):\n    return 'editor'\n")
    result = invoke_and_wait(qtbot, window)
    assert result.payload_json() == "editor"
    assert not editor.dirty


def test_stop_cancels_a_running_invoke(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(
        "import time\n\ndef lambda_handler(event, context):\n"
        "    print('started', flush=True)\n    time.sleep(30)\n"
    )
    window = make_window(qtbot, folder)
    errors = record(monkeypatch, window.results_pane, "show_error")
    with qtbot.waitSignal(window.invoke_finished, timeout=30_000) as blocker:
        window.actions_by_id["invoke"].trigger()
        assert window.actions_by_id["stop"].isEnabled()
        assert not window.actions_by_id["invoke"].isEnabled()
        qtbot.waitUntil(lambda: window.session.state == "warm", timeout=20_000)
        window.actions_by_id["stop"].trigger()
    assert blocker.args[0] is None
    assert errors == []  # not "did not run": it ran, and the user stopped it
    headline = window.results_pane.headline.text()
    assert headline.startswith("Stopped after ") and headline.endswith(" s.")
    assert "started" in window.results_pane.logs_text()  # what it printed is kept
    entry = window.history_pane.entries()[0]
    assert entry.result.error is not None
    assert (entry.result.error["errorType"], entry.result.error["errorMessage"]) == (
        "Stopped",
        headline,
    )
    qtbot.waitUntil(lambda: window.actions_by_id["invoke"].isEnabled())


def test_the_client_context_from_the_event_pane_reaches_the_handler(qtbot, tmp_path):
    folder = tmp_path / "ctx"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(
        "def lambda_handler(event, context):\n    return context.client_context.custom\n"
    )
    window = make_window(qtbot, folder)
    window.event_pane.client_context_edit.setText('{"custom": {"tenant": "blue"}}')
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.payload_json() == {"tenant": "blue"}, result.error
    window.event_pane.client_context_edit.setText("{not json")
    window.actions_by_id["invoke"].trigger()
    assert "client context is not valid JSON" in window.status.result_label.text()
    assert not window.session.busy
