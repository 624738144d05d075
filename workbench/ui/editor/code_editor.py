"""CodeEditor: Scintilla with Lexilla highlighting, folding, brace matching and error markers."""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lexilla import Language, create_lexer
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from pyside6_scintilla import Scintilla, ScintillaEdit

from workbench.ui.theme import Theme, scintilla_colour

M = Scintilla.Message
ERROR_MARKER = 20  # marker number for "a stack frame failed here"
MARGIN_NUMBERS, MARGIN_MARKERS, MARGIN_FOLD = 0, 1, 2
ANNOTATION_STYLE = 200  # extended style used for inline error annotations
LINT_INDICATOR = 8  # first indicator free for containers: pyflakes squiggles
BRACES = b"()[]{}"
JS_KEYWORDS = (
    "async await break case catch class const continue debugger default delete do else "
    "export extends false finally for from function if import in instanceof let new null "
    "of return static super switch this throw true try typeof undefined var void while "
    "yield interface type enum implements readonly private public protected as declare"
)


@dataclass(frozen=True)
class LanguageSpec:
    """A Lexilla lexer, its keyword list and which token colour each style number gets."""

    lexer: str
    styles: dict[int, str]
    keywords: str = ""
    properties: tuple[tuple[str, str], ...] = ()


_PY = {1: "comment", 2: "number", 3: "string", 4: "string", 5: "keyword", 6: "string",
       7: "string", 8: "class", 9: "function", 10: "operator", 12: "comment", 13: "error",
       14: "constant", 15: "decorator", 16: "string", 17: "string", 18: "string",
       19: "string", 20: "property"}  # fmt: skip
_CPP = {1: "comment", 2: "comment", 3: "comment", 4: "number", 5: "keyword", 6: "string",
        7: "string", 10: "operator", 12: "error", 13: "string", 14: "string", 15: "comment",
        17: "comment", 20: "string", 27: "constant"}  # fmt: skip
_JSON = {1: "number", 2: "string", 3: "error", 4: "property", 5: "constant", 6: "comment",
         7: "comment", 8: "operator", 11: "keyword", 13: "error"}  # fmt: skip
_YAML = {1: "comment", 2: "property", 3: "keyword", 4: "number", 5: "constant", 6: "keyword",
         7: "string", 8: "error", 9: "operator"}  # fmt: skip
_FOLD = (("fold", "1"), ("fold.compact", "0"))

LANGUAGES: dict[str, LanguageSpec] = {
    "python": LanguageSpec(
        Language.PYTHON,
        _PY,
        " ".join([*keyword.kwlist, *keyword.softkwlist]),
        _FOLD + (("fold.quotes.python", "1"),),
    ),
    "javascript": LanguageSpec(
        Language.CPP, _CPP, JS_KEYWORDS, _FOLD + (("lexer.cpp.backquoted.strings", "1"),)
    ),
    "json": LanguageSpec(
        Language.JSON, _JSON, "true false null", _FOLD + (("lexer.json.allow.comments", "1"),)
    ),
    "yaml": LanguageSpec(Language.YAML, _YAML, "true false yes no null ~", _FOLD),
}
SUFFIXES = {
    ".py": "python", ".pyi": "python", ".js": "javascript", ".mjs": "javascript",
    ".cjs": "javascript", ".ts": "javascript", ".tsx": "javascript", ".jsx": "javascript",
    ".json": "json", ".yaml": "yaml", ".yml": "yaml",
}  # fmt: skip


def language_for(path: Path | None) -> str | None:
    return SUFFIXES.get(path.suffix.lower()) if path else None


