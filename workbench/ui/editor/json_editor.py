"""A JSON text editor on Scintilla (Lexilla's JSON lexer) with an error marker and line numbers."""

from __future__ import annotations

from lexilla import Language, create_lexer
from lexilla.pyside6_scintilla import set_lexer
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeyEvent, QPalette
from pyside6_scintilla import Scintilla, ScintillaEdit

# Lexilla's LexJSON style numbers (SCE_JSON_*).
_NUMBER, _STRING, _STRINGEOL, _PROPERTY, _ESCAPE = 1, 2, 3, 4, 5
_LINECOMMENT, _BLOCKCOMMENT, _OPERATOR, _KEYWORD, _ERROR = 6, 7, 8, 11, 13
_ERROR_MARKER = 1
_ERROR_INDICATOR = 8
_LINE_NUMBER_MARGIN = 0
_MARKER_MARGIN = 1

# (light, dark) colours as 0xRRGGBB.
_COLOURS = {
    "text": (0x1F2328, 0xD4D4D4),
    "paper": (0xFFFFFF, 0x1E1E1E),
    "margin": (0xF3F3F3, 0x252526),
    "margin_text": (0x8C8C8C, 0x858585),
    "caret_line": (0xF5F8FC, 0x2A2D2E),
    _NUMBER: (0x098658, 0xB5CEA8),
    _STRING: (0xA31515, 0xCE9178),
    _STRINGEOL: (0xCD3131, 0xF48771),
    _PROPERTY: (0x0451A5, 0x9CDCFE),
    _ESCAPE: (0xEE0000, 0xD7BA7D),
    _LINECOMMENT: (0x008000, 0x6A9955),
    _BLOCKCOMMENT: (0x008000, 0x6A9955),
    _OPERATOR: (0x1F2328, 0xD4D4D4),
    _KEYWORD: (0x0000FF, 0x569CD6),
    _ERROR: (0xCD3131, 0xF48771),
    "error": (0xD32F2F, 0xF14C4C),
}


def _bgr(rgb: int) -> int:
    """Scintilla takes colours as 0xBBGGRR."""
    return ((rgb & 0xFF) << 16) | (rgb & 0xFF00) | ((rgb >> 16) & 0xFF)


