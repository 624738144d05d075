"""Error view: a function error's type, message and stack trace with clickable frames."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote, unquote

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from workbench.ui.results.log_text import find_file_links

_SCHEME = "frame"


def stack_lines(stack: Any) -> list[str]:
    """awslambdaric sends a list of multi-line strings; others send a string or nothing."""
    if not stack:
        return []
    if isinstance(stack, str):
        return stack.splitlines()
    lines: list[str] = []
    for entry in stack if isinstance(stack, list) else [stack]:
        lines.extend(str(entry).rstrip("\n").splitlines())
    return lines


def frame_url(path: str, line: int) -> QUrl:
    return QUrl(f"{_SCHEME}:{line}:{quote(path, safe='')}")


def parse_frame_url(url: QUrl) -> tuple[str, int] | None:
    text = url.toString()
    if not text.startswith(f"{_SCHEME}:"):
        return None
    _, line, path = text.split(":", 2)
    return unquote(path), int(line)


def stack_html(lines: list[str]) -> str:
    rows = []
    for line in lines:
        out, last = [], 0
        for start, end, path, number in find_file_links(line):
            out.append(html.escape(line[last:start]))
            href = frame_url(path, number).toString()
            out.append(f'<a href="{html.escape(href)}">{html.escape(line[start:end])}</a>')
            last = end
        out.append(html.escape(line[last:]))
        rows.append("".join(out))
    return "<pre>" + "\n".join(rows) + "</pre>"


class ErrorView(QWidget):
    """Shows errorType, errorMessage and the stack trace; frames are links."""

    #: (path as written in the trace, 1-based line) when a frame is clicked
    file_link_activated = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.type_label = QLabel()
        self.type_label.setObjectName("errorType")
        self.type_label.setStyleSheet("color: #c62828; font-weight: bold; font-size: 14px")
        self.message_label = QLabel(wordWrap=True)
        self.message_label.setObjectName("errorMessage")
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hints_label = QLabel(wordWrap=True)
        self.hints_label.setObjectName("errorHints")
        self.frames: list[tuple[int, int, str, int]] = []
        self.stack = QTextBrowser()
        self.stack.setOpenLinks(False)
        self.stack.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.stack.anchorClicked.connect(self._on_stack_anchor_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.type_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.hints_label)
        layout.addWidget(QLabel("Stack trace"))
        layout.addWidget(self.stack, 1)

    def show_error(self, error: dict[str, Any], hints: list[str] | None = None) -> None:
        self.type_label.setText(str(error.get("errorType") or "Error"))
        self.message_label.setText(str(error.get("errorMessage") or ""))
        # Python runtimes send stackTrace; Node.js runtimes send trace (innermost frame first).
        lines = stack_lines(error.get("stackTrace") or error.get("trace"))
        self.frames = [link for line in lines for link in find_file_links(line)]
        if lines:
            self.stack.setHtml(stack_html(lines))
        else:
            self.stack.setHtml(
                "<i>No stack trace: the platform or runtime reported this error.</i>"
            )
        self.hints_label.setText("\n".join(f"• {h}" for h in hints or []))
        self.hints_label.setVisible(bool(hints))

    def activate_frame(self, index: int) -> None:
        """Follow the index-th frame link (what a click does)."""
        _start, _end, path, line = self.frames[index]
        self.file_link_activated.emit(path, line)

    def _on_stack_anchor_clicked(self, url: QUrl) -> None:
        frame = parse_frame_url(url)
        if frame is not None:
            self.file_link_activated.emit(*frame)
