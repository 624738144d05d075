"""The Runtime API's HTTP side: the request handler and a server that stops at once.

Built on socketserver, not http.server: the Runtime API's clients send a handful of
plain headers, which this module parses itself, and http.server's import (http.client,
email, ssl, html, mimetypes) was a fifth of a cold CLI invoke's start-up.
"""

from __future__ import annotations

import contextlib
import json
import selectors
import socket
import threading
import urllib.parse
from socketserver import StreamRequestHandler, ThreadingTCPServer
from typing import TYPE_CHECKING, Any

from workbench.core.runtime.http_lines import read_headers

if TYPE_CHECKING:
    from workbench.core.runtime.api import Invocation, RuntimeApi

PREFIX = "/2018-06-01/runtime"
_REASONS = {
    200: "OK",
    202: "Accepted",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Request Entity Too Large",
    414: "Request-URI Too Long",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
}
MAX_REQUEST_LINE = 65536
MAX_RESPONSE_BYTES = 6_291_556  # observed limit (shared/lambda-facts.md section 1)
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
ERROR_BODY_TRAILER = "Lambda-Runtime-Function-Error-Body"
# Sent by the workbench's own bootstrap only: the runtime process's peak RSS.
MAX_RSS_HEADER = "Workbench-Max-Rss-Kb"
# The per-environment secret the workbench's own bootstrap presents (read from its stdin).
TOKEN_HEADER = "Workbench-Runtime-Token"
PEER_WAIT_S = 10.0  # how long a request waits for its environment's address to be known


