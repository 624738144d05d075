"""ParametersDialog: values for a SAM template's Parameters, used by every local run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.core.progress import CancelToken, Sink
from workbench.ui.worker import start_task


class ParametersDialog(QDialog):
    """One field per template parameter; an empty field means the template's Default."""

    #: the values were saved (name -> value)
    saved = Signal(dict)

    def __init__(
        self, root: Path, parameters: list[Any], current: dict[str, str], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Template Parameters")
        self.setMinimumWidth(520)
        self.root = root
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Values for this template's Parameters in local runs (like SAM CLI's "
            "--parameter-overrides). They are kept on this machine, not in the template; "
            "leave a field empty for the template's Default."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        for parameter in parameters:
            field: QLineEdit | QComboBox
            if parameter.allowed:
                field = QComboBox()
                field.addItem("")  # the Default
                field.addItems(list(parameter.allowed))
                field.setCurrentText(current.get(parameter.name, ""))
            else:
                field = QLineEdit(current.get(parameter.name, ""))
                field.setPlaceholderText(
                    "no default: set a value"
                    if parameter.default is None
                    else f"default: {parameter.default}"
                )
            field.setObjectName(f"parameter_{parameter.name}")
            field.setToolTip(parameter.description or parameter.type)
            form.addRow(parameter.name, field)
            self.fields[parameter.name] = field
        if not parameters:
            form.addRow(QLabel("This template declares no Parameters."))
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("parametersError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        return {
            name: (field.currentText() if isinstance(field, QComboBox) else field.text()).strip()
            for name, field in self.fields.items()
        }

    def save(self) -> None:
        values = self.values()
        root = self.root

        def work(_cancel: CancelToken, _sink: Sink) -> dict[str, str]:
            from workbench.core.project.parameters import save_overrides

            save_overrides(root, values)
            return values

        start_task(work, on_result=self._on_saved, on_error=self._on_failed)

    def _on_saved(self, values: dict[str, str]) -> None:
        self.saved.emit(values)
        self.accept()

    def _on_failed(self, sentence: str) -> None:
        self.error.setText(sentence)
        self.error.show()
