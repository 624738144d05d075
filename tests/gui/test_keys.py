"""Real key presses reach the actions from the table, even with the focus in the code editor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.test_window import make_window

CTRL = Qt.KeyboardModifier.ControlModifier


def test_find_and_replace_keys_from_inside_the_code_editor(qtbot):
    window = make_window(qtbot)
    window.activateWindow()
    editor = window.tabs.current_editor()
    assert editor is not None
    QWidget.setFocus(editor)
    qtbot.waitUntil(lambda: editor.hasFocus())
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    assert window.find_bar.isVisible()
    assert not window.find_bar.replace_edit.isVisible()
    qtbot.keyClick(window.find_bar.find_edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    QWidget.setFocus(editor)
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)
    assert window.find_bar.isVisible() and window.find_bar.replace_edit.isVisible()


def focus_and_wait(qtbot, widget):
    QWidget.setFocus(widget)
    qtbot.waitUntil(widget.hasFocus)


def test_f6_and_shift_f6_cycle_through_the_panes(qtbot):
    window = make_window(qtbot)
    window.activateWindow()
    editor = window.tabs.current_editor()
    assert editor is not None
    focus_and_wait(qtbot, editor)
    visited = []
    for _ in range(5):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F6)
        visited.append(window.current_pane())
    assert visited == [2, 3, 4, 0, 1]  # event, result, history, tree, editor
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert window.current_pane() == 0


def test_ctrl_digits_focus_tree_editor_event_result_history(qtbot):
    window = make_window(qtbot)
    window.activateWindow()
    editor = window.tabs.current_editor()
    assert editor is not None
    focus_and_wait(qtbot, editor)
    for digit, pane in zip(
        (Qt.Key.Key_1, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_2),
        (0, 2, 3, 4, 1),
        strict=True,
    ):
        qtbot.keyClick(window.focusWidget(), digit, CTRL)
        assert window.current_pane() == pane, digit


def test_keyboard_shortcuts_dialog_lists_every_action_of_the_table(qtbot):
    from workbench.ui.app.actions import ACTIONS

    window = make_window(qtbot)
    window.activateWindow()
    focus_and_wait(qtbot, window.tree)
    qtbot.keyClick(window.tree, Qt.Key.Key_Slash, CTRL)
    dialog = window.shortcuts_dialog
    qtbot.waitExposed(dialog)
    rows = {dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())}
    keys = {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    for spec in ACTIONS:
        assert (spec.tip or spec.label).replace("&", "").replace("…", "") in rows, spec.id
    assert "F6" in keys and "Ctrl+1" in keys


def test_escape_in_the_find_bar_returns_to_the_editor(qtbot):
    window = make_window(qtbot)
    window.activateWindow()
    editor = window.tabs.current_editor()
    assert editor is not None
    focus_and_wait(qtbot, editor)
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(window.find_bar.find_edit.hasFocus)
    qtbot.keyClick(window.find_bar.find_edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    qtbot.waitUntil(editor.hasFocus)


def test_the_editor_gets_the_room_at_1024x700(qtbot):
    window = make_window(qtbot)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    editor = window.tabs
    others = (window.event_pane, window.results_pane, window.history_pane, window.tree)
    area = editor.width() * editor.height()
    assert all(area > pane.width() * pane.height() for pane in others)


def tab_from(qtbot, widget, presses, stop_at=None):
    """Where real Tab presses lead, starting with the focus on `widget`."""
    focus_and_wait(qtbot, widget)
    visited = []
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
        if visited[-1] is stop_at:
            break
    return visited


def test_tab_goes_from_the_function_to_the_tree_to_the_code(qtbot):
    window = make_window(qtbot)
    window.activateWindow()
    editor = window.tabs.current_editor()
    assert editor is not None
    visited = tab_from(qtbot, window.function_combo, 3)
    assert visited == [window.tree, window.tabs.tabBar(), editor]
    # In the code editor Tab indents (as in every code editor); F6 moves on.
    before = editor.text()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.hasFocus() and editor.text() != before
    editor.undo()


def test_tab_walks_the_event_pane_in_reading_order_then_on_to_the_results(qtbot):
    window = make_window(qtbot)
    window.activateWindow()
    pane = window.event_pane
    order = pane.tab_chain()
    visited = tab_from(qtbot, pane.saved_combo, 12, stop_at=pane.editor)
    inside = [w for w in visited if w in order]
    positions = [order.index(w) for w in inside]
    assert positions == sorted(positions) and pane.templates_button in inside
    assert inside[-1] is pane.editor  # the JSON editor keeps Tab for indenting
    # From the client context field (after the editor) Tab reaches the results.
    visited = tab_from(qtbot, pane.client_context_edit, 1)
    assert visited == [window.results_pane.tabs.tabBar()]
