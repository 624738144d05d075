"""The debugger in the window's parts: margin clicks, the Debug pane, real debugpy."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

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


def test_the_window_debugs_with_f9_f5_f10_and_shows_the_stopped_line(qtbot, tmp_path):
    from tests.gui.test_window import make_window

    folder = tmp_path / "dbgfn"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(
        "def lambda_handler(event, context):\n"
        "    first = 1\n"
        "    second = first + 1\n"
        "    return {'sum': first + second}\n"
    )
    window = make_window(qtbot, folder)
    window.activateWindow()
    editor = window.tabs.current_editor()
    assert editor is not None and editor.path.name == "lambda_function.py"
    QWidget.setFocus(editor)
    qtbot.waitUntil(lambda: editor.hasFocus())
    editor.go_to_line(2)
    qtbot.keyClick(editor, Qt.Key.Key_F9)
    margin = window.debugger.margin(editor)
    assert margin.lines() == [2]
    controller = window.debugger.controller
    with qtbot.waitSignal(controller.stopped, timeout=30_000) as stopped:
        qtbot.keyClick(editor, Qt.Key.Key_F5)
    assert stopped.args[0].frames[0].line == 2
    assert window.debugger.dock.isVisible()
    current = editor.markerNext(0, 1 << 22)  # the current-line marker
    assert current == 1
    with qtbot.waitSignal(controller.stopped, timeout=30_000) as stopped:
        qtbot.keyClick(editor, Qt.Key.Key_F10)
    assert stopped.args[0].frames[0].line == 3
    with qtbot.waitSignal(controller.finished, timeout=30_000) as finished:
        qtbot.keyClick(editor, Qt.Key.Key_F5)
    assert finished.args[0].succeeded
    assert json.loads(finished.args[0].payload) == {"sum": 3}
    assert editor.markerNext(0, 1 << 22) == -1
    # Breakpoints persist per project.
    from workbench.ui.debug.breakpoints import BreakpointStore

    assert BreakpointStore(folder).get(folder / "lambda_function.py") == [2]
