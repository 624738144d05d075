"""ShortcutsDialog: every action and its keys, built from the action table."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from workbench.ui.app.actions import ACTIONS

# Keys that belong to widgets, not to actions, listed so a user can find them too.
WIDGET_KEYS = (
    ("Editor", "Escape", "Close the find bar and return to the code"),
    ("Editor", "Tab / Shift+Tab", "Indent / unindent (use F6 to leave the editor)"),
    ("Event", "Ctrl+S", "Save the saved event that has the focus"),
)


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str, str]]:
    """(menu, keys, what it does) for every action, in the table's order."""
    rows = []
    for spec in ACTIONS:
        action = actions.get(spec.id)
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()] \
            if action else []  # fmt: skip
        label = (spec.tip or spec.label).replace("&", "").replace("…", "")
        rows.append((spec.menu, ", ".join(keys) or "—", label))
    return rows + list(WIDGET_KEYS)


class ShortcutsDialog(QDialog):
    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Menu", "Keys", "Action"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 560)
