"""Response view: pretty and raw payload; HTTP-shaped responses as status, headers and body."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.http.response import HttpResponse, header, hex_dump, http_response, pretty_text
from workbench.core.units import describe_bytes
from workbench.ui.editor.json_editor import JsonEditor


class ResponseView(QWidget):
    """Pretty (decoded HTTP response or indented JSON) and Raw (exact bytes) tabs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setObjectName("responseSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setObjectName("httpStatus")
        self.problem_label = QLabel(wordWrap=True)
        self.problem_label.setStyleSheet("color: #b26a00")
        self.headers_table = QTableWidget(0, 2)
        self.headers_table.setHorizontalHeaderLabels(["Header", "Value"])
        self.headers_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.headers_table.horizontalHeader().setStretchLastSection(True)
        self.headers_table.verticalHeader().hide()
        self.headers_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.body_label = QLabel()
        self.body = JsonEditor(read_only=True)
        self.raw = QPlainTextEdit(readOnly=True)
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        self.http_box = QWidget()
        http_layout = QVBoxLayout(self.http_box)
        http_layout.setContentsMargins(0, 0, 0, 0)
        http_layout.addWidget(self.status_label)
        http_layout.addWidget(self.problem_label)
        http_layout.addWidget(self.headers_table)
        pretty = QSplitter(Qt.Orientation.Vertical)
        pretty.addWidget(self.http_box)
        body_box = QWidget()
        body_layout = QVBoxLayout(body_box)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.body_label)
        body_layout.addWidget(self.body, 1)
        pretty.addWidget(body_box)
        pretty.setStretchFactor(1, 3)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(pretty, "Pretty")
        self.tabs.addTab(self.raw, "Raw")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self.http: HttpResponse | None = None
        self.clear()

    def clear(self) -> None:
        self.http = None
        self.summary.setText("No response yet.")
        self.http_box.hide()
        self.body_label.hide()
        self.body.set_text("")
        self.raw.setPlainText("")

    def show_payload(self, payload: bytes | None) -> None:
        payload = payload or b""
        self.raw.setPlainText(payload.decode("utf-8", errors="replace"))
        text, is_json = pretty_text(payload)
        value = json.loads(text) if is_json else None
        self.http = http_response(value)
        if self.http is None:
            self.http_box.hide()
            self.body_label.hide()
            self.body.set_text(text)
            kind = "JSON" if is_json else "text"
            self.summary.setText(f"Response: {describe_bytes(len(payload))} of {kind}")
            return
        self._show_http(self.http, len(payload))

    def _show_http(self, http: HttpResponse, payload_size: int) -> None:
        self.http_box.show()
        self.body_label.show()
        self.status_label.setText(f"<b>{http.status} {http.reason}</b>")
        colour = "#2e7d32" if http.status < 400 else "#c62828"
        self.status_label.setStyleSheet(f"color: {colour}; font-size: 14px")
        self.problem_label.setText(http.problem)
        self.problem_label.setVisible(bool(http.problem))
        self.headers_table.setRowCount(len(http.headers))
        for row, (key, value) in enumerate(http.headers):
            self.headers_table.setItem(row, 0, QTableWidgetItem(key))
            self.headers_table.setItem(row, 1, QTableWidgetItem(value))
        content_type = header(http, "content-type") or "no Content-Type"
        decoded = ", decoded from base64" if http.was_base64 else ""
        if http.is_json:
            body = json.dumps(http.body_json, indent=2, ensure_ascii=False)
        elif http.body_text is not None:
            body = http.body_text
        else:
            body = hex_dump(http.body)
        kind = "binary, shown as hex" if http.body_text is None else content_type
        self.body_label.setText(f"Body: {describe_bytes(len(http.body))} ({kind}{decoded})")
        self.body.set_text(body)
        self.summary.setText(
            f"HTTP response {http.status} {http.reason}: {len(http.headers)} headers, "
            f"payload {describe_bytes(payload_size)}"
        )

    def body_text(self) -> str:
        """What the Pretty tab's body editor shows."""
        return self.body.text()