def is_dark_palette() -> bool:
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class JsonEditor(ScintillaEdit):
    """Scintilla set up for JSON: highlighting, line numbers, an error marker and squiggle.

    Text is handled as Python str; positions given to `mark_error` are
    character offsets (as json.JSONDecodeError.pos) and converted to Scintilla's
    UTF-8 byte positions here.
    """

    #: the text changed (by the user or by set_text)
    text_changed = Signal()
    #: Ctrl+Return / Ctrl+Enter was pressed inside the editor
    run_requested = Signal()

    def __init__(self, parent=None, *, read_only: bool = False) -> None:
        super().__init__(parent)
        self._lexer = create_lexer(Language.JSON)
        if self._lexer is not None:
            set_lexer(self, self._lexer)
            self._lexer = None  # ownership moved to the editor
        self.setKeyWords(0, "true false null")
        self.setTabWidth(2)
        self.setUseTabs(False)
        self.setIndent(2)
        self.setWrapMode(int(Scintilla.Wrap.None_))
        self.setMarginTypeN(_LINE_NUMBER_MARGIN, int(Scintilla.MarginType.Number))
        self.setMarginTypeN(_MARKER_MARGIN, int(Scintilla.MarginType.Symbol))
        self.setMarginMaskN(_MARKER_MARGIN, 1 << _ERROR_MARKER)
        self.setMarginWidthN(_MARKER_MARGIN, 14)
        self.markerDefine(_ERROR_MARKER, int(Scintilla.MarkerSymbol.Circle))
        self.indicSetStyle(_ERROR_INDICATOR, int(Scintilla.IndicatorStyle.Squiggle))
        self.setCaretLineVisible(not read_only)
        self.setReadOnly(read_only)
        self._read_only = read_only
        self.apply_theme(is_dark_palette())
        self.notifyChange.connect(self._on_self_notify_change)
        self._update_margin_width()

    # Keys -------------------------------------------------------------------
    @staticmethod
    def _is_run_key(event: QKeyEvent) -> bool:
        return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and bool(
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        )

    def event(self, event: QEvent) -> bool:
        # Claim Ctrl+Return so the editor's owner decides what it does (no window action
        # with the same keys fires while the editor has focus).
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._is_run_key(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._is_run_key(event):
            event.accept()
            self.run_requested.emit()
            return
        super().keyPressEvent(event)

    # Text -------------------------------------------------------------------
    def text(self) -> str:
        length = self.textLength()
        if length == 0:
            return ""
        return bytes(self.getText(length + 1).data()).rstrip(b"\0").decode("utf-8", "replace")

    def set_text(self, text: str) -> None:
        was_read_only = self.readOnly()
        self.setReadOnly(False)
        self.setText(text)
        self.setReadOnly(was_read_only)
        self.emptyUndoBuffer()
        self.gotoPos(0)
        self._update_margin_width()

    # Error marker -------------------------------------------------------------
    def mark_error(self, char_pos: int, line: int) -> None:
        """Put the marker on `line` (1-based) and a squiggle at character offset `char_pos`."""
        self.clear_error()
        self.markerAdd(line - 1, _ERROR_MARKER)
        text = self.text()
        start = len(text[:char_pos].encode("utf-8"))
        # Underline one character (or the line end when the error is at the end).
        end = len(text[: char_pos + 1].encode("utf-8"))
        self.setIndicatorCurrent(_ERROR_INDICATOR)
        self.indicatorFillRange(start, max(1, end - start))

    def clear_error(self) -> None:
        self.markerDeleteAll(_ERROR_MARKER)
        self.setIndicatorCurrent(_ERROR_INDICATOR)
        self.indicatorClearRange(0, self.textLength())

    def error_marker_lines(self) -> list[int]:
        """1-based lines carrying the error marker (what the user sees in the margin)."""
        lines = []
        line = self.markerNext(0, 1 << _ERROR_MARKER)
        while line >= 0:
            lines.append(line + 1)
            line = self.markerNext(line + 1, 1 << _ERROR_MARKER)
        return lines

    def error_indicator_start(self) -> int | None:
        """Byte position where the error squiggle starts, or None."""
        end = self.textLength()
        pos = 0
        while pos < end:
            if self.indicatorValueAt(_ERROR_INDICATOR, pos):
                return pos
            nxt = self.indicatorEnd(_ERROR_INDICATOR, pos)
            if nxt <= pos:
                break
            pos = nxt
        return None

    # Looks ------------------------------------------------------------------
    def apply_theme(self, dark: bool) -> None:
        pick = 1 if dark else 0
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        default = int(Scintilla.StylesCommon.Default)
        self.styleSetFont(default, font.family())
        self.styleSetSize(default, max(9, font.pointSize()))
        self.styleSetFore(default, _bgr(_COLOURS["text"][pick]))
        self.styleSetBack(default, _bgr(_COLOURS["paper"][pick]))
        self.styleClearAll()
        for style in (_NUMBER, _STRING, _STRINGEOL, _PROPERTY, _ESCAPE, _LINECOMMENT):
            self.styleSetFore(style, _bgr(_COLOURS[style][pick]))
        for style in (_BLOCKCOMMENT, _OPERATOR, _KEYWORD, _ERROR):
            self.styleSetFore(style, _bgr(_COLOURS[style][pick]))
        line_numbers = int(Scintilla.StylesCommon.LineNumber)
        self.styleSetFore(line_numbers, _bgr(_COLOURS["margin_text"][pick]))
        self.styleSetBack(line_numbers, _bgr(_COLOURS["margin"][pick]))
        self.setMarginBackN(_MARKER_MARGIN, _bgr(_COLOURS["margin"][pick]))
        self.setCaretFore(_bgr(_COLOURS["text"][pick]))
        self.setCaretLineBack(_bgr(_COLOURS["caret_line"][pick]))
        error = _bgr(_COLOURS["error"][pick])
        self.markerSetFore(_ERROR_MARKER, error)
        self.markerSetBack(_ERROR_MARKER, error)
        self.indicSetFore(_ERROR_INDICATOR, error)

    def _update_margin_width(self) -> None:
        digits = len(str(max(1, self.lineCount())))
        width = self.textWidth(int(Scintilla.StylesCommon.LineNumber), "9" * (digits + 1))
        self.setMarginWidthN(_LINE_NUMBER_MARGIN, width + 4)

    def _on_self_notify_change(self) -> None:
        self._update_margin_width()
        self.text_changed.emit()
