"""Opening a project and running its functions through the window's FunctionHost, on workers."""

from __future__ import annotations

import contextlib
import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

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
    return opened(open_core_project(path.expanduser().resolve()), path)


def open_core_project(path: Path) -> Any:
    """The core Project, with the template parameter values the user saved for it."""
    from workbench.core.project.parameters import load_overrides

    root = path if path.is_dir() else path.parent
    return core_project.open_project(path, parameters=load_overrides(root) or None)


def opened(project: Any, path: Path) -> OpenedProject:
    """What the window shows of an opened core Project (refused with a sentence when empty)."""
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
    "workbench.core.runtime.host",
    "workbench.core.runtime.process_env",
    "workbench.core.runtime.docker_env",
)


class FunctionSession(QObject):
    """The function host of the window, the selected function and the tasks running on it."""

    #: "cold", "starting" or "warm" (from the host's pool reports)
    state_changed = Signal(str)
    #: the runner actually used ("process" or "docker")
    runner_changed = Signal(str)
    #: a reset (and prestart, when asked) finished; the next invoke uses fresh code
    environment_reset = Signal()
    #: a pool report from the host, delivered from whichever thread made it (queued to us)
    _pool_reported = Signal(object)

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.function: FunctionConfig | None = None
        self.host: Any = None
        self.task: Task | None = None
        self._state = "cold"
        self._pool: Any = None
        self._pool_reported.connect(self._on_host_pool_reported)

    @property
    def busy(self) -> bool:
        return self.task is not None

    @property
    def state(self) -> str:
        return self._state

    def set_function(self, function: FunctionConfig) -> None:
        """Switch function; the old one's environments are closed on a worker."""
        previous = self.function
        self.function = function
        self._pool = None
        if self.task is not None:
            self.task.cancel()
        host = self.host
        if host is not None:
            start_task(lambda _c, _s: host.set_functions([function]))
        if previous is None or previous.name != function.name:
            self._set_state("cold")

    def update_function(self, function: FunctionConfig, prestart: bool = True) -> None:
        """The same function with new settings: its environments retire (and one restarts)."""
        self.function = function
        self._pool = None
        host = self.host
        if host is None:
            self.environment_reset.emit()  # nothing warm: the next invoke starts fresh anyway
            return

        def run(cancel: CancelToken, sink: Sink) -> None:
            host.set_functions([function])  # a changed config retires its environments
            if prestart:
                host.prestart(function.name, cancel=cancel, sink=sink)

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

    def _ensure_host(self, cancel: CancelToken, sink: Sink) -> Any:
        """The window's FunctionHost (made on a worker: choosing the runner asks Docker)."""
        if self.host is None:
            try:
                host_module = importlib.import_module("workbench.core.runtime.host")
                runners = importlib.import_module("workbench.core.runtime.runners")
            except ImportError as error:
                raise WorkbenchError(
                    "This build has no local runtime (workbench.core.runtime is missing); "
                    "update Lambda Workbench."
                ) from error
            requested = self.settings.get("runner")
            sink.progress(f"Choosing where to run ({requested})")
            runner = runners.resolve_runner(requested)
            self.host = host_module.FunctionHost(
                runner, settings=self.settings, default_limit=1,
                on_state=self._pool_reported.emit,
            )  # fmt: skip
        assert self.function is not None
        if self.function.name not in self.host.names() or (
            self.host.function(self.function.name) != self.function
        ):
            self.host.set_functions([self.function])
        return self.host

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
        function = self.function

        def run(cancel: CancelToken, sink: Sink) -> Any:
            host = self._ensure_host(cancel, sink)
            if reset_first:
                host.retire(function.name)  # files just saved: Lambda would start anew
            return host.invoke(
                function.name, event, cancel=cancel, sink=sink, wait=True,
                client_context=client_context,
            )  # fmt: skip

        def finished() -> None:
            self.task = None
            if self.host is not None:
                self.runner_changed.emit(str(self.host.runner))
            self._refresh_state()
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
        self._refresh_state()
        return self.task

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def reset(self, prestart: bool = False) -> None:
        """Next invoke is cold; with `prestart` a fresh environment starts now in the background."""
        host, function = self.host, self.function
        if host is None or function is None:
            self.environment_reset.emit()
            return

        def run(cancel: CancelToken, sink: Sink) -> None:
            if function.name not in host.names():
                return
            host.retire(function.name)
            if prestart:
                host.prestart(function.name, cancel=cancel, sink=sink)

        # A failed prestart is not an error yet: the next invoke reports it in full.
        start_task(run, on_error=lambda _sentence: None, on_finished=self.environment_reset.emit)

    def close(self) -> None:
        host, self.host = self.host, None
        self._pool = None
        if self.task is not None:
            self.task.cancel()
        if host is not None:
            start_task(lambda _c, _s: host.close())
        self._set_state("cold")

    def close_now(self) -> None:
        """At quit: stop everything so no environment outlives the window."""
        if self.task is not None:
            self.task.cancel()
        if self.host is not None:
            # Quitting anyway; a leftover process dies with its parent.
            with contextlib.suppress(Exception):
                self.host.close()
            self.host = None

    def _on_host_pool_reported(self, state: Any) -> None:
        if self.function is not None and state.function == self.function.name:
            self._pool = state
            self._refresh_state()

    def _refresh_state(self) -> None:
        pool = self._pool
        if pool is not None and pool.ready > 0:
            state = "warm"
        elif self.task is not None:
            state = "starting"
        else:
            state = "cold"
        self._set_state(state)

    def _set_state(self, state: str) -> None:
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
