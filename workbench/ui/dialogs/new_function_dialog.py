"""NewFunctionDialog: a function from a starter (code + a matching saved event)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from workbench.core import project as core_project
from workbench.core.function import DEFAULT_RUNTIME, FunctionConfig
from workbench.core.languages import family_for
from workbench.core.progress import CancelToken, Sink
from workbench.ui.worker import start_task

STARTER_ROLE = 256  # Qt.ItemDataRole.UserRole
# The runtimes a new function can start in (both run in the process and Docker runners).
RUNTIMES = (
    (f"Python ({DEFAULT_RUNTIME})", DEFAULT_RUNTIME),
    ("Node.js (nodejs22.x)", "nodejs22.x"),
)


class NewFunctionDialog(QDialog):
    """Pick a starter and a name; OK writes the code, the event and the config (on a worker)."""

    #: the function exists on disk and in the project file or template
    created = Signal(object)

    def __init__(self, project: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newFunctionDialog")
        self.setWindowTitle("New Function")
        self.project = project
        self.runtime = QComboBox()
        self.runtime.setObjectName("starterRuntime")
        for label, runtime in RUNTIMES:
            self.runtime.addItem(label, runtime)
        self.starters = QListWidget()
        self.starters.setObjectName("starterList")
        self._fill_starters()
        self.runtime.currentIndexChanged.connect(lambda _index: self._fill_starters())
        self.name = QLineEdit()
        self.name.setObjectName("functionName")
        rule = (
            "letters and digits (a SAM logical id)"
            if project.kind == "sam"
            else "letters, digits, - and _ (its folder name)"
        )
        self.name.setPlaceholderText(rule)
        self.name.setText(self._free_name())
        self.name.selectAll()
        where = project.template.name if project.template else core_project.PROJECT_FILE
        note = QLabel(
            f"Creates <name>/ with the handler and events/<name>/ with a matching event, and "
            f"adds the function to {where}."
        )
        note.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("errorBanner")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.create_function)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Runtime", self.runtime)
        form.addRow("Starter", self.starters)
        form.addRow("Name", self.name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.starters.itemDoubleClicked.connect(lambda _item: self.create_function())
        self.resize(520, 360)

    def _fill_starters(self) -> None:
        """The starters of the chosen runtime's language."""
        self.starters.clear()
        for name, starter in family_for(self.chosen_runtime()).starters.items():
            item = QListWidgetItem(f"{starter.description}  ({name})")
            item.setData(STARTER_ROLE, name)
            self.starters.addItem(item)
        self.starters.setCurrentRow(0)

    def chosen_runtime(self) -> str:
        return str(self.runtime.currentData() or DEFAULT_RUNTIME)

    def _free_name(self) -> str:
        base = "HelloFunction" if self.project.kind == "sam" else "hello"
        names = set(self.project.function_names)
        candidate, number = base, 2
        while candidate in names or (self.project.root / candidate).exists():
            candidate, number = f"{base}{number}", number + 1
        return candidate

    def starter(self) -> str:
        item = self.starters.currentItem()
        return str(item.data(STARTER_ROLE)) if item else "hello"

    def create_function(self) -> None:
        starter, name = self.starter(), self.name.text().strip()
        runtime = self.chosen_runtime()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)

        def run(_cancel: CancelToken, _sink: Sink) -> FunctionConfig:
            return core_project.create_function(self.project, starter, name, runtime=runtime)

        def done(config: FunctionConfig) -> None:
            self.created.emit(config)
            self.accept()

        def failed(sentence: str) -> None:
            self.problem.setText(sentence)
            self.problem.show()
            ok.setEnabled(True)

        self._task = start_task(run, on_result=done, on_error=failed)
