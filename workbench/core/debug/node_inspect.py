"""`invoke --debug-port N` for Node.js: the V8 inspector (`--inspect-brk`) on 127.0.0.1:N.

The workbench does not sit between the IDE and V8's inspector, so it cannot see when the
function is paused: Lambda's timeout is not enforced for such an invoke (the README says so).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from workbench.core.debug.background import BackgroundInvoke
from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.invoke import InvocationResult
from workbench.core.progress import CancelToken
from workbench.core.runtime.invoker import Invoker
from workbench.core.runtime.policy import InvokePolicy

LISTEN_TIMEOUT_S = 20.0


def invoke_with_inspector(
    function: FunctionConfig,
    event: bytes,
    port: int,
    *,
    announce: Callable[[str], None],
    cancel: CancelToken | None = None,
    client_context: str | None = None,
    settings: Any = None,
) -> InvocationResult:
    """Run one invoke of a Node.js function with node waiting for an inspector client."""
    cancel = cancel or CancelToken()
    _check_free(port)
    environment = dict(function.environment)
    options = environment.get("NODE_OPTIONS", "")
    environment["NODE_OPTIONS"] = f"{options} --inspect-brk=127.0.0.1:{port}".strip()
    invoker = Invoker(replace(function, environment=environment), "process", settings=settings)
    policy = InvokePolicy(enforce_timeout=False, init_limit_s=900.0)
    running = BackgroundInvoke(invoker, event, policy, cancel, client_context, "node-inspect")
    finished = running.finished
    try:
        if _wait_listening(port, finished):
            announce(f"Debugger listening on 127.0.0.1:{port}")
        while not finished.wait(0.1):
            if cancel.cancelled:
                invoker.close()
    finally:
        invoker.close()
    result = running.outcome()
    result.hints.append(
        "Lambda's timeout was not enforced: with the V8 inspector the workbench cannot see "
        "when the function is paused."
    )
    return result


def _check_free(port: int) -> None:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise WorkbenchError(
                f"Cannot listen for a debugger on 127.0.0.1:{port} ({error.strerror or error}); "
                "choose another --debug-port."
            ) from None


def _wait_listening(port: int, finished: threading.Event) -> bool:
    deadline = time.monotonic() + LISTEN_TIMEOUT_S
    while time.monotonic() < deadline and not finished.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.02)
    return False