class CodeEditor(ScintillaEdit):
    """One file's editor. Text is UTF-8; `path` is None for a scratch buffer."""

    def __init__(self, path: Path | None = None, parent=None) -> None:
        super().__init__(parent)
        self.path = path
        self.deleted_on_disk = False  # the file went away while open; Save recreates it
        self.language = language_for(path)
        self._theme: Theme | None = None
        self.send(M.SetCodePage, Scintilla.CpUtf8)
        self.setTabWidth(4)
        self.setUseTabs(False)
        self.setIndent(4)
        self.setTabIndents(True)
        self.setBackSpaceUnIndents(True)
        self.setIndentationGuides(Scintilla.IndentView.LookBoth)
        self.setCaretLineVisibleAlways(True)
        self.setScrollWidthTracking(True)
        self.setScrollWidth(1)
        self.setEndAtLastLine(False)
        self._setup_margins()
        self._setup_lexer()
        self.updateUi.connect(self._on_update_ui)
        self.charAdded.connect(self._on_char_added)
        self.marginClicked.connect(self._on_margin_clicked)
        self.lint_marks: list[Any] = []
        self.indicSetStyle(LINT_INDICATOR, Scintilla.IndicatorStyle.Squiggle)
        self.setMouseDwellTime(400)
        self.dwellStart.connect(self._on_dwell_start)
        self.dwellEnd.connect(lambda *_args: self.callTipCancel())

    # -- text ---------------------------------------------------------------
    def text(self) -> str:
        raw = bytes(self.getText(self.length() + 1).data())[: self.length()]
        return raw.decode("utf-8", errors="replace")

    def set_text(self, text: str) -> None:
        self.setText(text)
        self.emptyUndoBuffer()
        self.setSavePoint()
        self.colourise(0, -1)

    @property
    def dirty(self) -> bool:
        return bool(self.modify())

    def go_to_line(self, line: int) -> None:
        """Move the caret to a 1-based line and centre it."""
        target = max(0, min(line - 1, self.lineCount() - 1))
        self.ensureVisibleEnforcePolicy(target)
        self.gotoLine(target)
        self.send(M.VerticalCentreCaret)

    # -- error markers ------------------------------------------------------
    def mark_error(self, line: int, message: str) -> None:
        """Put the error marker and an inline annotation under a 1-based line."""
        index = max(0, min(line - 1, self.lineCount() - 1))
        self.markerAdd(index, ERROR_MARKER)
        self.annotationSetText(index, message)
        self.annotationSetStyle(index, ANNOTATION_STYLE)

    def mark_lint(self, marks: list[Any]) -> None:
        """Squiggles under what pyflakes found (core.lint.LintMark); hover shows the message."""
        self.setIndicatorCurrent(LINT_INDICATOR)
        self.indicatorClearRange(0, self.length())
        self.lint_marks = list(marks)
        for mark in self.lint_marks:
            index = max(0, min(mark.line - 1, self.lineCount() - 1))
            start = min(self.positionFromLine(index) + max(0, mark.column - 1),
                        self.lineEndPosition(index))  # fmt: skip
            end = self.wordEndPosition(start, True)
            if end <= start:
                end = self.lineEndPosition(index)
            self.indicatorFillRange(start, max(1, end - start))

    def lint_lines(self) -> list[int]:
        """1-based lines that carry a squiggle (used by tests)."""
        lines, position = set(), 0
        while position < self.length():
            end = self.indicatorEnd(LINT_INDICATOR, position)
            if self.indicatorValueAt(LINT_INDICATOR, position):
                lines.add(self.lineFromPosition(position) + 1)
            if end <= position:
                break
            position = end
        return sorted(lines)

    def _on_dwell_start(self, *args: int) -> None:
        position = args[0] if len(args) == 3 else self.positionFromPoint(*args[:2])
        if position < 0 or not self.indicatorValueAt(LINT_INDICATOR, position):
            return
        line = self.lineFromPosition(position) + 1
        messages = [m.message for m in self.lint_marks if m.line == line]
        if messages:
            self.callTipShow(position, "\n".join(messages))

    def clear_errors(self) -> None:
        self.markerDeleteAll(ERROR_MARKER)
        self.annotationClearAll()

    def error_lines(self) -> list[int]:
        """1-based lines that carry the error marker (used by tests and the window)."""
        lines, mask = [], 1 << ERROR_MARKER
        line = self.markerNext(0, mask)
        while line >= 0:
            lines.append(line + 1)
            line = self.markerNext(line + 1, mask)
        return lines

    def annotation(self, line: int) -> str:
        return bytes(self.annotationText(line - 1).data()).decode("utf-8", errors="replace")

    # -- look ---------------------------------------------------------------
    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        c = {name: scintilla_colour(value) for name, value in theme.editor.items()}
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        family = font.family()
        self.styleResetDefault()
        self.styleSetFont(Scintilla.StylesCommon.Default, family)
        self.styleSetSize(Scintilla.StylesCommon.Default, max(10, QFont(font).pointSize()))
        self.styleSetFore(Scintilla.StylesCommon.Default, c["foreground"])
        self.styleSetBack(Scintilla.StylesCommon.Default, c["background"])
        self.styleClearAll()
        digits = QFontMetrics(QFont(font.family(), max(10, font.pointSize()))).horizontalAdvance
        self.setMarginWidthN(MARGIN_NUMBERS, digits("99999") + 8)
        self.styleSetFore(Scintilla.StylesCommon.LineNumber, c["margin_fg"])
        self.styleSetBack(Scintilla.StylesCommon.LineNumber, c["margin_bg"])
        self.styleSetFore(Scintilla.StylesCommon.IndentGuide, c["indent_guide"])
        self.styleSetBack(Scintilla.StylesCommon.BraceLight, c["brace_bg"])
        self.styleSetBold(Scintilla.StylesCommon.BraceLight, True)
        self.styleSetFore(Scintilla.StylesCommon.BraceBad, c["brace_bad"])
        self.styleSetFore(ANNOTATION_STYLE, c["annotation_fg"])
        self.styleSetBack(ANNOTATION_STYLE, c["annotation_bg"])
        self.styleSetItalic(ANNOTATION_STYLE, True)
        spec = LANGUAGES.get(self.language or "")
        if spec:
            for style, token in spec.styles.items():
                self.styleSetFore(style, c[token])
            if "keyword" in spec.styles.values():
                for style, token in spec.styles.items():
                    self.styleSetBold(style, token == "keyword" and not theme.dark)
        self.setCaretFore(c["caret"])
        self.setCaretLineBack(c["current_line"])
        self.setSelBack(True, c["selection"])
        self.setFoldMarginColour(True, c["fold_bg"])
        self.setFoldMarginHiColour(True, c["fold_bg"])
        for number in range(25, 32):
            self.markerSetFore(number, c["margin_bg"])
            self.markerSetBack(number, c["margin_fg"])
        self.markerSetFore(ERROR_MARKER, c["error_marker"])
        self.indicSetFore(LINT_INDICATOR, c["error_marker"])
        self.markerSetBack(ERROR_MARKER, c["error_marker"])
        self.colourise(0, -1)

    def _setup_margins(self) -> None:
        self.setMarginTypeN(MARGIN_NUMBERS, Scintilla.MarginType.Number)
        self.setMarginTypeN(MARGIN_MARKERS, Scintilla.MarginType.Symbol)
        self.setMarginWidthN(MARGIN_MARKERS, 14)
        self.setMarginMaskN(MARGIN_MARKERS, 1 << ERROR_MARKER)
        self.markerDefine(ERROR_MARKER, Scintilla.MarkerSymbol.Circle)
        self.setMarginTypeN(MARGIN_FOLD, Scintilla.MarginType.Symbol)
        self.setMarginMaskN(MARGIN_FOLD, Scintilla.MaskFolders)
        self.setMarginWidthN(MARGIN_FOLD, 14)
        self.setMarginSensitiveN(MARGIN_FOLD, True)
        symbols = Scintilla.MarkerSymbol
        for number, symbol in (
            (Scintilla.MarkerOutline.FolderOpen, symbols.BoxMinus),
            (Scintilla.MarkerOutline.Folder, symbols.BoxPlus),
            (Scintilla.MarkerOutline.FolderSub, symbols.VLine),
            (Scintilla.MarkerOutline.FolderTail, symbols.LCorner),
            (Scintilla.MarkerOutline.FolderEnd, symbols.BoxPlusConnected),
            (Scintilla.MarkerOutline.FolderOpenMid, symbols.BoxMinusConnected),
            (Scintilla.MarkerOutline.FolderMidTail, symbols.TCorner),
        ):
            self.markerDefine(number, symbol)
        self.setAutomaticFold(Scintilla.AutomaticFold.Change | Scintilla.AutomaticFold.Click)
        self.annotationSetVisible(Scintilla.AnnotationVisible.Boxed)

    def _setup_lexer(self) -> None:
        spec = LANGUAGES.get(self.language or "")
        if spec is None:
            return
        lexer = create_lexer(spec.lexer)
        if lexer is None:
            return
        self.setILexer(lexer.detach())
        for key, value in spec.properties:
            self.setProperty(key, value)
        if spec.keywords:
            self.setKeyWords(0, spec.keywords)

    # -- slots --------------------------------------------------------------
    def _on_update_ui(self, _updated: int) -> None:
        # Brace matching: highlight the pair around the caret, or flag a lone brace.
        pos = self.currentPos()
        for candidate in (pos, pos - 1):
            if candidate >= 0 and self.charAt(candidate) in BRACES:
                match = self.braceMatch(candidate, 0)
                if match >= 0:
                    self.braceHighlight(candidate, match)
                else:
                    self.braceBadLight(candidate)
                return
        self.braceHighlight(-1, -1)

    def _on_char_added(self, char: int) -> None:
        # Auto indent: a new line starts at the previous line's indent, one level
        # deeper after a line ending in ":" (Python) or an opening bracket.
        if char not in (10, 13):
            return
        line = self.lineFromPosition(self.currentPos())
        if line == 0:
            return
        previous = bytes(self.getLine(line - 1).data()).decode("utf-8", "replace").rstrip()
        indent = self.lineIndentation(line - 1)
        if previous.endswith((":", "{", "[", "(")):
            indent += self.indent()
        if indent:
            self.setLineIndentation(line, indent)
            self.gotoPos(self.lineIndentPosition(line))

    def _on_margin_clicked(self, position: int, _modifiers: int, margin: int) -> None:
        if margin == MARGIN_FOLD:
            self.toggleFold(self.lineFromPosition(position))

    def charAt(self, position: int) -> int:  # noqa: N802 - Scintilla's naming
        return self.send(M.GetCharAt, position) & 0xFF
