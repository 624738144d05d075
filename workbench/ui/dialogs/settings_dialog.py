"""SettingsDialog: a form built from the SETTINGS table (lists and maps stay in the file)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from workbench.core.errors import WorkbenchError
from workbench.core.settings import SETTINGS, Setting, Settings


class SettingsDialog(QDialog):
    """Edits every str/int/bool setting; Save writes them through Settings.set (validated)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.settings = settings
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout()
        for setting in SETTINGS:
            field = self._field(setting, settings.get(setting.name))
            if field is None:
                continue
            field.setToolTip(setting.description)
            self.fields[setting.name] = field
            form.addRow(setting.name.replace("_", " ").capitalize(), field)
        self.problem = QLabel()
        self.problem.setObjectName("errorBanner")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    @staticmethod
    def _field(setting: Setting, value: Any) -> QWidget | None:
        if setting.choices:
            combo = QComboBox()
            combo.addItems(list(setting.choices))
            combo.setCurrentText(str(value))
            return combo
        if setting.type is bool:
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if setting.type is int:
            spin = QSpinBox()
            spin.setRange(int(setting.minimum or 0), int(setting.maximum or 2**31 - 1))
            spin.setValue(int(value))
            return spin
        if setting.type is str:
            return QLineEdit(str(value))
        return None  # lists and maps are edited in settings.json

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, field in self.fields.items():
            if isinstance(field, QComboBox):
                out[name] = field.currentText()
            elif isinstance(field, QCheckBox):
                out[name] = field.isChecked()
            elif isinstance(field, QSpinBox):
                out[name] = field.value()
            elif isinstance(field, QLineEdit):
                out[name] = field.text().strip()
        return out

    def accept(self) -> None:
        try:
            for name, value in self.values().items():
                if value != self.settings.get(name):
                    self.settings.set(name, value)
        except (WorkbenchError, OSError) as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        super().accept()
