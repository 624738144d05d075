"""The local API server: Werkzeug's threaded WSGI server in front of the gateway.

The APIs (REST and HTTP API) share the main port; each function URL gets its own port,
as each is its own origin in the cloud.
"""

from __future__ import annotations

import errno
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from workbench.core.errors import WorkbenchError
from workbench.core.http.events import HttpRequest
from workbench.core.http.gateway import (
    INTEGRATION_TIMEOUT_S,
    MAX_BODY_BYTES,
    Gateway,
    ServedRequest,
)
from workbench.core.http.model import URL, Api, Route, ServeSpec
from workbench.core.http.proxy import HttpReply, gateway_error
from workbench.core.runtime.host import FunctionHost

_CHUNK = 64 * 1024
_DRAIN_LIMIT = 64 * 1024 * 1024  # read (and drop) this much of an oversized body, then close


class _Handler(WSGIRequestHandler):
    """Werkzeug's handler, keeping each header as sent (WSGI joins repeated ones) and quiet."""

    server_version = "lambda-workbench"

    def make_environ(self) -> Any:
        environ = super().make_environ()
        environ["workbench.headers"] = list(self.headers.items())
        return environ

    def version_string(self) -> str:
        return self.server_version

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass  # the serve command prints its own line per request

    def log(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class Listener:
    """One port: the gateway behind it and the routes it serves."""

    name: str
    gateway: Gateway
    port: int
    server: ThreadedWSGIServer | None = None
    thread: threading.Thread | None = None


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise WorkbenchError(
                f"Port {port} on {host} is already in use (another serve or web server?); "
                "stop that program or choose another port with --port."
            ) from None
        raise WorkbenchError(f"Could not listen on {host} port {port}: {error.strerror}.") from None
    return sock


class ApiServer:
    """Serves a ServeSpec over HTTP; `start()` listens, `stop()` ends it (no thread left)."""

    def __init__(
        self,
        spec: ServeSpec,
        host: FunctionHost,
        *,
        bind: str = "127.0.0.1",
        port: int = 3000,
        integration_timeout_s: float = INTEGRATION_TIMEOUT_S,
        throttled: Iterable[str] = (),
        on_served: Callable[[ServedRequest], None] | None = None,
    ) -> None:
        self.spec = spec
        self.bind = bind
        self.listeners: list[Listener] = []
        options: dict[str, Any] = {
            "integration_timeout_s": integration_timeout_s,
            "throttled": set(throttled),
            "on_served": on_served,
        }
        gateway_apis = spec.gateway_apis
        next_port = port
        gateway_routes = [r for r in spec.routes if r.kind != URL]
        if gateway_routes:
            self.listeners.append(
                Listener("api", Gateway(gateway_apis, gateway_routes, host, **options), port)
            )
            next_port = port + 1 if port else 0
        for api in spec.url_apis:
            routes = spec.routes_of(api.id)
            gateway = Gateway([api], routes, host, **options)
            self.listeners.append(Listener(api.function or api.id, gateway, next_port))
            next_port = next_port + 1 if next_port else 0

    def start(self) -> None:
        """Listen on every port now (WorkbenchError with a sentence when one is taken)."""
        sockets = []
        try:
            for listener in self.listeners:
                sockets.append(_bind(self.bind, listener.port))
        except WorkbenchError:
            for sock in sockets:
                sock.close()
            raise
        for listener, sock in zip(self.listeners, sockets, strict=True):
            server = ThreadedWSGIServer(
                self.bind, sock.getsockname()[1], _app(listener.gateway), _Handler, fd=sock.fileno()
            )
            sock.close()  # the server holds its own duplicate of the socket
            server.daemon_threads = True
            listener.server = server
            listener.port = server.server_address[1]
            listener.thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.2},
                name=f"serve-{listener.name}",
                daemon=True,
            )
            listener.thread.start()

    def stop(self) -> None:
        for listener in self.listeners:
            if listener.server is not None:
                listener.server.shutdown()
                listener.server.server_close()
            if listener.thread is not None:
                listener.thread.join(timeout=5)
            listener.server = listener.thread = None

    def url(self, listener: Listener, path: str = "/") -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"http://{host}:{listener.port}{path}"

    def route_table(self) -> list[dict[str, Any]]:
        """One row per route: the `serve --output json` route objects (a public contract)."""
        rows = []
        for listener in self.listeners:
            for route in listener.gateway.routes:
                path = "/" if route.path == "$default" else route.path
                rows.append(
                    {
                        "kind": route.kind,
                        "method": route.method,
                        "path": route.path,
                        "function": route.function,
                        "url": self.url(listener, path),
                    }
                )
        return rows

    @property
    def port(self) -> int:
        return self.listeners[0].port if self.listeners else 0

    def api_for(self, route: Route) -> Api:
        return self.spec.apis[route.api]


