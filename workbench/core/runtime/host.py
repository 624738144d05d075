"""FunctionHost: per function a pool of execution environments; many functions at once.

Like Lambda, each environment runs one invoke at a time; more environments are created
under concurrency (each cold once) up to the function's maximum, beyond which invokes are
throttled or wait, as the caller chooses. Retiring a function (code or config changed)
ends its idle environments now and its busy ones when their invoke finishes.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.invoke import InvocationResult
from workbench.core.progress import CancelToken, NullSink, Sink
from workbench.core.runtime.invoker import Invoker
from workbench.core.runtime.policy import InvokePolicy
from workbench.core.runtime.runners import EnvironmentFactory
from workbench.core.settings import Settings

DEFAULT_MAX_ENVIRONMENTS = 10  # a local stand-in for the account's concurrency


class Throttled(WorkbenchError):
    """Every environment of the function is busy and the pool may not grow (HTTP 429)."""

    error_type = "TooManyRequestsException"

    def __init__(self, name: str, limit: int) -> None:
        super().__init__(
            f"Rate Exceeded: {name} already runs {limit} invokes at once, its concurrency "
            "limit; Lambda throttles further invokes with TooManyRequestsException."
        )
        self.function_name = name
        self.limit = limit


@dataclass(frozen=True)
class PoolState:
    """A snapshot of one function's pool, as reported to `on_state`."""

    function: str
    environments: int  # alive or starting
    busy: int
    idle: int
    limit: int
    invokes: int  # finished since the host started
    cold_starts: int
    ready: int = 0  # environments whose runtime has started (warm, idle or busy)


StateCallback = Callable[[PoolState], None]


class _Slot:
    """One environment of a pool: an Invoker and the pool generation it was made for."""

    __slots__ = ("generation", "invoker", "last_used")

    def __init__(self, invoker: Invoker, generation: int) -> None:
        self.invoker = invoker
        self.generation = generation
        self.last_used = time.monotonic()


class _Pool:
    def __init__(self, function: FunctionConfig, limit: int, image: str | None) -> None:
        self.function = function
        self.limit = limit
        self.image = image
        self.generation = 0
        self.idle: deque[_Slot] = deque()
        self.busy: set[_Slot] = set()
        self.free = threading.Condition()
        self.invokes = 0
        self.cold_starts = 0


