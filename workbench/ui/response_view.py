"""Response view: pretty and raw payload; HTTP-shaped responses as status, headers and body."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

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

from workbench.ui.json_editor import JsonEditor
from workbench.ui.units import describe_bytes

_HTTP_KEYS = {"headers", "body", "isBase64Encoded", "multiValueHeaders", "cookies"}
_HEX_PREVIEW_BYTES = 4096


@dataclass
class HttpResponse:
    """An API Gateway / ALB / function URL response object, decoded."""

    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    body_text: str | None = None  # None when the body is not UTF-8 text
    body_json: Any = None
    is_json: bool = False
    was_base64: bool = False
    problem: str = ""  # e.g. isBase64Encoded with a body that is not base64


def http_response(value: Any) -> HttpResponse | None:
    """Decode a handler result shaped like an HTTP integration response, or None."""
    if not isinstance(value, dict) or "statusCode" not in value:
        return None
    if not _HTTP_KEYS & value.keys():
        return None
    try:
        status = int(value["statusCode"])
    except (TypeError, ValueError):
        return None
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    response = HttpResponse(status=status, reason=reason)
    headers = value.get("headers") or {}
    if isinstance(headers, dict):
        response.headers.extend((str(k), str(v)) for k, v in headers.items())
    multi = value.get("multiValueHeaders") or {}
    if isinstance(multi, dict):
        for key, values in multi.items():
            for item in values if isinstance(values, list) else [values]:
                response.headers.append((str(key), str(item)))
    cookies = value.get("cookies") or []
    if isinstance(cookies, list):
        response.headers.extend(("Set-Cookie", str(c)) for c in cookies)
    body = value.get("body")
    if body is None:
        raw = b""
    elif isinstance(body, str):
        raw = body.encode("utf-8")
    else:  # a dict body is a handler bug API Gateway rejects; show what was returned
        raw = json.dumps(body).encode("utf-8")
        response.problem = "The body is not a string; API Gateway would answer 502."
    if value.get("isBase64Encoded") and isinstance(body, str):
        try:
            raw = base64.b64decode(body, validate=True)
            response.was_base64 = True
        except (binascii.Error, ValueError):
            response.problem = "isBase64Encoded is true but the body is not valid base64."
    response.body = raw
    try:
        response.body_text = raw.decode("utf-8")
    except UnicodeDecodeError:
        response.body_text = None
    if response.body_text is not None and response.body_text.strip():
        try:
            response.body_json = json.loads(response.body_text)
            response.is_json = True
        except ValueError:
            pass
    return response


def header(response: HttpResponse, name: str) -> str:
    for key, value in response.headers:
        if key.lower() == name.lower():
            return value
    return ""


def hex_dump(data: bytes, limit: int = _HEX_PREVIEW_BYTES) -> str:
    lines = []
    for offset in range(0, min(len(data), limit), 16):
        chunk = data[offset : offset + 16]
        printable = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}  {chunk.hex(' '):<47}  {printable}")
    if len(data) > limit:
        lines.append(f"... {len(data) - limit:,} more bytes")
    return "\n".join(lines)


def pretty_text(payload: bytes) -> tuple[str, bool]:
    """(text, is_json) for the Pretty tab of a plain (non-HTTP) payload."""
    text = payload.decode("utf-8", errors="replace")
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False), True
    except ValueError:
        return text, False


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
