"""ResultsPane with real results from the process Invoker: response, logs, metrics, errors."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.gui.panes_support import run_handler, run_once
from workbench.core.invoke import COST_RULE
from workbench.core.units import describe_ms, describe_usd
from workbench.ui.results.log_text import line_kind
from workbench.ui.results.results_pane import LOGS_TAB, RESPONSE_TAB, ResultsPane

WAIT_MS = 30_000  # a ceiling for a shared machine, not a timing assertion

API_HANDLER = """
import base64, json
def handler(event, context):
    print("handling", event.get("kind"))
    if event.get("kind") == "png":
        body = base64.b64encode(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00binary").decode()
        return {"statusCode": 200, "headers": {"Content-Type": "image/png"},
                "body": body, "isBase64Encoded": True}
    if event.get("kind") == "b64json":
        body = base64.b64encode(json.dumps({"via": "base64", "n": 7}).encode()).decode()
        return {"statusCode": 404, "headers": {"Content-Type": "application/json"},
                "multiValueHeaders": {"Set-Thing": ["a", "b"]},
                "body": body, "isBase64Encoded": True}
    return {"statusCode": 201, "headers": {"Content-Type": "application/json", "X-Id": "7"},
            "body": json.dumps({"hello": "world", "n": [1, 2]})}
"""

ERROR_HANDLER = """
def helper(value):
    raise ValueError("bad " + value)


def handler(event, context):
    print("about to fail")
    helper("input")
"""


@pytest.fixture
def pane(qtbot) -> ResultsPane:
    widget = ResultsPane(log_line_cap=20_000)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    return widget


def show(qtbot, pane: ResultsPane, result, event_text: str = "{}") -> None:
    pane.show_result(result, event_text)
    qtbot.waitUntil(pane.logs.is_drained, timeout=WAIT_MS)


def test_api_gateway_response_is_decoded_with_logs_and_metrics(qtbot, pane, tmp_path: Path):
    result = run_once(tmp_path, API_HANDLER, b'{"kind": "json"}')
    assert result.succeeded
    show(qtbot, pane, result, '{"kind": "json"}')
    assert pane.tabs.currentIndex() == RESPONSE_TAB
    response = pane.response
    assert response.status_label.text() == "<b>201 Created</b>"
    headers = {
        response.headers_table.item(r, 0).text(): response.headers_table.item(r, 1).text()
        for r in range(response.headers_table.rowCount())
    }
    assert headers == {"Content-Type": "application/json", "X-Id": "7"}
    assert json.loads(response.body_text()) == {"hello": "world", "n": [1, 2]}
    assert response.body_text().startswith('{\n  "hello"')  # pretty
    assert response.raw.toPlainText() == result.payload.decode()  # raw: exact bytes

    logs = pane.logs.shown_text().splitlines()
    assert logs[0].startswith("START RequestId: " + result.request_id)
    assert "handling json" in logs
    assert any(line.startswith("REPORT RequestId:") for line in logs)
    assert line_kind(logs[0]) == "platform"

    values = pane.metrics.values
    assert values["duration"].text() == describe_ms(result.duration_ms)
    assert values["billed"].text() == f"{result.billed_duration_ms:,} ms"
    assert values["start"].text() == "Cold start"
    assert values["init"].text() == describe_ms(result.init_duration_ms)
    used = result.max_memory_used_mb
    assert used is not None and used > 0
    assert values["memory"].text().startswith(f"{used:,} MB of 128 MB")
    assert pane.metrics.memory_bar.maximum() == 128
    assert pane.metrics.memory_bar.value() == min(used, 128)
    assert values["cost"].text() == describe_usd(result.cost_usd)
    assert values["cost_million"].text() == describe_usd(result.cost_usd * 1_000_000)
    assert values["cost"].toolTip() == COST_RULE


def test_warm_invoke_shows_warm_and_no_init(qtbot, pane, tmp_path: Path) -> None:
    first, second = run_handler(tmp_path, API_HANDLER, b"{}", times=2)
    show(qtbot, pane, second)
    assert pane.metrics.values["start"].text() == "Warm start"
    assert second.init_duration_ms is None
    assert "warm start" in pane.metrics.values["init"].text()


def test_base64_bodies_are_decoded(qtbot, pane, tmp_path: Path) -> None:
    png = run_once(tmp_path / "a", API_HANDLER, b'{"kind": "png"}')
    show(qtbot, pane, png)
    assert pane.response.http is not None and pane.response.http.was_base64
    assert pane.response.http.body == b"\x89PNG\r\n\x1a\n\x00\x00binary"
    assert "binary, shown as hex" in pane.response.body_label.text()
    assert "decoded from base64" in pane.response.body_label.text()
    assert pane.response.body_text().startswith("00000000  89 50 4e 47")

    js = run_once(tmp_path / "b", API_HANDLER, b'{"kind": "b64json"}')
    show(qtbot, pane, js)
    assert pane.response.status_label.text() == "<b>404 Not Found</b>"
    assert json.loads(pane.response.body_text()) == {"via": "base64", "n": 7}
    table = pane.response.headers_table
    pairs = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
    assert ("Set-Thing", "a") in pairs and ("Set-Thing", "b") in pairs
    assert base64.b64decode(js.payload_json()["body"]) == b'{"via": "base64", "n": 7}'


def test_plain_payload_is_pretty_printed(qtbot, pane, tmp_path: Path) -> None:
    result = run_once(tmp_path, "def handler(e, c):\n    return {'b': [1, {'c': None}]}\n")
    show(qtbot, pane, result)
    assert pane.response.http is None
    assert pane.response.body_text() == json.dumps({"b": [1, {"c": None}]}, indent=2)


def test_function_error_shows_type_message_and_clickable_frames(qtbot, pane, tmp_path: Path):
    result = run_once(tmp_path, ERROR_HANDLER)
    assert not result.succeeded
    show(qtbot, pane, result)
    view = pane.error_view
    assert pane.response_stack.currentWidget() is view
    assert view.type_label.text() == "ValueError"
    assert view.message_label.text() == "bad input"
    frames = [(path, line) for _s, _e, path, line in view.frames]
    app_py = str(tmp_path / "app.py")
    assert frames == [(app_py, 8), (app_py, 3)]

    # Click the second frame's link in the stack trace browser.
    stack = view.stack
    cursor = stack.document().find("line 3")
    assert not cursor.isNull()
    pane.show()
    qtbot.waitExposed(pane)
    cursor.setPosition(cursor.selectionStart() + 2)  # inside the link, not on its edge
    point = stack.cursorRect(cursor).center()
    with qtbot.waitSignal(pane.file_link_activated, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(stack.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [app_py, 3]


def test_log_traceback_line_links_to_the_file(qtbot, pane, tmp_path: Path) -> None:
    result = run_once(tmp_path, ERROR_HANDLER)
    show(qtbot, pane, result)
    pane.tabs.setCurrentIndex(LOGS_TAB)
    pane.show()
    qtbot.waitExposed(pane)
    text = pane.logs.text
    lines = text.lines()
    # The runtime's one-line traceback (\r separated) is shown as separate lines.
    assert any(line.startswith("[ERROR] ValueError: bad input") for line in lines)
    index = next(i for i, line in enumerate(lines) if "line 3, in helper" in line)
    column = lines[index].index("File ") + 2
    text.show_match(index, column, 1)  # scroll it into view
    with qtbot.waitSignal(pane.file_link_activated, timeout=WAIT_MS) as blocker:
        point = text.point_for(index, column)
        qtbot.mouseClick(text.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [str(tmp_path / "app.py"), 3]
    error_line = next(line for line in lines if line.startswith("[ERROR]"))
    assert line_kind(error_line) == "error"


def test_hundred_thousand_lines_are_capped_with_a_note(qtbot, pane, tmp_path: Path) -> None:
    source = "def handler(e, c):\n    for i in range(100000):\n        print('flood', i)\n"
    result = run_once(tmp_path, source)
    total = len(result.logs.splitlines())
    assert total == 100_003  # START, 100,000 lines, END, REPORT
    show(qtbot, pane, result)
    logs = pane.logs
    assert logs.text.line_count() == 20_000
    assert logs.hidden_lines() == total - 20_000
    assert not logs.note.isHidden()
    assert f"{total - 20_000:,} earlier lines not shown" in logs.note.text()
    shown = logs.text.lines()
    assert shown[-1].startswith("REPORT RequestId:")
    assert shown[-3] == "flood 99999"
    logs.copy_all()
    assert QGuiApplication.clipboard().text().count("\n") == total


def test_live_output_is_batched_onto_the_screen(qtbot, pane) -> None:
    pane.show_running("hello")
    assert pane.tabs.currentIndex() == LOGS_TAB
    assert "Running hello" in pane.headline.text()
    for i in range(5000):
        pane.append_output(f"line {i}\n")
    # Nothing is drawn synchronously: 5,000 calls cost 5,000 list appends.
    assert pane.logs.text.line_count() == 0
    qtbot.waitUntil(pane.logs.is_drained, timeout=WAIT_MS)
    assert pane.logs.text.line_count() == 5000
    assert pane.logs.text.lines()[-1] == "line 4999"
    # A line split across chunks is joined.
    pane.append_output("par")
    pane.append_output("tial\n")
    qtbot.waitUntil(pane.logs.is_drained, timeout=WAIT_MS)
    assert pane.logs.text.lines()[-1] == "partial"


def test_search_finds_and_counts_matches(qtbot, pane) -> None:
    pane.logs.set_logs("alpha\nbeta needle\ngamma\nNEEDLE again\n")
    qtbot.waitUntil(pane.logs.is_drained, timeout=WAIT_MS)
    pane.logs.search.setText("needle")
    assert pane.logs.match_label.text() == "2 matches"
    assert pane.logs.text._match == (1, 5, 6)
    assert pane.logs.find_next()
    assert pane.logs.text._match == (3, 0, 6)
    assert pane.logs.find_next()  # wraps around
    assert pane.logs.text._match == (1, 5, 6)


def test_show_error_banner_and_clear(qtbot, pane) -> None:
    pane.show_running("hello")
    pane.show_error("Docker is not running. Start it, or switch the runner to process.")
    assert not pane.banner.isHidden()
    assert pane.banner.text().startswith("Docker is not running")
    assert pane.busy.isHidden()
    pane.clear()
    assert pane.banner.isHidden()
    assert pane.result is None


def test_selected_log_lines_copy_with_ctrl_c(qtbot, pane) -> None:
    pane.logs.set_logs("one\ntwo\nthree\n")
    qtbot.waitUntil(pane.logs.is_drained, timeout=WAIT_MS)
    pane.logs.text.select_lines(2, 1)
    qtbot.keyClick(pane.logs.text, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "two\nthree"


def test_output_the_workbench_did_not_keep_is_mentioned(qtbot, pane, tmp_path: Path) -> None:
    result = run_once(tmp_path, "def handler(e, c):\n    print('x')\n    return 1\n")
    result.logs_truncated_bytes = 3 * 1024 * 1024  # as the Invoker sets past its 16 MB cap
    show(qtbot, pane, result)
    assert not pane.logs.note.isHidden()
    assert "3.00 MB more than the workbench keeps" in pane.logs.note.text()
