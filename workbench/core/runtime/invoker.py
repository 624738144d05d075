"""Invoker: the life of one execution environment (cold, warm, generation, retire).

One Invoker runs one invoke at a time, as one Lambda execution environment does. Choosing
and creating the runner lives in `runners`, Lambda's platform output in `platform`, what is
enforced per invoke in `policy`; the FunctionHost keeps pools of Invokers.
"""

from __future__ import annotations

import codecs
import threading
import time
from collections.abc import Callable
from typing import Any

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.invoke import InvocationResult
from workbench.core.progress import CancelToken, NullSink, Sink
from workbench.core.runtime import ids, platform
from workbench.core.runtime.api import Invocation, RuntimeApi
from workbench.core.runtime.environment import Environment, ExitInfo
from workbench.core.runtime.policy import DEFAULT_POLICY, InvokePolicy
from workbench.core.runtime.runners import (
    EnvironmentFactory,
    make_environment,
    resolve_runner,
)
from workbench.core.settings import Settings

__all__ = ["Invoker", "make_environment", "resolve_runner"]

_POLL_S = 0.05


class Invoker:
    """Runs one function's invokes in a warm-when-possible execution environment.

    Methods block; call them from a worker thread in the UI. `close()` may be called from
    any thread at any time: it ends the environment at once, also while an invoke or a
    prestart is waiting on it.
    """

    def __init__(
        self,
        function: FunctionConfig,
        runner: str = "process",
        *,
        image: str | None = None,
        settings: Settings | None = None,
        environment_factory: EnvironmentFactory | None = None,
        options: dict[str, Any] | None = None,
    ) -> None:
        self.function = function
        # Tests plug in other runtimes here (e.g. AWS's awslambdaric on the host).
        self._factory = environment_factory or make_environment
        self.runner = runner
        self.image = image
        self.settings = settings
        self.options = dict(options or {})
        self._lock = threading.RLock()
        self._env: Environment | None = None
        self._api: RuntimeApi | None = None
        self._started_at = 0.0
        # Bumped whenever an environment starts or is discarded, so late output
        # or a late exit from a retired environment never touches the current one.
        self._generation = 0
        self._invoked = False
        self._begun = False
        self._stop = threading.Event()  # close() or reset() from another thread
        self._current: Invocation | None = None
        self._out_lock = threading.Lock()
        self._output = bytearray()
        self._dropped = 0
        self._keep_logs = True
        self._log_cap = DEFAULT_POLICY.log_cap_bytes
        self._sink: Sink = NullSink()
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        # Called (from the invoking thread) when a new environment's runtime is ready.
        self.on_ready: Callable[[], None] | None = None

    # State

    @property
    def state(self) -> str:
        env, api = self._env, self._api
        if env is None or api is None or not env.alive:
            return "cold"
        return "warm" if api.ready.is_set() else "starting"

    @property
    def generation(self) -> int:
        return self._generation

    def reset(self) -> None:
        """Drop the environment (after a running invoke ends); the next invoke is cold."""
        with self._lock:
            self._discard()

    def update_function(self, function: FunctionConfig) -> None:
        with self._lock:
            self.function = function
            self._discard()

    def close(self) -> None:
        """End the environment now, also while an invoke or a prestart waits on it."""
        self._interrupt()
        with self._lock:
            self._discard()
            self._stop.clear()

    def _interrupt(self) -> None:
        """Make a waiting invoke or prestart give up now, without waiting for its lock."""
        self._stop.set()
        env = self._env
        if env is not None:
            env.kill()

    def prestart(self, cancel: CancelToken | None = None, sink: Sink | None = None) -> None:
        """Start a fresh environment now so the next invoke does not wait for it."""
        cancel = cancel or CancelToken()
        with self._lock:
            if self.state == "cold":
                self._start(cancel, sink or NullSink())
            self._wait_ready(cancel, DEFAULT_POLICY)

    # Invoke

    def invoke(
        self,
        event: bytes,
        *,
        cancel: CancelToken | None = None,
        sink: Sink | None = None,
        client_context: str | None = None,
        policy: InvokePolicy | None = None,
    ) -> InvocationResult:
        cancel = cancel or CancelToken()
        sink = sink or NullSink()
        policy = policy or DEFAULT_POLICY
        if len(event) > policy.max_request_bytes:
            raise WorkbenchError(platform.request_too_large(len(event), policy.max_request_bytes))
        self._acquire(cancel)
        try:
            return self._invoke_locked(event, cancel, sink, client_context, policy)
        finally:
            self._lock.release()

    def _acquire(self, cancel: CancelToken) -> None:
        # A prestart may hold the lock while the runtime starts: stay cancellable meanwhile.
        while not self._lock.acquire(timeout=_POLL_S):
            if cancel.cancelled:
                raise Cancelled("The invoke")

    def _invoke_locked(
        self,
        event: bytes,
        cancel: CancelToken,
        sink: Sink,
        client_context: str | None,
        policy: InvokePolicy,
    ) -> InvocationResult:
        self._sink = sink
        self._keep_logs = policy.keep_logs
        self._log_cap = policy.log_cap_bytes
        if self.state == "cold":
            self._discard()
            self._start(cancel, sink)
        cold = not self._invoked
        failure = self._wait_ready(cancel, policy)
        api, env = self._api, self._env
        assert api is not None and env is not None
        request_id = ids.request_id()
        init_ms = None
        if cold:
            ready_at = api.first_next_at or time.perf_counter()
            # From the runtime's launch (container start), not from image pulls,
            # dependency installs or container creation.
            launched = env.launched_at or self._started_at
            init_ms = (ready_at - launched) * 1000
        if failure is not None:
            return self._init_failure(request_id, failure, init_ms, policy)
        if not self._begun:
            self._begun = True
            env.begin_invokes()
            if self.on_ready is not None:
                self.on_ready()
        self._invoked = True
        timeout = float(self.function.timeout_s)
        clock = policy.clock
        invocation = Invocation(
            request_id=request_id,
            body=event,
            deadline_ms=int((time.time() + timeout) * 1000),
            function_arn=self.function.arn,
            trace_id=platform.trace_id(),
            client_context=client_context,
        )
        before = self._take_output()
        self._current = invocation
        started_wall = time.time()
        submitted = time.perf_counter()
        paused_before = clock.paused_s if clock is not None else 0.0
        api.submit(invocation)
        timed_out = self._wait_outcome(invocation, submitted, timeout, cancel, policy)
        self._current = None
        paused_s = (clock.paused_s - paused_before) if clock is not None else 0.0
        if timed_out:
            api.abandon(invocation)
            env.kill()
            invocation.finish("platform", error=platform.timeout_error(request_id, timeout))
        env.note_reported_rss(invocation.max_rss_kb)
        env.flush_output(request_id, timeout=1.0)
        handed = invocation.handed_out_at or submitted
        finished = invocation.finished_at or time.perf_counter()
        if timed_out:
            duration_ms = timeout * 1000
        else:
            duration_ms = max(0.0, (finished - handed - paused_s) * 1000)
        result = platform.build_result(
            function=self.function,
            runner=self.runner,
            request_id=request_id,
            kind=invocation.kind,
            response=invocation.response,
            error=invocation.error,
            cold=cold,
            init_ms=init_ms,
            duration_ms=duration_ms,
            before=before,
            during=self._take_output(),
            started_wall=started_wall,
            timed_out=timed_out,
            max_used_mb=env.max_memory_used_mb(),
            log_cap_bytes=policy.log_cap_bytes,
            paused_s=paused_s,
        )
        if cold:
            # What ran (which interpreter, a version mismatch): said once per environment.
            result.hints[:0] = list(getattr(env, "hints", []))
        if timed_out or not env.alive or invocation.kind == "platform":
            self._discard()
        return result

    # Internals

    def _start(self, cancel: CancelToken, sink: Sink) -> None:
        cancel.raise_if_cancelled("The invoke")
        self._api = RuntimeApi()
        self._invoked = False
        self._begun = False
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
                **self.options,
            )
            self._started_at = time.perf_counter()
            self._env.start(cancel, sink)
        except BaseException:
            self._discard()
            raise

    def _wait_ready(self, cancel: CancelToken, policy: InvokePolicy) -> tuple[str, Any] | None:
        """Wait for the runtime's first `next`; returns a failure or None when ready."""
        api, env = self._api, self._env
        if api is None or env is None:
            raise Cancelled("The invoke")
        limit = time.perf_counter() + policy.init_limit_s + float(self.function.timeout_s)
        while not api.ready.is_set():
            if api.init_error_event.is_set():
                env.kill()
                return ("init_error", api.init_error)
            if not env.alive:
                if self._stop.is_set():
                    raise Cancelled("The invoke")
                if api.init_error_event.wait(0.2):  # the post may trail the exit
                    return ("init_error", api.init_error)
                return ("exit", env.exit_info)
            if cancel.cancelled or self._stop.is_set():
                self._discard()
                raise Cancelled("The invoke")
            if time.perf_counter() > limit:
                env.kill()
                return ("init_timeout", None)
            api.ready.wait(_POLL_S)
        return None

    def _wait_outcome(
        self,
        invocation: Invocation,
        submitted: float,
        timeout: float,
        cancel: CancelToken,
        policy: InvokePolicy,
    ) -> bool:
        """Block until the invocation finishes; True when it ran past its timeout."""
        clock = policy.clock
        while True:
            paused = clock.paused_s if clock is not None else 0.0
            remaining = submitted + timeout + paused - time.perf_counter()
            if invocation.done.wait(min(_POLL_S, max(0.0, remaining))):
                if self._stop.is_set():  # closed under it: the exit is ours, not the function's
                    self._discard()
                    raise Cancelled("The invoke")
                return False
            if cancel.cancelled or self._stop.is_set():
                self._discard()
                raise Cancelled("The invoke")
            if not policy.enforce_timeout or (clock is not None and clock.paused):
                continue
            paused = clock.paused_s if clock is not None else 0.0
            if time.perf_counter() >= submitted + timeout + paused:
                return not invocation.done.is_set()

    def _on_exit(self, generation: int, info: ExitInfo) -> None:
        current = self._current
        if current is None or generation != self._generation:
            return
        current.finish("platform", error=platform.exit_error(current.request_id, info))

    def _on_output(self, generation: int, chunk: bytes) -> None:
        if generation != self._generation:
            return
        with self._out_lock:
            room = self._log_cap - len(self._output) if self._keep_logs else 0
            if room >= len(chunk):
                self._output += chunk
            else:
                self._output += chunk[: max(0, room)]
                self._dropped += len(chunk) - max(0, room)
            text = self._decoder.decode(chunk) if self._keep_logs else ""
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
        self,
        request_id: str,
        failure: tuple[str, Any],
        init_ms: float | None,
        policy: InvokePolicy,
    ) -> InvocationResult:
        kind, detail = failure
        if kind == "init_error":
            error = dict(detail)
            error.pop("requestId", None)
        elif kind == "exit":
            error = platform.exit_error(request_id, detail)
        else:
            error = platform.init_timeout_error(request_id, policy.init_limit_s)
        env = self._env
        if env is not None:
            env.flush_output(request_id, timeout=0.2)
        result = platform.build_result(
            function=self.function,
            runner=self.runner,
            request_id=request_id,
            kind="platform",
            response=None,
            error=error,
            cold=True,
            init_ms=init_ms,
            duration_ms=0.0,
            before=self._take_output(),
            during=("", 0),
            started_wall=time.time(),
            timed_out=False,
            max_used_mb=env.max_memory_used_mb() if env is not None else None,
            log_cap_bytes=policy.log_cap_bytes,
        )
        if env is not None:
            result.hints[:0] = list(getattr(env, "hints", []))
        self._discard()
        return result
