"""Event editor pane: JSON with live validation, Format, templates, saved events, payload size."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.events import SavedEvents
from workbench.core.units import describe_bytes
from workbench.ui.editor.json_editor import JsonEditor
from workbench.ui.events.template_picker import TemplatePickerDialog

MAX_EVENT_BYTES = 6_291_556  # Lambda's synchronous request payload limit (lambda-facts 5)
VALIDATE_DELAY_MS = 150  # typing pauses this long before the event is re-parsed
UNSAVED = " ●"
_NO_SAVED = ""


def check_event(text: str) -> tuple[bool, str, int | None, int | None]:
    """(ok, reason, char position, line) for an event text; position/line only on a JSON error."""
    if not text.strip():
        return False, "The event is empty: type a JSON value such as {}.", None, None
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return (
            False,
            f"Line {error.lineno}, column {error.colno}: {error.msg}",
            error.pos,
            error.lineno,
        )
    size = len(text.encode("utf-8"))
    if size > MAX_EVENT_BYTES:
        return (
            False,
            f"The event is {size:,} bytes; Lambda accepts at most {MAX_EVENT_BYTES:,} bytes "
            "(6 MB). Make it smaller.",
            None,
            None,
        )
    return True, "", None, None


def _tool_button(text: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    return button


class EventPane(QWidget):
    """Edits the event sent on the next invoke, with the function's saved events."""

    #: (ok, reason) whenever the event becomes valid or invalid; reason is "" when ok
    validity_changed = Signal(bool, str)
    #: the user asked to invoke from inside the pane (Ctrl+Return)
    invoke_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._saved: SavedEvents | None = None
        self._current_saved = _NO_SAVED
        self._scratch: dict[tuple[str, str], str] = {}
        self._key: tuple[str, str] | None = None
        self._valid: tuple[bool, str] | None = None
        self._dirty = False
        self._loading = False
        # Edited, not yet saved text of saved events, per (project, function, event name):
        # switching events keeps it (marked ●) and nothing is written until Save.
        self._pending: dict[tuple[str, str, str], str] = {}

        self.saved_combo = QComboBox()
        self.saved_combo.setMinimumContentsLength(10)
        self.saved_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.saved_combo.setToolTip("Saved events of this function (files under events/)")
        self.new_button = _tool_button("New")
        self.new_button.setToolTip("Save the current event under a new name")
        self.rename_button = _tool_button("Rename")
        self.duplicate_button = _tool_button("Duplicate")
        self.delete_button = _tool_button("Delete")
        self.save_button = _tool_button("Save")
        self.save_button.setObjectName("saveEvent")
        self.save_button.setToolTip("Write this saved event to its file (Ctrl+S here)")
        self.revert_button = _tool_button("Revert")
        self.revert_button.setObjectName("revertEvent")
        self.revert_button.setToolTip("Throw away the edits and reload the file")
        self.templates_button = QPushButton("Templates…")
        self.templates_button.setToolTip("Start from a sample event of an AWS service")
        self.format_button = QPushButton("Format")
        self.format_button.setToolTip("Re-indent the JSON")
        self.editor = JsonEditor(self)
        self.editor.setMinimumHeight(48)  # a small window shrinks the event, not the code
        self.client_context_edit = QLineEdit()
        self.client_context_edit.setObjectName("clientContext")
        self.client_context_edit.setPlaceholderText("Client context (optional JSON object)")
        self.client_context_edit.setToolTip(
            "Sent as the Lambda-Runtime-Client-Context header: context.client_context in "
            "Python, context.clientContext in Node.js (as the SDK's ClientContext does)."
        )
        self.status_label = QLabel()
        self.status_label.setObjectName("eventStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.size_label = QLabel()
        self.size_label.setObjectName("eventSize")
        self.size_label.setToolTip(f"Lambda accepts events up to {MAX_EVENT_BYTES:,} bytes")

        top = QHBoxLayout()
        top.addWidget(self.saved_combo, 1)
        top.addWidget(self.save_button)
        top.addWidget(self.revert_button)
        # Two short rows, so the pane stays narrow and the code editor keeps the room.
        manage = QHBoxLayout()
        for button in (self.new_button, self.rename_button, self.duplicate_button,
                       self.delete_button):  # fmt: skip
            manage.addWidget(button)
        manage.addStretch(1)
        tools = QHBoxLayout()
        tools.addWidget(self.templates_button)
        tools.addWidget(self.format_button)
        tools.addStretch(1)
        tools.addWidget(self.size_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(manage)
        layout.addLayout(tools)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.client_context_edit)
        layout.addWidget(self.status_label)

        self._validate_timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.validate)
        # Ctrl+Return inside the editor is claimed by the editor (see JsonEditor.event) and
        # re-emitted here; elsewhere the window's own Invoke action has the key, so the pane
        # adds no QShortcut of its own (two would make the key ambiguous and do nothing).
        self.editor.run_requested.connect(self.invoke_requested)
        self.editor.text_changed.connect(self._on_editor_text_changed)
        self.saved_combo.currentIndexChanged.connect(self._on_saved_combo_current_index_changed)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.duplicate_button.clicked.connect(self._on_duplicate_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.templates_button.clicked.connect(self.open_templates)
        self.format_button.clicked.connect(self.format_event)
        self.save_button.clicked.connect(self.save_current)
        self.revert_button.clicked.connect(self.revert)
        self._set_function_controls_enabled(False)
        self._load_text("{}\n")
        self._show_dirty()

    def tab_chain(self) -> list[QWidget]:
        """The pane's controls in reading order, for the window's Tab order."""
        return [
            self.saved_combo, self.save_button, self.revert_button, self.new_button,
            self.rename_button, self.duplicate_button, self.delete_button,
            self.templates_button, self.format_button, self.editor, self.client_context_edit,
        ]  # fmt: skip

    # Contract -----------------------------------------------------------------
    def set_function(self, project_root: Path, function_name: str) -> None:
        """Show the saved events of this function; the last one (or a scratch event) opens."""
        self._stash()
        if self._key is not None and self._current_saved == _NO_SAVED:
            self._scratch[self._key] = self.event_text()
        self._key = (str(project_root), function_name)
        self._saved = SavedEvents(Path(project_root), function_name)
        self._set_function_controls_enabled(True)
        names = self._list_saved()
        self._reload_combo(names[0] if names else _NO_SAVED)

    def event_text(self) -> str:
        return self.editor.text()

    def set_event_text(self, text: str) -> None:
        """Replace the event (validated at once); it becomes the unsaved event.

        Saved events are never overwritten this way: restoring a run from history
        or applying a template must not change a file the user saved.
        """
        if self._current_saved != _NO_SAVED:
            self._select_saved(_NO_SAVED)
        self._load_text(text)

    def _load_text(self, text: str) -> None:
        self._loading = True
        try:
            self.editor.set_text(text)
        finally:
            self._loading = False
        self.validate()

    def event_bytes(self) -> bytes | None:
        """The event as sent to the function, or None while it is not valid."""
        self.validate()
        ok, _reason = self._valid or (False, "")
        return self.event_text().encode("utf-8") if ok else None

    def client_context(self) -> str | None:
        """The client context to send (compact JSON), None when empty; WorkbenchError if bad."""
        text = self.client_context_edit.text().strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except ValueError as error:
            raise WorkbenchError(
                f"The client context is not valid JSON ({error}); fix it or clear the field."
            ) from error
        if not isinstance(value, dict):
            raise WorkbenchError('The client context must be a JSON object, e.g. {"custom": {}}.')
        return json.dumps(value, separators=(",", ":"))

    # Actions ------------------------------------------------------------------
    def validity(self) -> tuple[bool, str]:
        """(ok, reason) of the current text, e.g. to set the Invoke action when first shown."""
        self.validate()
        return self._valid or (False, "")

    def apply_theme(self, dark: bool) -> None:
        self.editor.apply_theme(dark)

    def validate(self) -> bool:
        self._validate_timer.stop()
        text = self.event_text()
        ok, reason, pos, line = check_event(text)
        if pos is not None and line is not None:
            self.editor.mark_error(pos, line)
        else:
            self.editor.clear_error()
        self._show_size(len(text.encode("utf-8")))
        self.status_label.setText(reason if not ok else "Valid JSON")
        self.status_label.setStyleSheet("color: #d32f2f" if not ok else "color: #2e7d32")
        if self._valid != (ok, reason):
            self._valid = (ok, reason)
            self.validity_changed.emit(ok, reason)
        return ok

    def format_event(self) -> None:
        text = self.event_text()
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            self.validate()  # the reason is already on screen; nothing to format
            return
        formatted = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
        if formatted != text:
            self._load_text(formatted)
            self._on_editor_text_changed()  # a saved event being formatted gets saved

    def open_templates(self) -> None:
        dialog = TemplatePickerDialog(self)
        if dialog.exec() == TemplatePickerDialog.DialogCode.Accepted and dialog.event_text:
            self.apply_template(dialog.event_text)

    def apply_template(self, text: str) -> None:
        """Put a generated event into the editor as the unsaved scratch event."""
        self.set_event_text(text)

    def save_current(self) -> None:
        """Write the open saved event if it changed (atomic, through SavedEvents)."""
        if not self._dirty or self._saved is None or self._current_saved == _NO_SAVED:
            return
        if self._run(lambda s: s.save(self._current_saved, self.event_text())):
            self._dirty = False
            self._pending.pop(self._pending_key(self._current_saved), None)
            self._show_dirty()

    def revert(self) -> None:
        """Reload the open saved event from its file; the edits are dropped."""
        if self._saved is None or self._current_saved == _NO_SAVED:
            return
        self._pending.pop(self._pending_key(self._current_saved), None)
        try:
            text = self._saved.load(self._current_saved)
        except (WorkbenchError, OSError) as error:
            self.status_label.setText(str(error))
            return
        self._load_text(text)
        self._dirty = False
        self._show_dirty()

    def unsaved_names(self) -> list[str]:
        """Saved events with edits not written yet (this function and others)."""
        self._stash()
        return sorted({name for (_root, _fn, name) in self._pending})

    def save_all(self) -> bool:
        """Write every pending edit; False when one could not be written."""
        self._stash()
        ok = True
        for (root, function, name), text in list(self._pending.items()):
            try:
                SavedEvents(Path(root), function).save(name, text)
            except (WorkbenchError, OSError) as error:
                self.status_label.setText(str(error))
                ok = False
                continue
            del self._pending[(root, function, name)]
        if self._current_saved != _NO_SAVED and ok:
            self._dirty = False
        self._show_dirty()
        return ok

    def _pending_key(self, name: str) -> tuple[str, str, str]:
        root, function = self._key or ("", "")
        return root, function, name

    def _stash(self) -> None:
        """Keep the open saved event's edits in memory before it is switched away from."""
        if self._dirty and self._current_saved not in (_NO_SAVED, "\0"):
            self._pending[self._pending_key(self._current_saved)] = self.event_text()

    def _show_dirty(self) -> None:
        for index in range(self.saved_combo.count()):
            name = self.saved_combo.itemData(index)
            if not name:
                continue
            marked = self._pending_key(name) in self._pending or (
                self._dirty and name == self._current_saved
            )
            self.saved_combo.setItemText(index, name + (UNSAVED if marked else ""))
        dirty = self._dirty and self._current_saved != _NO_SAVED
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def new_event(self, name: str) -> bool:
        if self._saved is None or not self._run(lambda s: s.save(name, self.event_text())):
            return False
        self._dirty = False
        self._reload_combo(name)
        return True

    def rename_event(self, new_name: str) -> bool:
        old = self._current_saved
        if self._saved is None or old == _NO_SAVED:
            return False
        self.save_current()
        if not self._run(lambda s: s.rename(old, new_name)):
            return False
        self._reload_combo(new_name)
        return True

    def duplicate_event(self, new_name: str) -> bool:
        old = self._current_saved
        if self._saved is None or old == _NO_SAVED:
            return False
        self.save_current()
        if not self._run(lambda s: s.duplicate(old, new_name)):
            return False
        self._reload_combo(new_name)
        return True

    def delete_event(self) -> bool:
        old = self._current_saved
        if self._saved is None or old == _NO_SAVED:
            return False
        self._dirty = False
        self._pending.pop(self._pending_key(old), None)
        if not self._run(lambda s: s.delete(old)):
            return False
        names = self._list_saved()
        self._reload_combo(names[0] if names else _NO_SAVED)
        return True

    def current_saved_name(self) -> str:
        """Name of the saved event being edited, or "" for the unsaved scratch event."""
        return self._current_saved

    # Internals ------------------------------------------------------------------
    def _run(self, action) -> bool:
        """Run a SavedEvents call; a WorkbenchError is shown in the status line, not raised."""
        assert self._saved is not None
        try:
            action(self._saved)
        except WorkbenchError as error:
            self.status_label.setText(str(error))
            self.status_label.setStyleSheet("color: #d32f2f")
            return False
        except OSError as error:
            self.status_label.setText(f"Could not write the saved event ({error}).")
            self.status_label.setStyleSheet("color: #d32f2f")
            return False
        return True

    def _list_saved(self) -> list[str]:
        if self._saved is None:
            return []
        try:
            return list(self._saved.list())
        except WorkbenchError as error:
            self.status_label.setText(str(error))
            return []

    def _reload_combo(self, select: str) -> None:
        names = self._list_saved()
        self.saved_combo.blockSignals(True)
        self.saved_combo.clear()
        self.saved_combo.addItem("(unsaved event)", _NO_SAVED)
        for name in names:
            self.saved_combo.addItem(name, name)
        self.saved_combo.blockSignals(False)
        self._dirty = False  # callers saved first; "\0" below must never be written
        self._current_saved = "\0"  # force the load below
        self._select_saved(select if select in names else _NO_SAVED)

    def _select_saved(self, name: str) -> None:
        index = max(0, self.saved_combo.findData(name))
        if self.saved_combo.currentIndex() != index:
            self.saved_combo.setCurrentIndex(index)  # loads through the slot
        else:
            self._on_saved_combo_current_index_changed(index)

    def _on_saved_combo_current_index_changed(self, index: int) -> None:
        name = self.saved_combo.itemData(index) or _NO_SAVED
        if name == self._current_saved:
            return
        self._stash()
        if self._current_saved == _NO_SAVED and self._key is not None:
            self._scratch[self._key] = self.event_text()
        text = "{}\n"
        pending = self._pending.get(self._pending_key(name)) if name != _NO_SAVED else None
        if pending is not None:
            text = pending
        elif name != _NO_SAVED and self._saved is not None:
            try:
                text = self._saved.load(name)
            except (WorkbenchError, OSError) as error:
                self.status_label.setText(str(error))
                name = _NO_SAVED
        elif self._key is not None:
            text = self._scratch.get(self._key, "{}\n")
        self._current_saved = name
        self._load_text(text)
        self._dirty = pending is not None
        self._show_dirty()
        has_saved = name != _NO_SAVED
        for button in (self.rename_button, self.duplicate_button, self.delete_button):
            button.setEnabled(has_saved)

    def _set_function_controls_enabled(self, enabled: bool) -> None:
        for widget in (self.saved_combo, self.new_button):
            widget.setEnabled(enabled)
        for button in (self.rename_button, self.duplicate_button, self.delete_button):
            button.setEnabled(enabled and self._current_saved != _NO_SAVED)

    def _show_size(self, size: int) -> None:
        share = size / MAX_EVENT_BYTES
        self.size_label.setText(f"{describe_bytes(size)} of 6 MB")
        if share > 1:
            self.size_label.setStyleSheet("color: #d32f2f; font-weight: bold")
        elif share > 0.8:
            self.size_label.setStyleSheet("color: #b26a00")
        else:
            self.size_label.setStyleSheet("")

    def _on_editor_text_changed(self) -> None:
        if self._loading:
            return
        self._validate_timer.start()
        if self._current_saved != _NO_SAVED and not self._dirty:
            self._dirty = True
            self._show_dirty()

    def _ask_name(self, title: str, default: str) -> str | None:
        name, ok = QInputDialog.getText(self, title, "Name:", text=default)
        name = name.strip()
        return name if ok and name else None

    def _on_new_button_clicked(self) -> None:
        name = self._ask_name("New saved event", "my-event")
        if name:
            self.new_event(name)

    def _on_rename_button_clicked(self) -> None:
        name = self._ask_name("Rename saved event", self._current_saved)
        if name and name != self._current_saved:
            self.rename_event(name)

    def _on_duplicate_button_clicked(self) -> None:
        name = self._ask_name("Duplicate saved event", f"{self._current_saved}-copy")
        if name:
            self.duplicate_event(name)

    def _on_delete_button_clicked(self) -> None:
        answer = QMessageBox.question(
            self, "Delete saved event", f"Delete the saved event {self._current_saved!r}?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_event()
