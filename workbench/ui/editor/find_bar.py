"""FindBar: find / replace in the current code editor, shown under the editor tabs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)  # fmt: skip
from pyside6_scintilla import Scintilla

from workbench.ui.editor.code_editor import CodeEditor


class FindBar(QFrame):
    """Searches the editor returned by `current_editor`; Escape hides it."""

    def __init__(self, current_editor: Callable[[], CodeEditor | None], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._editor = current_editor
        self.find_edit = QLineEdit(placeholderText="Find")
        self.replace_edit = QLineEdit(placeholderText="Replace with")
        self.case_box = QCheckBox("Aa")
        self.case_box.setToolTip("Match case")
        self.status = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self.find_edit, 2)
        layout.addWidget(self.case_box)
        for label, finder in (("Previous", self.find_previous), ("Next", self.find_next)):
            button = QPushButton(label)
            button.clicked.connect(finder)
            layout.addWidget(button)
        layout.addWidget(self.replace_edit, 2)
        self.replace_buttons: list[QPushButton] = []
        for label, slot in (("Replace", self.replace_one), ("All", self.replace_all)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            layout.addWidget(button)
            self.replace_buttons.append(button)
        layout.addWidget(self.status)
        close = QPushButton("✕")
        close.setFlat(True)
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self.find_edit.returnPressed.connect(self.find_next)
        self.replace_edit.returnPressed.connect(self.replace_one)
        self.hide()

    def open(self, replace: bool) -> None:
        editor = self._editor()
        if editor is not None and editor.selectionEmpty() is False:
            selected = bytes(editor.getSelText().data()).rstrip(b"\0").decode("utf-8", "replace")
            if "\n" not in selected:
                self.find_edit.setText(selected)
        self.replace_edit.setVisible(replace)
        for button in self.replace_buttons:
            button.setVisible(replace)
        self.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            editor = self._editor()
            if editor is not None:
                QWidget.setFocus(editor)
            return
        super().keyPressEvent(event)

    def _flags(self) -> int:
        return int(Scintilla.FindOption.MatchCase) if self.case_box.isChecked() else 0

    def find_next(self) -> bool:
        return self._find(forward=True)

    def find_previous(self) -> bool:
        return self._find(forward=False)

    def _find(self, forward: bool) -> bool:
        editor, needle = self._editor(), self.find_edit.text()
        if editor is None or not needle:
            return False
        length = editor.length()
        if forward:
            ranges = [(editor.selectionEnd(), length), (0, length)]
        else:
            ranges = [(editor.selectionStart(), 0), (length, 0)]
        for start, end in ranges:
            found = editor.findText(self._flags(), needle, start, end)
            if found[0] >= 0:
                editor.setSel(found[0], found[1])
                editor.scrollCaret()
                self.status.setText("")
                return True
        self.status.setText("No matches")
        return False

    def replace_one(self) -> None:
        editor, needle = self._editor(), self.find_edit.text()
        if editor is None or not needle:
            return
        selected = bytes(editor.getSelText().data()).rstrip(b"\0").decode("utf-8", "replace")
        same = (
            selected == needle if self.case_box.isChecked() else selected.lower() == needle.lower()
        )
        if same:
            editor.replaceSel(self.replace_edit.text())
        self.find_next()

    def replace_all(self) -> int:
        editor, needle = self._editor(), self.find_edit.text()
        if editor is None or not needle:
            return 0
        replacement, count, position = self.replace_edit.text(), 0, 0
        editor.beginUndoAction()
        while True:
            start, end = editor.findText(self._flags(), needle, position, editor.length())
            if start < 0:
                break
            editor.setTargetRange(start, end)
            position = start + editor.replaceTarget(len(replacement.encode()), replacement)
            count += 1
        editor.endUndoAction()
        self.status.setText(f"{count} replaced")
        return count
