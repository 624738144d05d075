"""Searchable sample-event picker grouped by service, with each template's parameters as a form."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core import events
from workbench.core.errors import WorkbenchError

_NAME_ROLE = Qt.ItemDataRole.UserRole


class TemplatePickerWidget(QWidget):
    """Search box, service -> template tree, a description and a parameter form."""

    #: (template name, generated event as pretty JSON text)
    event_generated = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(placeholderText="Search templates (e.g. s3, api gateway, sqs)")
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.description = QLabel(wordWrap=True)
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.error = QLabel(wordWrap=True)
        self.error.setObjectName("templateError")
        self.error.setStyleSheet("color: #d32f2f")
        self.error.hide()
        self.generate_button = QPushButton("Use this event")
        self.generate_button.setEnabled(False)
        self.param_edits: dict[str, QLineEdit] = {}

        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.description)
        details_layout.addWidget(self.form_host)
        details_layout.addWidget(self.error)
        details_layout.addStretch(1)
        details_layout.addWidget(self.generate_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self._on_search_text_changed)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self.generate_button.clicked.connect(self.generate)
        self._populate(events.list_templates())

    def _template_items(self) -> list[QTreeWidgetItem]:
        items = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group is None:
                continue
            for j in range(group.childCount()):
                child = group.child(j)
                if child is not None:
                    items.append(child)
        return items

    def template_names(self) -> list[str]:
        """Names currently listed (after the search filter), in display order."""
        return [item.data(0, _NAME_ROLE) for item in self._template_items()]

    def select(self, name: str) -> bool:
        for item in self._template_items():
            if item.data(0, _NAME_ROLE) == name:
                self.tree.setCurrentItem(item)
                return True
        return False

    def current_name(self) -> str | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(0, _NAME_ROLE)

    def generate(self) -> None:
        name = self.current_name()
        if not name:
            return
        params = {key: edit.text() for key, edit in self.param_edits.items()}
        try:
            event: Any = events.generate_event(name, params)
        except WorkbenchError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.error.hide()
        self.event_generated.emit(name, json.dumps(event, indent=2, ensure_ascii=False) + "\n")

    def _populate(self, templates: list[Any]) -> None:
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for info in sorted(templates, key=lambda t: (t.service.lower(), t.title.lower())):
            group = groups.get(info.service)
            if group is None:
                group = QTreeWidgetItem(self.tree, [info.service])
                group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                groups[info.service] = group
            item = QTreeWidgetItem(group, [info.title or info.name])
            item.setData(0, _NAME_ROLE, info.name)
            item.setToolTip(0, info.description or info.name)
        self.tree.expandAll()

    def _on_search_text_changed(self, text: str) -> None:
        query = text.strip()
        self._populate(events.search_templates(query) if query else events.list_templates())
        names = self.template_names()
        if names:
            self.select(names[0])

    def _on_tree_current_item_changed(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.param_edits = {}
        self.error.hide()
        name = None if item is None else item.data(0, _NAME_ROLE)
        self.generate_button.setEnabled(bool(name))
        if not name:
            self.description.clear()
            return
        info = events.get_template(name)
        self.description.setText(f"<b>{info.title or info.name}</b><br>{info.description or ''}")
        for param in info.parameters:
            default = param.default
            # Text goes in as typed; other kinds are written (and parsed back) as JSON.
            edit = QLineEdit(default if isinstance(default, str) else json.dumps(default))
            edit.setToolTip(param.description or param.name)
            edit.returnPressed.connect(self.generate)
            self.form.addRow(param.name, edit)
            self.param_edits[param.name] = edit

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, _NAME_ROLE):
            self.generate()


class TemplatePickerDialog(QDialog):
    """The picker in a dialog; `event_text` holds the generated event after accept()."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Event templates")
        self.resize(760, 480)
        self.picker = TemplatePickerWidget(self)
        self.event_text = ""
        self.template_name = ""
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker, 1)
        layout.addWidget(buttons)
        self.picker.event_generated.connect(self._on_picker_event_generated)
        self.picker.search.setFocus()

    def _on_picker_event_generated(self, name: str, text: str) -> None:
        self.template_name = name
        self.event_text = text
        self.accept()
