"""The Lambda Runtime API (2018-06-01), served on loopback for one execution environment."""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "/2018-06-01/runtime"
_REASONS = {
    200: "OK",
    202: "Accepted",
    400: "Bad Request",
    404: "Not Found",
    413: "Request Entity Too Large",
}
MAX_RESPONSE_BYTES = 6_291_556  # observed limit (shared/lambda-facts.md section 1)
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
ERROR_BODY_TRAILER = "Lambda-Runtime-Function-Error-Body"
# Sent by the workbench's own bootstrap only: the runtime process's peak RSS.
MAX_RSS_HEADER = "Workbench-Max-Rss-Kb"


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


class RuntimeApi:
    """Serves the Runtime API on 127.0.0.1 with an ephemeral port.

    The workbench submits invocations; the runtime long-polls `next`, then posts
    a response or an error. An init error is kept and fails the next
    invocation, as Lambda does.
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[Invocation] = queue.Queue()
        self._lock = threading.Lock()
        self._open: dict[str, Invocation] = {}
        self._closed = threading.Event()
        self.ready = threading.Event()  # set at the runtime's first `next`
        self.first_next_at: float | None = None
        self.init_error: dict[str, Any] | None = None
        self.init_error_event = threading.Event()
        self._server = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="runtime-api",
            daemon=True,
        )
        self._thread.start()

    @property
    def address(self) -> str:
        """host:port, the value for AWS_LAMBDA_RUNTIME_API."""
        return f"127.0.0.1:{self.port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def submit(self, invocation: Invocation) -> None:
        with self._lock:
            self._open[invocation.request_id] = invocation
        self._queue.put(invocation)

    def abandon(self, invocation: Invocation) -> None:
        """Forget an invocation (timed out, cancelled); later posts for it get 400."""
        with self._lock:
            self._open.pop(invocation.request_id, None)

    def close(self) -> None:
        self._closed.set()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            self._open.clear()

    # Called from request threads.

    def _next_invocation(self) -> Invocation | None:
        with self._lock:
            if self.first_next_at is None:
                self.first_next_at = time.perf_counter()
                self.ready.set()
        while not self._closed.is_set():
            try:
                invocation = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            with self._lock:
                if invocation.request_id in self._open and not invocation.done.is_set():
                    invocation.handed_out_at = time.perf_counter()
                    return invocation
        return None

    def _take(self, request_id: str) -> Invocation | None:
        with self._lock:
            invocation = self._open.pop(request_id, None)
        if invocation is None or invocation.done.is_set():
            return None
        return invocation

    def _record_init_error(self, error: dict[str, Any]) -> None:
        self.init_error = error
        self.init_error_event.set()


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A runtime that is killed (timeout, exit, reset) drops its connection
        # mid-request; that is expected and must not spill tracebacks.
        pass


def _parse_error(body: bytes, error_type: str | None) -> dict[str, Any]:
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


def _make_handler(api: RuntimeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Without this, headers and body go out in two segments and Nagle plus
        # delayed ACK adds ~40 ms to every round trip.
        disable_nagle_algorithm = True
        server_version = "LambdaWorkbench"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # the runtime's traffic is not the user's business

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
            if self.path != f"{PREFIX}/invocation/next":
                self._send(404, {"errorMessage": "Not found", "errorType": "NotFound"})
                return
            invocation = api._next_invocation()
            if invocation is None:  # server closing
                self.close_connection = True
                return
            headers = {
                "Content-Type": invocation.content_type,
                "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
                "Lambda-Runtime-Deadline-Ms": str(invocation.deadline_ms),
                "Lambda-Runtime-Invoked-Function-Arn": invocation.function_arn,
                "Lambda-Runtime-Trace-Id": invocation.trace_id,
                "Lambda-Runtime-Invocation-Id": invocation.request_id,
            }
            if invocation.client_context:
                headers["Lambda-Runtime-Client-Context"] = invocation.client_context
            if invocation.cognito_identity:
                headers["Lambda-Runtime-Cognito-Identity"] = invocation.cognito_identity
            self._send(200, invocation.body, headers)

        def do_POST(self) -> None:  # noqa: N802
            path = self.path
            if path == f"{PREFIX}/init/error":
                body, _, _ = self._read_body()
                api._record_init_error(_parse_error(body, self.headers.get(ERROR_TYPE_HEADER)))
                self._send(202, {"status": "OK"})
                return
            parts = path[len(PREFIX) :].split("/") if path.startswith(PREFIX) else []
            # ["", "invocation", "<id>", "response" | "error"]
            if len(parts) != 4 or parts[1] != "invocation" or parts[3] not in ("response", "error"):
                self._read_body(limit=0)
                self._send(404, {"errorMessage": "Not found", "errorType": "NotFound"})
                return
            request_id, action = parts[2], parts[3]
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
                error = _parse_error(body, self.headers.get(ERROR_TYPE_HEADER))
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
                    import base64

                    error = _parse_error(base64.b64decode(encoded), streamed_error)
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
