"""DiskChangeBar: an open file changed on disk while it has unsaved edits; the user decides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget


class DiskChangeBar(QWidget):
    """Above the editor: Reload (take the file on disk) or Keep My Edits (save overwrites it)."""

    def __init__(self, tabs: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diskChangeBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.tabs = tabs
        self.path: Path | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.reload_button = QPushButton("Reload from Disk")
        self.reload_button.setObjectName("reloadFromDisk")
        self.keep_button = QPushButton("Keep My Edits")
        self.keep_button.setObjectName("keepMyEdits")
        self.reload_button.clicked.connect(self._on_reload_button_clicked)
        self.keep_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reload_button)
        layout.addWidget(self.keep_button)
        self.hide()

    def offer(self, path: Path) -> None:
        self.path = path
        self.label.setText(
            f"{path.name} changed on disk and you have unsaved edits. Reload discards your "
            "edits; Keep My Edits leaves them (saving then overwrites the file)."
        )
        self.show()

    def _on_reload_button_clicked(self) -> None:
        editor = self.tabs.editor_for(self.path) if self.path else None
        if editor is not None:
            self.tabs.reload(editor)
        self.hide()