class ApiServer(ThreadingTCPServer):
    """An HTTP server with its own accept loop: it stops at once (no poll interval)."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, api: RuntimeApi, host: str) -> None:
        super().__init__((host, 0), make_handler(api))
        self._listeners = [self.socket]
        self._connections: set[socket.socket] = set()
        self._guard = threading.Lock()
        self._wake_r, self._wake_w = socket.socketpair()
        self._stopping = False
        self._thread = threading.Thread(target=self._accept_loop, name="runtime-api", daemon=True)
        self._thread.start()

    def add_listener(self, host: str) -> str:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, 0))
        listener.listen(16)
        with self._guard:
            self._listeners.append(listener)
        self._wake_w.send(b"+")
        return f"{host}:{listener.getsockname()[1]}"

    def addresses(self) -> list[str]:
        with self._guard:
            return [f"{host}:{port}" for host, port in (s.getsockname() for s in self._listeners)]

    def _accept_loop(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._wake_r, selectors.EVENT_READ)
        registered: set[socket.socket] = set()
        try:
            while True:
                with self._guard:
                    for listener in self._listeners:
                        if listener not in registered:
                            selector.register(listener, selectors.EVENT_READ)
                            registered.add(listener)
                for key, _ in selector.select():
                    sock = key.fileobj
                    if sock is self._wake_r:
                        self._wake_r.recv(64)
                        if self._stopping:
                            return
                        continue
                    assert isinstance(sock, socket.socket)
                    try:
                        connection, peer = sock.accept()
                    except OSError:
                        continue
                    with self._guard:
                        self._connections.add(connection)
                    self.process_request(connection, peer)
        finally:
            selector.close()
            for listener in self._listeners:
                listener.close()
            self._wake_r.close()

    def shutdown_request(self, request: Any) -> None:
        with self._guard:
            self._connections.discard(request)
        super().shutdown_request(request)

    def stop(self) -> None:
        with self._guard:
            self._stopping = True
            connections = list(self._connections)
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        # Cut kept-alive connections so that their threads end now, not when the peer goes.
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._thread.join(1.0)
        self._wake_w.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Only connection-level errors reach here (a runtime killed mid-request);
        # request handlers catch everything else and fail the invocation with it.
        pass


def parse_error(body: bytes, error_type: str | None) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8")) if body else {}
    except ValueError:
        data = {"errorMessage": body.decode("utf-8", errors="replace")}
    if not isinstance(data, dict):
        data = {"errorMessage": json.dumps(data)}
    error = {
        "errorType": data.get("errorType") or error_type or "Unknown",
        "errorMessage": data.get("errorMessage", ""),
    }
    # Node.js runtimes send (and Lambda returns) "trace"; Python ones "stackTrace".
    if "trace" in data and "stackTrace" not in data:
        error["trace"] = data["trace"]
    else:
        error["stackTrace"] = data.get("stackTrace", [])
    return error


class _Headers(dict[str, str]):
    """Request headers by lower-cased name; get() takes any case."""

    def get(self, name: str, default: Any = None) -> Any:
        return super().get(name.lower(), default)


def header_value(value: str) -> str:
    """A header value that always encodes: no CR/LF, non-ASCII percent-encoded (UTF-8).

    Lambda allows only [a-zA-Z0-9-_] in function names, so a real ARN never
    needs this; a local name like "función" must not break every invoke.
    """
    if value.isascii() and "\r" not in value and "\n" not in value:
        return value
    return urllib.parse.quote(value.replace("\r", " ").replace("\n", " "), safe=_HEADER_SAFE)


_HEADER_SAFE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "%")


def server_error(request_line: str, text: str) -> dict[str, Any]:
    return {
        "errorType": "Runtime.ApiError",
        "errorMessage": f"The workbench's Runtime API failed while handling the runtime's "
        f"request '{request_line}' ({text}). The invoke was ended here instead of waiting for "
        "its timeout; please report this as a bug in Lambda Workbench.",
        "stackTrace": None,
    }


class _HttpHandler(StreamRequestHandler):
    """HTTP/1.1 with kept-alive connections, one request at a time (http.server's loop)."""

    # Without this, headers and body go out in two segments and Nagle plus
    # delayed ACK adds ~40 ms to every round trip.
    disable_nagle_algorithm = True
    command = ""
    path = ""
    requestline = ""
    raw_requestline = b""
    close_connection = True
    headers: _Headers

    def handle(self) -> None:
        self.close_connection = True
        self.handle_one_request()
        while not self.close_connection:
            self.handle_one_request()

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
            if len(self.raw_requestline) > MAX_REQUEST_LINE:
                self.requestline = ""
                self.send_error(414, "Request line too long")
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            method = getattr(self, f"do_{self.command}", None)
            if method is None:
                self.send_error(405, f"Unsupported method {self.command!r}")
                return
            method()
            self.wfile.flush()
        except TimeoutError:
            self.close_connection = True

    def parse_request(self) -> bool:
        raise NotImplementedError

    def send_error(self, status: int, message: str) -> None:
        """A JSON error and the connection closed (the request could not be read)."""
        self.close_connection = True
        data = json.dumps({"errorMessage": message, "errorType": _REASONS.get(status, "Error")})
        head = (
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
            "Content-Type: application/json\r\nConnection: close\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            self.wfile.write(head.encode("latin-1") + data.encode())

    def handle_expect_100(self) -> bool:
        self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        return True


def make_handler(api: RuntimeApi) -> type[_HttpHandler]:
    class Handler(_HttpHandler):
        def parse_request(self) -> bool:
            """Request line and headers, without the email parser (~60 us a request saved).

            The Runtime API's clients send a handful of plain headers; names are matched
            case-insensitively, a header block is bounded (http_lines: 100 lines of 64 KiB).
            """
            self.command = ""
            self.close_connection = False
            raw_line: bytes = self.raw_requestline
            self.requestline = line = str(raw_line, "iso-8859-1").rstrip("\r\n")
            parts = line.split()
            if len(parts) != 3 or not parts[2].startswith("HTTP/"):
                self.send_error(400, "Bad request line")
                return False
            self.command, self.path, version = parts
            found = read_headers(self.rfile.readline)
            if found is None:
                self.send_error(431, "Too many headers")
                return False
            self.headers = headers = _Headers(found)
            connection = headers.get("connection", "").lower()
            if version == "HTTP/1.0" or connection == "close":
                self.close_connection = True
            # curl (inside AWS's runtime clients) asks before sending a body over 1 KiB and
            # otherwise waits up to a second for this answer.
            if headers.get("expect", "").lower() == "100-continue":
                return self.handle_expect_100()
            return True

        def _send(
            self, status: int, body: dict[str, Any] | bytes, headers: dict[str, str] | None = None
        ) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            # One buffer, one send: this is the hot path of every warm invoke.
            lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'OK')}"]
            lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
            if not isinstance(body, bytes):
                lines.append("Content-Type: application/json")
            lines.append(f"Content-Length: {len(data)}")
            self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data)

        def _refused(self) -> bool:
            reason = api._refusal(self.client_address[0], self.headers)
            if reason is None:
                return False
            api.refused += 1
            if self.command == "POST":
                self._read_body(limit=0)
            self._send(
                403,
                {"errorMessage": f"Forbidden: {reason}.", "errorType": "AccessDeniedException"},
            )
            return True

        def _read_body(self, limit: int | None = None) -> tuple[bytes, int, dict[str, str]]:
            """The request body (up to `limit` bytes kept), its full size, and any trailers."""
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                return self._read_chunked(limit)
            length = int(self.headers.get("Content-Length") or 0)
            kept = bytearray()
            remaining = length
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 1 << 20))
                if not chunk:
                    break
                remaining -= len(chunk)
                if limit is None or len(kept) <= limit:
                    kept += chunk
            return bytes(kept), length, {}

        def _read_chunked(self, limit: int | None) -> tuple[bytes, int, dict[str, str]]:
            kept = bytearray()
            total = 0
            while True:
                line = self.rfile.readline(65537).strip()
                size = int(line.split(b";")[0] or b"0", 16)
                if size == 0:
                    break
                chunk = self.rfile.read(size)
                self.rfile.readline()
                total += len(chunk)
                if limit is None or len(kept) <= limit:
                    kept += chunk
            trailers: dict[str, str] = {}
            while True:
                line = self.rfile.readline(65537)
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                trailers[name.strip().lower()] = value.strip()
            return bytes(kept), total, trailers

        def do_GET(self) -> None:  # noqa: N802
            if self._refused():
                return
            if self.path != f"{PREFIX}/invocation/next":
                self._send(404, {"errorMessage": "Not found", "errorType": "NotFound"})
                return
            agent = self.headers.get("user-agent", "")
            invocation, delivered = api._next_invocation(self._hand_out, agent)
            if invocation is None:  # server closing
                self.close_connection = True
                return
            if delivered:
                return  # submit() wrote it out already, from the invoking thread
            try:
                self._hand_out(invocation)
            except OSError:
                raise  # the runtime went away; its exit is reported by the environment

        def _hand_out(self, invocation: Invocation) -> None:
            """Write the event out; a failure building it fails the invocation with a 500."""
            try:
                self._write_event(invocation)
            except OSError:
                raise
            except Exception as error:
                api._fail(invocation, "GET next", error)
                self._send(500, {"errorMessage": str(error), "errorType": "ServiceException"})

        def _write_event(self, invocation: Invocation) -> None:
            headers = {
                "Content-Type": header_value(invocation.content_type),
                "Lambda-Runtime-Aws-Request-Id": header_value(invocation.request_id),
                "Lambda-Runtime-Deadline-Ms": str(invocation.deadline_ms),
                "Lambda-Runtime-Invoked-Function-Arn": header_value(invocation.function_arn),
                "Lambda-Runtime-Trace-Id": header_value(invocation.trace_id),
                "Lambda-Runtime-Invocation-Id": header_value(invocation.request_id),
            }
            if invocation.client_context:
                headers["Lambda-Runtime-Client-Context"] = header_value(invocation.client_context)
            if invocation.cognito_identity:
                headers["Lambda-Runtime-Cognito-Identity"] = header_value(
                    invocation.cognito_identity
                )
            self._send(200, invocation.body, headers)

        def do_POST(self) -> None:  # noqa: N802
            if self._refused():
                return
            path = self.path
            if path == f"{PREFIX}/init/error":
                body, _, _ = self._read_body()
                api._record_init_error(parse_error(body, self.headers.get(ERROR_TYPE_HEADER)))
                self._send(202, {"status": "OK"})
                return
            parts = path[len(PREFIX) :].split("/") if path.startswith(PREFIX) else []
            # ["", "invocation", "<id>", "response" | "error"]
            if len(parts) != 4 or parts[1] != "invocation" or parts[3] not in ("response", "error"):
                self._read_body(limit=0)
                self._send(404, {"errorMessage": "Not found", "errorType": "NotFound"})
                return
            try:
                self._finish(parts[2], parts[3])
            except OSError:
                raise
            except Exception as error:
                api._fail(api._failing(parts[2]), self.requestline, error)
                self.close_connection = True
                self._send(500, {"errorMessage": str(error), "errorType": "ServiceException"})

        def _finish(self, request_id: str, action: str) -> None:
            body, size, trailers = self._read_body(limit=MAX_RESPONSE_BYTES)
            invocation = api._take(request_id)
            if invocation is None:
                self._send(
                    400, {"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"}
                )
                return
            rss = self.headers.get(MAX_RSS_HEADER)
            max_rss_kb = int(rss) if rss and rss.isdigit() else None
            if action == "error":
                error = parse_error(body, self.headers.get(ERROR_TYPE_HEADER))
                invocation.finish("error", error=error, max_rss_kb=max_rss_kb)
                self._send(202, {"status": "OK"})
                return
            if size > MAX_RESPONSE_BYTES:
                invocation.finish("platform", error=response_too_large(), max_rss_kb=max_rss_kb)
                self._send(
                    413,
                    {
                        "errorMessage": "Exceeded maximum allowed payload size "
                        f"({MAX_RESPONSE_BYTES} bytes).",
                        "errorType": "RequestEntityTooLarge",
                    },
                )
                return
            streamed_error = trailers.get(ERROR_TYPE_HEADER.lower())
            if streamed_error:
                error = {"errorType": streamed_error, "errorMessage": "", "stackTrace": []}
                encoded = trailers.get(ERROR_BODY_TRAILER.lower())
                if encoded:
                    import base64  # only a streamed error's trailer is base64

                    error = parse_error(base64.b64decode(encoded), streamed_error)
                invocation.finish("error", error=error, max_rss_kb=max_rss_kb)
            else:
                invocation.finish("response", response=body, max_rss_kb=max_rss_kb)
            self._send(202, {"status": "OK"})

    return Handler


def response_too_large() -> dict[str, Any]:
    return {
        "errorType": "Function.ResponseSizeTooLarge",
        "errorMessage": "Response payload size exceeded maximum allowed payload size "
        f"({MAX_RESPONSE_BYTES} bytes).",
        "stackTrace": None,
    }
