"""The debugger in the window's parts: margin clicks, the Debug pane, real debugpy."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.conftest import FIXTURES
from workbench.core.function import FunctionConfig
from workbench.ui.debug.breakpoints import BreakpointMargin, BreakpointStore
from workbench.ui.debug.debug_controller import DebugController
from workbench.ui.debug.debug_pane import DebugPane
from workbench.ui.editor.code_editor import MARGIN_NUMBERS, CodeEditor
from workbench.ui.editor.code_editor import M as MESSAGE

pytest.importorskip("debugpy")


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "fn"
    shutil.copytree(FIXTURES / "debug", folder)
    return folder


def click_margin(qtbot, editor: CodeEditor, line: int) -> None:
    position = editor.positionFromLine(line - 1)
    y = editor.send(MESSAGE.PointYFromPosition, 0, position) + editor.textHeight(line - 1) // 2
    x = editor.marginWidthN(MARGIN_NUMBERS) + 5
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))


def test_clicking_the_margin_toggles_a_breakpoint_and_the_store_keeps_it(qtbot, project):
    editor = CodeEditor(project / "app.py")
    qtbot.addWidget(editor)
    editor.set_text((project / "app.py").read_text())
    editor.resize(600, 400)
    editor.show()
    qtbot.waitExposed(editor)
    margin = BreakpointMargin(editor)
    with qtbot.waitSignal(margin.changed) as changed:
        click_margin(qtbot, editor, 9)
    assert changed.args[1] == [9] and margin.lines() == [9]
    click_margin(qtbot, editor, 9)
    assert margin.lines() == []
    store = BreakpointStore(project)
    store.set(project / "app.py", [8, 12])
    assert BreakpointStore(project).get(project / "app.py") == [8, 12]


def test_debug_stop_inspect_step_watch_and_continue(qtbot, project):
    controller = DebugController()
    pane = DebugPane(controller)
    qtbot.addWidget(pane)
    pane.show()
    function = FunctionConfig(name="dbg", handler="app.handler", code_dir=project, timeout_s=3)
    with qtbot.waitSignal(controller.stopped, timeout=30_000) as stopped:
        controller.debug(function, b'{"count": 3}', {project / "app.py": [7]}, False)
    assert stopped.args[0].frames[0].line == 8  # a comment line moves to the next one
    assert pane.stack.count() >= 1 and "app.py:8" in pane.stack.item(0).text()
    locals_item = pane.variables.topLevelItem(0)
    qtbot.waitUntil(lambda: pane.variables.topLevelItemCount() > 0, timeout=10_000)
    locals_item = pane.variables.topLevelItem(0)
    qtbot.waitUntil(
        lambda: any(
            locals_item.child(i).text(0) == "event" for i in range(locals_item.childCount())
        ),
        timeout=10_000,
    )
    with qtbot.waitSignal(controller.stopped, timeout=30_000) as stopped:
        qtbot.mouseClick(pane.buttons["over"], Qt.MouseButton.LeftButton)
    assert stopped.args[0].frames[0].line == 9
    qtbot.keyClicks(pane.watch_input, "count * 10")
    qtbot.keyClick(pane.watch_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pane.watches.topLevelItem(0).text(1) == "30", timeout=10_000)
    with qtbot.waitSignal(controller.finished, timeout=30_000) as finished:
        qtbot.mouseClick(pane.buttons["continue"], Qt.MouseButton.LeftButton)
    assert finished.args[0].succeeded
    assert "succeeded" in pane.status.text()
    assert not pane.buttons["stop"].isEnabled()


def test_stop_while_paused_ends_the_session(qtbot, project):
    controller = DebugController()
    pane = DebugPane(controller)
    qtbot.addWidget(pane)
    function = FunctionConfig(name="dbg", handler="app.handler", code_dir=project)
    with qtbot.waitSignal(controller.stopped, timeout=30_000):
        controller.debug(function, b"{}", {project / "app.py": [9]}, False)
    with qtbot.waitSignal(controller.failed, timeout=30_000):
        qtbot.mouseClick(pane.buttons["stop"], Qt.MouseButton.LeftButton)
    assert not controller.active
