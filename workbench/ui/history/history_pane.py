"""History pane: a function's past runs; click to restore, select two to compare."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.history import History, HistoryEntry
from workbench.core.invoke import InvocationResult
from workbench.core.progress import CancelToken, Sink
from workbench.core.settings import Settings
from workbench.core.units import describe_ms
from workbench.ui.history.history_compare import HistoryCompareDialog
from workbench.ui.worker import start_task

_INDEX_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Time", "Result", "Duration", "Memory", "Start")


class HistoryPane(QWidget):
    """Lists runs newest first; the store is workbench.core.history (survives restarts)."""

    #: (event text, InvocationResult) when the user clicks a run to bring it back
    restore_requested = Signal(str, object)
    #: the function's history file was read (or could not be) and is shown
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: History | None = None
        self.title = QLabel("History")
        self.compare_button = QPushButton("Compare")
        self.compare_button.setToolTip("Select two runs (Ctrl+click) to compare them")
        self.compare_button.setEnabled(False)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setEnabled(False)
        self.note = QLabel(wordWrap=True)
        self.note.setObjectName("historyNote")
        self.note.hide()
        self.tree = QTreeWidget()
        self.tree.setMinimumHeight(40)
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.compare_button)
        top.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.tree, 1)
        self._entries: list[HistoryEntry] = []
        self._pending_adds: list[HistoryEntry] = []
        self._generation = 0
        self.dialogs: list[HistoryCompareDialog] = []
        self.tree.itemClicked.connect(self._on_tree_item_clicked)
        self.tree.itemSelectionChanged.connect(self._on_tree_item_selection_changed)
        self.compare_button.clicked.connect(self.compare_selected)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)

    # Contract -----------------------------------------------------------------
    def set_function(self, project_root: Path, function_name: str) -> None:
        """Show this function's runs; the file is read on a worker (`loaded` when shown)."""
        self.history = None
        self._entries = []
        self.note.hide()
        self.title.setText(f"History of {function_name}")
        self._rebuild()
        self._generation += 1
        generation = self._generation
        cap = int(Settings().get("history_runs"))

        def load(_cancel: CancelToken, _sink: Sink) -> History:
            return History(Path(project_root), function_name, cap=cap)

        def show(history: History) -> None:
            if generation != self._generation:
                return  # another function was chosen meanwhile
            self.history = history
            # Runs that finished while the file was loading are written now, after the file's.
            pending, self._pending_adds = self._pending_adds, []
            for entry in pending:
                try:
                    history.add(entry.result, entry.event_text, entry.timestamp)
                except WorkbenchError as error:
                    self._say(str(error))
            self._entries = history.entries()
            if history.skipped_lines:
                self._say(
                    f"{history.skipped_lines} damaged line(s) in {history.path} "
                    "were skipped; the other runs are shown."
                )
            self._rebuild()
            self.loaded.emit()

        def failed(sentence: str) -> None:
            if generation == self._generation:
                self._say(sentence)
                self.loaded.emit()

        start_task(load, on_result=show, on_error=failed)

    def add(self, result: InvocationResult, event_text: str) -> None:
        if self.history is None:
            self._pending_adds.append(HistoryEntry(time.time(), event_text, result))
            return
        try:
            self.history.add(result, event_text)
        except WorkbenchError as error:
            self._say(str(error))
            return
        self._entries = self.history.entries()
        self._rebuild()

    # Actions ------------------------------------------------------------------
    def entries(self) -> list[HistoryEntry]:
        """Runs as listed: newest first."""
        return list(reversed(self._entries))

    def select_rows(self, rows: list[int]) -> None:
        self.tree.clearSelection()
        for row in rows:
            item = self.tree.topLevelItem(row)
            if item is not None:
                item.setSelected(True)

    def selected_entries(self) -> list[HistoryEntry]:
        rows = sorted(self.tree.indexOfTopLevelItem(item) for item in self.tree.selectedItems())
        listed = self.entries()
        return [listed[row] for row in rows if 0 <= row < len(listed)]

    def compare_selected(self) -> HistoryCompareDialog | None:
        """Open a compare window for the two selected runs (older one as A)."""
        chosen = self.selected_entries()
        if len(chosen) != 2:
            return None
        newer, older = chosen
        dialog = HistoryCompareDialog(older, newer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code, d=dialog: self._forget_dialog(d))
        self.dialogs.append(dialog)
        dialog.show()
        return dialog

    def restore_row(self, row: int) -> None:
        listed = self.entries()
        if 0 <= row < len(listed):
            entry = listed[row]
            self.restore_requested.emit(entry.event_text, entry.result)

    # Internals ----------------------------------------------------------------
    def _rebuild(self) -> None:
        self.tree.clear()
        for entry in self.entries():
            self.tree.addTopLevelItem(self._item(entry))
        for column in range(len(COLUMNS)):
            self.tree.resizeColumnToContents(column)
        self.clear_button.setEnabled(bool(self._entries))
        self._on_tree_item_selection_changed()

    @staticmethod
    def _item(entry: HistoryEntry) -> QTreeWidgetItem:
        result = entry.result
        when = datetime.datetime.fromtimestamp(entry.timestamp)
        today = datetime.date.today()
        ok = result.error is None
        outcome = "OK" if ok else str((result.error or {}).get("errorType", "Error"))
        memory = (
            "—"
            if result.max_memory_used_mb is None
            else f"{result.max_memory_used_mb} / {result.memory_size_mb} MB"
        )
        item = QTreeWidgetItem(
            [
                when.strftime("%H:%M:%S" if when.date() == today else "%b %d %H:%M"),
                outcome,
                describe_ms(result.duration_ms),
                memory,
                "cold" if result.cold_start else "warm",
            ]
        )
        item.setToolTip(0, when.strftime("%Y-%m-%d %H:%M:%S"))
        item.setForeground(1, QColor("#2e7d32" if ok else "#c62828"))
        return item

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()

    def _forget_dialog(self, dialog: HistoryCompareDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)

    def _on_tree_item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        # Ctrl/Shift-click builds a selection to compare; a plain click restores.
        if len(self.tree.selectedItems()) == 1:
            self.restore_row(self.tree.indexOfTopLevelItem(item))

    def _on_tree_item_selection_changed(self) -> None:
        self.compare_button.setEnabled(len(self.tree.selectedItems()) == 2)

    def _on_clear_button_clicked(self) -> None:
        if self.history is None:
            return
        answer = QMessageBox.question(
            self, "Clear history", "Forget every stored run of this function?"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.history.clear()
        except WorkbenchError as error:
            self._say(str(error))
        self._entries = self.history.entries()
        self._rebuild()
