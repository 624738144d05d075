"""A virtual, read-only log text view: paints only the visible lines, so floods stay smooth.

QPlainTextEdit spends ~50 us per block when old lines are removed from the top
(measured: 1,500 lines cost 80-270 ms), which breaks the 50 ms stall budget
once the line cap is reached. Here lines live in a Python list and a paint
touches only what is on screen.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

# Python: `File "/var/task/app.py", line 15` (and awslambdaric's syntax-error form
# `File "/var/task/x.py" Line 1`); Node.js: `at fn (/var/task/index.js:5:11)`.
_PY_FRAME = re.compile(r'File "(?P<path>[^"]+)",? [Ll]ine (?P<line>\d+)')
_JS_FRAME = re.compile(
    # ES module frames name a file URL: file:///var/task/index.mjs:3:9
    r"(?:file://)?(?P<path>(?:/|[A-Za-z]:\\)[^\s():\"']+\.[cm]?[jt]s):(?P<line>\d+)(?::\d+)?"
)
_PLATFORM = re.compile(r"^(START|END|REPORT) RequestId:|^INIT_START ")
_ERROR = re.compile(r"^\[ERROR\]|\tERROR\t|\"level\": ?\"ERROR\"|^Traceback \(most recent call")
_WARNING = re.compile(r"^\[WARNING\]|\tWARN(ING)?\t|\"level\": ?\"WARN")
_PADDING = 4


def find_file_links(line: str) -> list[tuple[int, int, str, int]]:
    """(start, end, path, line number) of every source location mentioned in a log line."""
    links = []
    for pattern in (_PY_FRAME, _JS_FRAME):
        for match in pattern.finditer(line):
            links.append(
                (match.start(), match.end(), match.group("path"), int(match.group("line")))
            )
    return sorted(links)


def line_kind(line: str) -> str:
    """'platform', 'error', 'warning' or '' (how a log line is styled)."""
    if _PLATFORM.match(line):
        return "platform"
    if _ERROR.search(line):
        return "error"
    if _WARNING.search(line):
        return "warning"
    return ""


class LogText(QAbstractScrollArea):
    """Lines of text with styles, whole-line selection, search highlight and file links."""

    #: (path as written in the log, 1-based line) when a source location is clicked
    file_link_activated = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: list[str] = []
        self._longest = 0
        self._anchor: int | None = None
        self._cursor_line: int | None = None
        self._match: tuple[int, int, int] | None = None  # line, start, length
        self._pressed_at: QPoint | None = None
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self._metrics()
        dark = QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self.colours: dict[str, QColor] = {}
        self.apply_theme(dark)

    def apply_theme(self, dark: bool) -> None:
        self.colours = {
            "platform": QColor("#7aa2f7" if dark else "#1f5fbf"),
            "error": QColor("#f14c4c" if dark else "#c62828"),
            "warning": QColor("#e5c07b" if dark else "#a15c00"),
            "link": QColor("#4fc1ff" if dark else "#0b57d0"),
            "match": QColor("#613214" if dark else "#ffe08a"),
        }
        self.viewport().update()

    # Content --------------------------------------------------------------------
    def append_lines(self, lines: list[str]) -> None:
        follow = self.verticalScrollBar().value() >= self.verticalScrollBar().maximum()
        lines = [line.expandtabs(4) for line in lines]
        self._lines.extend(lines)
        self._longest = max(self._longest, max((len(line) for line in lines), default=0))
        self._update_scrollbars()
        if follow:
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
        self.viewport().update()

    def trim_front(self, count: int) -> None:
        """Forget the oldest `count` lines (the cap); the view keeps its place."""
        if count <= 0:
            return
        del self._lines[:count]
        bar = self.verticalScrollBar()
        value = bar.value()
        self._match = None
        for attr in ("_anchor", "_cursor_line"):
            old = getattr(self, attr)
            setattr(self, attr, None if old is None or old < count else old - count)
        self._update_scrollbars()
        bar.setValue(max(0, value - count))
        self.viewport().update()

    def clear(self) -> None:
        self._lines = []
        self._longest = 0
        self._anchor = self._cursor_line = None
        self._match = None
        self._update_scrollbars()
        self.viewport().update()

    def lines(self) -> list[str]:
        return self._lines

    def line_count(self) -> int:
        return len(self._lines)

    def text(self) -> str:
        return "\n".join(self._lines)

    def selected_text(self) -> str:
        if self._anchor is None or self._cursor_line is None:
            return ""
        first, last = sorted((self._anchor, self._cursor_line))
        return "\n".join(self._lines[first : last + 1])

    def select_lines(self, first: int, last: int) -> None:
        self._anchor, self._cursor_line = first, last
        self.viewport().update()

    def show_match(self, line: int, start: int, length: int) -> None:
        """Highlight a search match and scroll it into view."""
        self._match = (line, start, length)
        rows = self._visible_rows()
        bar = self.verticalScrollBar()
        if not bar.value() <= line < bar.value() + rows:
            bar.setValue(max(0, line - rows // 2))
        hbar = self.horizontalScrollBar()
        x = int(start * self._cw)
        if not hbar.value() <= x < hbar.value() + self.viewport().width() - 2 * _PADDING:
            hbar.setValue(max(0, x - self.viewport().width() // 3))
        self.viewport().update()

    # Geometry (also used by tests to click on a link) -------------------------------
    def point_for(self, line: int, column: int) -> QPoint:
        """Viewport point in the middle of the character at (line, column)."""
        x = _PADDING + (column + 0.5) * self._cw - self.horizontalScrollBar().value()
        y = (line - self.verticalScrollBar().value() + 0.5) * self._lh
        return QPoint(int(x), int(y))

    def position_at(self, point: QPoint) -> tuple[int, int] | None:
        line = self.verticalScrollBar().value() + int(point.y() // self._lh)
        if not 0 <= line < len(self._lines):
            return None
        column = int((point.x() - _PADDING + self.horizontalScrollBar().value()) // self._cw)
        return line, column

    def link_at(self, point: QPoint) -> tuple[str, int] | None:
        where = self.position_at(point)
        if where is None:
            return None
        line, column = where
        for start, end, path, number in find_file_links(self._lines[line]):
            if start <= column < end:
                return path, number
        return None

    # Qt events ----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Base))
        painter.setFont(self.font())
        first = self.verticalScrollBar().value()
        x_offset = self.horizontalScrollBar().value()
        first_col = max(0, int(x_offset // self._cw) - 1)
        cols = int(self.viewport().width() // self._cw) + 3
        selected = None
        if self._anchor is not None and self._cursor_line is not None:
            selected = sorted((self._anchor, self._cursor_line))
        text_colour = palette.color(QPalette.ColorRole.Text)
        bold = QFont(self.font())
        bold.setBold(True)
        for row in range(self._visible_rows() + 1):
            index = first + row
            if index >= len(self._lines):
                break
            y = row * self._lh
            line = self._lines[index]
            if selected and selected[0] <= index <= selected[1]:
                painter.fillRect(
                    QRect(0, int(y), self.viewport().width(), int(self._lh) + 1),
                    palette.color(QPalette.ColorRole.Highlight).lighter(160),
                )
            if self._match and self._match[0] == index:
                _, start, length = self._match
                painter.fillRect(
                    QRect(
                        int(_PADDING + start * self._cw - x_offset),
                        int(y),
                        int(length * self._cw) + 1,
                        int(self._lh),
                    ),
                    self.colours["match"],
                )
            kind = line_kind(line) if line else ""
            painter.setPen(self.colours[kind] if kind else text_colour)
            painter.setFont(bold if kind == "platform" else self.font())
            piece = line[first_col : first_col + cols]
            x = _PADDING + first_col * self._cw - x_offset
            baseline = y + self._ascent
            painter.drawText(int(x), int(baseline), piece)
            if "File " in line or ".js:" in line or ".ts:" in line:
                for start, end, _path, _number in find_file_links(line):
                    painter.setPen(self.colours["link"])
                    link_x = _PADDING + start * self._cw - x_offset
                    painter.fillRect(
                        QRect(int(link_x), int(y), int((end - start) * self._cw), int(self._lh)),
                        palette.color(QPalette.ColorRole.Base),
                    )
                    painter.drawText(int(link_x), int(baseline), line[start:end])
                    painter.drawLine(
                        int(link_x),
                        int(baseline) + 2,
                        int(link_x + (end - start) * self._cw),
                        int(baseline) + 2,
                    )
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrollbars()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        self._metrics()

    def wheelEvent(self, event: QWheelEvent) -> None:
        super().wheelEvent(event)
        self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self._pressed_at = event.position().toPoint()
        where = self.position_at(self._pressed_at)
        if where is not None:
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and self._anchor is not None:
                self._cursor_line = where[0]
            else:
                self._anchor = self._cursor_line = where[0]
        self.viewport().update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if event.buttons() & Qt.MouseButton.LeftButton and self._anchor is not None:
            where = self.position_at(point)
            if where is not None:
                self._cursor_line = where[0]
                self.viewport().update()
        over = self.link_at(point) is not None
        self.viewport().setCursor(
            Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.IBeamCursor
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        pressed, self._pressed_at = self._pressed_at, None
        if event.button() != Qt.MouseButton.LeftButton or pressed is None:
            return
        if (point - pressed).manhattanLength() > 4:
            return  # a drag selects; only a click follows a link
        link = self.link_at(point)
        if link is not None:
            self.file_link_activated.emit(*link)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            text = self.selected_text()
            if text:
                QGuiApplication.clipboard().setText(text)
            return
        if event.matches(QKeySequence.StandardKey.SelectAll):
            if self._lines:
                self.select_lines(0, len(self._lines) - 1)
            return
        super().keyPressEvent(event)

    # Internals ---------------------------------------------------------------------
    def _metrics(self) -> None:
        metrics = QFontMetricsF(self.font())
        self._cw = max(1.0, metrics.horizontalAdvance("M"))
        self._lh = max(1.0, metrics.lineSpacing())
        self._ascent = metrics.ascent()
        if hasattr(self, "_lines"):
            self._update_scrollbars()

    def _visible_rows(self) -> int:
        return max(1, int(self.viewport().height() // self._lh))

    def _update_scrollbars(self) -> None:
        rows = self._visible_rows()
        vbar = self.verticalScrollBar()
        vbar.setRange(0, max(0, len(self._lines) - rows))
        vbar.setPageStep(rows)
        vbar.setSingleStep(1)
        hbar = self.horizontalScrollBar()
        width = int(self._longest * self._cw + 2 * _PADDING)
        hbar.setRange(0, max(0, width - self.viewport().width()))
        hbar.setPageStep(self.viewport().width())
        hbar.setSingleStep(int(self._cw * 4))
