"""ServeController: the window's Serve API, a core ServeSession started and stopped on workers."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from workbench.core.errors import WorkbenchError
from workbench.core.history import History
from workbench.core.http.gateway import ServedRequest
from workbench.core.http.session import ServeSession
from workbench.core.settings import Settings
from workbench.ui.worker import start_task


class ServeController(QObject):
    """Starts and stops serving a project; every served request is reported and kept in history."""

    #: serving: (route rows as in `serve --output json`, port, warnings)
    started = Signal(list, int, list)
    #: serving ended (after stop(), or a start that failed)
    stopped = Signal()
    #: a sentence: why serving could not start or stop
    failed = Signal(str)
    #: a ServedRequest (emitted from server threads; queued to the GUI thread)
    served = Signal(object)
    #: a sentence from the session, such as "app.py changed: F reloaded."
    note = Signal(str)

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.session: ServeSession | None = None
        self.busy = False
        self._closing = False
        self._root: Path | None = None
        self._histories: dict[str, History] = {}
        self._history_lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self.session is not None

    def start(self, path: Path, root: Path, port: int | None = None) -> None:
        if self.busy or self.session is not None:
            return
        self.busy = True
        self._root = root
        session = ServeSession(
            path,
            port=self.settings.get("serve_port") if port is None else port,
            settings=self.settings,
            on_served=self._on_session_served,
            on_note=self.note.emit,
        )

        def run(_cancel: Any, _sink: Any) -> ServeSession:
            try:
                session.start()
            except BaseException:
                session.stop()
                raise
            return session

        start_task(run, on_result=self._on_started, on_error=self._on_start_failed)

    def stop(self) -> None:
        session, self.session = self.session, None
        if session is None or self.busy:
            return
        self.busy = True
        # Ending containers waits on Docker: never on the GUI thread.
        start_task(
            lambda _c, _s: session.stop(),
            on_error=self.failed.emit,
            on_finished=self._on_stopped,
        )

    def stop_now(self) -> None:
        """For closing the window: end serving on this thread (the window is going away)."""
        self._closing = True
        session, self.session = self.session, None
        if session is not None:
            session.stop()

    def _on_started(self, session: ServeSession) -> None:
        self.busy = False
        if self._closing:  # the window closed while it was starting
            threading.Thread(target=session.stop, name="serve-stop", daemon=True).start()
            return
        self.session = session
        self.started.emit(session.route_table(), session.port, list(session.warnings))

    def _on_start_failed(self, sentence: str) -> None:
        self.busy = False
        self.failed.emit(sentence)
        self.stopped.emit()

    def _on_stopped(self) -> None:
        self.busy = False
        self.stopped.emit()

    def _on_session_served(self, served: ServedRequest) -> None:
        # A server thread: keep the run in the function's history here, off the GUI thread.
        if served.result is not None and served.function and self._root is not None:
            event = (served.event or b"").decode("utf-8", errors="replace")
            try:
                with self._history_lock:
                    history = self._histories.get(served.function)
                    if history is None:
                        cap = self.settings.get("history_runs")
                        history = History(self._root, served.function, cap)
                        self._histories[served.function] = history
                    history.add(served.result, event)
            except WorkbenchError as error:
                self.note.emit(str(error))
        self.served.emit(served)
