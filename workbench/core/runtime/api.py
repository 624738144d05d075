"""The Lambda Runtime API (2018-06-01), served for one execution environment only."""

from __future__ import annotations

import collections
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.core.runtime import ids
from workbench.core.runtime.api_http import (
    ERROR_BODY_TRAILER,
    ERROR_TYPE_HEADER,
    MAX_RESPONSE_BYTES,
    MAX_RSS_HEADER,
    PEER_WAIT_S,
    PREFIX,
    TOKEN_HEADER,
    ApiServer,
    header_value,
    response_too_large,
    server_error,
)

__all__ = [
    "ERROR_BODY_TRAILER",
    "ERROR_TYPE_HEADER",
    "MAX_RESPONSE_BYTES",
    "MAX_RSS_HEADER",
    "PREFIX",
    "TOKEN_HEADER",
    "Invocation",
    "RuntimeApi",
    "header_value",
    "response_too_large",
]


@dataclass
class Invocation:
    """One event handed to the runtime, and what came back."""

    request_id: str
    body: bytes
    deadline_ms: int
    function_arn: str
    trace_id: str
    client_context: str | None = None
    cognito_identity: str | None = None
    content_type: str = "application/json"
    handed_out_at: float | None = None  # perf_counter when `next` returned it
    finished_at: float | None = None
    kind: str | None = None  # "response", "error" or "platform"
    response: bytes | None = None
    error: dict[str, Any] | None = None
    max_rss_kb: int | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def finish(self, kind: str, **values: Any) -> bool:
        """Record the outcome once; later calls are ignored (returns False)."""
        if self.done.is_set():
            return False
        self.finished_at = time.perf_counter()
        self.kind = kind
        for name, value in values.items():
            setattr(self, name, value)
        self.done.set()
        return True


class _Waiter:
    """A runtime's `next` that is waiting; submit() writes the event to it directly."""

    __slots__ = ("deliver", "invocation", "delivered")

    def __init__(self, deliver: Callable[[Invocation], None]) -> None:
        self.deliver = deliver
        self.invocation: Invocation | None = None
        self.delivered = False


_serving: weakref.WeakValueDictionary[str, RuntimeApi] = weakref.WeakValueDictionary()


