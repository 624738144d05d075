"""NewFunctionDialog: a function from a starter (code + a matching saved event)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
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
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, Sink
from workbench.core.project.scaffold import describe_templates
from workbench.ui.worker import start_task

STARTER_ROLE = 256  # Qt.ItemDataRole.UserRole


class NewFunctionDialog(QDialog):
    """Pick a starter and a name; OK writes the code, the event and the config (on a worker)."""

    #: the function exists on disk and in the project file or template
    created = Signal(object)

    def __init__(self, project: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newFunctionDialog")
        self.setWindowTitle("New Function")
        self.project = project
        self.starters = QListWidget()
        self.starters.setObjectName("starterList")
        for name, description in describe_templates().items():
            item = QListWidgetItem(f"{description}  ({name})")
            item.setData(STARTER_ROLE, name)
            self.starters.addItem(item)
        self.starters.setCurrentRow(0)
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
        form.addRow("Starter", self.starters)
        form.addRow("Name", self.name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.starters.itemDoubleClicked.connect(lambda _item: self.create_function())
        self.resize(520, 360)

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
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)

        def run(_cancel: CancelToken, _sink: Sink) -> FunctionConfig:
            return core_project.create_function(self.project, starter, name)

        def done(config: FunctionConfig) -> None:
            self.created.emit(config)
            self.accept()

        def failed(sentence: str) -> None:
            self.problem.setText(sentence)
            self.problem.show()
            ok.setEnabled(True)

        self._task = start_task(run, on_result=done, on_error=failed)
