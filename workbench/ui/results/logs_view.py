"""Logs view: styled START/END/REPORT and errors, search, copy, a line cap and file links."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.settings import Settings
from workbench.core.units import describe_bytes
from workbench.ui.results.log_text import LogText, find_file_links

__all__ = ["LogsView", "find_file_links"]

FLUSH_INTERVAL_MS = 30
# Lines moved to the screen per timer tick; LogText makes this cheap, the cap
# only bounds the Python-side work of one tick.
LINES_PER_TICK = 20_000


def _tool_button(text: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    return button


class LogsView(QWidget):
    """Shows at most `line_cap` lines (the newest); the rest are counted and kept for Copy."""

    #: (path, line) when a `File "...", line N` location is clicked
    file_link_activated = Signal(str, int)
    #: all queued output is on screen (after a flush drained the queue)
    drained = Signal()

    def __init__(self, parent: QWidget | None = None, line_cap: int | None = None) -> None:
        super().__init__(parent)
        self.line_cap = line_cap if line_cap is not None else int(Settings().get("log_line_cap"))
        self.text = LogText(self)
        self.note = QLabel()
        self.note.setObjectName("logsNotShown")
        self.note.hide()
        self.search = QLineEdit(placeholderText="Search logs")
        self.search.setClearButtonEnabled(True)
        self.match_label = QLabel()
        self.prev_button = _tool_button("↑")
        self.prev_button.setToolTip("Previous match (Shift+Enter)")
        self.next_button = _tool_button("↓")
        self.next_button.setToolTip("Next match (Enter)")
        self.copy_button = _tool_button("Copy all")
        self.copy_button.setToolTip("Copy every log line, including those not shown")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.match_label)
        bar.addWidget(self.prev_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.note)
        layout.addWidget(self.text, 1)

        self._chunks: list[str] = []  # everything received, for Copy all
        self._queue: deque[str] = deque()  # complete lines waiting to be shown
        self._pending: list[str] = []  # raw text received since the last tick
        self._partial = ""
        self._total_lines = 0
        self._truncated_bytes = 0
        self._search_from = (0, -1)
        self._timer = QTimer(self, interval=FLUSH_INTERVAL_MS)
        self._timer.timeout.connect(self.flush)
        self.text.file_link_activated.connect(self.file_link_activated)
        self.search.returnPressed.connect(self.find_next)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.next_button.clicked.connect(self.find_next)
        self.prev_button.clicked.connect(self.find_previous)
        self.copy_button.clicked.connect(self.copy_all)

    # Feeding ------------------------------------------------------------------
    def clear(self) -> None:
        self._timer.stop()
        self._chunks.clear()
        self._queue.clear()
        self._pending.clear()
        self._partial = ""
        self._total_lines = 0
        self._truncated_bytes = 0
        self.text.clear()
        self._update_note()

    def append(self, text: str) -> None:
        """Queue live output; it reaches the screen on the next timer tick (cheap to call often)."""
        if not text:
            return
        self._chunks.append(text)
        self._pending.append(text)
        if not self._timer.isActive():
            self._timer.start()

    def set_logs(self, text: str) -> None:
        """Replace everything with an invoke's final logs (shown in ticks, like live output)."""
        self.clear()
        self.append(text if text.endswith("\n") or not text else text + "\n")

    def flush(self, everything: bool = False) -> None:
        """Move queued output to the screen: one tick's worth, or everything."""
        if self._pending:
            raw = self._partial + "".join(self._pending)
            self._pending.clear()
            # The runtime writes a traceback as one line with \r between its lines.
            raw = raw.replace("\r\n", "\n").replace("\r", "\n")
            lines = raw.split("\n")
            self._partial = lines.pop()
            self._total_lines += len(lines)
            self._queue.extend(lines)
            # Lines that would scroll out of the cap anyway are never inserted.
            while len(self._queue) > self.line_cap:
                self._queue.popleft()
        if everything and self._partial:
            self._queue.append(self._partial)
            self._total_lines += 1
            self._partial = ""
        count = len(self._queue) if everything else min(len(self._queue), LINES_PER_TICK)
        if count:
            batch = [self._queue.popleft() for _ in range(count)]
            self._insert_lines(batch)
        self._update_note()
        if not self._queue and not self._pending:
            self._timer.stop()
            self.drained.emit()

    def finish(self) -> None:
        """Show everything queued now, including a last line without a newline."""
        self.flush(everything=True)

    # Reading ------------------------------------------------------------------
    def full_text(self) -> str:
        return "".join(self._chunks)

    def shown_text(self) -> str:
        return self.text.text()

    def hidden_lines(self) -> int:
        return max(0, self._total_lines - self.text.line_count() - len(self._queue))

    def is_drained(self) -> bool:
        return not self._queue and not self._pending

    def copy_all(self) -> None:
        QGuiApplication.clipboard().setText(self.full_text())

    # Search -------------------------------------------------------------------
    def find_next(self) -> bool:
        return self._find(forward=True)

    def find_previous(self) -> bool:
        return self._find(forward=False)

    def _find(self, forward: bool) -> bool:
        needle = self.search.text().lower()
        lines = self.text.lines()
        if not needle or not lines:
            return False
        line, column = self._search_from
        count = len(lines)
        # Look from just after (or before) the last match, wrapping around once.
        for step in range(count + 1):
            index = (line + step) % count if forward else (line - step) % count
            haystack = lines[index].lower()
            if forward:
                found = haystack.find(needle, column + 1 if step == 0 else 0)
            else:
                found = haystack.rfind(needle, 0, max(0, column) if step == 0 else None)
            if found >= 0:
                self._search_from = (index, found)
                self.text.show_match(index, found, len(needle))
                return True
        return False

    def _on_search_text_changed(self, needle: str) -> None:
        if not needle:
            self.match_label.clear()
            return
        lowered = needle.lower()
        count = sum(line.lower().count(lowered) for line in self.text.lines())
        self.match_label.setText(f"{count:,} match{'es' if count != 1 else ''}")
        self._search_from = (0, -1)
        self.find_next()

    # Internals ----------------------------------------------------------------
    def _insert_lines(self, lines: list[str]) -> None:
        self.text.append_lines(lines)
        excess = self.text.line_count() - self.line_cap
        if excess > 0:
            self.text.trim_front(excess)
            line, column = self._search_from
            self._search_from = (max(0, line - excess), column)

    def set_truncated_bytes(self, count: int) -> None:
        """Say that the workbench stopped keeping output after its per-invoke limit."""
        self._truncated_bytes = count
        self._update_note()

    def _update_note(self) -> None:
        parts = []
        hidden = self.hidden_lines()
        if hidden:
            parts.append(
                f"{hidden:,} earlier lines not shown (the Logs pane keeps the last "
                f"{self.line_cap:,}; setting log_line_cap). Copy all copies every line."
            )
        if self._truncated_bytes:
            parts.append(
                f"The function printed {describe_bytes(self._truncated_bytes)} more than the "
                "workbench keeps per invoke; that output is not in these logs."
            )
        self.note.setText("\n".join(parts))
        self.note.setVisible(bool(parts))