class RuntimeApi:
    """Serves the Runtime API for one execution environment on an ephemeral port.

    The workbench submits invocations; the runtime long-polls `next`, then posts
    a response or an error. An init error is kept and fails the next
    invocation, as Lambda does.

    Isolation (no environment may read or answer another's invocations): an
    environment can require a secret token on every request (`require_token`,
    the workbench's own bootstrap presents it) and/or accept only one peer
    address (`restrict_peer` + `allow_peer`, the container's IP on the
    workbench's bridge network). Anything else gets 403.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._cond = threading.Condition()  # guards the queue, the open set and closing
        self._pending: collections.deque[Invocation] = collections.deque()
        self._waiters: collections.deque[_Waiter] = collections.deque()  # long-polling `next`s
        self._open: dict[str, Invocation] = {}
        self._closed = threading.Event()
        self.ready = threading.Event()  # set at the runtime's first `next`
        self.first_next_at: float | None = None
        self.user_agent = ""  # the runtime client's, from its first `next` (tells its version)
        self.init_error: dict[str, Any] | None = None
        self.init_error_event = threading.Event()
        # The last exception inside the server (kept for diagnosis, never swallowed silently).
        self.last_failure: str | None = None
        self.refused = 0  # requests answered 403
        self._token: str | None = None
        self._peer: str | None = None
        self._peer_restricted = False
        self._peer_known = threading.Event()
        self._server = ApiServer(self, host)
        _serving[self.address] = self

    @staticmethod
    def serving(address: str) -> RuntimeApi | None:
        """The RuntimeApi of this process listening at `address` (what an environment is given)."""
        return _serving.get(address)

    @property
    def address(self) -> str:
        """host:port, the value for AWS_LAMBDA_RUNTIME_API."""
        return f"{self._server.server_address[0]!s}:{self.port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def addresses(self) -> list[str]:
        """Every host:port this API listens on (loopback first)."""
        return self._server.addresses()

    def listen(self, host: str) -> str:
        """Also serve on `host` (e.g. a Docker bridge's gateway); returns that host:port."""
        return self._server.add_listener(host)

    # Isolation

    def require_token(self) -> str:
        """From now on every request must carry this secret in TOKEN_HEADER."""
        self._token = ids.token_hex(24)
        return self._token

    def restrict_peer(self) -> None:
        """Accept requests only from the address `allow_peer` will name.

        Until it is named (a container's IP is known only once it started),
        requests wait for it, bounded by PEER_WAIT_S.
        """
        self._peer_restricted = True

    def allow_peer(self, address: str) -> None:
        self._peer = address
        self._peer_restricted = True
        self._peer_known.set()

    def _refusal(self, peer: str, headers: Any) -> str | None:
        """Why a request must be refused, or None when it may proceed."""
        if self._peer_restricted:
            if not self._peer_known.is_set():
                self._peer_known.wait(PEER_WAIT_S)
            if peer != self._peer:
                return f"requests from {peer} are not accepted here"
        if self._token is not None:
            given = headers.get(TOKEN_HEADER) or ""
            if not same_secret(given.encode(), self._token.encode()):
                return "the runtime token is missing or wrong"
        return None

    # Invocations

    def submit(self, invocation: Invocation) -> None:
        """Queue an event; when the runtime is already long-polling, hand it out right here.

        Writing the reply to the waiting `next` from the caller's thread saves a thread
        wake-up (~0.2-0.4 ms on a busy machine) on every warm invoke.
        """
        with self._cond:
            self._open[invocation.request_id] = invocation
            if not self._waiters:
                self._pending.append(invocation)
                self._cond.notify()
                return
            waiter = self._waiters.popleft()
            invocation.handed_out_at = time.perf_counter()
            waiter.invocation = invocation
        try:
            waiter.deliver(invocation)
        except OSError:
            pass  # the runtime went away; the environment reports its exit
        finally:
            with self._cond:
                waiter.delivered = True
                self._cond.notify_all()

    def abandon(self, invocation: Invocation) -> None:
        """Forget an invocation (timed out, cancelled); later posts for it get 400."""
        with self._cond:
            self._open.pop(invocation.request_id, None)

    def close(self) -> None:
        """Stop serving at once: no poll interval, open connections are cut."""
        with self._cond:
            if self._closed.is_set():
                return
            self._closed.set()
            self._open.clear()
            self._cond.notify_all()
        self._peer_known.set()
        if _serving.get(self.address) is self:
            del _serving[self.address]
        self._server.stop()

    # Called from request threads.

    def _next_invocation(
        self, deliver: Callable[[Invocation], None], user_agent: str = ""
    ) -> tuple[Invocation | None, bool]:
        """The next event and whether submit() already wrote it out through `deliver`."""
        with self._cond:
            if self.first_next_at is None:
                self.first_next_at = time.perf_counter()
                self.user_agent = user_agent[:200]
                self.ready.set()
            while self._pending:
                invocation = self._pending.popleft()
                if invocation.request_id in self._open and not invocation.done.is_set():
                    invocation.handed_out_at = time.perf_counter()
                    return invocation, False
            waiter = _Waiter(deliver)
            self._waiters.append(waiter)
            while not waiter.delivered and not self._closed.is_set():
                self._cond.wait()
            if waiter.invocation is None:
                self._waiters.remove(waiter)
                return None, False
            while not waiter.delivered:  # closing while submit() writes: let it finish
                self._cond.wait()
            return waiter.invocation, True

    def _take(self, request_id: str) -> Invocation | None:
        with self._cond:
            invocation = self._open.pop(request_id, None)
        if invocation is None or invocation.done.is_set():
            return None
        return invocation

    def _fail(self, invocation: Invocation | None, request_line: str, error: BaseException) -> None:
        """An exception inside the server fails the invocation at once, with a sentence."""
        text = f"{type(error).__name__}: {error}"
        self.last_failure = text
        if invocation is None:
            return
        with self._cond:
            self._open.pop(invocation.request_id, None)
        invocation.finish("platform", error=server_error(request_line, text))

    def _failing(self, request_id: str) -> Invocation | None:
        with self._cond:
            return self._open.get(request_id)

    def _record_init_error(self, error: dict[str, Any]) -> None:
        self.init_error = error
        self.init_error_event.set()


def same_secret(given: bytes, expected: bytes) -> bool:
    """Equality in time that does not depend on where the bytes differ.

    hmac.compare_digest does this too, but importing hmac loads OpenSSL (~4 ms of every
    cold CLI invoke) for a 48-byte comparison.
    """
    if len(given) != len(expected):
        return False
    difference = 0
    for a, b in zip(given, expected, strict=True):
        difference |= a ^ b
    return difference == 0
