"""Invoker: the Lambda platform around one function's execution environment.

Everything Lambda-shaped happens here, once, for every kind of environment:
START/END/REPORT lines, timeouts, payload limits, platform error shapes,
cold and warm starts, durations, memory and cost.
"""

from __future__ import annotations

import codecs
import importlib
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.invoke import InvocationResult, billed_duration_ms, invoke_cost_usd
from workbench.core.progress import CancelToken, NullSink, Sink
from workbench.core.runtime.api import MAX_RESPONSE_BYTES, Invocation, RuntimeApi
from workbench.core.runtime.environment import Environment, ExitInfo
from workbench.core.settings import Settings

MAX_REQUEST_BYTES = MAX_RESPONSE_BYTES  # 6 MB synchronous payload, as observed
LOG_CAP_BYTES = 16 * 1024 * 1024  # output kept per invoke; the rest is counted
INIT_LIMIT_S = 10.0  # Lambda's init phase limit for on-demand functions
_POLL_S = 0.05


def resolve_runner(requested: str = "auto") -> str:
    """'process' or 'docker' for a requested runner; 'auto' means Docker when an engine answers."""
    if requested == "process":
        return "process"
    status = _docker_status()
    if requested == "docker":
        if status is None:
            raise WorkbenchError(
                "The Docker runner is not available in this version; use --runner process."
            )
        if not status.ok:
            raise WorkbenchError(status.sentence)
        return "docker"
    if requested != "auto":
        raise WorkbenchError(f"Unknown runner {requested!r}: use auto, docker or process.")
    return "docker" if status is not None and status.ok else "process"


def _docker_status() -> Any:
    try:
        engine = importlib.import_module("workbench.core.runtime.docker_engine")
    except ImportError:
        return None
    return engine.engine_status()


def make_environment(
    runner: str,
    function: FunctionConfig,
    api_address: str,
    on_output: Callable[[bytes], None],
    on_exit: Callable[[ExitInfo], None],
    image: str | None = None,
    settings: Settings | None = None,
) -> Environment:
    if runner == "docker":
        module = importlib.import_module("workbench.core.runtime.docker_env")
        return module.DockerEnvironment(
            function=function,
            api_address=api_address,
            on_output=on_output,
            on_exit=on_exit,
            image=image,
            settings=settings,
        )
    from workbench.core.languages import find_family

    if find_family(function.runtime) is None:
        raise WorkbenchError(
            f"The process runner runs Python and Node.js functions; {function.name} uses "
            f"{function.runtime}. Start Docker to run it in its Lambda image."
        )
    from workbench.core.runtime.process_env import ProcessEnvironment

    return ProcessEnvironment(function, api_address, on_output, on_exit)


def _utc_stamp() -> str:
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z"


def _trace_id() -> str:
    return (
        f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)};"
        f"Parent={secrets.token_hex(8)};Sampled=0"
    )


