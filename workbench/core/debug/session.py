"""DebugSession: one invoke under debugpy, driven by the workbench's DAP client.

Lambda's clock stops while the debugger holds the function: the deadline does not fire, the
time held is left out of Duration (and reported as paused), and on every resume the context's
deadline moves later by the time held, so `get_remaining_time_in_millis()` continues from
where it was when the function stopped.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.debug.dap import DapClient, DebugError
from workbench.core.debug.launch import debug_factory, free_port
from workbench.core.debug.lines import breakpoint_line
from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.invoke import InvocationResult
from workbench.core.progress import CancelToken
from workbench.core.runtime.invoker import Invoker
from workbench.core.runtime.policy import DeadlineClock, InvokePolicy

CONNECT_TIMEOUT_S = 20.0
# Moves the deadline of every Lambda context object (ours: _deadline_ms; awslambdaric's:
# _epoch_deadline_time_in_ms) later by the time the debugger held the function.
# Found through the frames of the stopped thread (the handler's and the runtime client's), each
# context once, so the lookup costs microseconds instead of a walk over every object.
_SHIFT = (
    "[setattr(o, a, getattr(o, a) + {ms}) for o in {{id(o): o for f, _ in "
    "__import__('traceback').walk_stack(None) for o in list(f.f_locals.values()) "
    "if type(o).__name__ == 'LambdaContext'}}.values() "
    "for a in ('_deadline_ms', '_epoch_deadline_time_in_ms') if hasattr(o, a)] and None"
)


_RUNTIME_DIRS = (
    str(Path(__file__).resolve().parent),  # the launcher
    str(Path(__file__).resolve().parents[1] / "runtime"),  # the workbench's runtime clients
    "/var/runtime",  # AWS's runtime client in a container
)


def _is_runtime_file(path: str) -> bool:
    return any(path.startswith(folder + "/") for folder in _RUNTIME_DIRS)


@dataclass(frozen=True)
class Frame:
    id: int
    name: str
    path: Path | None
    line: int


@dataclass(frozen=True)
class Variable:
    name: str
    value: str
    type: str
    reference: int  # > 0 when it can be expanded


@dataclass(frozen=True)
class Stop:
    thread_id: int
    reason: str  # breakpoint, step, exception, pause
    frames: list[Frame] = field(default_factory=list)
    description: str = ""


DebugListener = Callable[[str, Any], None]  # ("stopped", Stop) ("continued", None) ...


class DebugSession:
    """Invoke a function once under the debugger; the methods may be called from any thread.

    `on_event(kind, value)` receives "stopped" (a Stop), "continued", "output" (text),
    "finished" (an InvocationResult) and "failed" (a sentence).
    """

    def __init__(
        self,
        function: FunctionConfig,
        *,
        breakpoints: dict[Path, list[int]] | None = None,
        break_on_uncaught: bool = False,
        on_event: DebugListener | None = None,
        runner: str = "process",
        image: str | None = None,
        settings: Any = None,
    ) -> None:
        self.function = function
        self.breakpoints = {Path(p).resolve(): list(v) for p, v in (breakpoints or {}).items()}
        self.break_on_uncaught = break_on_uncaught
        self.on_event = on_event
        self.runner = runner
        self.clock = DeadlineClock()
        self.port = free_port()
        self.result: InvocationResult | None = None
        self.failure: str | None = None
        self.finished = threading.Event()
        self._stopped = threading.Event()
        self._stop: Stop | None = None
        self._stopped_at: float | None = None
        self._cancel = CancelToken()
        self._client: DapClient | None = None
        self._invoker = Invoker(
            function,
            runner,
            image=image,
            settings=settings,
            environment_factory=debug_factory(self.port),
        )

    # Life

    def start(self, event: bytes, client_context: str | None = None) -> None:
        """Start the invoke, attach, set breakpoints; returns once the handler may run."""
        threading.Thread(
            target=self._run, args=(event, client_context), name="debug-invoke", daemon=True
        ).start()
        try:
            host, port = self._debugger_address()
            self._client = DapClient.connect(
                host, port, CONNECT_TIMEOUT_S, on_event=self._on_dap_event
            )
            client = self._client
            client.request(
                "initialize",
                clientID="lambda-workbench",
                adapterID="debugpy",
                linesStartAt1=True,
                columnsStartAt1=True,
                pathFormat="path",
                supportsVariableType=True,
            )
            # The attach answer comes after configurationDone: send it, answer it later.
            attach: dict[str, Any] = {"justMyCode": False, "subProcess": False}
            if self.runner == "docker":  # the code is at /var/task in the container
                attach["pathMappings"] = [
                    {"localRoot": str(self.function.code_dir.resolve()), "remoteRoot": "/var/task"}
                ]
            client.send("attach", **attach)
            for path, lines in self.breakpoints.items():
                self.set_breakpoints(path, lines)
            client.request(
                "setExceptionBreakpoints",
                filters=["uncaught"] if self.break_on_uncaught else [],
            )
            client.request("configurationDone")
        except WorkbenchError:
            self.stop()
            raise

    def _debugger_address(self) -> tuple[str, int]:
        """Where debugpy listens: this machine's port, or the container's once it runs."""
        if self.runner != "docker":
            return ("127.0.0.1", self.port)
        # Pulling the image or installing requirements comes first: wait for the container.
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and not self.finished.is_set():
            env = self._invoker._env
            address = getattr(env, "debug_address", lambda: None)()
            if address is not None:
                return address
            time.sleep(0.02)
        raise DebugError(self.failure or "The container for the debug session did not start.")

    def stop(self) -> None:
        """End the session: the invoke is stopped and its environment retired."""
        self._cancel.cancel()
        client = self._client
        if client is not None and not client.closed.is_set():
            with contextlib.suppress(DebugError):
                client.send("disconnect", terminateDebuggee=True)
            client.close()
        self.clock.resume()
        self._invoker.close()

    def wait_finished(self, timeout: float) -> InvocationResult | None:
        self.finished.wait(timeout)
        return self.result

    def wait_stopped(self, timeout: float) -> Stop | None:
        """The next stop (breakpoint, step, exception), or None when none came in time."""
        deadline = time.monotonic() + timeout
        while not self._stopped.wait(0.05):
            if self.finished.is_set() or time.monotonic() >= deadline:
                return None
        return self._stop

    @property
    def paused(self) -> bool:
        return self._stopped.is_set()

    # Breakpoints

    def set_breakpoints(self, path: Path, lines: list[int]) -> list[int]:
        """Set the breakpoints of one file; returns the lines they really stop at."""
        path = Path(path).resolve()
        moved = sorted({breakpoint_line(path, line) for line in lines})
        self.breakpoints[path] = moved
        if self._client is None:
            return moved
        body = self._request(
            "setBreakpoints",
            source={"path": str(path), "name": path.name},
            breakpoints=[{"line": line} for line in moved],
        )
        return [int(b.get("line", 0)) for b in body.get("breakpoints", []) if b.get("verified")]

    # Inspecting

    def stack(self, thread_id: int | None = None) -> list[Frame]:
        thread = thread_id if thread_id is not None else self._thread_id()
        body = self._request("stackTrace", threadId=thread, startFrame=0, levels=50)
        frames = []
        for item in body.get("stackFrames", []):
            source = item.get("source") or {}
            where = source.get("path")
            if where and _is_runtime_file(where):
                continue  # the runtime client and the debug launcher are not the user's code
            frames.append(
                Frame(
                    id=int(item["id"]),
                    name=str(item.get("name", "")),
                    path=Path(where) if where else None,
                    line=int(item.get("line", 0)),
                )
            )
        return frames

    def scopes(self, frame_id: int) -> list[tuple[str, int]]:
        body = self._request("scopes", frameId=frame_id)
        return [(str(s.get("name")), int(s.get("variablesReference", 0))) for s in body["scopes"]]

    def variables(self, reference: int) -> list[Variable]:
        body = self._request("variables", variablesReference=reference)
        return [
            Variable(
                name=str(v.get("name")),
                value=str(v.get("value")),
                type=str(v.get("type", "")),
                reference=int(v.get("variablesReference", 0)),
            )
            for v in body.get("variables", [])
        ]

    def locals(self, frame_id: int) -> dict[str, str]:
        """The local variables of a frame by name (their repr), for quick looks and tests."""
        for name, reference in self.scopes(frame_id):
            if name.lower().startswith("locals"):
                return {v.name: v.value for v in self.variables(reference)}
        return {}

    def evaluate(self, expression: str, frame_id: int | None = None) -> str:
        arguments: dict[str, Any] = {"expression": expression, "context": "repl"}
        if frame_id is not None:
            arguments["frameId"] = frame_id
        return str(self._request("evaluate", **arguments).get("result", ""))

    # Moving on

    def continue_(self) -> None:
        self._resume("continue")

    def step_over(self) -> None:
        self._resume("next")

    def step_into(self) -> None:
        self._resume("stepIn")

    def step_out(self) -> None:
        self._resume("stepOut")

    def pause(self) -> None:
        self._request("pause", threadId=self._thread_id())

    # Internals

    def _run(self, event: bytes, client_context: str | None) -> None:
        policy = InvokePolicy(clock=self.clock, init_limit_s=900.0)
        try:
            self.result = self._invoker.invoke(
                event, cancel=self._cancel, client_context=client_context, policy=policy
            )
        except WorkbenchError as error:
            self.failure = self.failure or str(error)
        finally:
            self.finished.set()
            client = self._client
            if client is not None:
                client.close()
            self._invoker.close()  # a debug environment is never reused
            if self.on_event is not None:
                if self.result is not None:
                    self.on_event("finished", self.result)
                else:
                    self.on_event("failed", self.failure or "The debug session ended.")

    def _resume(self, command: str) -> None:
        stop = self._stop
        if stop is None or not self._stopped.is_set():
            raise DebugError("The function is not stopped in the debugger.")
        held_ms = int((time.perf_counter() - (self._stopped_at or time.perf_counter())) * 1000)
        if held_ms > 0 and stop.frames:
            # Waited for: debugpy runs evaluations on the stopped thread, and a resume sent
            # before the answer can overtake it.
            with contextlib.suppress(DebugError):
                self._request(
                    "evaluate",
                    expression=_SHIFT.format(ms=held_ms),
                    frameId=stop.frames[0].id,
                    context="repl",
                )
        self._stopped.clear()
        self._stop = None
        self.clock.resume()
        try:
            self._request(command, threadId=stop.thread_id)
        except DebugError:
            # The handler may run to its end, and the environment close, before the answer.
            if not (
                self.finished.wait(1.0) or self._client is None or self._client.closed.is_set()
            ):
                raise
        if self.on_event is not None:
            self.on_event("continued", None)

    def _thread_id(self) -> int:
        if self._stop is not None:
            return self._stop.thread_id
        threads = self._request("threads").get("threads", [])
        if not threads:
            raise DebugError("The function has no threads to inspect.")
        return int(threads[0]["id"])

    def _request(self, command: str, **arguments: Any) -> dict[str, Any]:
        if self._client is None:
            raise DebugError("The debugger is not attached.")
        return self._client.request(command, **arguments)

    def _on_dap_event(self, name: str, body: dict[str, Any]) -> None:
        if name == "workbench.closed":
            if not self.finished.is_set() and not self._cancel.cancelled:
                # The connection went away mid-session: a paused function would wait
                # forever, so the invoke is stopped and its environment retired.
                self.failure = "The debugger's connection closed; the invoke was stopped."
                self._cancel.cancel()
                threading.Thread(target=self._invoker.close, daemon=True).start()
            return
        if name == "stopped":
            self.clock.pause()
            self._stopped_at = time.perf_counter()
            thread_id = int(body.get("threadId", 0))
            threading.Thread(
                target=self._announce_stop,
                args=(thread_id, str(body.get("reason", "")), str(body.get("description", ""))),
                daemon=True,
            ).start()
        elif (
            name == "output"
            and self.on_event is not None
            and body.get("category")
            in (
                "stdout",
                "stderr",
                "console",
            )
        ):
            self.on_event("output", str(body.get("output", "")))

    def _announce_stop(self, thread_id: int, reason: str, description: str) -> None:
        # Stack requests cannot be answered on the reader thread that delivered the event.
        try:
            frames = self.stack(thread_id)
        except DebugError:
            frames = []
        self._stop = Stop(thread_id, reason, frames, description)
        self._stopped.set()
        if self.on_event is not None:
            self.on_event("stopped", self._stop)
