"""Minimal stand-ins for the panes another helper builds, used ONLY until their modules land.

conftest.py installs them under workbench.ui.event_pane / results_pane / history_pane
when (and only when) the real modules are missing, so these tests exercise the window
against the agreed contracts. Once the real panes are on main they are used instead.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from workbench.core.errors import WorkbenchError

try:
    from workbench.core.invoke import parse_event
except ImportError:  # the shared interface lands with the invoker

    def parse_event(text: str) -> bytes:
        try:
            json.loads(text)
        except ValueError as error:
            raise WorkbenchError(f"The event is not valid JSON: {error}.") from error
        return text.encode()


class EventPane(QWidget):
    validity_changed = Signal(bool, str)
    invoke_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.editor = QPlainTextEdit('{"name": "tests"}')
        QVBoxLayout(self).addWidget(self.editor)
        self.editor.textChanged.connect(self._validate)

    def set_function(self, project_root: Path, function_name: str) -> None:
        self.function = (project_root, function_name)

    def set_text(self, text: str) -> None:
        self.editor.setPlainText(text)

    def event_text(self) -> str:
        return self.editor.toPlainText()

    def event_bytes(self) -> bytes | None:
        try:
            return parse_event(self.event_text())
        except WorkbenchError:
            return None

    def _validate(self) -> None:
        try:
            parse_event(self.event_text())
        except WorkbenchError as error:
            self.validity_changed.emit(False, str(error))
        else:
            self.validity_changed.emit(True, "")


class ResultsPane(QWidget):
    file_link_activated = Signal(str, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.output: list[str] = []
        self.result = None
        self.error = ""
        self.running = ""

    def show_running(self, function_name: str) -> None:
        self.running, self.output, self.result, self.error = function_name, [], None, ""

    def append_output(self, text: str) -> None:
        self.output.append(text)

    def show_result(self, result, event_text: str) -> None:
        self.result = result

    def show_error(self, sentence: str) -> None:
        self.error = sentence

    def clear(self) -> None:
        self.result, self.error, self.output = None, "", []


class HistoryPane(QWidget):
    restore_requested = Signal(str, object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.entries: list = []

    def set_function(self, project_root: Path, function_name: str) -> None:
        self.entries = []

    def add(self, result, event_text: str) -> None:
        self.entries.append((result, event_text))


def install_missing() -> list[str]:
    """Register a stand-in module for each pane module that does not exist yet."""
    import importlib.util

    installed = []
    for name, cls in (("event_pane", EventPane), ("results_pane", ResultsPane),
                      ("history_pane", HistoryPane)):  # fmt: skip
        full = f"workbench.ui.{name}"
        if full in sys.modules or importlib.util.find_spec(full) is not None:
            continue
        module = types.ModuleType(full)
        setattr(module, cls.__name__, cls)
        sys.modules[full] = module
        installed.append(full)
    return installed
