"""Searchable sample-event picker grouped by service, with each template's parameters as a form."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core import events
from workbench.core.errors import WorkbenchError

_NAME_ROLE = Qt.ItemDataRole.UserRole
PREVIEW_DELAY_MS = 200  # typing in the form pauses this long before the preview updates


class MultiLineField(QPlainTextEdit):
    """A parameter holding JSON (an object, a list, a JSON body): several lines, not one."""

    changed = Signal()

    def __init__(self, text: str) -> None:
        super().__init__()
        self.setPlainText(text)
        self.setTabChangesFocus(True)  # Tab moves to the next field, as in a line edit
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        lines = min(8, max(3, text.count("\n") + 1))
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 12)
        self.textChanged.connect(self.changed)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - QLineEdit's name, shared by the form
        self.setPlainText(text)


def _field_for(default: Any) -> QLineEdit | MultiLineField:
    # Text goes in as typed; other kinds are written (and parsed back) as JSON.
    if isinstance(default, (dict, list)):
        return MultiLineField(json.dumps(default, indent=2, ensure_ascii=False))
    if isinstance(default, str) and _is_json_document(default):
        return MultiLineField(_pretty(default))
    return QLineEdit(default if isinstance(default, str) else json.dumps(default))


def _is_json_document(text: str) -> bool:
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return "\n" in text
    try:
        json.loads(stripped)
    except ValueError:
        return False
    return True


def _pretty(text: str) -> str:
    """A JSON body re-indented for editing (the event gets it back compact as JSON text)."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


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
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form_scroll = QScrollArea()
        form_scroll.setWidget(self.form_host)
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("eventPreview")
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setPlaceholderText("The event appears here as you fill in the form.")
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self.error = QLabel(wordWrap=True)
        self.error.setObjectName("templateError")
        self.error.setStyleSheet("color: #d32f2f")
        self.error.hide()
        self.generate_button = QPushButton("Use this event")
        self.generate_button.setEnabled(False)
        self.param_edits: dict[str, QLineEdit | MultiLineField] = {}
        self._defaults: dict[str, Any] = {}

        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.description)
        details_layout.addWidget(form_scroll, 1)
        details_layout.addWidget(self.error)
        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(QLabel("Preview"))
        preview_layout.addWidget(self.preview, 1)
        preview_layout.addWidget(self.generate_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(details)
        splitter.addWidget(preview_box)
        # The form gets the width: parameters are read and typed in, the list is only scanned.
        for index, stretch in enumerate((1, 3, 2)):
            splitter.setStretchFactor(index, stretch)
        splitter.setSizes([220, 460, 320])
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

    def _event_text(self) -> tuple[str, str] | None:
        """(name, event as pretty JSON) from the form; None (with the error shown) when bad."""
        name = self.current_name()
        if not name:
            return None
        params = {key: self._param_value(key, edit) for key, edit in self.param_edits.items()}
        try:
            event: Any = events.generate_event(name, params)
        except WorkbenchError as error:
            self.error.setText(str(error))
            self.error.show()
            return None
        self.error.hide()
        return name, json.dumps(event, indent=2, ensure_ascii=False) + "\n"

    def _param_value(self, key: str, edit: QLineEdit | MultiLineField) -> str:
        text = edit.text()
        default = self._defaults.get(key)
        if isinstance(edit, MultiLineField) and isinstance(default, str):
            # A JSON body was shown indented; the event carries it compact, as clients send it.
            try:
                return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
            except ValueError:
                return text
        return text

    def update_preview(self) -> None:
        generated = self._event_text()
        if generated is not None:
            self.preview.setPlainText(generated[1])

    def generate(self) -> None:
        generated = self._event_text()
        if generated is not None:
            self.event_generated.emit(*generated)

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
        self._defaults = {}
        self.error.hide()
        self.preview.clear()
        name = None if item is None else item.data(0, _NAME_ROLE)
        self.generate_button.setEnabled(bool(name))
        if not name:
            self.description.clear()
            return
        info = events.get_template(name)
        self.description.setText(f"<b>{info.title or info.name}</b><br>{info.description or ''}")
        for param in info.parameters:
            edit = _field_for(param.default)
            edit.setToolTip(param.description or param.name)
            if isinstance(edit, QLineEdit):
                edit.returnPressed.connect(self.generate)
                edit.textChanged.connect(self._preview_timer.start)
            else:
                edit.changed.connect(self._preview_timer.start)
            self.form.addRow(param.name, edit)
            self.param_edits[param.name] = edit
            self._defaults[param.name] = param.default
        self.update_preview()

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, _NAME_ROLE):
            self.generate()


class TemplatePickerDialog(QDialog):
    """The picker in a dialog; `event_text` holds the generated event after accept()."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Event templates")
        self.resize(1040, 620)
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
