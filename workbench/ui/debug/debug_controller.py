"""DebugController: one DebugSession at a time, every debugger request on a worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, Sink
from workbench.ui.worker import start_task


class DebugController(QObject):
    """Runs the debugger for the window; the GUI thread never waits on debugpy."""

    #: a session started (the handler may run now)
    started = Signal()
    #: the function stopped (a workbench.core.debug.session.Stop)
    stopped = Signal(object)
    #: the function runs again after a continue or a step
    continued = Signal()
    #: the invoke ended (its InvocationResult)
    finished = Signal(object)
    #: the session could not start or ended without a result (a sentence)
    failed = Signal(str)
    #: a debugger request went wrong while the session goes on (a sentence)
    problem = Signal(str)
    #: session events from the worker threads, delivered here (queued)
    _session_event = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session: Any = None
        self.current: Any = None  # the latest Stop
        self._session_event.connect(self._on_session_event)

    @property
    def active(self) -> bool:
        return self.session is not None

    def _live(self) -> Any:
        """The running DebugSession (None while it is still being set up)."""
        return None if isinstance(self.session, str) else self.session

    @property
    def paused(self) -> bool:
        return self.current is not None

    def debug(
        self,
        function: FunctionConfig,
        event: bytes,
        breakpoints: dict[Path, list[int]],
        break_on_uncaught: bool,
        settings: Any = None,
    ) -> None:
        """Debug one invoke in the runner the settings choose (Docker when 'auto' finds it)."""
        if self.session is not None:
            self.problem.emit("A debug session is running; stop it first.")
            return
        self.session = "starting"  # taken: a second F5 while Docker is asked waits its turn

        def run(_cancel: CancelToken, sink: Sink) -> None:
            from workbench.core.debug.session import DebugSession  # debugpy only when asked
            from workbench.core.runtime.runners import resolve_runner

            requested = settings.get("runner") if settings is not None else "process"
            runner = resolve_runner(requested)
            image = (settings.get("images") or {}).get(function.runtime) if settings else None
            session = DebugSession(
                function,
                breakpoints=breakpoints,
                break_on_uncaught=break_on_uncaught,
                on_event=self._session_event.emit,
                runner=runner,
                image=image,
                settings=settings,
            )
            self.session = session
            session.start(event)

        start_task(run, on_result=lambda _value: self.started.emit(), on_error=self._start_failed)

    def _start_failed(self, sentence: str) -> None:
        self.session = None
        self.current = None
        self.failed.emit(sentence)

    def continue_(self) -> None:
        self._move("continue_")

    def step_over(self) -> None:
        self._move("step_over")

    def step_into(self) -> None:
        self._move("step_into")

    def step_out(self) -> None:
        self._move("step_out")

    def stop(self) -> None:
        session = self._live()
        if session is not None:
            start_task(lambda _c, _s: session.stop())

    def set_breakpoints(self, path: Path, lines: list[int]) -> None:
        session = self._live()
        if session is not None:
            self._ask(lambda: session.set_breakpoints(path, lines), None)

    def variables(self, reference: int, on_done: Callable[[Any], None]) -> None:
        session = self._live()
        if session is not None:
            self._ask(lambda: session.variables(reference), on_done)

    def scopes(self, frame_id: int, on_done: Callable[[Any], None]) -> None:
        session = self._live()
        if session is not None:
            self._ask(lambda: session.scopes(frame_id), on_done)

    def evaluate(
        self, expression: str, frame_id: int | None, on_done: Callable[[str], None]
    ) -> None:
        session = self._live()
        if session is None:
            return

        def run() -> str:
            try:
                return str(session.evaluate(expression, frame_id))
            except WorkbenchError as error:
                return f"<{error}>"

        self._ask(run, on_done)

    def _move(self, method: str) -> None:
        session = self._live()
        if session is None or self.current is None:
            return
        self.current = None
        self._ask(lambda: getattr(session, method)(), None)

    def _ask(self, call: Callable[[], Any], on_done: Callable[[Any], None] | None) -> None:
        start_task(lambda _c, _s: call(), on_result=on_done, on_error=self.problem.emit)

    def _on_session_event(self, kind: str, value: Any) -> None:
        if kind == "stopped":
            self.current = value
            self.stopped.emit(value)
        elif kind == "continued":
            self.current = None
            self.continued.emit()
        elif kind in ("finished", "failed"):
            self.session = None
            self.current = None
            if kind == "finished":
                self.finished.emit(value)
            else:
                self.failed.emit(str(value))
