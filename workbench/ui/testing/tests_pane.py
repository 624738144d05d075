"""Tests pane: the project's saved events with expectations, run on a worker, green or red."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken, Sink
from workbench.core.settings import Settings
from workbench.core.testing import expectation as expectations
from workbench.core.testing import runner as testing
from workbench.ui.worker import Task, start_task

COLOURS = {"passed": "#2e7d32", "failed": "#c62828", "error": "#ef6c00", "": "#757575"}
LABELS = {"passed": "passed", "failed": "failed", "error": "error", "": "not run"}


class TestsPane(QWidget):
    """Run all or one; the list turns green/red; the selected case shows its difference."""

    __test__ = False  # not a pytest class, whatever its name says

    #: (passed, failed, errors) after every finished case and when the list is rebuilt
    counts_changed = Signal(int, int, int)
    #: a run finished (the list of CaseResult), also after Stop
    run_finished = Signal(object)
    #: a finished case, emitted from the worker thread (queued to the GUI thread)
    _case_done = Signal(object)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.project: Any = None
        self.task: Task | None = None
        self.outcomes: dict[tuple[str, str], testing.CaseResult] = {}
        self._last: tuple[str, str, Any] | None = None
        self.run_all_button = QPushButton("Run all")
        self.run_one_button = QPushButton("Run selected")
        self.stop_button = QPushButton("Stop")
        self.save_button = QPushButton("Save result as expected")
        self.save_button.setToolTip(
            "Write this result as the expectation of its saved event "
            "(events/<function>/expected/<event>.json)"
        )
        self.save_last_button = QPushButton("Save last invoke as expected")
        self.summary = QLabel()
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["Case", "Status", "Message"])
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, 220)
        self.diff = QPlainTextEdit(readOnly=True)
        self.diff.setObjectName("testsDiff")
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QHBoxLayout()
        for button in (self.run_all_button, self.run_one_button, self.stop_button,
                       self.save_button, self.save_last_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addWidget(self.summary, 1)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(self.diff)
        split.setSizes([420, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self.run_all_button.clicked.connect(lambda: self.run(None))
        self.run_one_button.clicked.connect(self._on_run_one_button_clicked)
        self.stop_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.save_last_button.clicked.connect(self._on_save_last_button_clicked)
        self.list.currentItemChanged.connect(lambda *_: self._show_selected())
        self._case_done.connect(self._on_case_done)
        self._update_buttons()

    # Contract -----------------------------------------------------------------
    def set_project(self, project: Any) -> None:
        """The core Project whose saved events are the cases (None to clear)."""
        self.project = project
        self.outcomes.clear()
        self.refresh()

    def set_last_result(self, function: str, event: str, result: Any) -> None:
        """The window's last invoke, offered for "Save last invoke as expected"."""
        self._last = (function, event, result) if event else None
        self._update_buttons()

    def cases(self) -> list[testing.Case]:
        if self.project is None:
            return []
        return testing.collect(self.project, self.project.function_names)

    def refresh(self) -> None:
        """Rebuild the list from the files (kept results stay shown)."""
        self.list.clear()
        try:
            cases = self.cases()
        except WorkbenchError as error:
            self.summary.setText(str(error))
            cases = []
        for case in cases:
            item = QTreeWidgetItem([f"{case.function}/{case.event}", "", ""])
            item.setData(0, Qt.ItemDataRole.UserRole, (case.function, case.event))
            self.list.addTopLevelItem(item)
            self._paint(item, self.outcomes.get((case.function, case.event)))
        items = self._items()
        if items:
            self.list.setCurrentItem(items[0])
        self._emit_counts()
        self._show_selected()
        self._update_buttons()

    def run(self, only: tuple[str, str] | None = None) -> Task | None:
        """Run every case (or the one named) on a worker; results arrive one by one."""
        if self.project is None or self.task is not None:
            return None
        cases = [c for c in self.cases() if only is None or (c.function, c.event) == only]
        if not cases:
            self.summary.setText(
                "No saved event has an expectation yet: invoke one and press "
                "“Save last invoke as expected”, or run `lambda-workbench test PATH --update`."
            )
            return None
        for case in cases:
            self.outcomes.pop((case.function, case.event), None)
        self.refresh()
        project, settings = self.project, self.settings
        self.summary.setText(f"Running {len(cases)} case(s)…")

        def work(cancel: CancelToken, _sink: Sink) -> list[testing.CaseResult]:
            from workbench.core.runtime.host import FunctionHost
            from workbench.core.runtime.runners import resolve_runner

            runner = resolve_runner(settings.get("runner"))
            images = settings.get("images")
            with FunctionHost(runner, settings=settings, default_limit=1) as host:
                wanted = {c.function for c in cases}
                for function in project.functions:
                    if function.name in wanted:
                        host.add(function, limit=1, image=images.get(function.runtime))
                return testing.run_cases(host, cases, cancel=cancel, on_result=self._case_done.emit)

        def finished() -> None:
            self.task = None
            self._update_buttons()
            self._emit_counts()
            self.run_finished.emit(list(self.outcomes.values()))

        self.task = start_task(
            work,
            on_error=self.summary.setText,
            on_cancelled=lambda: self.summary.setText("Stopped."),
            on_finished=finished,
        )
        self._update_buttons()
        return self.task

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def save_as_expected(self, function: str, event: str, result: Any) -> Path:
        """Write `result` as the expectation of function/event (keeping a person's trimming)."""
        if self.project is None:
            raise WorkbenchError("Open a project first.")
        path = expectations.expectation_path(self.project.root, function, event)
        old = None
        if path.is_file():
            try:
                old = expectations.load(path).data
            except WorkbenchError:
                old = None  # an invalid file is replaced by the fresh snapshot
        expectations.save(path, expectations.record(result, old))
        case = testing.Case(function, event, path.parent.parent / f"{event}.json", path)
        self.outcomes[(function, event)] = testing.CaseResult(case, "passed", "", result=result)
        self.refresh()
        self._select(function, event)
        return path

    def selected(self) -> tuple[str, str] | None:
        item = self.list.currentItem()
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)

    # Internals ----------------------------------------------------------------
    def _on_case_done(self, outcome: testing.CaseResult) -> None:
        key = (outcome.function, outcome.event)
        self.outcomes[key] = outcome
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == key:
                self._paint(item, outcome)
        self._emit_counts()
        if self.selected() == key:
            self._show_selected()

    def _paint(self, item: QTreeWidgetItem, outcome: testing.CaseResult | None) -> None:
        status = outcome.status if outcome else ""
        item.setText(1, f"● {LABELS[status]}")
        item.setForeground(1, QBrush(QColor(COLOURS[status])))
        item.setText(2, outcome.message if outcome else "")

    def _show_selected(self) -> None:
        key = self.selected()
        outcome = self.outcomes.get(key) if key else None
        self.diff.setPlainText(self._diff_text(key, outcome))
        self._update_buttons()

    def _diff_text(self, key: tuple[str, str] | None, outcome: Any) -> str:
        if key is None:
            return ""
        path = expectations.expectation_path(self.project.root, *key)
        if outcome is None:
            return f"{path}\n\nNot run yet."
        if outcome.status == "error" or outcome.result is None:
            return outcome.message
        head = "\n".join(outcome.differences) or "Passed: the result contains the expectation."
        try:
            old = expectations.load(path).data
        except WorkbenchError:
            old = {}
        # Both sides in one layout, the result trimmed like the expectation: only what is
        # checked shows up, and only real differences are marked.
        expected = testing.as_text(old)
        actual = testing.expected_text(outcome.result, old)
        lines = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), "expected", "this result", lineterm=""
        )
        return f"{head}\n\n" + "\n".join(lines)

    def _select(self, function: str, event: str) -> None:
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == (function, event):
                self.list.setCurrentItem(item)

    def _emit_counts(self) -> None:
        shown = [self.outcomes[k] for k in self._keys() if k in self.outcomes]
        counts = testing.summary(shown)
        total = self.list.topLevelItemCount()
        if self.task is None:
            self.summary.setText(
                f"{total} case(s): {counts['passed']} passed, {counts['failed']} failed, "
                f"{counts['errors']} errors"
            )
        self.counts_changed.emit(counts["passed"], counts["failed"], counts["errors"])

    def _items(self) -> list[QTreeWidgetItem]:
        found = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [item for item in found if item is not None]

    def _keys(self) -> list[tuple[str, str]]:
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in self._items()]

    def _update_buttons(self) -> None:
        running = self.task is not None
        key = self.selected()
        outcome = self.outcomes.get(key) if key else None
        self.run_all_button.setEnabled(not running and self.project is not None)
        self.run_one_button.setEnabled(not running and key is not None)
        self.stop_button.setEnabled(running)
        self.save_button.setEnabled(
            not running and outcome is not None and outcome.result is not None
        )
        self.save_last_button.setEnabled(not running and self._last is not None)

    def _on_run_one_button_clicked(self) -> None:
        key = self.selected()
        if key is not None:
            self.run(key)

    def _on_save_button_clicked(self) -> None:
        key = self.selected()
        outcome = self.outcomes.get(key) if key else None
        if key is None or outcome is None or outcome.result is None:
            return
        self._save(key[0], key[1], outcome.result)

    def _on_save_last_button_clicked(self) -> None:
        if self._last is not None:
            self._save(*self._last)

    def _save(self, function: str, event: str, result: Any) -> None:
        try:
            path = self.save_as_expected(function, event, result)
        except WorkbenchError as error:
            self.summary.setText(str(error))
            return
        self.summary.setText(f"Saved {path}")
