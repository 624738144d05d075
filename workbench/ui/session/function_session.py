"""Opening a project and running its functions: one Invoker per function, driven on workers."""

from __future__ import annotations

import contextlib
import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core import project as core_project
from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, Sink
from workbench.core.settings import Settings
from workbench.ui.worker import Task, start_task


@dataclass
class OpenedProject:
    """What the window shows: the project's root, its functions and what to warn about."""

    root: Path
    functions: list[FunctionConfig]
    warnings: list[str] = field(default_factory=list)
    project: Any = None  # the workbench.core.project.Project


def open_project(path: Path) -> OpenedProject:
    """Open a folder or template; a project with no function is refused with a sentence."""
    project = core_project.open_project(path.expanduser().resolve())
    if not project.functions:
        problems = " ".join(project.errors) or "it defines no functions."
        raise WorkbenchError(f"{path} could not be opened as a project: {problems}")
    return OpenedProject(
        project.root, list(project.functions), list(project.warnings) + list(project.errors),
        project,
    )  # fmt: skip


def handler_file(function: FunctionConfig) -> Path | None:
    """The source file holding the handler (module path from the handler string)."""
    module = function.handler.rsplit(".", 1)[0]
    base = function.code_dir / Path(*module.split("."))
    for suffix in (".py", ".mjs", ".js", ".ts", ".cjs"):
        candidate = base.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


PREWARM_MODULES = (
    "workbench.core.runtime.invoker",
    "workbench.core.runtime.process_env",
    "workbench.core.runtime.docker_env",
)


class FunctionSession(QObject):
    """The Invoker of the selected function and the tasks running on it."""

    #: "cold", "starting" or "warm" (polled from the Invoker, which has no signals)
    state_changed = Signal(str)
    #: the runner actually used ("process" or "docker")
    runner_changed = Signal(str)
    #: a reset (and prestart, when asked) finished; the next invoke uses fresh code
    environment_reset = Signal()

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.function: FunctionConfig | None = None
        self.invoker: Any = None
        self.task: Task | None = None
        self._state = "cold"
        self._poll = QTimer(self, interval=250)
        self._poll.timeout.connect(self._on_poll_timeout)
        self._poll.start()

    @property
    def busy(self) -> bool:
        return self.task is not None

    def set_function(self, function: FunctionConfig) -> None:
        """Switch function; the old environment is closed on a worker."""
        self.close()
        self.function = function

    def update_function(self, function: FunctionConfig, prestart: bool = True) -> None:
        """The same function with new settings: its environment retires (and restarts)."""
        self.function = function
        invoker = self.invoker
        if invoker is None:
            self.environment_reset.emit()  # nothing warm: the next invoke starts fresh anyway
            return

        def run(cancel: CancelToken, sink: Sink) -> None:
            invoker.update_function(function)
            if prestart:
                invoker.prestart(cancel=cancel, sink=sink)

        start_task(run, on_error=lambda _sentence: None, on_finished=self.environment_reset.emit)

    def prewarm(self) -> Task:
        """Import the runtime modules on a worker while the user is still reading.

        Importing holds the GIL for tens of milliseconds; done during the first
        invoke it would show up as a stall of the window.
        """

        def load(_cancel: CancelToken, _sink: Sink) -> None:
            for name in PREWARM_MODULES:
                with contextlib.suppress(ImportError):
                    importlib.import_module(name)

        return start_task(load)

    def _ensure_invoker(self, cancel: CancelToken, sink: Sink) -> Any:
        if self.invoker is None:
            try:
                module = importlib.import_module("workbench.core.runtime.invoker")
            except ImportError as error:
                raise WorkbenchError(
                    "This build has no local runtime (workbench.core.runtime.invoker is "
                    "missing); update Lambda Workbench."
                ) from error
            requested = self.settings.get("runner")
            sink.progress(f"Choosing where to run ({requested})")
            runner = module.resolve_runner(requested)
            assert self.function is not None
            self.invoker = module.Invoker(self.function, runner, settings=self.settings)
        return self.invoker

    def invoke(
        self,
        event: bytes,
        *,
        on_result: Callable[[Any], None],
        on_error: Callable[[str], None],
        on_output: Callable[[str], None],
        on_progress: Callable[[str, float], None] | None = None,
        on_finished: Callable[[], None] | None = None,
        on_cancelled: Callable[[float], None] | None = None,
        reset_first: bool = False,
        client_context: str | None = None,
    ) -> Task:
        if self.function is None:
            raise WorkbenchError("Open a project with a function first.")

        def run(cancel: CancelToken, sink: Sink) -> Any:
            invoker = self._ensure_invoker(cancel, sink)
            if reset_first:
                invoker.reset()  # files just saved: Lambda would start from the new code
            if client_context is None:
                return invoker.invoke(event, cancel=cancel, sink=sink)
            return invoker.invoke(event, cancel=cancel, sink=sink, client_context=client_context)

        def finished() -> None:
            self.task = None
            if self.invoker is not None:
                self.runner_changed.emit(str(self.invoker.runner))
            if on_finished is not None:
                on_finished()

        started = time.monotonic()

        def cancelled() -> None:
            seconds = time.monotonic() - started
            if on_cancelled is not None:
                on_cancelled(seconds)
            else:
                on_error(f"Stopped after {seconds:.1f} s.")

        self.task = start_task(
            run, on_result=on_result, on_error=on_error, on_output=on_output,
            on_progress=on_progress, on_cancelled=cancelled, on_finished=finished,
        )  # fmt: skip
        return self.task

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def reset(self, prestart: bool = False) -> None:
        """Next invoke is cold; with `prestart` a fresh environment starts now in the background."""
        invoker = self.invoker
        if invoker is None:
            self.environment_reset.emit()
            return

        def run(cancel: CancelToken, sink: Sink) -> None:
            invoker.reset()
            if prestart:
                invoker.prestart(cancel=cancel, sink=sink)

        # A failed prestart is not an error yet: the next invoke reports it in full.
        start_task(run, on_error=lambda _sentence: None, on_finished=self.environment_reset.emit)

    def close(self) -> None:
        invoker, self.invoker = self.invoker, None
        if self.task is not None:
            self.task.cancel()
        if invoker is not None:
            start_task(lambda _c, _s: invoker.close())

    def close_now(self) -> None:
        """At quit: stop everything so no environment outlives the window."""
        self._poll.stop()
        if self.task is not None:
            self.task.cancel()
        if self.invoker is not None:
            # Quitting anyway; a leftover process dies with its parent.
            with contextlib.suppress(Exception):
                self.invoker.close()
            self.invoker = None

    def _on_poll_timeout(self) -> None:
        state = str(getattr(self.invoker, "state", "cold")) if self.invoker else "cold"
        if self.task is not None and state == "cold":
            state = "starting"
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)


def engine_status_text(status: Any) -> tuple[str, str]:
    """(label, tooltip) for the status bar from docker_engine.engine_status()'s answer.

    The answer has `.ok` and `.sentence` (why not, or what answered) and, when
    the engine runs, usually `.version`.
    """
    ok = bool(getattr(status, "ok", getattr(status, "running", False)))
    version = getattr(status, "version", None)
    sentence = str(getattr(status, "sentence", "") or "")
    if ok:
        return (f"Docker {version}" if version else "Docker running"), (
            sentence or "The Docker engine answers; handlers run in containers."
        )
    return "Docker not running: using process mode", (
        sentence or "The Docker engine did not answer, so handlers run as local processes."
    )
