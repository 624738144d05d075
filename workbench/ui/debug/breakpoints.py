"""Breakpoints: markers in a code editor's margin, and their store per project."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from pyside6_scintilla import Scintilla

from workbench.core.settings import data_dir
from workbench.ui.editor.code_editor import ERROR_MARKER, MARGIN_MARKERS

BREAKPOINT_MARKER = 21
CURRENT_LINE_MARKER = 22
MAX_STORE_BYTES = 1024 * 1024


class BreakpointMargin(QObject):
    """Adds breakpoint and current-line markers to one CodeEditor; click the margin to toggle."""

    #: the editor's breakpoints changed (its path, the sorted 1-based lines)
    changed = Signal(object, list)

    def __init__(self, editor: Any) -> None:
        super().__init__(editor)
        self.editor = editor
        editor.markerDefine(BREAKPOINT_MARKER, Scintilla.MarkerSymbol.Circle)
        editor.markerDefine(CURRENT_LINE_MARKER, Scintilla.MarkerSymbol.ShortArrow)
        editor.markerSetBack(BREAKPOINT_MARKER, 0x3030E0)  # BGR: red
        editor.markerSetFore(BREAKPOINT_MARKER, 0x3030E0)
        editor.markerSetBack(CURRENT_LINE_MARKER, 0x30C0F0)  # BGR: amber
        editor.markerSetFore(CURRENT_LINE_MARKER, 0x206080)
        mask = (1 << ERROR_MARKER) | (1 << BREAKPOINT_MARKER) | (1 << CURRENT_LINE_MARKER)
        editor.setMarginMaskN(MARGIN_MARKERS, mask)
        editor.setMarginSensitiveN(MARGIN_MARKERS, True)
        editor.marginClicked.connect(self._on_editor_margin_clicked)

    def lines(self) -> list[int]:
        found, line = [], self.editor.markerNext(0, 1 << BREAKPOINT_MARKER)
        while line >= 0:
            found.append(line + 1)
            line = self.editor.markerNext(line + 1, 1 << BREAKPOINT_MARKER)
        return found

    def set_lines(self, lines: list[int]) -> None:
        self.editor.markerDeleteAll(BREAKPOINT_MARKER)
        for line in lines:
            if 1 <= line <= self.editor.lineCount():
                self.editor.markerAdd(line - 1, BREAKPOINT_MARKER)

    def toggle(self, line: int) -> None:
        """Toggle the breakpoint on a 1-based line."""
        if self.editor.markerGet(line - 1) & (1 << BREAKPOINT_MARKER):
            self.editor.markerDelete(line - 1, BREAKPOINT_MARKER)
        else:
            self.editor.markerAdd(line - 1, BREAKPOINT_MARKER)
        self.changed.emit(self.editor.path, self.lines())

    def show_current(self, line: int | None) -> None:
        """Mark the line the debugger stopped on (None clears it)."""
        self.editor.markerDeleteAll(CURRENT_LINE_MARKER)
        if line is not None:
            self.editor.markerAdd(line - 1, CURRENT_LINE_MARKER)
            self.editor.go_to_line(line)

    def _on_editor_margin_clicked(self, position: int, _modifiers: int, margin: int) -> None:
        if margin == MARGIN_MARKERS:
            self.toggle(self.editor.lineFromPosition(position) + 1)


class BreakpointStore:
    """Breakpoints per project, kept in the data folder (never written into the project)."""

    def __init__(self, root: Path) -> None:
        key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        self.file = data_dir() / "breakpoints" / f"{key}.json"
        self.root = root.resolve()
        self.by_file: dict[Path, list[int]] = self._load()

    def _load(self) -> dict[Path, list[int]]:
        try:
            if self.file.stat().st_size > MAX_STORE_BYTES:
                return {}
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}  # no breakpoints yet, or a damaged file: start empty
        if not isinstance(data, dict):
            return {}
        kept: dict[Path, list[int]] = {}
        for name, lines in data.items():
            if isinstance(name, str) and isinstance(lines, list):
                kept[self.root / name] = sorted({n for n in lines if isinstance(n, int) and n > 0})
        return kept

    def set(self, path: Path, lines: list[int]) -> None:
        path = path.resolve()
        if lines:
            self.by_file[path] = sorted(set(lines))
        else:
            self.by_file.pop(path, None)
        self._save()

    def get(self, path: Path) -> list[int]:
        return list(self.by_file.get(path.resolve(), []))

    def _save(self) -> None:
        data = {}
        for path, lines in self.by_file.items():
            try:
                data[str(path.relative_to(self.root))] = lines
            except ValueError:
                continue  # outside the project: not kept
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            partial = self.file.with_suffix(".partial")
            partial.write_text(json.dumps(data, indent=1), encoding="utf-8")
            partial.replace(self.file)
        except OSError:
            pass  # breakpoints are a convenience; a read-only data folder must not break debugging
