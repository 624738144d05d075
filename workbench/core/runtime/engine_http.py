"""The Docker Engine API over its socket: the calls the runners make, and nothing else.

Why not the Docker SDK here: importing it (requests, urllib3, charset_normalizer, email,
http.client) costs ~150 ms, a fifth of a whole cold `invoke --runner docker`, and the
runners need only a dozen documented endpoints (docs.docker.com/engine/api). The SDK is
still used where it earns its import: pulls (registry credentials and helpers from
~/.docker/config.json).

One connection per request (a Unix socket connects in ~50 us), `Connection: close`, so
the client is safe from any thread and a slow call (wait, attach) blocks no other.
Only engines on this machine are supported (docker_engine.check_local_engine): a Unix
socket, or tcp://localhost with or without TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH).
"""

from __future__ import annotations

import json
import os
import socket
import struct
import urllib.parse
from collections.abc import Iterator
from typing import Any

from workbench.core.runtime.engine_address import DEFAULT_HOST, engine_address
from workbench.core.runtime.http_lines import read_headers

DEFAULT_TIMEOUT_S = 60.0
MAX_BODY_BYTES = 64 * 1024 * 1024  # an inspect or a list answer; never a stream
_UNSET: Any = object()


class EngineError(Exception):
    """The engine answered with an error status (or, status 0, could not be reached)."""

    def __init__(self, status: int, explanation: str) -> None:
        super().__init__(f"{status} {explanation}" if status else explanation)
        self.status = status
        self.explanation = explanation


class NotFound(EngineError):
    """404: no such container, image or network."""


class Unreachable(EngineError):
    """No engine answers at the address (the OSError says why: no socket, refused, ...)."""

    def __init__(self, where: str, error: OSError) -> None:
        super().__init__(0, f"{type(error).__name__}: {error.strerror or error} ({where})")
        self.reason = error


class UnsupportedAddress(EngineError):
    """DOCKER_HOST is of a kind this client does not speak (ssh://, npipe://)."""