def _read_body(environ: dict[str, Any]) -> bytes | None:
    """The body, or None when it is over the limit (what was read is dropped)."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH") or ""
    chunked = environ.get("wsgi.input_terminated", False)
    if not chunked and not length.isdigit():
        return b""
    remaining = int(length) if length.isdigit() and not chunked else None
    if remaining is not None and remaining > MAX_BODY_BYTES:
        # Read what the client sends so it sees our 413 rather than a reset, up to a bound.
        left = min(remaining, _DRAIN_LIMIT)
        while left > 0:
            chunk = stream.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
        return None
    parts, total = [], 0
    while remaining is None or total < remaining:
        want = _CHUNK if remaining is None else min(_CHUNK, remaining - total)
        chunk = stream.read(want)
        if not chunk:
            break
        total += len(chunk)
        if total > MAX_BODY_BYTES:
            return None
        parts.append(chunk)
    if remaining is not None and total < remaining:
        raise ConnectionError("the client closed the connection before sending the whole body")
    return b"".join(parts)


def _request(environ: dict[str, Any], body: bytes) -> HttpRequest:
    raw = environ.get("RAW_URI") or environ.get("PATH_INFO") or "/"
    if not raw.startswith("/"):
        parts = urlsplit(raw)  # absolute-form request target
        raw = parts.path + (f"?{parts.query}" if parts.query else "")
    path, _, query = raw.partition("?")
    headers = environ.get("workbench.headers") or []
    protocol = environ.get("SERVER_PROTOCOL", "HTTP/1.1")
    return HttpRequest(
        method=environ["REQUEST_METHOD"].upper(),
        raw_path=path or "/",
        raw_query=query,
        headers=[(str(k), str(v)) for k, v in headers],
        body=body,
        source_ip=environ.get("REMOTE_ADDR") or "127.0.0.1",
        protocol=protocol,
    )


def _app(gateway: Gateway) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            body = _read_body(environ)
        except (ConnectionError, OSError, ValueError):
            # The client went away mid-request: nobody is left to answer.
            return []
        if body is None:
            reply = gateway_error("too_large", gateway.kind, problem="the body is over 10 MB")
            reply.headers.append(("Connection", "close"))
            raw_path = str(environ.get("RAW_URI") or environ.get("PATH_INFO") or "/")
            served = ServedRequest(environ["REQUEST_METHOD"], raw_path.partition("?")[0], 413)
            served.problem = reply.problem
            if gateway.on_served is not None:
                gateway.on_served(served)
        else:
            reply = gateway.handle(_request(environ, body))
        return _send(reply, environ, start_response)

    return app


def _header_text(value: str) -> str:
    # WSGI headers are Latin-1 without line breaks: a function's UTF-8 value goes out as its
    # bytes (what API Gateway sends) and a line break cannot split the header.
    value = value.replace("\r", " ").replace("\n", " ")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        value = value.encode("utf-8").decode("latin-1")
    return value


def _send(reply: HttpReply, environ: dict[str, Any], start_response: Callable[..., Any]) -> list:
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(reply.status).phrase
    except ValueError:
        phrase = "Unknown"
    headers = [
        (_header_text(k), _header_text(v))
        for k, v in reply.headers
        if k.lower() != "content-length"
    ]
    headers.append(("Content-Length", str(len(reply.body))))
    start_response(f"{reply.status} {phrase}", headers)
    if environ["REQUEST_METHOD"].upper() == "HEAD":
        return []
    return [reply.body]
