"""EditorTabs: one CodeEditor per open file, with an unsaved marker and atomic save."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QTabWidget, QWidget

from workbench.core.errors import WorkbenchError
from workbench.core.lint import lint_python
from workbench.core.progress import CancelToken, Sink
from workbench.core.settings import atomic_write_text
from workbench.ui.editor.code_editor import CodeEditor
from workbench.ui.theme import Theme
from workbench.ui.worker import start_task

UNSAVED = " ●"
LINT_ON_OPEN_DELAY_MS = 400
MAX_FILE_BYTES = 5 * 1024 * 1024  # bigger files are not source code anyone edits here


class EditorTabs(QTabWidget):
    """The centre of the window."""

    #: a file was written to disk (absolute path)
    file_saved = Signal(Path)
    #: the unsaved state of any tab changed
    dirty_changed = Signal()
    #: lint marks were put on a saved file (absolute path)
    linted = Signal(Path)
    #: an open file changed on disk while its tab has unsaved edits (absolute path)
    disk_conflict = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setDocumentMode(True)
        self.tabCloseRequested.connect(self._on_tab_close_requested)
        self._theme: Theme | None = None
        # (size, mtime) of what this window last wrote or read, per resolved path, so
        # the project watcher can tell our own saves from outside edits.
        self.known_state: dict[Path, tuple[int, int]] = {}

    def editors(self) -> list[CodeEditor]:
        return [w for i in range(self.count()) if isinstance(w := self.widget(i), CodeEditor)]

    def current_editor(self) -> CodeEditor | None:
        widget = self.currentWidget()
        return widget if isinstance(widget, CodeEditor) else None

    def editor_for(self, path: Path) -> CodeEditor | None:
        resolved = path.resolve()
        for editor in self.editors():
            if editor.path is not None and editor.path.resolve() == resolved:
                return editor
        return None

    def open_file(self, path: Path, line: int | None = None) -> CodeEditor:
        """Show `path` (opening it if needed) and optionally put the caret on a 1-based line."""
        editor = self.editor_for(path)
        if editor is None:
            editor = CodeEditor(path)
            editor.set_text(read_source(path))
            self._remember(path)
            self._add(editor)
            # A little later: pyflakes' first import and parse on a worker hold the GIL
            # while the window paints the file (a just-opened project's first turns).
            QTimer.singleShot(LINT_ON_OPEN_DELAY_MS, editor, lambda: self.lint(editor))
        self.setCurrentWidget(editor)
        if line is not None:
            editor.go_to_line(line)
        QWidget.setFocus(editor)
        return editor

    def open_text(self, path: Path, text: str) -> CodeEditor:
        """Open `path` with recovered text, marked unsaved."""
        editor = self.editor_for(path) if path.exists() else None
        if editor is None:
            editor = CodeEditor(path)
            editor.set_text(read_source(path) if path.exists() else "")
            self._add(editor)
        editor.setText(text)
        self.setCurrentWidget(editor)
        self._refresh_title(editor)
        return editor

    def _add(self, editor: CodeEditor) -> None:
        if self._theme is not None:
            editor.apply_theme(self._theme)
        assert editor.path is not None
        index = self.addTab(editor, editor.path.name)
        self.setTabToolTip(index, str(editor.path))
        editor.savePointChanged.connect(lambda _dirty, e=editor: self._refresh_title(e))
        for other in self.editors():  # two app.py files get their folder names
            self._refresh_title(other)

    def _refresh_title(self, editor: CodeEditor) -> None:
        index = self.indexOf(editor)
        if index >= 0 and editor.path is not None:
            gone = " (deleted on disk)" if getattr(editor, "deleted_on_disk", False) else ""
            self.setTabText(index, self._label(editor) + gone + (UNSAVED if editor.dirty else ""))
        self.dirty_changed.emit()

    def _label(self, editor: CodeEditor) -> str:
        assert editor.path is not None
        name = editor.path.name
        clash = any(e is not editor and e.path and e.path.name == name for e in self.editors())
        return f"{editor.path.parent.name}/{name}" if clash else name

    def save(self, editor: CodeEditor | None = None) -> bool:
        """Write one editor's text atomically; a failure is shown, never lost."""
        editor = editor or self.current_editor()
        if editor is None or editor.path is None:
            return False
        try:
            # A symlinked file is written through the link (the link stays a link).
            target = editor.path.resolve()
            atomic_write_text(target, editor.text())
        except OSError as error:
            QMessageBox.warning(
                self, "Could not save",
                f"{editor.path} could not be written ({error.strerror or error}). "
                "Your text is still in the editor; check the folder's permissions or "
                "free space, then save again.",
            )  # fmt: skip
            return False
        editor.setSavePoint()
        editor.deleted_on_disk = False
        self._remember(editor.path)
        self._refresh_title(editor)
        self.lint(editor)
        self.file_saved.emit(editor.path)
        return True

    def lint(self, editor: CodeEditor) -> None:
        """pyflakes on a worker; the squiggles arrive when it is done (Python files only)."""
        if editor.path is None or editor.path.suffix != ".py":
            return
        path, text = editor.path, editor.text()

        def check(_cancel: CancelToken, _sink: Sink) -> list[Any]:
            return lint_python(path, text)

        def show(marks: list[Any]) -> None:
            if shiboken6.isValid(editor) and editor.text() == text:  # not edited meanwhile
                editor.mark_lint(marks)
                self.linted.emit(path)

        start_task(check, on_result=show)

    def save_as(self, editor: CodeEditor, path: Path) -> bool:
        """Write the editor's text to `path` and make the tab show that file."""
        old = editor.path
        editor.path = path
        if self.save(editor):
            self.retarget(editor, path)
            return True
        editor.path = old
        return False

    def retarget(self, editor: CodeEditor, path: Path) -> None:
        """The editor's file was renamed to `path`."""
        editor.path = path
        self.setTabToolTip(self.indexOf(editor), str(path))
        self._remember(path)
        self._refresh_title(editor)

    def _remember(self, path: Path) -> None:
        try:
            info = path.resolve().stat()
        except OSError:
            return
        self.known_state[path.resolve()] = (info.st_size, info.st_mtime_ns)

    def is_own_write(self, path: Path) -> bool:
        """True when `path` on disk is exactly what this window last wrote or read."""
        try:
            info = path.resolve().stat()
        except OSError:
            return False
        return self.known_state.get(path.resolve()) == (info.st_size, info.st_mtime_ns)

    def disk_changed(self, path: Path) -> str:
        """React to an outside change of an open file: "reloaded", "conflict", "deleted" or ""."""
        editor = self.editor_for(path)
        if editor is None or self.is_own_write(path):
            return ""
        if not path.exists():
            editor.deleted_on_disk = True
            self._refresh_title(editor)
            return "deleted"
        try:
            text = read_source(path)
        except WorkbenchError:
            return ""
        if text == editor.text():
            self._remember(path)
            return ""
        if editor.dirty:
            self.disk_conflict.emit(path)  # never overwrite the user's unsaved edits
            return "conflict"
        self.reload(editor, text)
        return "reloaded"

    def reload(self, editor: CodeEditor, text: str | None = None) -> None:
        """Replace the buffer with the file on disk (caret line kept)."""
        assert editor.path is not None
        line = editor.lineFromPosition(editor.currentPos()) + 1
        editor.set_text(read_source(editor.path) if text is None else text)
        editor.deleted_on_disk = False
        self._remember(editor.path)
        editor.go_to_line(min(line, max(1, editor.lineCount())))
        self._refresh_title(editor)

    def close_all(self) -> None:
        """Close every tab without asking (the caller asked already)."""
        while self.count():
            widget = self.widget(0)
            self.removeTab(0)
            if widget is not None:
                widget.deleteLater()
        self.dirty_changed.emit()

    def save_all(self) -> bool:
        return all(self.save(editor) for editor in self.unsaved())

    def unsaved(self) -> list[CodeEditor]:
        return [editor for editor in self.editors() if editor.dirty]

    def ask_to_save_all(self, when: str) -> bool:
        """Save, discard or cancel for every unsaved tab; False means the user cancelled."""
        unsaved = self.unsaved()
        if not unsaved:
            return True
        names = ", ".join(e.path.name for e in unsaved if e.path)
        return save_discard_or_cancel(
            self, "Unsaved changes", f"Save changes to {names} {when}?", self.save_all
        )

    def mark_frames(self, frames: list[tuple[Path, int]], message: str) -> None:
        """Error marker and annotation on each (file, line); the innermost frame is shown."""
        for path, line in frames:
            self.open_file(path).mark_error(line, message)
        if frames:
            self.open_file(*frames[-1])

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        for editor in self.editors():
            editor.apply_theme(theme)

    def clear_errors(self) -> None:
        for editor in self.editors():
            editor.clear_errors()

    def _on_tab_close_requested(self, index: int) -> None:
        editor = self.widget(index)
        if isinstance(editor, CodeEditor) and editor.dirty:
            name = editor.path.name if editor.path else "this file"
            question = f"Save the changes to {name}?"
            if not save_discard_or_cancel(
                self, "Unsaved changes", question, lambda: self.save(editor)
            ):
                return
        self.removeTab(index)
        if editor is not None:
            editor.deleteLater()
        self.dirty_changed.emit()


def save_discard_or_cancel(
    parent: QWidget, title: str, question: str, save: Callable[[], bool]
) -> bool:
    """Ask Save / Discard / Cancel: True to go on (saved, or discarded), False to stay."""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent, title, question, buttons.Save | buttons.Discard | buttons.Cancel
    )
    if answer == buttons.Cancel:
        return False
    return answer != buttons.Save or save()


def read_source(path: Path) -> str:
    """A file's text for the editor; a sentence instead of a crash for unreadable files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise WorkbenchError(
                f"{path.name} is {size / 1e6:.1f} MB; the editor opens files up to 5 MB."
            )
        data = path.read_bytes()
    except OSError as error:
        raise WorkbenchError(f"{path} could not be read ({error.strerror or error}).") from error
    if b"\0" in data[:8192]:
        raise WorkbenchError(f"{path.name} looks like a binary file; it is not opened.")
    return data.decode("utf-8", errors="replace")
