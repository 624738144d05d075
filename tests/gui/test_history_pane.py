"""HistoryPane: runs persist across a restart, click restores, two runs compare side by side."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from tests.gui.panes_support import run_handler, run_once
from workbench.core.history import History
from workbench.core.units import describe_ms
from workbench.ui.history.history_compare import diff_logs
from workbench.ui.history.history_pane import HistoryPane

COUNTING_HANDLER = """
count = 0
def handler(event, context):
    global count
    count += 1
    print("invocation", count, "of", event.get("name"))
    return {"count": count, "name": event.get("name")}
"""


def make_pane(qtbot, project: Path) -> HistoryPane:
    pane = HistoryPane()
    qtbot.addWidget(pane)
    with qtbot.waitSignal(pane.loaded):  # read on a worker
        pane.set_function(project, "counter")
    return pane


def test_runs_survive_a_restart_and_click_restores(qtbot, tmp_path: Path) -> None:
    project = tmp_path / "project"
    event = b'{"name": "ada"}'
    cold, warm = run_handler(project, COUNTING_HANDLER, event, times=2)
    failed = run_once(tmp_path / "other", "def handler(e, c):\n    raise KeyError('gone')\n")
    pane = make_pane(qtbot, project)
    pane.add(cold, '{"name": "ada"}')
    pane.add(warm, '{"name": "ada"}')
    pane.add(failed, "{}")
    assert pane.tree.topLevelItemCount() == 3

    restarted = make_pane(qtbot, project)  # a new pane reads the same files: a restart
    tree = restarted.tree
    assert tree.topLevelItemCount() == 3
    newest, middle, oldest = (tree.topLevelItem(i) for i in range(3))
    assert newest.text(1) == "KeyError"
    assert middle.text(1) == "OK" and middle.text(4) == "warm"
    assert oldest.text(4) == "cold"
    assert oldest.text(2) == describe_ms(cold.duration_ms)
    assert oldest.text(3) == f"{cold.max_memory_used_mb} / 128 MB"

    rect = tree.visualItemRect(middle)
    with qtbot.waitSignal(restarted.restore_requested) as blocker:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    event_text, result = blocker.args
    assert event_text == '{"name": "ada"}'
    assert result.request_id == warm.request_id
    assert result.payload == warm.payload
    assert result.logs == warm.logs
    assert result.duration_ms == round(warm.duration_ms, 2)


def test_compare_two_runs_side_by_side(qtbot, tmp_path: Path) -> None:
    project = tmp_path / "project"
    first, second = run_handler(project, COUNTING_HANDLER, b'{"name": "bo"}', times=2)
    pane = make_pane(qtbot, project)
    pane.add(first, '{"name": "bo"}')
    pane.add(second, '{"name": "bo", "again": true}')
    assert not pane.compare_button.isEnabled()
    pane.select_rows([0, 1])
    assert pane.compare_button.isEnabled()
    with qtbot.waitSignal(pane.compare_button.clicked):
        qtbot.mouseClick(pane.compare_button, Qt.MouseButton.LeftButton)
    assert len(pane.dialogs) == 1
    compare = pane.dialogs[0].compare
    # A is the older run.
    a, b, delta = compare.row_values("Duration")
    assert a == describe_ms(round(first.duration_ms, 2))
    assert b == describe_ms(round(second.duration_ms, 2))
    assert delta.endswith("%)")
    assert compare.row_values("Start")[:2] == ("Cold", "Warm")
    used_a, used_b, used_delta = compare.row_values("Max memory used")
    assert used_a == f"{first.max_memory_used_mb:,} of 128 MB"
    assert used_delta.endswith("MB")
    assert json.loads(compare.response_a.toPlainText()) == {"count": 1, "name": "bo"}
    assert json.loads(compare.response_b.toPlainText()) == {"count": 2, "name": "bo"}
    assert compare.event_b.toPlainText() == '{"name": "bo", "again": true}'
    diff = compare.logs_diff.toPlainText().splitlines()
    assert "-invocation 1 of bo" in diff
    assert "+invocation 2 of bo" in diff
    # Request ids differ on every run and are not reported (REPORT differs only because
    # the cold run has an Init Duration).
    assert not any(line.startswith(("-START", "+START", "-END", "+END")) for line in diff)
    assert [line for line in diff if line.startswith("+REPORT")] == [
        "+REPORT RequestId: <request-id>\tDuration: <n> ms\tBilled Duration: <n> ms\t"
        "Memory Size: 128 MB\tMax Memory Used: <n> MB"
    ]


def test_logs_diff_ignores_ids_times_and_numbers() -> None:
    left = (
        "START RequestId: 0b7f9c1e-1111-4a4a-9b9b-000000000001 Version: $LATEST\n"
        "[INFO]\t2026-11-23T11:02:09.068Z\t0b7f9c1e-1111-4a4a-9b9b-000000000001\thi\n"
        "REPORT RequestId: 0b7f9c1e-1111-4a4a-9b9b-000000000001\tDuration: 1.23 ms\t"
        "Max Memory Used: 41 MB\n"
    )
    right = left.replace("000000000001", "000000000002").replace("1.23", "9.87")
    right = right.replace("11:02:09.068Z", "12:00:00.001Z").replace("41 MB", "44 MB")
    assert diff_logs(left, right) == []
    assert diff_logs(left, left.replace("\thi", "\tbye")) != []


def test_damaged_history_line_is_reported_not_fatal(qtbot, tmp_path: Path) -> None:
    project = tmp_path / "project"
    result = run_once(project, COUNTING_HANDLER)
    History(project, "counter").add(result, "{}")
    path = History(project, "counter").path
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    pane = make_pane(qtbot, project)
    assert pane.tree.topLevelItemCount() == 1
    assert not pane.note.isHidden()
    assert "1 damaged line(s)" in pane.note.text()


def test_a_run_that_finishes_while_history_loads_is_kept(qtbot, tmp_path: Path) -> None:
    project = tmp_path / "project"
    first, second = run_handler(project, COUNTING_HANDLER, b'{"name": "x"}', times=2)
    pane = make_pane(qtbot, project)
    pane.add(first, "{}")
    with qtbot.waitSignal(pane.loaded):
        pane.set_function(project, "counter")  # a reload starts...
        pane.add(second, "{}")  # ...and a run lands before the file is read
    assert len(pane.entries()) == 2
    again = make_pane(qtbot, project)
    assert len(again.entries()) == 2  # both were written to disk