class Invoker:
    """Runs one function's invokes in a warm-when-possible execution environment.

    Methods block; call them from a worker thread in the UI. One invoke runs at
    a time per Invoker, as in one Lambda execution environment.
    """

    def __init__(
        self,
        function: FunctionConfig,
        runner: str = "process",
        *,
        image: str | None = None,
        settings: Settings | None = None,
        environment_factory: Callable[..., Environment] | None = None,
    ) -> None:
        self.function = function
        # Tests plug in other runtimes here (e.g. AWS's awslambdaric on the host).
        self._factory = environment_factory or make_environment
        self.runner = runner
        self.image = image
        self.settings = settings
        self._lock = threading.RLock()
        self._env: Environment | None = None
        self._api: RuntimeApi | None = None
        self._started_at = 0.0
        # Bumped whenever an environment starts or is discarded, so late output
        # or a late exit from a retired environment never touches the current one.
        self._generation = 0
        self._invoked = False
        self._current: Invocation | None = None
        self._out_lock = threading.Lock()
        self._output = bytearray()
        self._dropped = 0
        self._sink: Sink = NullSink()
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    # State

    @property
    def state(self) -> str:
        env, api = self._env, self._api
        if env is None or api is None or not env.alive:
            return "cold"
        return "warm" if api.ready.is_set() else "starting"

    def reset(self) -> None:
        """Drop the environment; the next invoke is a cold start."""
        with self._lock:
            self._discard()

    def update_function(self, function: FunctionConfig) -> None:
        with self._lock:
            self.function = function
            self._discard()

    def close(self) -> None:
        self.reset()

    def prestart(self, cancel: CancelToken | None = None, sink: Sink | None = None) -> None:
        """Start a fresh environment now so the next invoke does not wait for it."""
        with self._lock:
            if self.state == "cold":
                self._start(cancel or CancelToken(), sink or NullSink())
            self._wait_ready(cancel or CancelToken())

    # Invoke

    def invoke(
        self,
        event: bytes,
        *,
        cancel: CancelToken | None = None,
        sink: Sink | None = None,
        client_context: str | None = None,
    ) -> InvocationResult:
        cancel = cancel or CancelToken()
        sink = sink or NullSink()
        if len(event) > MAX_REQUEST_BYTES:
            raise WorkbenchError(
                f"The event is {len(event):,} bytes; Lambda accepts at most "
                f"{MAX_REQUEST_BYTES:,} bytes (6 MB) for a synchronous invoke. Make it smaller."
            )
        with self._lock:
            self._sink = sink
            if self.state == "cold":
                self._discard()
                self._start(cancel, sink)
            cold = not self._invoked
            failure = self._wait_ready(cancel)
            api, env = self._api, self._env
            assert api is not None and env is not None
            request_id = str(uuid.uuid4())
            init_ms = None
            if cold:
                ready_at = api.first_next_at or time.perf_counter()
                # From the runtime's launch (container start), not from image pulls,
                # dependency installs or container creation.
                launched = env.launched_at or self._started_at
                init_ms = (ready_at - launched) * 1000
            if failure is not None:
                return self._init_failure(request_id, failure, init_ms)
            self._invoked = True
            timeout = float(self.function.timeout_s)
            invocation = Invocation(
                request_id=request_id,
                body=event,
                deadline_ms=int((time.time() + timeout) * 1000),
                function_arn=self.function.arn,
                trace_id=_trace_id(),
                client_context=client_context,
            )
            before = self._take_output()
            self._current = invocation
            started_wall = time.time()
            submitted = time.perf_counter()
            api.submit(invocation)
            timed_out = self._wait_outcome(invocation, submitted + timeout, cancel)
            self._current = None
            if timed_out:
                api.abandon(invocation)
                env.kill()
                invocation.finish(
                    "platform",
                    error={
                        "errorType": "Sandbox.Timedout",
                        "errorMessage": f"RequestId: {request_id} Error: Task timed out after "
                        f"{timeout:.2f} seconds",
                        "stackTrace": None,
                    },
                )
            env.note_reported_rss(invocation.max_rss_kb)
            env.flush_output(request_id, timeout=1.0)
            handed = invocation.handed_out_at or submitted
            finished = invocation.finished_at or time.perf_counter()
            duration_ms = timeout * 1000 if timed_out else (finished - handed) * 1000
            result = self._result(
                invocation,
                cold,
                init_ms,
                duration_ms,
                before,
                self._take_output(),
                started_wall,
                timed_out,
            )
            if timed_out or not env.alive or invocation.kind == "platform":
                self._discard()
            return result

    # Internals

    def _start(self, cancel: CancelToken, sink: Sink) -> None:
        cancel.raise_if_cancelled("The invoke")
        self._api = RuntimeApi()
        self._invoked = False
        self._generation += 1
        generation = self._generation
        try:
            self._env = self._factory(
                self.runner,
                self.function,
                self._api.address,
                lambda chunk: self._on_output(generation, chunk),
                lambda info: self._on_exit(generation, info),
                image=self.image,
                settings=self.settings,
            )
            self._started_at = time.perf_counter()
            self._env.start(cancel, sink)
        except BaseException:
            self._discard()
            raise

    def _wait_ready(self, cancel: CancelToken) -> tuple[str, Any] | None:
        """Wait for the runtime's first `next`; returns a failure or None when ready."""
        api, env = self._api, self._env
        assert api is not None and env is not None
        limit = time.perf_counter() + INIT_LIMIT_S + float(self.function.timeout_s)
        while not api.ready.is_set():
            if api.init_error_event.is_set():
                env.kill()
                return ("init_error", api.init_error)
            if not env.alive:
                if api.init_error_event.wait(0.2):  # the post may trail the exit
                    return ("init_error", api.init_error)
                return ("exit", env.exit_info)
            if cancel.cancelled:
                self._discard()
                raise Cancelled("The invoke")
            if time.perf_counter() > limit:
                env.kill()
                return ("init_timeout", None)
            api.ready.wait(_POLL_S)
        return None

    def _wait_outcome(self, invocation: Invocation, deadline: float, cancel: CancelToken) -> bool:
        """Block until the invocation finishes; True when it ran past its timeout."""
        while not invocation.done.wait(min(_POLL_S, max(0.0, deadline - time.perf_counter()))):
            if cancel.cancelled:
                self._discard()
                raise Cancelled("The invoke")
            if time.perf_counter() >= deadline:
                return not invocation.done.is_set()
        return False

    def _on_exit(self, generation: int, info: ExitInfo) -> None:
        current = self._current
        if current is None or generation != self._generation:
            return
        error = {
            "errorType": "Runtime.ExitError",
            "errorMessage": f"RequestId: {current.request_id} Error: Runtime exited with error: "
            f"{info.describe()}",
            "stackTrace": None,
        }
        current.finish("platform", error=error)

    def _on_output(self, generation: int, chunk: bytes) -> None:
        if generation != self._generation:
            return
        with self._out_lock:
            room = LOG_CAP_BYTES - len(self._output)
            if room >= len(chunk):
                self._output += chunk
            else:
                self._output += chunk[: max(0, room)]
                self._dropped += len(chunk) - max(0, room)
            text = self._decoder.decode(chunk)
        if text:
            self._sink.output(text)

    def _take_output(self) -> tuple[str, int]:
        with self._out_lock:
            data, dropped = bytes(self._output), self._dropped
            self._output.clear()
            self._dropped = 0
        return data.decode("utf-8", errors="replace"), dropped

    def _discard(self) -> None:
        env, api = self._env, self._api
        self._env = self._api = None
        self._invoked = False
        self._generation += 1
        if env is not None:
            env.close()
        if api is not None:
            api.close()

    def _init_failure(
        self, request_id: str, failure: tuple[str, Any], init_ms: float | None
    ) -> InvocationResult:
        kind, detail = failure
        if kind == "init_error":
            error = dict(detail)
            error.pop("requestId", None)
        elif kind == "exit":
            error = {
                "errorType": "Runtime.ExitError",
                "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: "
                f"{(detail or ExitInfo(code=1)).describe()}",
                "stackTrace": None,
            }
        else:
            error = {
                "errorType": "Sandbox.Timedout",
                "errorMessage": f"RequestId: {request_id} Error: Init timed out after "
                f"{INIT_LIMIT_S:.2f} seconds",
                "stackTrace": None,
            }
        env = self._env
        if env is not None:
            env.flush_output(request_id, timeout=0.2)
        invocation = Invocation(request_id, b"", 0, self.function.arn, "")
        invocation.finish("platform", error=error)
        result = self._result(
            invocation, True, init_ms, 0.0, self._take_output(), ("", 0), time.time(), False
        )
        self._discard()
        return result

    def _result(
        self,
        invocation: Invocation,
        cold: bool,
        init_ms: float | None,
        duration_ms: float,
        before: tuple[str, int],
        during: tuple[str, int],
        started_wall: float,
        timed_out: bool,
    ) -> InvocationResult:
        fn = self.function
        rid = invocation.request_id
        env = self._env
        max_used = env.max_memory_used_mb() if env is not None else None
        billed = billed_duration_ms(duration_ms, init_ms if cold else None)
        report = (
            f"REPORT RequestId: {rid}\tDuration: {duration_ms:.2f} ms\t"
            f"Billed Duration: {billed} ms\tMemory Size: {fn.memory_mb} MB\t"
            + (f"Max Memory Used: {max_used} MB\t" if max_used is not None else "")
            + (f"Init Duration: {init_ms:.2f} ms\t" if cold and init_ms is not None else "")
        )
        body = during[0]
        if body and not body.endswith("\n"):
            body += "\n"
        dropped = before[1] + during[1]
        if dropped:
            body += f"[workbench] {dropped:,} bytes of output not kept (limit {LOG_CAP_BYTES:,})\n"
        lines = [
            before[0],
            f"START RequestId: {rid} Version: $LATEST\n",
            body,
            f"END RequestId: {rid}\n",
            report + "\n",
        ]
        if timed_out:
            lines.append(f"{_utc_stamp()} {rid} Task timed out after {fn.timeout_s:.2f} seconds\n")
        hints = []
        error = invocation.error if invocation.kind != "response" else None
        if error and "signal: killed" in str(error.get("errorMessage")) and self.runner == "docker":
            hints.append(
                f"The function was killed, most likely for using all of its {fn.memory_mb} MB; "
                "raise Memory Size or use less memory."
            )
        return InvocationResult(
            request_id=rid,
            runner=self.runner,
            cold_start=cold,
            payload=invocation.response if invocation.kind == "response" else None,
            error=error,
            logs="".join(lines),
            duration_ms=duration_ms,
            billed_duration_ms=billed,
            init_duration_ms=init_ms if cold else None,
            memory_size_mb=fn.memory_mb,
            max_memory_used_mb=max_used,
            cost_usd=invoke_cost_usd(fn.memory_mb, billed, fn.architecture),
            architecture=fn.architecture,
            function_name=fn.function_name,
            started_at=started_wall,
            timed_out=timed_out,
            logs_truncated_bytes=dropped,
            hints=hints,
        )