class Engine:
    """A client for one engine address (by default as `docker` chooses: engine_address)."""

    def __init__(self, docker_host: str | None = None, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        docker_host = docker_host if docker_host is not None else engine_address().host
        self.where = docker_host = docker_host or DEFAULT_HOST
        self.timeout = timeout
        self.api_version: str | None = None
        self._unix: str | None = None
        self._tcp: tuple[str, int] | None = None
        self._tls: Any = None
        if docker_host.startswith("unix://"):
            self._unix = docker_host[len("unix://") :]
        elif docker_host.startswith(("tcp://", "http://", "https://")):
            parts = urllib.parse.urlsplit(docker_host)
            tls = parts.scheme == "https" or bool(os.environ.get("DOCKER_TLS_VERIFY"))
            self._tcp = (parts.hostname or "localhost", parts.port or (2376 if tls else 2375))
            if tls or os.environ.get("DOCKER_CERT_PATH"):
                self._tls = _tls_context()
        else:
            raise UnsupportedAddress(
                0,
                f"DOCKER_HOST={docker_host} is a kind of address the Docker runner does not "
                "speak; point DOCKER_HOST at the engine's socket (unix://...) or at "
                "tcp://localhost:PORT, or use the process runner.",
            )

    # Calls

    def version(self) -> dict[str, Any]:
        """GET /version (unversioned); fixes the API version used from then on."""
        answer = self.call("GET", "/version", versioned=False)
        if self.api_version is None:
            self.api_version = str(answer.get("ApiVersion") or "1.41")
        return dict(answer)

    def call(
        self,
        method: str,
        path: str,
        query: dict[str, Any] | None = None,
        body: Any = None,
        timeout: float | None = _UNSET,
        versioned: bool = True,
    ) -> Any:
        """One request; the answer's JSON (None when it has no body). Raises EngineError."""
        with self._send(method, path, query, body, timeout, versioned) as (status, headers, reader):
            data = _read_body(headers, reader)
        if status >= 400:
            raise _error(status, data)
        try:
            return json.loads(data) if data.strip() else None
        except ValueError as error:
            raise EngineError(0, f"the engine's answer is not JSON ({error})") from error

    def send_only(self, method: str, path: str, query: dict[str, Any] | None = None) -> None:
        """Send a request and close without reading the answer (raises EngineError).

        Only for a Unix socket, where the engine completes a request whose client has
        gone (a removal at exit); over TCP the caller must wait for the answer.
        """
        exchange = self._send(method, path, query, None, 2.0, True)
        try:
            exchange.sock.sendall(exchange.request)
        except OSError as error:
            raise Unreachable(self.where, error) from error
        finally:
            exchange.close()

    @property
    def local_socket(self) -> bool:
        return self._unix is not None

    def attach(self, container_id: str) -> Iterator[bytes]:
        """The container's stdout and stderr as written, in order (until it exits).

        Attach is a hijacked connection (101, then raw frames); open it before `start`
        so that nothing is missed.
        """
        query = {"stdout": 1, "stderr": 1, "stream": 1}
        path = f"/containers/{container_id}/attach"
        headers = {"Connection": "Upgrade", "Upgrade": "tcp"}
        opened = self._send("POST", path, query, None, None, True, headers)
        status, answer_headers, reader = opened.__enter__()
        if status >= 400:
            data = _read_body(answer_headers, reader)
            opened.__exit__(None, None, None)
            raise _error(status, data)
        return _frames(reader, opened)

    # The connection

    def _connect(self, timeout: float | None) -> socket.socket:
        try:
            if self._unix is not None:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(timeout)
                try:
                    sock.connect(self._unix)
                except BaseException:
                    sock.close()
                    raise
                return sock
            assert self._tcp is not None
            sock = socket.create_connection(self._tcp, timeout=timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._tls is not None:
                sock = self._tls.wrap_socket(sock, server_hostname=self._tcp[0])
            return sock
        except OSError as error:
            raise Unreachable(self.where, error) from error

    def _send(
        self,
        method: str,
        path: str,
        query: dict[str, Any] | None,
        body: Any,
        timeout: float | None,
        versioned: bool,
        extra: dict[str, str] | None = None,
    ) -> _Exchange:
        if timeout is _UNSET:
            timeout = self.timeout
        if versioned and self.api_version is None:
            self.version()
        prefix = f"/v{self.api_version}" if versioned else ""
        target = prefix + urllib.parse.quote(path, safe="/:@")
        if query:
            target += "?" + urllib.parse.urlencode(
                {k: _query_value(v) for k, v in query.items() if v is not None}
            )
        payload = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {target} HTTP/1.1", "Host: docker", "User-Agent: lambda-workbench"]
        lines += [f"{name}: {value}" for name, value in (extra or {"Connection": "close"}).items()]
        if body is not None:
            lines.append("Content-Type: application/json")
        lines.append(f"Content-Length: {len(payload)}")
        request = ("\r\n".join(lines) + "\r\n\r\n").encode() + payload
        sock = self._connect(timeout)
        return _Exchange(sock, request, self.where)


class _Exchange:
    """One request on its own connection: the status, headers and a reader of the rest."""

    def __init__(self, sock: socket.socket, request: bytes, where: str) -> None:
        self.sock, self.request, self.where = sock, request, where
        self.reader: Any = None

    def __enter__(self) -> tuple[int, dict[str, str], Any]:
        try:
            self.sock.sendall(self.request)
            self.reader = self.sock.makefile("rb")
            status_line = self.reader.readline(65536).decode("latin-1")
            parts = status_line.split(" ", 2)
            if len(parts) < 2 or not parts[1].isdigit():
                raise OSError(f"the engine sent {status_line.strip()[:80]!r}")
            headers = read_headers(self.reader.readline)
            if headers is None:
                raise OSError("the engine sent too many header lines")
            return int(parts[1]), headers, self.reader
        except OSError as error:
            self.close()
            raise Unreachable(self.where, error) from error
        except BaseException:
            self.close()
            raise

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
        self.sock.close()


def _read_body(headers: dict[str, str], reader: Any) -> bytes:
    out = bytearray()
    for chunk in _body_chunks(headers, reader):
        out += chunk
        if len(out) > MAX_BODY_BYTES:
            raise EngineError(0, f"the engine's answer is over {MAX_BODY_BYTES} bytes")
    return bytes(out)


def _body_chunks(headers: dict[str, str], reader: Any) -> Iterator[bytes]:
    try:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            while True:
                size_line = reader.readline(1024)
                if not size_line:
                    raise OSError("the connection closed inside a chunked answer")
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    return
                data = reader.read(size)
                reader.readline(16)  # the chunk's CRLF
                if data:
                    yield data
        elif "content-length" in headers:
            remaining = int(headers["content-length"])
            while remaining > 0:
                data = reader.read1(min(remaining, 65536))
                if not data:
                    raise OSError(f"the connection closed with {remaining} bytes to come")
                remaining -= len(data)
                yield data
        else:  # Connection: close
            while data := reader.read1(65536):
                yield data
    except (OSError, ValueError) as error:
        raise EngineError(0, f"the engine's answer broke off ({error})") from error


def _frames(reader: Any, exchange: _Exchange) -> Iterator[bytes]:
    """Payloads of the multiplexed stdout/stderr stream (8-byte headers: stream, size)."""
    try:
        while True:
            header = reader.read(8)
            if len(header) < 8:
                return
            size = struct.unpack(">I", header[4:])[0]
            data = reader.read(size) if size else b""
            if data:
                yield data
    except (OSError, ValueError):
        return  # the container went away under the stream
    finally:
        exchange.close()


def _error(status: int, data: bytes) -> EngineError:
    try:
        message = str(json.loads(data).get("message") or "")
    except (ValueError, AttributeError):
        message = data.decode("utf-8", errors="replace").strip()
    kind = NotFound if status == 404 else EngineError
    return kind(status, message[:2000] or f"HTTP {status}")


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _tls_context() -> Any:
    import ssl  # only for an engine on TCP with TLS (rare; ~10 ms to import)

    folder = os.environ.get("DOCKER_CERT_PATH") or os.path.expanduser("~/.docker")
    ca, cert, key = (os.path.join(folder, n) for n in ("ca.pem", "cert.pem", "key.pem"))
    context = ssl.create_default_context(cafile=ca if os.path.exists(ca) else None)
    if not os.environ.get("DOCKER_TLS_VERIFY"):
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if os.path.exists(cert) and os.path.exists(key):
        context.load_cert_chain(cert, key)
    return context
