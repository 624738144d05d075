"""SettingsDialog: a form built from the SETTINGS table; maps (images) get a two-column table."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
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
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
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
        self.problem.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
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
        if setting.type is dict:
            return MapField(value if isinstance(value, dict) else {}, setting.name)
        return None  # lists (recent projects) are kept by the app itself

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
            elif isinstance(field, MapField):
                out[name] = field.value()
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


class MapField(QWidget):
    """A name -> value map as a two-column table (e.g. runtime -> container image)."""

    HEADERS = {"images": ("Runtime", "Image")}

    def __init__(self, value: dict[str, Any], name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Map")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(list(self.HEADERS.get(name, ("Name", "Value"))))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(110)
        for key, item in value.items():
            self.add_row(str(key), str(item))
        add, remove = QPushButton("Add"), QPushButton("Remove")
        add.setObjectName(f"{name}Add")
        add.clicked.connect(lambda: self.add_row("", ""))
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, key: str, value: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(key))
        self.table.setItem(row, 1, QTableWidgetItem(value))

    def value(self) -> dict[str, str]:
        out = {}
        for row in range(self.table.rowCount()):
            key, value = self.table.item(row, 0), self.table.item(row, 1)
            if key is not None and key.text().strip():
                out[key.text().strip()] = value.text().strip() if value else ""
        return out
