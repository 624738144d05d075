"""A small HTTP client for the window's "send request" form (bounded, one sentence on failure)."""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from workbench.core.errors import WorkbenchError

MAX_RESPONSE_BYTES = 16 * 1024 * 1024  # more than API Gateway's 10 MB: it is never cut


@dataclass
class SentResponse:
    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    elapsed_ms: float = 0.0


def parse_headers(text: str) -> list[tuple[str, str]]:
    """`Name: value` lines (blank lines ignored); WorkbenchError names a bad line."""
    headers = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip() or " " in name.strip():
            raise WorkbenchError(f"Header line {number} must look like Name: value.")
        headers.append((name.strip(), value.strip()))
    return headers


def send(
    url: str,
    method: str = "GET",
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"",
    timeout_s: float = 60.0,
) -> SentResponse:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise WorkbenchError(f"{url!r} is not an http:// URL of the local server.")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout_s)
    start = time.perf_counter()
    try:
        connection.putrequest(method.upper(), target, skip_accept_encoding=True)
        for name, value in headers or []:
            connection.putheader(name, value)
        if body or method.upper() in ("POST", "PUT", "PATCH"):
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body or None)
        response = connection.getresponse()
        data = response.read(MAX_RESPONSE_BYTES + 1)
        return SentResponse(
            response.status,
            response.reason,
            response.getheaders(),
            data[:MAX_RESPONSE_BYTES],
            (time.perf_counter() - start) * 1000,
        )
    except (OSError, http.client.HTTPException) as error:
        raise WorkbenchError(f"The request to {url} failed: {error}.") from None
    finally:
        connection.close()
