"""`invoke --debug-port N`: run one invoke under debugpy for an IDE that attaches to port N."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from workbench.core.debug.background import BackgroundInvoke
from workbench.core.debug.launch import debug_factory, free_port
from workbench.core.debug.proxy import DapRelay, listen
from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.invoke import InvocationResult
from workbench.core.progress import CancelToken
from workbench.core.runtime.invoker import Invoker
from workbench.core.runtime.policy import DeadlineClock, InvokePolicy

CONNECT_TIMEOUT_S = 20.0


def invoke_for_ide(
    function: FunctionConfig,
    event: bytes,
    port: int,
    *,
    announce: Callable[[str], None],
    cancel: CancelToken | None = None,
    client_context: str | None = None,
    runner: str = "process",
    image: str | None = None,
    settings: Any = None,
) -> InvocationResult:
    """Listen on 127.0.0.1:`port`, wait for the IDE, relay it to debugpy, return the result."""
    cancel = cancel or CancelToken()
    server = listen(port)
    clock = DeadlineClock()
    inner = free_port()
    invoker = Invoker(
        function,
        runner,
        image=image,
        settings=settings,
        environment_factory=debug_factory(inner, map_paths=True),
    )
    policy = InvokePolicy(clock=clock, init_limit_s=900.0)
    running = BackgroundInvoke(invoker, event, policy, cancel, client_context, "debug-port-invoke")
    finished = running.finished
    relay: DapRelay | None = None
    try:
        announce(f"Debugger listening on 127.0.0.1:{port}")
        ide = _accept(server, cancel, finished)
        if ide is not None:
            relay = DapRelay(ide, _connect(_address(invoker, inner, finished), finished), clock)
            relay.start()
        while not finished.wait(0.1):
            # Ctrl+C, or the IDE went away: a paused function would wait forever.
            if cancel.cancelled or (relay is not None and relay.closed.is_set()):
                invoker.close()
    finally:
        server.close()
        if relay is not None:
            relay.close()
        invoker.close()
    return running.outcome()


def _accept(
    server: socket.socket, cancel: CancelToken, finished: threading.Event
) -> socket.socket | None:
    server.settimeout(0.1)
    while not cancel.cancelled and not finished.is_set():
        try:
            ide, _ = server.accept()
        except TimeoutError:
            continue
        ide.settimeout(None)
        return ide
    return None


def _address(invoker: Invoker, port: int, finished: threading.Event) -> tuple[str, int]:
    """debugpy's address: this machine's port, or the container's once it has started."""
    if invoker.runner != "docker":
        return ("127.0.0.1", port)
    deadline = time.monotonic() + 600  # an image pull or a requirements install comes first
    while time.monotonic() < deadline and not finished.is_set():
        address = getattr(invoker._env, "debug_address", lambda: None)()
        if address is not None:
            return (str(address[0]), int(address[1]))
        time.sleep(0.02)
    raise WorkbenchError("The container for the debug invoke did not start.")


def _connect(address: tuple[str, int], finished: threading.Event) -> socket.socket:
    deadline = time.monotonic() + CONNECT_TIMEOUT_S
    while True:
        try:
            sock = socket.create_connection(address, timeout=1.0)
            sock.settimeout(None)
            return sock
        except OSError as error:
            if finished.is_set() or time.monotonic() >= deadline:
                raise WorkbenchError(
                    f"debugpy did not answer inside the function's process ({error}); "
                    "check that debugpy can run in the function's Python."
                ) from None
            time.sleep(0.02)
