"""OutputBatcher: hands a function's streamed output to the results pane in batches."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

BATCH_MS = 50


class OutputBatcher(QObject):
    """Output arrives in many small chunks; the pane gets them joined at most every 50 ms,
    so a handler printing 100,000 lines never floods the event loop."""

    def __init__(self, deliver: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._deliver = deliver
        self._pending: list[str] = []
        self._timer = QTimer(self, singleShot=True, interval=BATCH_MS)
        self._timer.timeout.connect(self.flush)

    def add(self, text: str) -> None:
        self._pending.append(text)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if self._pending:
            text, self._pending = "".join(self._pending), []
            self._deliver(text)
