"""DebugPane: call stack, variables (expandable), watch expressions and an evaluate box."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.debug.debug_controller import DebugController

REFERENCE_ROLE = Qt.ItemDataRole.UserRole
PLACEHOLDER = "…"


class DebugPane(QWidget):
    """What the stopped function looks like; the buttons and keys move it on."""

    #: a frame of the call stack was chosen (its host path, 1-based line)
    frame_selected = Signal(object, int)

    def __init__(self, controller: DebugController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.frames: list[Any] = []
        self.frame_id: int | None = None
        # Bumped whenever the variables tree is rebuilt: late answers for the old items are dropped.
        self.generation = 0
        self.status = QLabel("Not debugging. Set breakpoints in the margin (F9), then Debug (F5).")
        self.status.setObjectName("debugStatus")
        self.status.setWordWrap(True)
        self.buttons = {}
        row = QHBoxLayout()
        for key, label, slot in (
            ("continue", "Continue (F5)", controller.continue_),
            ("over", "Step Over (F10)", controller.step_over),
            ("into", "Step Into (F11)", controller.step_into),
            ("out", "Step Out (Shift+F11)", controller.step_out),
            ("stop", "Stop (Shift+F5)", controller.stop),
        ):
            button = QPushButton(label)
            button.setObjectName(f"debug_{key}")
            button.clicked.connect(lambda _checked=False, s=slot: s())
            row.addWidget(button)
            self.buttons[key] = button
        self.uncaught = QCheckBox("Break on uncaught exceptions")
        self.uncaught.setObjectName("debugUncaught")
        row.addWidget(self.uncaught)
        row.addStretch(1)
        self.stack = QListWidget()
        self.stack.setObjectName("debugStack")
        self.stack.currentRowChanged.connect(self._on_stack_current_row_changed)
        self.variables = QTreeWidget()
        self.variables.setObjectName("debugVariables")
        self.variables.setHeaderLabels(["Name", "Value", "Type"])
        self.variables.itemExpanded.connect(self._on_variables_item_expanded)
        self.watch_input = QLineEdit()
        self.watch_input.setObjectName("debugWatchInput")
        self.watch_input.setPlaceholderText("Add a watch expression and press Enter")
        self.watch_input.returnPressed.connect(self._on_watch_input_return_pressed)
        self.watches = QTreeWidget()
        self.watches.setObjectName("debugWatches")
        self.watches.setHeaderLabels(["Watch", "Value"])
        self.evaluate_input = QLineEdit()
        self.evaluate_input.setObjectName("debugEvaluate")
        self.evaluate_input.setPlaceholderText("Evaluate in the selected frame and press Enter")
        self.evaluate_input.returnPressed.connect(self._on_evaluate_input_return_pressed)
        self.console = QPlainTextEdit()
        self.console.setObjectName("debugConsole")
        self.console.setReadOnly(True)
        self.console.setMaximumBlockCount(2000)
        right = _column(QLabel("WATCH"), self.watch_input, self.watches,
                        QLabel("EVALUATE"), self.evaluate_input, self.console)  # fmt: skip
        split = QSplitter()
        split.addWidget(_column(QLabel("CALL STACK"), self.stack))
        split.addWidget(_column(QLabel("VARIABLES"), self.variables))
        split.addWidget(right)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(split, 1)
        controller.started.connect(self._on_controller_started)
        controller.stopped.connect(self._on_controller_stopped)
        controller.continued.connect(self._on_controller_continued)
        controller.finished.connect(self._on_controller_finished)
        controller.failed.connect(self._on_controller_failed)
        controller.problem.connect(lambda sentence: self.console.appendPlainText(sentence))
        self._enable(paused=False, active=False)

    def _enable(self, *, paused: bool, active: bool) -> None:
        for key in ("continue", "over", "into", "out"):
            self.buttons[key].setEnabled(paused)
        self.buttons["stop"].setEnabled(active)
        self.evaluate_input.setEnabled(paused)

    # -- controller ---------------------------------------------------------
    def _on_controller_started(self) -> None:
        self.status.setText("Running under the debugger…")
        self._enable(paused=False, active=True)

    def _on_controller_stopped(self, stop: Any) -> None:
        self.frames = list(stop.frames)
        where = f" at {self.frames[0].path.name}:{self.frames[0].line}" if self.frames else ""
        reason = stop.description or stop.reason
        self.status.setText(f"Paused ({reason}){where}. Lambda's clock is stopped.")
        self.stack.blockSignals(True)
        self.stack.clear()
        for frame in self.frames:
            name = frame.path.name if frame.path else "?"
            item = QListWidgetItem(f"{frame.name}  {name}:{frame.line}")
            self.stack.addItem(item)
        self.stack.blockSignals(False)
        self._enable(paused=True, active=True)
        if self.frames:
            self.stack.setCurrentRow(0)

    def _on_controller_continued(self) -> None:
        self.status.setText("Running under the debugger…")
        self._enable(paused=False, active=True)

    def _on_controller_finished(self, result: Any) -> None:
        held = f"; held {result.paused_ms / 1000:.1f} s" if result.paused_ms else ""
        outcome = "succeeded" if result.succeeded else f"failed ({result.error.get('errorType')})"
        self.status.setText(f"The debugged invoke {outcome} in {result.duration_ms:.0f} ms{held}.")
        self._clear()

    def _on_controller_failed(self, sentence: str) -> None:
        self.status.setText(sentence)
        self._clear()

    def _clear(self) -> None:
        self.frames = []
        self.frame_id = None
        self.stack.clear()
        self._clear_variables()
        self._enable(paused=False, active=False)

    def _clear_variables(self) -> None:
        self.generation += 1
        self.variables.clear()

    # -- stack and variables -------------------------------------------------
    def _on_stack_current_row_changed(self, row: int) -> None:
        if not 0 <= row < len(self.frames):
            return
        frame = self.frames[row]
        self.frame_id = frame.id
        if frame.path is not None:
            self.frame_selected.emit(Path(frame.path), frame.line)
        self._clear_variables()
        generation = self.generation

        def show(scopes: list[tuple[str, int]]) -> None:
            if generation == self.generation:
                self._show_scopes(scopes)

        self.controller.scopes(frame.id, show)
        self._refresh_watches()

    def _show_scopes(self, scopes: list[tuple[str, int]]) -> None:
        for name, reference in scopes:
            item = QTreeWidgetItem([name, "", ""])
            item.setData(0, REFERENCE_ROLE, reference)
            item.addChild(QTreeWidgetItem([PLACEHOLDER]))
            self.variables.addTopLevelItem(item)
            if name.lower().startswith("locals"):
                item.setExpanded(True)

    def _on_variables_item_expanded(self, item: QTreeWidgetItem) -> None:
        first = item.child(0) if item.childCount() == 1 else None
        if first is None or first.text(0) != PLACEHOLDER:
            return
        reference = int(item.data(0, REFERENCE_ROLE) or 0)
        generation = self.generation

        def fill(found: list[Any]) -> None:
            if generation == self.generation:
                self._fill(item, found)

        self.controller.variables(reference, fill)

    def _fill(self, parent: QTreeWidgetItem, variables: list[Any]) -> None:
        parent.takeChildren()
        for variable in variables:
            child = QTreeWidgetItem([variable.name, variable.value, variable.type])
            child.setToolTip(1, variable.value)
            if variable.reference:
                child.setData(0, REFERENCE_ROLE, variable.reference)
                child.addChild(QTreeWidgetItem([PLACEHOLDER]))
            parent.addChild(child)

    # -- watch and evaluate --------------------------------------------------
    def _on_watch_input_return_pressed(self) -> None:
        expression = self.watch_input.text().strip()
        if expression:
            self.watches.addTopLevelItem(QTreeWidgetItem([expression, ""]))
            self.watch_input.clear()
            self._refresh_watches()

    def _refresh_watches(self) -> None:
        if not self.controller.paused:
            return
        for index in range(self.watches.topLevelItemCount()):
            item = self.watches.topLevelItem(index)
            if item is not None:
                self.controller.evaluate(item.text(0), self.frame_id, _setter(self, item))

    def _on_evaluate_input_return_pressed(self) -> None:
        expression = self.evaluate_input.text().strip()
        if not expression:
            return
        self.evaluate_input.clear()
        self.console.appendPlainText(f">>> {expression}")
        self.controller.evaluate(expression, self.frame_id, self.console.appendPlainText)


def _column(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 0 if isinstance(widget, (QLabel, QLineEdit)) else 1)
    return box


def _setter(pane: DebugPane, item: QTreeWidgetItem) -> Any:
    expression = item.text(0)

    def show(value: str) -> None:
        # The watch may have been removed meanwhile: find it again by its expression.
        for index in range(pane.watches.topLevelItemCount()):
            current = pane.watches.topLevelItem(index)
            if current is not None and current.text(0) == expression:
                current.setText(1, value)

    return show
