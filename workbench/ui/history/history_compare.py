"""Compare two runs side by side: numbers with differences, response, event and a logs diff."""

from __future__ import annotations

import datetime
import difflib
import json
import re

from PySide6.QtGui import QColor, QFontDatabase, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.history import HistoryEntry
from workbench.core.units import describe_ms, describe_usd

# Parts of a log line that differ on every run and would drown the real differences.
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?\b")
_REPORT_NUMBER = re.compile(r"(Duration|Memory Used): [\d.]+")


def normalise_log_line(line: str) -> str:
    line = _UUID.sub("<request-id>", line)
    line = _TIMESTAMP.sub("<time>", line)
    if line.startswith("REPORT "):
        line = _REPORT_NUMBER.sub(r"\1: <n>", line)
    return line.rstrip()


def diff_logs(left: str, right: str) -> list[str]:
    """Unified diff of two runs' logs, ignoring request ids, timestamps and REPORT numbers."""
    a = [normalise_log_line(line) for line in left.replace("\r", "\n").splitlines()]
    b = [normalise_log_line(line) for line in right.replace("\r", "\n").splitlines()]
    return list(difflib.unified_diff(a, b, "run A", "run B", lineterm="", n=2))


def _payload_text(entry: HistoryEntry) -> str:
    result = entry.result
    if not result.succeeded:
        return json.dumps(result.error, indent=2, ensure_ascii=False)
    value = result.payload_json()
    return value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)


def _when(entry: HistoryEntry) -> str:
    return datetime.datetime.fromtimestamp(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S")


class _DiffHighlighter(QSyntaxHighlighter):
    def highlightBlock(self, text: str) -> None:
        colour = None
        if text.startswith("+") and not text.startswith("+++"):
            colour = "#2e7d32"
        elif text.startswith("-") and not text.startswith("---"):
            colour = "#c62828"
        elif text.startswith("@@"):
            colour = "#6a1b9a"
        if colour:
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            self.setFormat(0, len(text), fmt)


def _text_box(text: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setReadOnly(True)
    box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return box


def _side_by_side(left: QPlainTextEdit, right: QPlainTextEdit) -> QWidget:
    host = QWidget()
    layout = QHBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(left)
    layout.addWidget(right)
    return host


class HistoryCompareWidget(QWidget):
    """Two runs: a table of numbers (A, B, B - A) and tabs for response, event and logs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Run A", "Run B", "Difference (B - A)"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.response_a, self.response_b = _text_box(), _text_box()
        self.event_a, self.event_b = _text_box(), _text_box()
        self.logs_diff = _text_box()
        self._highlighter = _DiffHighlighter(self.logs_diff.document())
        self.tabs = QTabWidget()
        self.tabs.addTab(_side_by_side(self.response_a, self.response_b), "Response")
        self.tabs.addTab(_side_by_side(self.event_a, self.event_b), "Event")
        self.tabs.addTab(self.logs_diff, "Logs diff")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.tabs, 1)

    def set_runs(self, a: HistoryEntry, b: HistoryEntry) -> None:
        ra, rb = a.result, b.result
        rows: list[tuple[str, str, str, str]] = [
            ("When", _when(a), _when(b), ""),
            ("Result", _outcome(a), _outcome(b), ""),
            ("Start", _start(a), _start(b), ""),
            (
                "Duration",
                describe_ms(ra.duration_ms),
                describe_ms(rb.duration_ms),
                _delta(rb.duration_ms - ra.duration_ms, "ms", ra.duration_ms),
            ),
            (
                "Billed duration",
                f"{ra.billed_duration_ms:,} ms",
                f"{rb.billed_duration_ms:,} ms",
                _delta(rb.billed_duration_ms - ra.billed_duration_ms, "ms"),
            ),
            (
                "Init duration",
                describe_ms(ra.init_duration_ms),
                describe_ms(rb.init_duration_ms),
                "",
            ),
            (
                "Max memory used",
                _memory(ra.max_memory_used_mb, ra.memory_size_mb),
                _memory(rb.max_memory_used_mb, rb.memory_size_mb),
                ""
                if ra.max_memory_used_mb is None or rb.max_memory_used_mb is None
                else _delta(rb.max_memory_used_mb - ra.max_memory_used_mb, "MB"),
            ),
            ("Cost per invoke", describe_usd(ra.cost_usd), describe_usd(rb.cost_usd), ""),
        ]
        self.table.setRowCount(len(rows))
        self.table.setVerticalHeaderLabels([r[0] for r in rows])
        for row, (_title, left, right, delta) in enumerate(rows):
            for column, text in enumerate((left, right, delta)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(height)
        self.response_a.setPlainText(_payload_text(a))
        self.response_b.setPlainText(_payload_text(b))
        self.event_a.setPlainText(a.event_text)
        self.event_b.setPlainText(b.event_text)
        diff = diff_logs(ra.logs, rb.logs)
        self.logs_diff.setPlainText(
            "\n".join(diff) if diff else "The logs are the same (ignoring ids, times and numbers)."
        )

    def row_values(self, title: str) -> tuple[str, str, str]:
        """(A, B, difference) texts of a row, by its title."""
        for row in range(self.table.rowCount()):
            header = self.table.verticalHeaderItem(row)
            if header is not None and header.text() == title:
                cells = [self.table.item(row, c) for c in range(3)]
                a, b, d = (cell.text() if cell is not None else "" for cell in cells)
                return a, b, d
        raise KeyError(title)


def _outcome(entry: HistoryEntry) -> str:
    error = entry.result.error
    return "OK" if error is None else f"Error: {error.get('errorType', 'Error')}"


def _start(entry: HistoryEntry) -> str:
    return "Cold" if entry.result.cold_start else "Warm"


def _memory(used: int | None, size: int) -> str:
    return f"— of {size:,} MB" if used is None else f"{used:,} of {size:,} MB"


def _delta(value: float, unit: str, base: float | None = None) -> str:
    text = f"{value:+,.2f} {unit}" if isinstance(value, float) else f"{value:+,} {unit}"
    if base:
        text += f" ({value / base:+.0%})"
    return text


class HistoryCompareDialog(QDialog):
    """The compare widget in a non-modal window."""

    def __init__(self, a: HistoryEntry, b: HistoryEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Compare runs: {_when(a)} and {_when(b)}")
        self.resize(900, 640)
        self.compare = HistoryCompareWidget(self)
        self.compare.set_runs(a, b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.compare)
