"""SendRequestForm: method, URL, headers and body sent to the local API (a small Postman)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.http.client import SentResponse, parse_headers, send
from workbench.core.units import describe_bytes
from workbench.ui.worker import start_task

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_SHOWN_BODY_CHARS = 200_000


class SendRequestForm(QWidget):
    """Sends one request on a worker and shows the status, headers and body it got."""

    #: the SentResponse of the last request, once shown
    response_shown = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.method = QComboBox()
        self.method.addItems(METHODS)
        self.url = QLineEdit()
        self.url.setPlaceholderText("http://127.0.0.1:3000/path")
        self.headers = QPlainTextEdit()
        self.headers.setPlaceholderText("Content-Type: application/json")
        self.headers.setMaximumHeight(60)
        self.headers.setFont(fixed)
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText("Body (text)")
        self.body.setMaximumHeight(80)
        self.body.setFont(fixed)
        self.send_button = QPushButton("Send")
        self.status = QLabel()
        self.status.setObjectName("sendStatus")
        self.status.setWordWrap(True)
        self.reply = QPlainTextEdit(readOnly=True)
        self.reply.setFont(fixed)
        line = QHBoxLayout()
        line.addWidget(self.method)
        line.addWidget(self.url, 1)
        line.addWidget(self.send_button)
        form = QFormLayout()
        form.addRow("Headers", self.headers)
        form.addRow("Body", self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(line)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.reply, 1)
        self.send_button.clicked.connect(self.send)
        self.url.returnPressed.connect(self.send)

    def prepare(self, method: str, url: str) -> None:
        """Fill in a route: ANY becomes GET, {param} parts stay for the user to replace."""
        self.method.setCurrentText("GET" if method == "ANY" else method)
        self.url.setText(url)
        self.url.setFocus()

    def send(self) -> None:
        try:
            headers = parse_headers(self.headers.toPlainText())
        except WorkbenchError as error:
            self.status.setText(str(error))
            return
        method, url = self.method.currentText(), self.url.text().strip()
        body = self.body.toPlainText().encode("utf-8")
        self.send_button.setEnabled(False)
        self.status.setText(f"Sending {method} {url}…")
        start_task(
            lambda _c, _s: send(url, method, headers, body),
            on_result=self._on_sent,
            on_error=self._on_failed,
            on_finished=lambda: self.send_button.setEnabled(True),
        )

    def _on_sent(self, response: SentResponse) -> None:
        self.status.setText(
            f"{response.status} {response.reason} in {response.elapsed_ms:.0f} ms, "
            f"{describe_bytes(len(response.body))}"
        )
        head = "\n".join(f"{k}: {v}" for k, v in response.headers)
        text = response.body.decode("utf-8", errors="replace")[:_SHOWN_BODY_CHARS]
        self.reply.setPlainText(f"{head}\n\n{text}")
        self.response_shown.emit(response)

    def _on_failed(self, sentence: str) -> None:
        self.status.setText(sentence)
