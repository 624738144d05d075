"""A debug port for other IDEs: the workbench relays DAP between the IDE and debugpy.

Relaying (rather than handing the IDE debugpy's own port) lets the workbench see every stop
and resume, so Lambda's clock stops while the IDE holds the function, as in the window.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

from workbench.core.debug.dap import quick_ack, take_message
from workbench.core.errors import WorkbenchError
from workbench.core.runtime.policy import DeadlineClock

_RESUMING = {"continue", "next", "stepIn", "stepOut", "stepBack", "reverseContinue", "goto"}


def listen(port: int, host: str = "127.0.0.1") -> socket.socket:
    """The IDE's listening socket; a port in use is a sentence."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        server.bind((host, port))
    except OSError as error:
        server.close()
        raise WorkbenchError(
            f"Cannot listen for a debugger on {host}:{port} ({error.strerror or error}); "
            "choose another --debug-port."
        ) from None
    server.listen(1)
    return server


class DapRelay:
    """Copies DAP frames between an IDE and debugpy, pausing `clock` while stopped."""

    def __init__(self, ide: socket.socket, adapter: socket.socket, clock: DeadlineClock) -> None:
        self.ide = ide
        self.adapter = adapter
        self.clock = clock
        self.closed = threading.Event()

    def start(self) -> None:
        for source, target, watch in (
            (self.ide, self.adapter, self._from_ide),
            (self.adapter, self.ide, self._from_adapter),
        ):
            threading.Thread(
                target=self._pump, args=(source, target, watch), name="dap-relay", daemon=True
            ).start()

    def close(self) -> None:
        self.closed.set()
        for sock in (self.ide, self.adapter):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.clock.resume()

    def _from_ide(self, message: dict[str, Any]) -> None:
        if message.get("type") == "request" and message.get("command") in _RESUMING:
            self.clock.resume()

    def _from_adapter(self, message: dict[str, Any]) -> None:
        if message.get("type") == "event":
            if message.get("event") == "stopped":
                self.clock.pause()
            elif message.get("event") == "continued":
                self.clock.resume()

    def _pump(self, source: socket.socket, target: socket.socket, watch: Any) -> None:
        buffer = b""
        try:
            while not self.closed.is_set():
                quick_ack(source)
                chunk = source.recv(1 << 16)
                if not chunk:
                    break
                buffer += chunk
                while True:
                    message, rest = take_message(buffer)
                    if message is None:
                        break
                    watch(message)
                    target.sendall(buffer[: len(buffer) - len(rest)])
                    buffer = rest
        except (OSError, ValueError):
            pass
        finally:
            self.close()