class FunctionHost:
    """Runs invokes of many functions, each over a pool of warm-when-possible environments.

    Thread-safe: call `invoke` from as many threads as there should be invokes in flight.
    `on_state(PoolState)` is called (from any thread) whenever a pool changes.
    """

    def __init__(
        self,
        runner: str = "process",
        *,
        image: str | None = None,
        settings: Settings | None = None,
        environment_factory: EnvironmentFactory | None = None,
        default_limit: int = DEFAULT_MAX_ENVIRONMENTS,
        on_state: StateCallback | None = None,
        options: dict[str, Any] | None = None,
    ) -> None:
        if default_limit < 1:
            raise WorkbenchError("The concurrency limit must be 1 or more.")
        self.runner = runner
        self.image = image
        self.settings = settings
        self.default_limit = default_limit
        self.on_state = on_state
        self._factory = environment_factory
        self._options = dict(options or {})
        self._lock = threading.Lock()
        self._pools: dict[str, _Pool] = {}
        self._closed = False

    # Functions

    def add(
        self, function: FunctionConfig, *, limit: int | None = None, image: str | None = None
    ) -> None:
        """Serve `function` (by its name); an existing one with that name is updated."""
        if limit is not None and limit < 1:
            raise WorkbenchError(f"The concurrency limit of {function.name} must be 1 or more.")
        with self._lock:
            self._check_open()
            pool = self._pools.get(function.name)
            if pool is None:
                self._pools[function.name] = _Pool(
                    function, limit or self.default_limit, image or self.image
                )
                new = True
            else:
                new = False
        if not new:
            self.update(function, limit=limit, image=image)
        else:
            self._report(function.name)

    def set_functions(self, functions: Iterable[FunctionConfig]) -> None:
        """Serve exactly these functions: new ones added, changed ones retired, others removed."""
        wanted = {f.name: f for f in functions}
        for name in set(self.names()) - set(wanted):
            self.remove(name)
        for name, function in wanted.items():
            pool = self._pools.get(name)
            if pool is None:
                self.add(function)
            elif pool.function != function:
                self.update(function)

    def update(
        self, function: FunctionConfig, *, limit: int | None = None, image: str | None = None
    ) -> None:
        """New settings or code for a function: its environments retire (next invoke is cold)."""
        pool = self._pool(function.name)
        with pool.free:
            pool.function = function
            if limit is not None:
                pool.limit = limit
            if image is not None:
                pool.image = image
        self.retire(function.name)

    def remove(self, name: str) -> None:
        with self._lock:
            pool = self._pools.pop(name, None)
        if pool is not None:
            self._end_pool(pool)

    def names(self) -> list[str]:
        with self._lock:
            return list(self._pools)

    def function(self, name: str) -> FunctionConfig:
        return self._pool(name).function

    def state(self, name: str) -> PoolState:
        pool = self._pool(name)
        with pool.free:
            return self._snapshot(name, pool)

    # Environments

    def retire(self, name: str | None = None) -> None:
        """End idle environments now and busy ones after their invoke (all functions if None)."""
        for pool_name in [name] if name is not None else self.names():
            pool = self._pool(pool_name)
            with pool.free:
                pool.generation += 1
                idle = list(pool.idle)
                pool.idle.clear()
                pool.free.notify_all()
            for slot in idle:
                slot.invoker.close()
            self._report(pool_name)

    def prestart(
        self, name: str, cancel: CancelToken | None = None, sink: Sink | None = None
    ) -> None:
        """Start one environment now (when none is idle) so the next invoke is warm."""
        pool = self._pool(name)
        try:
            slot = self._acquire(name, pool, wait=False, cancel=cancel or CancelToken())
        except Throttled:
            return  # every environment is busy: there is nothing to prestart
        try:
            slot.invoker.prestart(cancel, sink)
        finally:
            self._release(name, pool, slot)

    def reap_idle(self, older_than_s: float) -> int:
        """End environments idle for longer than `older_than_s`; returns how many ended."""
        ended = []
        now = time.monotonic()
        for name in self.names():
            pool = self._pool(name)
            with pool.free:
                keep = deque(s for s in pool.idle if now - s.last_used <= older_than_s)
                ended += [s for s in pool.idle if s not in keep]
                pool.idle = keep
            self._report(name)
        for slot in ended:
            slot.invoker.close()
        return len(ended)

    # Invoke

    def invoke(
        self,
        name: str,
        event: bytes,
        *,
        cancel: CancelToken | None = None,
        sink: Sink | None = None,
        client_context: str | None = None,
        policy: InvokePolicy | None = None,
        wait: bool = False,
    ) -> InvocationResult:
        """Run one invoke of function `name` in an idle environment, or a new one.

        When all environments are busy and the pool is at its limit, raises Throttled,
        or with `wait=True` waits for one to be free (cancellable).
        """
        cancel = cancel or CancelToken()
        pool = self._pool(name)
        slot = self._acquire(name, pool, wait=wait, cancel=cancel)
        try:
            result = slot.invoker.invoke(
                event,
                cancel=cancel,
                sink=sink or NullSink(),
                client_context=client_context,
                policy=policy,
            )
        except BaseException:
            self._release(name, pool, slot, failed=True)
            raise
        with pool.free:
            pool.invokes += 1
            pool.cold_starts += int(result.cold_start)
        self._release(name, pool, slot)
        return result

    def close(self) -> None:
        """End every environment of every function; running invokes end as cancelled."""
        with self._lock:
            self._closed = True
            pools = list(self._pools.values())
            self._pools.clear()
        for pool in pools:
            self._end_pool(pool)

    def __enter__(self) -> FunctionHost:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # Internals

    def _check_open(self) -> None:
        if self._closed:
            raise WorkbenchError("The function host has shut down.")

    def _pool(self, name: str) -> _Pool:
        with self._lock:
            self._check_open()
            pool = self._pools.get(name)
        if pool is None:
            known = ", ".join(sorted(self.names())) or "none"
            raise WorkbenchError(f"There is no function {name!r} here (functions: {known}).")
        return pool

    def _acquire(self, name: str, pool: _Pool, *, wait: bool, cancel: CancelToken) -> _Slot:
        with pool.free:
            while True:
                if self._closed:
                    raise Cancelled("The invoke")
                # Newest idle first: it is the warmest, and the others may be reaped.
                while pool.idle:
                    slot = pool.idle.pop()
                    if slot.generation == pool.generation and slot.invoker.state != "cold":
                        pool.busy.add(slot)
                        break
                    self._close_later(slot)
                else:
                    slot = None
                if slot is not None:
                    break
                if len(pool.busy) < pool.limit:
                    slot = _Slot(self._new_invoker(name, pool), pool.generation)
                    pool.busy.add(slot)
                    break
                if not wait:
                    raise Throttled(pool.function.function_name, pool.limit)
                cancel.raise_if_cancelled("The invoke")
                pool.free.wait(0.05)
        self._report(name)
        return slot

    def _release(self, name: str, pool: _Pool, slot: _Slot, failed: bool = False) -> None:
        close = False
        with pool.free:
            pool.busy.discard(slot)
            slot.last_used = time.monotonic()
            current = slot.generation == pool.generation and not self._closed
            if current and slot.invoker.state != "cold" and not failed:
                pool.idle.append(slot)
            else:
                close = True
            pool.free.notify()
        if close:
            slot.invoker.close()
        self._report(name)

    def _new_invoker(self, name: str, pool: _Pool) -> Invoker:
        invoker = Invoker(
            replace(pool.function),
            self.runner,
            image=pool.image,
            settings=self.settings,
            environment_factory=self._factory,
            options=self._options,
        )
        invoker.on_ready = lambda: self._report(name)
        return invoker

    def _close_later(self, slot: _Slot) -> None:
        threading.Thread(target=slot.invoker.close, name="host-retire", daemon=True).start()

    def _end_pool(self, pool: _Pool) -> None:
        with pool.free:
            pool.generation += 1
            slots = list(pool.idle) + list(pool.busy)
            pool.idle.clear()
            pool.free.notify_all()
        for slot in slots:
            slot.invoker.close()

    def _snapshot(self, name: str, pool: _Pool) -> PoolState:
        return PoolState(
            function=name,
            environments=len(pool.idle) + len(pool.busy),
            busy=len(pool.busy),
            idle=len(pool.idle),
            limit=pool.limit,
            invokes=pool.invokes,
            cold_starts=pool.cold_starts,
            ready=sum(s.invoker.state == "warm" for s in (*pool.idle, *pool.busy)),
        )

    def _report(self, name: str) -> None:
        callback = self.on_state
        if callback is None:
            return
        with self._lock:
            pool = self._pools.get(name)
        if pool is None:
            return
        with pool.free:
            snapshot = self._snapshot(name, pool)
        callback(snapshot)
