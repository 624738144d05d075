"""The one worker abstraction: blocking core calls on QThreadPool, results via queued signals."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.progress import CancelToken

TaskFn = Callable[[CancelToken, "TaskSink"], Any]


class TaskSignals(QObject):
    """Signals of one task; they live in the GUI thread, so emits from the pool are queued."""

    #: emitted when the task starts running on the pool
    started = Signal()
    #: (message, fraction 0..1 or -1 when unknown) for a progress step
    progress = Signal(str, float)
    #: raw text from a tool or function (pip, docker, logs)
    output = Signal(str)
    #: the task's return value
    result = Signal(object)
    #: a sentence for the user (WorkbenchError text, or a summary of a crash)
    error = Signal(str)
    #: the user cancelled and the task stopped
    cancelled = Signal()
    #: always last, whatever happened
    finished = Signal()


class TaskSink:
    """A core Sink that forwards to the task's signals (thread-safe: emits are queued)."""

    def __init__(self, signals: TaskSignals) -> None:
        self._signals = signals

    def progress(self, message: str, fraction: float | None = None) -> None:
        self._signals.progress.emit(message, -1.0 if fraction is None else float(fraction))

    def output(self, text: str) -> None:
        self._signals.output.emit(text)


class Task(QRunnable):
    """A cancellable blocking call: fn(cancel_token, sink) -> value."""

    def __init__(self, fn: TaskFn) -> None:
        super().__init__()
        self.fn = fn
        self.token = CancelToken()
        self.signals = TaskSignals()
        self.setAutoDelete(False)  # the handle keeps it; avoids deletion races

    def cancel(self) -> None:
        self.token.cancel()

    def run(self) -> None:
        try:
            self._run()
        except RuntimeError as error:
            # The app is quitting and Qt already deleted the signals' object: nobody is
            # left to tell, and a traceback on the way out would only alarm the user.
            if "deleted" not in str(error):
                raise

    def _run(self) -> None:
        signals = self.signals
        signals.started.emit()
        try:
            value = self.fn(self.token, TaskSink(signals))
        except Cancelled:
            signals.cancelled.emit()
        except WorkbenchError as error:
            signals.error.emit(str(error))
        except Exception as error:  # a bug: never crash the app, say what happened
            traceback.print_exc()
            signals.error.emit(
                f"Something went wrong inside the workbench ({type(error).__name__}: {error}). "
                "Your edits are safe; please report this with the terminal output."
            )
        else:
            signals.result.emit(value)
        signals.finished.emit()


_running: set[Task] = set()


def _unless_gone(slot: Callable[..., Any]) -> Callable[..., Any]:
    """The slot, skipped when the widget it reports to was closed meanwhile."""

    def call(*args: Any) -> None:
        try:
            slot(*args)
        except RuntimeError as error:
            # "Signal source has been deleted" / "Internal C++ object ... already deleted":
            # a late result for a window or dialog that no longer exists.
            if "deleted" not in str(error):
                raise

    return call


def start_task(
    fn: TaskFn,
    *,
    on_result: Callable[[Any], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    on_progress: Callable[[str, float], None] | None = None,
    on_output: Callable[[str], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    on_finished: Callable[[], None] | None = None,
    pool: QThreadPool | None = None,
) -> Task:
    """Start fn on the pool and connect the callbacks (they run in the GUI thread)."""
    task = Task(fn)
    s = task.signals
    for signal, slot in (
        (s.result, on_result),
        (s.error, on_error),
        (s.progress, on_progress),
        (s.output, on_output),
        (s.cancelled, on_cancelled),
        (s.finished, on_finished),
    ):
        if slot is not None:
            signal.connect(_unless_gone(slot))
    _running.add(task)
    s.finished.connect(lambda: _running.discard(task))
    (pool or QThreadPool.globalInstance()).start(task)
    return task
