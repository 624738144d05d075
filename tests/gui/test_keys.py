"""Real key presses reach the actions from the table, even with the focus in the code editor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

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
