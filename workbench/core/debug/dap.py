"""A small Debug Adapter Protocol client over TCP (requests, responses, events).

dap-python (PyPI 0.5.0) was looked at first: it is sans-I/O with a thread client that reads
1 KB at a time and exposes no timeouts; the protocol is small, so the workbench speaks it
itself, with every wait bounded.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from workbench.core.errors import WorkbenchError

MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # a variables answer can be big; more is not DAP
EventCallback = Callable[[str, dict[str, Any]], None]


class DebugError(WorkbenchError):
    """The debugger refused a request or went away."""


class DapClient:
    """One connection to a debug adapter (debugpy). Thread-safe; events go to `on_event`."""

    def __init__(self, sock: socket.socket, on_event: EventCallback | None = None) -> None:
        self._sock = sock
        self._send_lock = threading.Lock()
        self._seq = 0
        self._pending: dict[int, tuple[threading.Event, list[dict[str, Any]]]] = {}
        self._lock = threading.Lock()
        self.on_event = on_event
        self.closed = threading.Event()
        self._reader = threading.Thread(target=self._read_loop, name="dap-reader", daemon=True)
        self._reader.start()

    @classmethod
    def connect(
        cls, host: str, port: int, timeout: float, on_event: EventCallback | None = None
    ) -> DapClient:
        """Connect, retrying while the adapter starts (at most `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((host, port), timeout=1.0)
                break
            except OSError as error:
                if time.monotonic() >= deadline:
                    raise DebugError(
                        f"The debugger did not answer on {host}:{port} within {timeout:.0f} s "
                        f"({error}); check that debugpy can run in the function's Python."
                    ) from None
                time.sleep(0.02)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(sock, on_event)

    def request(self, command: str, timeout: float = 10.0, **arguments: Any) -> dict[str, Any]:
        """Send a request and wait (bounded) for its response; returns the response body."""
        done = threading.Event()
        box: list[dict[str, Any]] = []
        with self._lock:
            self._seq += 1
            seq = self._seq
            self._pending[seq] = (done, box)
        message: dict[str, Any] = {"seq": seq, "type": "request", "command": command}
        if arguments:
            message["arguments"] = arguments
        self._write(message)
        if not done.wait(timeout) or not box:
            with self._lock:
                self._pending.pop(seq, None)
            if self.closed.is_set():
                raise DebugError(f"The debugger went away during '{command}'.")
            raise DebugError(f"The debugger did not answer '{command}' within {timeout:.0f} s.")
        response = box[0]
        if not response.get("success", False):
            raise DebugError(
                f"The debugger refused '{command}': {response.get('message') or 'no reason'}."
            )
        return dict(response.get("body") or {})

    def send(self, command: str, **arguments: Any) -> None:
        """Send a request without waiting for its answer (for `disconnect` at shutdown)."""
        with self._lock:
            self._seq += 1
            seq = self._seq
        message: dict[str, Any] = {"seq": seq, "type": "request", "command": command}
        if arguments:
            message["arguments"] = arguments
        self._write(message)

    def close(self) -> None:
        self.closed.set()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()

    def _write(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode()
        frame = f"Content-Length: {len(data)}\r\n\r\n".encode() + data
        try:
            with self._send_lock:
                self._sock.sendall(frame)
        except OSError as error:
            self.closed.set()
            raise DebugError(f"The debugger connection is closed ({error}).") from None

    def _read_loop(self) -> None:
        buffer = b""
        try:
            while True:
                # debugpy writes a frame's header and body in two sends; with Nagle on its
                # side and delayed ACKs on ours every answer would wait ~40 ms.
                quick_ack(self._sock)
                chunk = self._sock.recv(1 << 16)
                if not chunk:
                    break
                buffer += chunk
                while True:
                    message, buffer = take_message(buffer)
                    if message is None:
                        break
                    self._dispatch(message)
        except (OSError, ValueError):
            pass
        finally:
            self.closed.set()
            with self._lock:
                pending = list(self._pending.values())
                self._pending.clear()
            for done, _ in pending:
                done.set()
            if self.on_event is not None:
                self.on_event("workbench.closed", {})

    def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "response":
            with self._lock:
                waiter = self._pending.pop(int(message.get("request_seq", -1)), None)
            if waiter is not None:
                waiter[1].append(message)
                waiter[0].set()
        elif kind == "event" and self.on_event is not None:
            self.on_event(str(message.get("event")), dict(message.get("body") or {}))
        elif kind == "request":
            # Reverse requests (runInTerminal, startDebugging): not used by an attach.
            self._write(
                {
                    "seq": 0,
                    "type": "response",
                    "request_seq": message.get("seq"),
                    "command": message.get("command"),
                    "success": False,
                    "message": "not supported by the workbench",
                }
            )


def quick_ack(sock: socket.socket) -> None:
    option = getattr(socket, "TCP_QUICKACK", None)
    if option is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, option, 1)


def take_message(buffer: bytes) -> tuple[dict[str, Any] | None, bytes]:
    """One whole frame from the front of `buffer`, and the rest; (None, buffer) if partial."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        if len(buffer) > 65536:
            raise ValueError("bad DAP frame")
        return None, buffer
    length = None
    for line in buffer[:end].split(b"\r\n"):
        name, _, value = line.decode("ascii", errors="replace").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length is None or length < 0 or length > MAX_MESSAGE_BYTES:
        raise ValueError("bad DAP frame")
    start = end + 4
    if len(buffer) - start < length:
        return None, buffer
    data = json.loads(buffer[start : start + length])
    return (data if isinstance(data, dict) else {}), buffer[start + length :]
